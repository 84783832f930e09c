"""The report as JSON for front ends (the contract is documented in the docs).

Percents are strings with exactly two decimals, rounded half-up; dates are ISO strings;
exact rates are given as ``"numerator/denominator"`` strings, and the pace's rates also as
numbers (``*_number``, rounded half-up to two decimals) a chart can use. `report_to_dict`
returns a `ReportDict`, typed key by key.

Each object of the contract is written by a small function built from one table of its
keys, names and order (``_SHAPES``): it reads the attrs fields in that order and writes each
value by its type (days as ISO text, percents as text, exact rates as ``"n/d"``, enum
members as their values); a value of any other type is a `TypeError`, never its ``str()``.
`report_to_json` lays the document out a top-level key a line and a list's element a line,
each line written by the C encoder of Python's `json` module (see `JsonLayout`).

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, Target, DailyCounts, campaign_report
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> r = campaign_report(
    ...     c, [District(code="221", name="Yên Dũng", kind="huyen", province_code="24")],
    ...     [Target(unit_code="221", campaign_id="c", value=285)],
    ...     DailyCounts(start=c.start, end=dt.date(2023, 5, 2), grid={"221": [200, 118]}))
    >>> total = report_to_dict(r)["total"]
    >>> total["actual"], total["target"], total["completion_percent"], total["rate"]
    (318, 285, '111.58', '106/95')
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, cast

from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.metrics import Pace
from bhxh_campaign.model import Campaign
from bhxh_campaign.render._json_types import (
    CampaignDict,
    DistrictDict,
    NoteDict,
    PaceDict,
    ProvinceDict,
    ReportDict,
    StockDict,
    StockGoalDict,
    TotalDict,
    WindowDict,
)
from bhxh_campaign.render._notes import note_text
from bhxh_campaign.render._pace import people_per_day
from bhxh_campaign.render._stocks import check_stocks, stock_dict
from bhxh_campaign.render.columns import COLUMNS, Column
from bhxh_campaign.report import CampaignReport, DistrictProgress, Progress, StockGoal
from bhxh_campaign.stock import StockPosition
from bhxh_campaign.windows import Window

__all__ = [
    "SCHEMA_VERSION",
    "CampaignDict",
    "DistrictDict",
    "JsonLayout",
    "NoteDict",
    "PaceDict",
    "ProvinceDict",
    "ReportDict",
    "StockDict",
    "StockGoalDict",
    "TotalDict",
    "WindowDict",
    "report_schema",
    "report_to_dict",
    "report_to_json",
]

JsonLayout = Literal["rows", "nested"]
"""How `report_to_json` lays the document out: a list's element a line, or fully nested."""

_LAYOUTS: tuple[JsonLayout, ...] = ("rows", "nested")

SCHEMA_VERSION = 2
"""Bumped only when a key is removed or changes meaning; new keys keep the version.

2: ``stock_goals[]`` lost ``new_participants`` and ``share_percent`` (a flow set against a
level); a stock goal is compared only with ``stock``, the participants on the as-of day.
"""

# The keys of each object of the contract, in the order the contract lists them. A key
# is a field of the attrs class, renamed where the contract names it otherwise. A row of
# the league table (a district, and the total) also holds each column of the league table
# that shows no field (`render.columns`), after these keys, under the column's key.
_PERCENT = {"percent": "completion_percent"}
_SHAPES: dict[str, tuple[type[Any], tuple[str, ...], dict[str, str]]] = {
    "campaign": (Campaign, ("id", "name", "scope", "start", "end", "level"), {}),
    "total": (
        Progress,
        ("actual", "target", "percent", "rate", "window_count", "completed_on"),
        _PERCENT,
    ),
    "window": (Window, ("start", "end"), {}),
    "district": (
        DistrictProgress,
        (
            "code",
            "name",
            "kind",
            "province_code",
            "actual",
            "target",
            "original_target",
            "percent",
            "rate",
            "rank_by_actual",
            "rank_by_completion",
            "rank_by_completed_on",
            "completed_on",
            "window_count",
            "pace",
        ),
        _PERCENT,
    ),
    "province": (
        Progress,
        ("code", "name", "actual", "target", "percent", "rate", "window_count", "target_note"),
        _PERCENT,
    ),
    # A level, compared only with a level (``stock``): version 2 dropped the campaign's new
    # participants and their share of the goal, a flow set against a level.
    "stock_goal": (StockGoal, ("unit_code", "target"), {}),
    "pace": (
        Pace,
        (
            "remaining",
            "days_left",
            "required_per_day",
            "recent_per_day",
            "projected_on",
            "planned_to_date",
            "status",
        ),
        {},
    ),
}


def _computed() -> tuple[Column, ...]:
    """The columns of the league table that show no field of a row: added to the rows."""
    return tuple(c for c in COLUMNS if c.field is None)


# The schema of a computed column's value, by its kind (None: a blank cell).
_KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "rank": {"type": ["integer", "null"], "minimum": 1},
    "count": {"type": ["integer", "null"], "minimum": 0},
    "percent": {"anyOf": [{"$ref": "#/$defs/percent"}, {"type": "null"}]},
    "date": {
        "type": ["string", "null"],
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    },
    "code": {"type": "string"},
    "name": {"type": "string"},
}


def _fraction(value: Fraction) -> str:
    """An exact rate as ``"numerator/denominator"``, also for whole numbers (``"0/1"``)."""
    numerator, denominator = value.as_integer_ratio()  # one call, not two properties
    return f"{numerator}/{denominator}"


def _number(value: Fraction) -> float:
    """An exact rate as a number, rounded half-up (away from zero) to two decimals once.

    In whole hundredths, exactly, then divided by 100: a correctly rounded division, so the
    float is the one nearest the two-decimal value, as ``float(Decimal(...))`` would give.
    """
    numerator, denominator = value.as_integer_ratio()
    hundredths, rest = divmod(abs(numerator) * 100, denominator)
    if 2 * rest >= denominator:
        hundredths += 1
    return -(hundredths / 100) if numerator < 0 else hundredths / 100


def _province_name(report: CampaignReport, code: str, given: str) -> str:
    """A province's name: as given, else the register's on the campaign's first day."""
    if given:
        return given
    from bhxh_campaign.registry import unit_registry  # noqa: PLC0415 - read only when needed

    try:
        return unit_registry().province(code, report.campaign.start).name
    except UnknownUnitError:
        return code


# How a value of a field is written, by its exact type; str, int, bool and None are written
# as they are, and an enum member as its value. Any other type is refused: a new field of
# an unexpected type fails loudly rather than turning into its str().
_AS_IS: frozenset[type[Any]] = frozenset({str, int, bool, type(None)})


def _plain(value: object) -> Any:
    """A value of the report as the contract writes it (see `_AS_IS` and `_SCALARS`)."""
    return value if type(value) in _AS_IS else _converted(value)


def _converted(value: object) -> Any:
    """A value of a type other than `_AS_IS` as the contract writes it, or a TypeError."""
    write = _SCALARS.get(type(value))
    if write is not None:
        return write(value)
    if isinstance(value, enum.Enum):
        return _plain(value._value_)  # the member's value, without the `value` property
    name = type(value).__qualname__
    msg = f"the JSON report has no rule for a value of type {name}: {value!r}"
    raise TypeError(msg)


def _shape(name: str) -> Callable[[Any], dict[str, Any]]:
    """The writer of one object of the contract: its keys in order, each value `_plain`."""
    _, keys, renames = _SHAPES[name]
    names = tuple(renames.get(key, key) for key in keys)
    many = operator.attrgetter(*keys)  # a tuple of the values, for two keys or more
    get = many if len(keys) > 1 else lambda obj: (many(obj),)
    as_is = _AS_IS

    def write(obj: Any) -> dict[str, Any]:
        # Most values are ints and text: tested inline, a call only for the others.
        return {
            key: value if type(value) in as_is else _converted(value)
            for key, value in zip(names, get(obj), strict=False)  # as many, by construction
        }

    return write


_CAMPAIGN, _TOTAL, _WINDOW, _DISTRICT, _PROVINCE, _GOAL, _PACE = map(
    _shape, ("campaign", "total", "window", "district", "province", "stock_goal", "pace")
)


def _pace(pace: Pace) -> dict[str, Any]:
    """The pace: its fields, then its rates as numbers and the daily need in whole people."""
    data = _PACE(pace)
    need = pace.required_per_day
    data["required_per_day_number"] = None if need is None else _number(need)
    data["required_people_per_day"] = people_per_day(pace)
    data["recent_per_day_number"] = _number(pace.recent_per_day)
    data["planned_to_date_number"] = _number(pace.planned_to_date)
    return data


_SCALARS: dict[type[Any], Callable[[Any], Any]] = {
    dt.date: dt.date.isoformat,
    Decimal: str,
    Fraction: _fraction,
    Pace: _pace,
}


def _document(r: CampaignReport) -> dict[str, Any]:
    """The whole document, stocks aside (`report_to_dict` adds them)."""
    extra = _computed()

    def row(d: DistrictProgress) -> dict[str, Any]:
        data = _DISTRICT(d)
        for c in extra:
            data[c.key] = _plain(c.cell(c.get(r, d)))
        return data

    totals = {c.key: _plain(c.cell(c.get_total(r))) for c in extra if c.total}
    return {
        "schema_version": SCHEMA_VERSION,
        "campaign": _CAMPAIGN(r.campaign),
        "level": r.level.value,
        "as_of": _plain(r.as_of),
        "known_at": _plain(r.known_at),
        "total": {**_TOTAL(r.total), **totals},
        "window": {
            **_WINDOW(r.window),
            "days": r.window.days,
            "count": r.total.window_count,
            "inclusive": True,
        },
        "districts": [row(d) for d in r.districts],
        "provinces": [
            {**_PROVINCE(p), "name": _province_name(r, str(p.code), p.name)} for p in r.provinces
        ],
        "stock_goals": [{**_GOAL(g), "stock": None} for g in r.stock_goals],
        "pace": _pace(r.total.pace),
        "excluded": dict(r.excluded),
        "notes": [note_text(r, n, "en") for n in r.notes],
        "notes_detail": [
            {"code": n.code, "data": {k: _plain(v) for k, v in n.data}} for n in r.notes
        ],
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the contract (draft 2020-12), as shipped inside the package.

    Examples:
        >>> schema = report_schema()
        >>> schema["$id"], schema["properties"]["level"]["enum"]
        ('urn:bhxh-campaign:report-schema:2', ['district', 'commune'])
    """
    from importlib import resources  # noqa: PLC0415 - read only when asked for

    text = (
        resources.files("bhxh_campaign")
        .joinpath("data", "report.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    # The columns of the league table that show no field are described by the registry.
    for c in _computed():
        objects = [schema["$defs"]["district"]] + (
            [schema["properties"]["total"]] if c.total else []
        )
        for node in objects:  # the file lists the columns of its day; a newer one is added
            if c.key not in node["properties"]:
                node["properties"][c.key] = {
                    **_KIND_SCHEMAS[c.kind],
                    "description": c.description,
                }
            if c.key not in node["required"]:
                node["required"].append(c.key)
    return schema


def report_to_dict(
    report: CampaignReport, *, stocks: Mapping[str, StockPosition] | None = None
) -> ReportDict:
    """The report as plain JSON-ready values (see the JSON schema in the docs).

    Dates become ISO text, percents their two-decimal text, exact rates
    ``"numerator/denominator"`` (the pace's also as numbers), enums their values; each
    object has the keys of the contract, in its order.

    Args:
        report: the campaign report.
        stocks: participants on the as-of day (`bhxh_campaign.stock_on`), by the unit of
            a stock goal, where the data has them: each goal's ``stock`` then compares
            the goal with that level (otherwise ``null``).

    Raises:
        UnknownUnitError: a stock is given for a unit without a stock goal.
        InvalidValueError: a stock is not of the as-of day, or is against another goal.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> data = report_to_dict(load_campaign("examples/bac_giang_2023").report(
        ...     dt.date(2023, 5, 18)))
        >>> data["as_of"], data["total"]["completion_percent"], data["pace"]["status"]
        ('2023-05-18', '58.69', 'ahead')
        >>> pace = data["pace"]
        >>> pace["required_per_day"], pace["required_per_day_number"]
        ('1357/13', 104.38)
        >>> pace["required_people_per_day"], data["provinces"][0]["name"]
        (105, 'Bắc Giang')
        >>> list(data["districts"][0])[:4]
        ['code', 'name', 'kind', 'province_code']
    """
    checked = check_stocks(report, stocks)
    data = cast("ReportDict", _document(report))
    for goal in data["stock_goals"]:
        position = checked.get(goal["unit_code"])
        if position is not None:
            goal["stock"] = stock_dict(position, goal["target"])
    return data


def report_to_json(
    report: CampaignReport,
    *,
    indent: int | None = 2,
    stocks: Mapping[str, StockPosition] | None = None,
    layout: JsonLayout = "rows",
) -> str:
    """The report as a JSON document (UTF-8 text, Vietnamese letters kept as they are).

    In the ``rows`` layout (the default) the document has one top-level key a line, and a
    top-level list (``districts``, ``provinces``, ``stock_goals``, ``notes``,
    ``notes_detail``) one element a line, each written on its line compactly: a league
    table of 693 districts is 693 lines, and a diff of two days' documents reads row by
    row. ``nested`` is Python's standard indented layout, one value a line. Either way
    the text parses to `report_to_dict`'s value.

    Args:
        report: the campaign report.
        indent: spaces before a top-level key (and twice as many before a list's
            element); None writes the whole document on one line, whatever the layout.
        stocks: participants on the as-of day by the unit of a stock goal (see
            `report_to_dict`).
        layout: ``rows`` or ``nested`` (see above).

    Raises:
        InvalidValueError: the layout is neither ``rows`` nor ``nested``; or a stock does
            not fit the report (see `report_to_dict`).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> lines = report_to_json(report).splitlines()
        >>> lines[:2]
        ['{', '  "schema_version": 2,']
        >>> first = lines.index('  "districts": [') + 1
        >>> lines[first][:46]
        '    {"code": "221", "name": "Yên Dũng", "kind"'
        >>> lines[first + 10], lines[-1]
        ('  ],', '}')
        >>> text = report_to_json(report, indent=None)
        >>> text[:60]
        '{"schema_version": 2, "campaign": {"id": "bac-giang-2023-pea'
        >>> "Yên Dũng" in text, text.endswith("}\\n")
        (True, True)
        >>> report_to_json(report, layout="nested").splitlines()[2]
        '  "campaign": {'
    """
    if layout not in _LAYOUTS:
        msg = f"layout must be one of {', '.join(_LAYOUTS)}, got {layout!r}"
        raise InvalidValueError(msg, field="layout")
    data = report_to_dict(report, stocks=stocks)
    if indent is None or layout == "nested":
        return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"
    return _rows(data, indent)


# The C encoder of the json module: it writes without indenting (with indent, json.dumps
# uses its pure-Python encoder, several times slower), with the default separators. The
# document is a tree built afresh by `report_to_dict`: no cycle to check for.
_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _rows(data: Mapping[str, Any], indent: int) -> str:
    """The ``rows`` layout: a top-level key a line, a list's elements a line each."""
    pad = " " * indent
    between = ",\n" + pad * 2
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            rows = between.join(map(_ENCODE, value))
            lines.append(f"{pad}{_ENCODE(key)}: [\n{pad * 2}{rows}\n{pad}]")
        else:
            lines.append(f"{pad}{_ENCODE(key)}: {_ENCODE(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
