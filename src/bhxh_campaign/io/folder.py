"""`load_campaign`: read a campaign folder into a `CampaignBundle`.

The folder holds four files, and an optional fifth (see the docs' "campaign folder" page):

- ``campaign.toml``: ``id``, ``name``, ``scope`` (a province code or ``national``),
  ``start`` and ``end`` (dates, inclusive), optional ``level`` (``district`` or
  ``commune``; by default the level in force on ``start``), optional ``[[stock_goals]]``
  tables (``unit_code``, ``target``) and ``[[provinces]]`` tables (``code``, ``name``),
  optional ``encoding`` (of its CSV files, e.g. ``"cp1258"``) and ``[columns]`` (header
  text = field, for headings no alias matches);
- ``units.csv`` (``districts.csv`` in folders of 2023): ``code,name,kind,province_code``
  (optional ``valid_from,valid_to``), every unit at the campaign's level;
- ``targets.csv``: ``unit_code,target`` (optional ``measure``: ``new`` or ``stock``);
- ``enrollments.csv`` (or ``.xlsx``, ``.json``, ``.jsonl``, ``.parquet``: one of them):
  ``record_id,participant_id,district_code,enrolled_on`` (optional
  ``commune_code,payment_method`` and any other optional field of `EnrollmentRecord`);
- optional ``stocks.csv``: ``unit_code,participants,on``, the participants of a stock
  goal's unit at the end of a day (`StockBaseline`, the bundle's ``baselines``).

The files are read by the loaders of `bhxh_campaign.io.loaders`, exactly as ``validate``
reads one file: header aliases, title rows above the header, unused columns ignored (and
listed), dates ISO (``YYYY-MM-DD``) or day-first (``dd/mm/yyyy``, never month-first),
targets such as "4.800" (Vietnamese thousands), UTF-8 with or without a byte-order mark
unless ``encoding`` says otherwise. By default the first bad value stops the load with a `LoadError`
naming the file, the line and the field; ``strict=False`` returns every file's
`LoadReport` instead. Personal identifiers in errors are masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, final, overload

from attrs import frozen

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign._files import TomlError, key_line, read_toml
from bhxh_campaign._layout import CAMPAIGN, STOCKS, TARGETS, enrollments_file_of, unit_file_of
from bhxh_campaign._settings import FolderSettings, settings_of
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.errors import InvalidValueError, LoadError
from bhxh_campaign.io import _cells, _schema, _stocks
from bhxh_campaign.io._cells import MAX_DIGITS
from bhxh_campaign.io.load_report import LoadReport
from bhxh_campaign.io.loaders import load_districts, load_folder_records, load_targets
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import Campaign, Measure, Province, Target

__all__ = ["CampaignLoad", "load_campaign", "load_plan", "parse_day"]

_WHOLE = re.compile(r"[0-9]+")
_DATE_TEXT = re.compile(r"[0-9/.\-]+")  # a day, not a moment (timestamps are for records)
_DOTTED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


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


def parse_day(text: str, field: str = "date") -> dt.date:
    """A day written as a campaign folder writes it: ``YYYY-MM-DD`` or ``dd/mm/yyyy``.

    Day-first, as Vietnamese offices write dates (``d/m/yyyy`` too), never month-first.

    Raises:
        InvalidValueError: anything else, naming ``field``; a month-first date says so.

    Examples:
        >>> parse_day("2024-05-18"), parse_day("18/05/2024"), parse_day("1/5/2024")
        (datetime.date(2024, 5, 18), datetime.date(2024, 5, 18), datetime.date(2024, 5, 1))
        >>> try:
        ...     parse_day("05/18/2024", "as_of")
        ... except ValueError as error:
        ...     print(error.field, "month-first" in str(error))
        as_of True
    """
    day = _date(text, field)
    if day is None:
        msg = f"{field} must not be empty"
        raise InvalidValueError(msg, field=field)
    return day


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            day = _cells.date(value.strip(), _cells.Context(day_first=True))
        except _cells.Bad as bad:
            msg = f"{field} {bad.detail} [{bad.code}]"
            raise InvalidValueError(msg, field=field) from None
        if isinstance(day, dt.date) and _DATE_TEXT.fullmatch(value.strip()):
            return day
    msg = f"{field} must be a date, YYYY-MM-DD or dd/mm/yyyy, got {value!r}"
    raise InvalidValueError(msg, field=field)


def _required_date(value: Any, field: str) -> dt.date:
    day = _date(value, field)
    if day is None:
        msg = f"{field} must not be empty"
        raise InvalidValueError(msg, field=field)
    return day


def _whole(value: Any, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10**MAX_DIGITS:
        msg = f"{field} must be a whole number of at most {MAX_DIGITS} digits"
        raise InvalidValueError(msg, field=field)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        return _whole(int(value[: MAX_DIGITS + 1]), field)
    if isinstance(value, str) and _DOTTED.fullmatch(value):  # "4.800": Vietnamese thousands
        return _whole(value.replace(".", ""), field)
    msg = f"{field} must be a whole number written with digits only, got {value!r}"
    raise InvalidValueError(msg, field=field)


def _read_toml(path: Path) -> dict[str, Any]:
    name = str(path)
    try:
        data = read_toml(path)
    except FileNotFoundError:
        msg = "file not found"
        raise LoadError(msg, path=name, code="file_not_found") from None
    except TomlError as error:
        raise LoadError(error.detail, path=name, line=error.line, field=error.key) from None
    except OSError as error:
        msg = f"cannot be read ({error.strerror or type(error).__name__})"
        raise LoadError(msg, path=name) from None
    return data


def _settings(data: Mapping[str, Any], name: str) -> FolderSettings:
    """The folder's settings; each ``[columns]`` field must be one of some file's."""
    settings = settings_of(data, name)
    schemas = (_schema.enrollments(), _schema.districts(), _schema.targets(""), _stocks.schema())
    fields = frozenset().union(*(schema.fields() for schema in schemas))
    unknown = sorted({f for f in settings.columns.values() if f not in fields})
    if unknown:
        msg = (
            f"columns maps to {', '.join(map(repr, unknown))}, not a field of any file;"
            f" the fields are {', '.join(sorted(fields))}"
        )
        raise LoadError(msg, path=name, field="columns")
    return settings


def _campaign(path: Path) -> tuple[Campaign, list[Target], list[Province], FolderSettings]:
    name = str(path)
    data = _read_toml(path)
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
        "encoding",
        "columns",
        "sheet",
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
        line = key_line(path, error.field)
        raise LoadError(str(error), path=name, line=line, field=error.field) from None
    return campaign, goals, provinces, _settings(data, name)


def _open(
    path: str | Path,
) -> tuple[Path, Campaign, list[Target], list[Province], FolderSettings]:
    """A campaign folder's path and what its ``campaign.toml`` says.

    Raises:
        LoadError: the folder does not exist, or ``campaign.toml`` is bad.
    """
    folder = Path(path)
    if not folder.is_dir():
        msg = "not a campaign folder (no such directory)"
        raise LoadError(msg, path=str(folder))
    return (folder, *_campaign(folder / CAMPAIGN))


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
            ``districts.csv``), ``targets.csv`` and ``enrollments.csv``, and optionally
            ``stocks.csv`` (read into the bundle's ``baselines``).
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
    folder, campaign, goals, provinces, settings = _open(path)
    unit_file = unit_file_of(folder)
    districts = _units(unit_file, campaign.level, settings, strict=strict)
    targets = _targets(folder, campaign.id, settings, strict=strict)
    stocks = _stocks.read_stocks(
        folder, campaign, [*targets.records, *goals], settings, strict=strict
    )
    records = load_folder_records(
        folder, level=campaign.level, settings=settings, strict=strict, progress=progress
    )
    bundle = _bundle(
        unit_file,
        campaign=campaign,
        districts=districts.records,
        targets=[*targets.records, *goals],
        records=records.records,
        provinces=provinces,
        baselines=() if stocks is None else stocks.records,
    )
    if strict:
        return bundle
    reports: dict[str, LoadReport[Any]] = {
        unit_file.name: districts,
        TARGETS: targets,
        enrollments_file_of(folder).name: records,
        **({} if stocks is None else {STOCKS: stocks}),
    }
    return CampaignLoad(bundle=bundle, reports=reports)


def _units(
    unit_file: Path, level: UnitLevel, settings: FolderSettings, *, strict: bool
) -> LoadReport[Any]:
    return load_districts(
        unit_file,
        strict=strict,
        level=level,
        encoding=settings.encoding,
        columns=settings.columns_of(_schema.districts(level).fields()),
    )


def _targets(
    folder: Path,
    campaign_id: str,
    settings: FolderSettings,
    *,
    strict: bool,
    districts: list[str] | None = None,
) -> LoadReport[Target]:
    return load_targets(
        folder / TARGETS,
        campaign_id=campaign_id,
        strict=strict,
        districts=districts,
        vietnamese_numbers=True,
        encoding=settings.encoding,
        columns=settings.columns_of(_schema.targets(campaign_id).fields()),
    )


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
    folder, campaign, goals, provinces, settings = _open(path)
    unit_file = unit_file_of(folder)
    districts = _units(unit_file, campaign.level, settings, strict=True)
    targets = _targets(folder, campaign.id, settings, strict=True)
    stocks = _stocks.read_stocks(
        folder, campaign, [*targets.records, *goals], settings, strict=True
    )
    return _bundle(
        unit_file,
        campaign=campaign,
        districts=districts.records,
        targets=[*targets.records, *goals],
        records=None,
        provinces=provinces,
        baselines=() if stocks is None else stocks.records,
    )
