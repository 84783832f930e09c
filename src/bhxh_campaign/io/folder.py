"""`load_campaign`: read a campaign folder into a `CampaignBundle`.

The folder holds four files (see the docs' "campaign folder" page):

- ``campaign.toml``: ``id``, ``name``, ``scope`` (a province code or ``national``),
  ``start`` and ``end`` (ISO dates, inclusive), optional ``level`` (``district`` or
  ``commune``; by default the level in force on ``start``), optional ``[[stock_goals]]``
  tables (``unit_code``, ``target``) and ``[[provinces]]`` tables (``code``, ``name``);
- ``units.csv`` (``districts.csv`` in folders of 2023): ``code,name,kind,province_code``
  (optional ``valid_from,valid_to``), every unit at the campaign's level;
- ``targets.csv``: ``unit_code,target`` (optional ``measure``: ``new`` or ``stock``);
- ``enrollments.csv``: ``record_id,participant_id,district_code,enrolled_on`` (optional
  ``commune_code,payment_method`` and any other optional field of `EnrollmentRecord`).

The CSV files are read by the loaders of `bhxh_campaign.io.loaders` (header aliases,
UTF-8 with or without a byte-order mark), with the folder's one stricter rule: dates are
ISO (``YYYY-MM-DD``). By default the first bad value stops the load with a `LoadError`
naming the file, the line and the field; ``strict=False`` returns every file's
`LoadReport` instead. Personal identifiers in errors are masked.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, final, overload

import attrs
from attrs import frozen

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign._layout import CAMPAIGN, ENROLLMENTS, TARGETS, unit_file_of
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.errors import InvalidValueError, LoadError
from bhxh_campaign.io._cells import Context
from bhxh_campaign.io._pipeline import FileProblem, Raw, outcomes, rejection
from bhxh_campaign.io._readers import csv_rows
from bhxh_campaign.io._schema import districts as districts_schema
from bhxh_campaign.io.load_report import LoadReport, RejectedRow
from bhxh_campaign.io.loaders import load_districts, load_enrollments, load_targets
from bhxh_campaign.model import Campaign, Measure, Province, Target

__all__ = ["CampaignLoad", "check_campaign", "load_campaign", "load_plan"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[0-9]+")


@final
@frozen
class CampaignLoad:
    """A campaign folder read without stopping at bad rows: the bundle and the reports.

    Attributes:
        bundle: the campaign with every accepted district, target and record.
        reports: the `LoadReport` of each CSV file, by file name.

    Examples:
        >>> load = load_campaign("examples/bac_giang_2023", strict=False)
        >>> load.ok, sorted(load.reports)
        (True, ['districts.csv', 'enrollments.csv', 'targets.csv'])
    """

    bundle: CampaignBundle
    reports: Mapping[str, LoadReport[Any]]

    @property
    def ok(self) -> bool:
        """Whether every file was read without a refused row or a problem."""
        return all(report.ok for report in self.reports.values())


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
        raise LoadError(msg, path=name, code="file_not_found") from None
    except tomllib.TOMLDecodeError as error:
        msg = f"malformed TOML: {error}"
        raise LoadError(msg, path=name) from None
    except UnicodeDecodeError as error:
        msg = f"not valid UTF-8 (byte {error.object[error.start]:#04x})"
        raise LoadError(msg, path=name) from None
    except OSError as error:
        msg = f"cannot be read ({error.strerror or type(error).__name__})"
        raise LoadError(msg, path=name) from None
    known = {
        "id",
        "name",
        "scope",
        "start",
        "end",
        "measure",
        "level",
        "stock_goals",
        "provinces",
    }
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
            **({"level": data["level"]} if "level" in data else {}),
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


def _bundle(unit_file: Path, **parts: Any) -> CampaignBundle:
    """A `CampaignBundle`, its unit checks (level, validity) reported against the file."""
    try:
        return CampaignBundle(**parts)
    except InvalidValueError as error:
        raise LoadError(str(error), path=str(unit_file), field=error.field) from None


@overload
def load_campaign(
    path: str | Path, *, strict: Literal[True] = ..., progress: ProgressCallback | None = ...
) -> CampaignBundle: ...
@overload
def load_campaign(
    path: str | Path, *, strict: Literal[False], progress: ProgressCallback | None = ...
) -> CampaignLoad: ...
@overload
def load_campaign(
    path: str | Path, *, strict: bool, progress: ProgressCallback | None = ...
) -> CampaignBundle | CampaignLoad: ...
def load_campaign(
    path: str | Path, *, strict: bool = True, progress: ProgressCallback | None = None
) -> CampaignBundle | CampaignLoad:
    """Read a campaign folder into a `CampaignBundle`.

    Args:
        path: the folder holding ``campaign.toml``, ``units.csv`` (or 2023's
            ``districts.csv``), ``targets.csv`` and ``enrollments.csv``.
        strict: stop at the first bad value (the default). With ``strict=False`` every
            bad row is reported instead, and a `CampaignLoad` holds the bundle of the
            accepted rows and each file's `LoadReport`.
        progress: called as ``progress(done, total)`` while ``enrollments.csv`` is read
            (bytes; the other files are small), as by `load_enrollments`.

    Raises:
        LoadError: the folder or ``campaign.toml`` is missing or malformed; in strict
            mode also any bad row of a CSV file. The message names the file, the line
            and the field.

    Examples:
        >>> from pathlib import Path
        >>> bundle = load_campaign(Path("examples/bac_giang_2023"))
        >>> bundle.campaign.start, len(bundle.districts)
        (datetime.date(2023, 5, 1), 10)
        >>> calls = []
        >>> _ = load_campaign("examples/bac_giang_2023", progress=lambda *c: calls.append(c))
        >>> calls[-1] == (Path("examples/bac_giang_2023/enrollments.csv").stat().st_size,) * 2
        True
    """
    folder = Path(path)
    if not folder.is_dir():
        msg = "not a campaign folder (no such directory)"
        raise LoadError(msg, path=str(folder))
    campaign, goals, provinces = _campaign(folder / CAMPAIGN)
    unit_file = unit_file_of(folder)
    districts = load_districts(unit_file, strict=strict, day_first=False, level=campaign.level)
    targets = load_targets(folder / TARGETS, campaign_id=campaign.id, strict=strict)
    records = load_enrollments(
        folder / ENROLLMENTS,
        strict=strict,
        day_first=False,
        progress=progress,
        level=campaign.level,
    )
    bundle = _bundle(
        unit_file,
        campaign=campaign,
        districts=districts.records,
        targets=[*targets.records, *goals],
        records=records.records,
        provinces=provinces,
    )
    if strict:
        return bundle
    reports: dict[str, LoadReport[Any]] = {
        unit_file.name: districts,
        TARGETS: targets,
        ENROLLMENTS: records,
    }
    return CampaignLoad(bundle=bundle, reports=reports)


def load_plan(path: str | Path) -> CampaignBundle:
    """Read a campaign folder's plan (campaign, districts, targets) without its records.

    For engines that count ``enrollments.csv`` themselves (`bhxh_campaign.engines`): the
    bundle is `CampaignBundle.plan_only`, and its ``counts``, ``report`` and ``records``
    refuse rather than count nothing. Errors are those of `load_campaign` in strict mode.

    Examples:
        >>> plan = load_plan("examples/bac_giang_2023")
        >>> len(plan.districts), plan.plan_only
        (10, True)
    """
    folder = Path(path)
    if not folder.is_dir():
        msg = "not a campaign folder (no such directory)"
        raise LoadError(msg, path=str(folder))
    campaign, goals, provinces = _campaign(folder / CAMPAIGN)
    unit_file = unit_file_of(folder)
    districts = load_districts(unit_file, strict=True, day_first=False, level=campaign.level)
    targets = load_targets(folder / TARGETS, campaign_id=campaign.id, strict=True)
    return _bundle(
        unit_file,
        campaign=campaign,
        districts=districts.records,
        targets=[*targets.records, *goals],
        records=None,
        provinces=provinces,
    )


def check_campaign(path: str | Path) -> CampaignLoad:
    """Read a campaign folder without stopping at bad rows, with every check ``report`` makes.

    Besides each file's rejected rows, as `load_campaign` with ``strict=False`` reports
    them, each of these is a rejected row naming its file, line and field:

    - a record whose unit is not among the campaign's units (``unknown_district``, field
      ``district_code``; the report tallies such a record, a check finds it);
    - a target for a unit not in the unit file (``unknown_district``, field ``unit_code``);
    - a unit with no target of new participants (``missing_value``, its line of the unit
      file, field ``code``);
    - a stock goal given twice, or for an unknown unit (``duplicate_unit`` or
      ``unknown_district``, the line of its ``[[stock_goals]]`` table in
      ``campaign.toml``, which then has a report of its own).

    Raises:
        LoadError: as `load_campaign` (a missing folder, a malformed ``campaign.toml``).

    Examples:
        >>> load = check_campaign("examples/bac_giang_2023")
        >>> load.ok, sorted(load.reports)
        (True, ['districts.csv', 'enrollments.csv', 'targets.csv'])
    """
    folder = Path(path)
    if not folder.is_dir():
        msg = "not a campaign folder (no such directory)"
        raise LoadError(msg, path=str(folder))
    campaign, goals, provinces = _campaign(folder / CAMPAIGN)
    unit_file = unit_file_of(folder)
    units = load_districts(unit_file, day_first=False, level=campaign.level)
    codes = [unit.code for unit in units.records]
    targets = load_targets(folder / TARGETS, campaign_id=campaign.id, districts=codes)
    records = load_enrollments(
        folder / ENROLLMENTS, day_first=False, level=campaign.level, districts=codes
    )
    with_target = {t.unit_code for t in targets.records if t.measure is Measure.NEW}
    lines = _unit_lines(unit_file, campaign)
    missing = [
        rejection(
            "missing_value",
            f"{code!r} has no target of new participants in {TARGETS}",
            line=lines.get(code),
            field="code",
            value=code,
        )
        for code in codes
        if code not in with_target
    ]
    reports: dict[str, LoadReport[Any]] = {
        # The unit's row is valid: what is missing is the plan's, a problem of the file.
        unit_file.name: attrs.evolve(units, problems=(*units.problems, *missing)),
        TARGETS: targets,
        ENROLLMENTS: records,
    }
    known = {*codes, *(unit.province_code for unit in units.records), campaign.scope}
    goal_errors = _goal_errors(folder / CAMPAIGN, goals, known)
    if goal_errors:
        reports[CAMPAIGN] = LoadReport(
            path=str(folder / CAMPAIGN),
            records=(),
            rejected=goal_errors,
            rows_read=len(goal_errors),
            blank=0,
        )
    bundle = _bundle(
        unit_file,
        campaign=campaign,
        districts=units.records,
        targets=[*targets.records, *goals],
        records=records.records,
        provinces=provinces,
    )
    return CampaignLoad(bundle=bundle, reports=reports)


def _unit_lines(unit_file: Path, campaign: Campaign) -> dict[str, int]:
    """The line of each accepted unit of the unit file, by code."""
    lines: list[int] = []

    def tap(raws: Iterator[Raw]) -> Iterator[Raw]:
        for raw in raws:
            lines.append(raw.line)
            yield raw

    found: dict[str, int] = {}
    try:
        rows = tap(csv_rows(unit_file))
        context = Context(day_first=False, unquote=True)
        for kind, value in outcomes(rows, districts_schema(campaign.level), context):
            if kind == "ok":
                found.setdefault(value.code, lines[-1])
    except FileProblem:
        pass  # the unit file's own report names the problem
    return found


_GOALS_TABLE = re.compile(r"\s*\[\[\s*stock_goals\s*\]\]")


def _goal_errors(toml: Path, goals: list[Target], known: set[str]) -> list[RejectedRow]:
    """A stock goal given twice, or for a unit the campaign does not have, by its line."""
    text = toml.read_text(encoding="utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if _GOALS_TABLE.match(line)]
    errors: list[RejectedRow] = []
    seen: dict[str, int | None] = {}
    for index, goal in enumerate(goals):
        line = lines[index] if index < len(lines) else None
        code = goal.unit_code
        if code in seen:
            first = seen[code]
            detail = f"{code!r} is given twice (first on line {first})"
            errors.append(
                rejection("duplicate_unit", detail, line=line, field="stock_goals", value=code)
            )
            continue
        seen[code] = line
        if code not in known:
            detail = f"{code!r} is not among the campaign's units"
            errors.append(
                rejection("unknown_district", detail, line=line, field="stock_goals", value=code)
            )
    return errors
