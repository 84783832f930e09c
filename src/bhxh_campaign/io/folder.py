"""`load_campaign`: read a campaign folder into a `CampaignBundle`.

The folder holds four files (see the docs' "campaign folder" page):

- ``campaign.toml``: ``id``, ``name``, ``scope`` (a province code or ``national``),
  ``start`` and ``end`` (ISO dates, inclusive), optional ``[[stock_goals]]`` tables
  (``unit_code``, ``target``) and ``[[provinces]]`` tables (``code``, ``name``);
- ``districts.csv``: ``code,name,kind,province_code`` (optional ``valid_from,valid_to``);
- ``targets.csv``: ``unit_code,target`` (optional ``measure``: ``new`` or ``stock``);
- ``enrollments.csv``: ``record_id,participant_id,district_code,enrolled_on`` (optional
  ``commune_code,payment_method``).

CSV files are UTF-8, with or without a byte-order mark. The first bad value stops the load
with a `LoadError` naming the file, the line and the field; personal identifiers in it are
masked.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.errors import InvalidValueError, LoadError
from bhxh_campaign.model import Campaign, District, EnrollmentRecord, Measure, Province, Target

__all__ = ["load_campaign"]

T = TypeVar("T")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[0-9]+")


def _rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for every non-blank data row, checking the header and widths."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        msg = "file not found"
        raise LoadError(msg, path=name) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        msg = f"not valid UTF-8 (byte {error.object[error.start]:#04x})"
        raise LoadError(msg, path=name, line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        msg = "contains a NUL byte"
        raise LoadError(msg, path=name, line=line)
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        msg = "is empty: expected a header row"
        raise LoadError(msg, path=name, line=1) from None
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"missing {', '.join(map(repr, missing))}")
        if unknown:
            parts.append(f"unknown {', '.join(map(repr, unknown))}")
        if len(set(header)) != len(header):
            parts.append("repeated column names")
        msg = f"bad header ({'; '.join(parts)}); expected {', '.join(required + optional)}"
        raise LoadError(msg, path=name, line=1)
    line = reader.line_num + 1
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                line = reader.line_num + 1
                continue
            if len(cells) != len(header):
                msg = f"has {len(cells)} cells, the header has {len(header)}"
                raise LoadError(msg, path=name, line=line)
            yield line, dict(zip(header, (cell.strip() for cell in cells), strict=True))
            line = reader.line_num + 1
    except csv.Error as error:
        msg = f"malformed CSV: {error}"
        raise LoadError(msg, path=name, line=line) from None


def _build(path: Path, line: int, build: Callable[[dict[str, str]], T], row: dict[str, str]) -> T:
    try:
        return build(row)
    except InvalidValueError as error:
        raise LoadError(str(error), path=str(path), line=line, field=error.field) from None


def _district(row: dict[str, str]) -> District:
    return District(
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        province_code=row["province_code"],
        valid_from=_date(row.get("valid_from"), "valid_from"),
        valid_to=_date(row.get("valid_to"), "valid_to"),
    )


def _target(campaign_id: str, row: dict[str, str]) -> Target:
    return Target(
        unit_code=row["unit_code"],
        campaign_id=campaign_id,
        value=_whole(row["target"], "target"),
        measure=row.get("measure") or "new",
    )


def _record(row: dict[str, str]) -> EnrollmentRecord:
    return EnrollmentRecord(
        record_id=row["record_id"],
        participant_id=row["participant_id"],
        district_code=row["district_code"],
        enrolled_on=_required_date(row["enrolled_on"], "enrolled_on"),
        commune_code=row.get("commune_code") or None,
        payment_method=row.get("payment_method") or None,
    )


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"{field} must be an ISO date (YYYY-MM-DD), got {value!r}"
    raise InvalidValueError(msg, field=field)


def _required_date(value: Any, field: str) -> dt.date:
    day = _date(value, field)
    if day is None:
        msg = f"{field} must not be empty"
        raise InvalidValueError(msg, field=field)
    return day


def _whole(value: Any, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        return int(value)
    msg = f"{field} must be a whole number written with digits only, got {value!r}"
    raise InvalidValueError(msg, field=field)


def _campaign(path: Path) -> tuple[Campaign, list[Target], list[Province]]:
    name = str(path)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        msg = "file not found"
        raise LoadError(msg, path=name) from None
    except tomllib.TOMLDecodeError as error:
        msg = f"malformed TOML: {error}"
        raise LoadError(msg, path=name) from None
    known = {"id", "name", "scope", "start", "end", "measure", "stock_goals", "provinces"}
    unknown = sorted(set(data) - known)
    if unknown:
        msg = f"unknown keys {', '.join(map(repr, unknown))}"
        raise LoadError(msg, path=name)
    for key in ("id", "name", "scope", "start", "end"):
        if key not in data:
            msg = f"missing key {key!r}"
            raise LoadError(msg, path=name, field=key)

    def build() -> Campaign:
        return Campaign(
            id=data["id"],
            name=data["name"],
            scope=str(data["scope"]),
            start=_required_date(data["start"], "start"),
            end=_required_date(data["end"], "end"),
            measure=data.get("measure", "new"),
        )

    try:
        campaign = build()
        goals = [
            Target(
                unit_code=str(goal.get("unit_code", "")),
                campaign_id=campaign.id,
                value=_whole(goal.get("target"), "target"),
                measure=Measure.STOCK,
            )
            for goal in _tables(data.get("stock_goals", []), "stock_goals")
        ]
        provinces = [
            Province(code=str(p.get("code", "")), name=p.get("name", ""))
            for p in _tables(data.get("provinces", []), "provinces")
        ]
    except InvalidValueError as error:
        raise LoadError(str(error), path=name, field=error.field) from None
    return campaign, goals, provinces


def _tables(value: Any, key: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        msg = f"{key} must be an array of tables ([[{key}]])"
        raise InvalidValueError(msg, field=key)
    return value


def _load(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    build: Callable[[dict[str, str]], T],
    *,
    key: Callable[[T], str],
    field: str,
) -> list[T]:
    """Build one value per data row of a CSV file; a repeated ``key`` is a `LoadError`."""
    values: list[T] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, required, optional):
        value = _build(path, line, build, row)
        name = key(value)
        if name in seen:
            msg = f"{name!r} repeats line {seen[name]}"
            raise LoadError(msg, path=str(path), line=line, field=field)
        seen[name] = line
        values.append(value)
    return values


def load_campaign(path: str | Path) -> CampaignBundle:
    """Read a campaign folder into a `CampaignBundle`.

    Args:
        path: the folder holding ``campaign.toml``, ``districts.csv``, ``targets.csv``
            and ``enrollments.csv``.

    Raises:
        LoadError: a file is missing or malformed, or a value is invalid; the message
            names the file, the line and the field.

    Examples:
        >>> from pathlib import Path
        >>> bundle = load_campaign(Path("examples/bac_giang_2023"))
        >>> bundle.campaign.start, len(bundle.districts)
        (datetime.date(2023, 5, 1), 10)
    """
    folder = Path(path)
    if not folder.is_dir():
        msg = "not a campaign folder (no such directory)"
        raise LoadError(msg, path=str(folder))
    campaign, goals, provinces = _campaign(folder / "campaign.toml")

    districts = _load(
        folder / "districts.csv",
        ("code", "name", "kind", "province_code"),
        ("valid_from", "valid_to"),
        _district,
        key=lambda d: d.code,
        field="code",
    )
    targets = _load(
        folder / "targets.csv",
        ("unit_code", "target"),
        ("measure",),
        partial(_target, campaign.id),
        key=lambda t: f"{t.unit_code} ({t.measure.value})",
        field="unit_code",
    )
    records = _load(
        folder / "enrollments.csv",
        ("record_id", "participant_id", "district_code", "enrolled_on"),
        ("commune_code", "payment_method"),
        _record,
        key=lambda r: r.record_id,
        field="record_id",
    )
    return CampaignBundle(
        campaign=campaign,
        districts=districts,
        targets=[*targets, *goals],
        records=records,
        provinces=provinces,
    )
