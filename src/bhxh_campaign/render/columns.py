"""The league table's columns, defined once: every output of the table reads them here.

A `Column` has a key (the CSV header, and the key of the export's rows and of the HTML
page), its headings in Vietnamese and English, a kind that says how its values are written
(and whether they are numbers), and how to get its value from a row (a `DistrictProgress`)
and from the total row. The text, Markdown and CSV tables (`render.table`), the notebook's
table (`render.notebook`), the HTML page (`render.html`), the JSON (`render.json`) and the
export's rows (`io.export.district_rows`) all read `COLUMNS`, in its order: a new column is
one more entry here.

The unit column's heading and key come from the report's level: "Đơn vị cấp huyện" and
``district`` for a 2023 report, "Đơn vị cấp xã" and ``commune`` for communes and wards.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import load_campaign
    >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
    >>> for c in COLUMNS:
    ...     print(f"{c.name(report):<18} {c.heading(report, 'vi'):<18}"
    ...           f" {c.heading(report, 'en'):<12} {c.numeric}")
    rank               Hạng               Rank         True
    code               Mã                 Code         False
    district           Đơn vị cấp huyện   District     False
    new                Tăng mới           New          True
    target             Kế hoạch           Target       True
    percent            Tỷ lệ              Completion   True
    rank_by_completion Hạng tỷ lệ         Rank by %    True
    completed_on       Hoàn thành ngày    Completed on False
    window             7 ngày             7 days       True
    share              Tỷ trọng           Share        True
    required_per_day   Cần bình quân/ngày Needed a day True
    projected_on       Dự kiến hoàn thành Projected    False
    >>> headers, rows, total = display_rows(report, "vi")
    >>> rows[0][:10]
    ('1', '221', 'Yên Dũng', '318', '285', '111,58%', '2', '16/5/2023', '156', '16,49%')
    >>> rows[1][10:], rows[0][10:]  # Hiệp Hòa needs 10 a day; Yên Dũng reached its target
    (('10', '23/5/2023'), ('', ''))
    >>> total[:6]
    ('', '24', 'Toàn tỉnh', '1.928', '3.285', '58,69%')
    >>> total[6:]
    ('', '', '1.074', '100,00%', '105', '27/5/2023')
    >>> share = column("share")  # 318 of 1,928, exact, then rounded half-up once
    >>> share.get(report, report.units[0]), share.cell(share.get(report, report.units[0]))
    (Fraction(159, 964), Decimal('16.49'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, final

import attrs

from bhxh_campaign.messages import message
from bhxh_campaign.metrics import percent
from bhxh_campaign.render._format import Lang, day, number, pct
from bhxh_campaign.render._pace import people_per_day
from bhxh_campaign.report import CampaignReport, DistrictProgress

__all__ = [
    "COLUMNS",
    "Column",
    "ColumnKind",
    "Exact",
    "Value",
    "column",
    "display_rows",
    "headings",
    "names",
    "people_per_day",
    "total_name",
    "value_rows",
]

ColumnKind = Literal["rank", "code", "name", "count", "percent", "date"]
"""How a column's values are written.

``rank`` and ``count`` are whole numbers (a count grouped: ``1.928``), ``percent`` an exact
rate written as a percent rounded half-up to two decimals (``58,69%``), ``date`` a day,
``code`` and ``name`` text (``name``: the unit's name, which a spreadsheet must not run).
"""

Exact = int | Fraction | dt.date | str | None
"""A value as a column gets it: exact (a rate is a `Fraction`); None is a blank cell."""

Value = int | Decimal | dt.date | str | None
"""A value as the export and the JSON give it: a percent is a rounded `Decimal`."""

_NUMERIC: Final = frozenset({"rank", "count", "percent"})


@final
@attrs.frozen(kw_only=True)
class Column:
    """One column of the league table.

    Attributes:
        key: the column's name in CSV headers and in the export's and the page's rows;
            ``{level}`` stands for the report's level (``district`` or ``commune``).
        label_vi: its heading in Vietnamese; ``{days}`` stands for the window's length and
            ``{unit}`` for the level's heading ("Huyện", "Xã").
        label_en: its heading in English, with the same placeholders.
        kind: how its values are written (see `ColumnKind`).
        description: what it holds, in one English sentence (for the JSON schema).
        field: the field of `DistrictProgress` the column shows, if any. The JSON's rows
            already hold that field (under the contract's name); a column without one is
            added to them under its key.
        value: the exact value of a unit's row (default: its ``field``).
        total: the exact value of the total row, in a language; None: a blank cell.
        larger_first: whether sorting by the column first puts the largest values on top.
    """

    key: str
    label_vi: str
    label_en: str
    kind: ColumnKind
    description: str
    field: str | None = None
    value: Callable[[CampaignReport, DistrictProgress], Exact] | None = attrs.field(default=None)
    total: Callable[[CampaignReport, Lang], Exact] | None = None
    larger_first: bool = False

    @value.validator
    def _check_value(self, _: object, value: object) -> None:
        if value is None and self.field is None:
            msg = f"column {self.key!r} needs a field or a value"
            raise ValueError(msg)

    @property
    def numeric(self) -> bool:
        """Whether its values are numbers: aligned right, and number cells in a workbook."""
        return self.kind in _NUMERIC

    def name(self, report: CampaignReport) -> str:
        """Its key for this report: the unit column's is the report's level."""
        return self.key.format(level=report.level.value)

    def label(self, lang: Lang) -> str:
        """Its heading in a language, placeholders unfilled."""
        return self.label_vi if lang == "vi" else self.label_en

    def heading(self, report: CampaignReport, lang: Lang) -> str:
        """Its heading for this report, in a language."""
        level = report.level
        unit = level.header_vi if lang == "vi" else level.header_en
        return self.label(lang).format(days=report.window.days, unit=unit)

    def get(self, report: CampaignReport, row: DistrictProgress) -> Exact:
        """The exact value of a unit's row."""
        if self.value is not None:
            return self.value(report, row)
        found: Exact = getattr(row, str(self.field))
        return found

    def get_total(self, report: CampaignReport, lang: Lang = "en") -> Exact:
        """The exact value of the total row (None: blank)."""
        return None if self.total is None else self.total(report, lang)

    def cell(self, value: Exact) -> Value:
        """A value for the export and the JSON: a rate becomes its rounded percent."""
        if isinstance(value, Fraction) or (self.kind == "percent" and isinstance(value, int)):
            return percent(value)
        return value

    def text(self, value: Exact, lang: Lang) -> str:
        """A value as the text tables write it: ``1.928``, ``58,69%``, ``18/5/2023``."""
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return day(value, lang)
        if isinstance(value, Fraction) or (self.kind == "percent" and isinstance(value, int)):
            return pct(percent(value), lang)
        if self.kind == "count" and isinstance(value, int):
            return number(value, lang)
        return str(value)


def _total(name: str) -> Callable[[CampaignReport, Lang], Exact]:
    """The total row's value: a field of `CampaignReport.total`."""

    def get(report: CampaignReport, lang: Lang) -> Exact:
        value: Exact = getattr(report.total, name)
        return value

    return get


def total_name(report: CampaignReport, lang: Lang) -> str:
    """The name of the total row: "Toàn tỉnh" or "Toàn quốc" in Vietnamese, "Total" in English.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> total_name(report, "vi"), total_name(report, "en")
        ('Toàn tỉnh', 'Total')
    """
    return message("total", "national" if report.campaign.is_national else "province", lang)


def _total_name(report: CampaignReport, lang: Lang) -> Exact:
    return total_name(report, lang)


def _rate(report: CampaignReport, row: DistrictProgress) -> Exact:
    return row.rate


def _share(report: CampaignReport, row: DistrictProgress) -> Exact:
    """A unit's part of the campaign's new participants, exact (blank while there are none)."""
    whole = report.total.actual
    return Fraction(row.actual, whole) if whole else None


def _whole(report: CampaignReport, lang: Lang) -> Exact:
    return Fraction(1) if report.total.actual else None


def _need(report: CampaignReport, row: DistrictProgress) -> Exact:
    return people_per_day(row.pace)


def _need_total(report: CampaignReport, lang: Lang) -> Exact:
    return people_per_day(report.total.pace)


def _projected(report: CampaignReport, row: DistrictProgress) -> Exact:
    return None if row.pace.reached else row.pace.projected_on


def _projected_total(report: CampaignReport, lang: Lang) -> Exact:
    pace = report.total.pace
    return None if pace.reached else pace.projected_on


COLUMNS: Final[tuple[Column, ...]] = (
    Column(
        key="rank",
        label_vi="Hạng",
        label_en="Rank",
        kind="rank",
        description="Competition rank by new participants, most first.",
        field="rank_by_actual",
    ),
    Column(
        key="code",
        label_vi="Mã",
        label_en="Code",
        kind="code",
        description="The unit's code; on the total row, the campaign's scope.",
        field="code",
        total=_total("code"),
    ),
    Column(
        key="{level}",
        label_vi="{unit}",
        label_en="{unit}",
        kind="name",
        description="The unit's name.",
        field="name",
        total=_total_name,
    ),
    Column(
        key="new",
        label_vi="Tăng mới",
        label_en="New",
        kind="count",
        description="New participants through the as-of day.",
        field="actual",
        total=_total("actual"),
        larger_first=True,
    ),
    Column(
        key="target",
        label_vi="Kế hoạch",
        label_en="Target",
        kind="count",
        description="The target of new participants.",
        field="target",
        total=_total("target"),
        larger_first=True,
    ),
    Column(
        key="percent",
        label_vi="Tỷ lệ",
        label_en="Completion",
        kind="percent",
        description="New participants as a percent of the target.",
        field="percent",
        value=_rate,
        total=_total("rate"),
        larger_first=True,
    ),
    Column(
        key="rank_by_completion",
        label_vi="Hạng tỷ lệ",
        label_en="Rank by %",
        kind="rank",
        description="Competition rank by the exact completion rate, highest first.",
        field="rank_by_completion",
    ),
    Column(
        key="completed_on",
        label_vi="Hoàn thành ngày",
        label_en="Completed on",
        kind="date",
        description="The first day the running total reached the target; blank before.",
        field="completed_on",
        total=_total("completed_on"),
    ),
    Column(
        key="window",
        label_vi="{days} ngày",
        label_en="{days} days",
        kind="count",
        description="New participants in the trailing window.",
        field="window_count",
        total=_total("window_count"),
        larger_first=True,
    ),
    Column(
        key="share",
        label_vi="Tỷ trọng",
        label_en="Share",
        kind="percent",
        description=(
            "The unit's new participants as a percent of the campaign's total;"
            " null while there are none."
        ),
        value=_share,
        total=_whole,
        larger_first=True,
    ),
    Column(
        key="required_per_day",
        label_vi="Cần bình quân/ngày",
        label_en="Needed a day",
        kind="count",
        description=(
            "New participants needed a day, on average, to reach the target by the"
            " campaign's last day, rounded up to a whole person; null once reached or"
            " when no day is left."
        ),
        value=_need,
        total=_need_total,
    ),
    Column(
        key="projected_on",
        label_vi="Dự kiến hoàn thành",
        label_en="Projected",
        kind="date",
        description=(
            "The day the target would be reached at the trailing window's daily rate;"
            " null once reached or when nobody enrolled in the window."
        ),
        value=_projected,
        total=_projected_total,
    ),
)
"""The league table's columns, in the table's order."""

_BY_KEY: Final = {c.key: c for c in COLUMNS}


def column(key: str) -> Column:
    """The column with this key (the unit column's is ``"{level}"``).

    Raises:
        KeyError: no column has that key.

    Examples:
        >>> column("target").label("vi"), column("target").numeric
        ('Kế hoạch', True)
    """
    return _BY_KEY[key]


def names(report: CampaignReport) -> tuple[str, ...]:
    """The columns' keys for this report, the CSV header.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> ",".join(names(report)[:4])
        'rank,code,district,new'
    """
    return tuple(c.name(report) for c in COLUMNS)


def headings(report: CampaignReport, lang: Lang) -> tuple[str, ...]:
    """The columns' headings for this report, in a language.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> headings(report, "en")[2], headings(report, "vi")[8]
        ('District', '7 ngày')
    """
    return tuple(c.heading(report, lang) for c in COLUMNS)


def display_rows(
    report: CampaignReport, lang: Lang
) -> tuple[tuple[str, ...], list[tuple[str, ...]], tuple[str, ...]]:
    """The league table as display text: headings, one row per unit, the total row.

    Read by the terminal and Markdown tables and by the notebook's HTML table.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> headers, rows, total = display_rows(report, "en")
        >>> rows[0][2:6], total[2:6]
        (('Yên Dũng', '318', '285', '111.58%'), ('Total', '1,928', '3,285', '58.69%'))
    """
    rows = [tuple(c.text(c.get(report, row), lang) for c in COLUMNS) for row in report.units]
    total = tuple(c.text(c.get_total(report, lang), lang) for c in COLUMNS)
    return headings(report, lang), rows, total


def value_rows(report: CampaignReport, *, total: bool = False) -> list[dict[str, Value]]:
    """The league table as values by column key: counts, percents as `Decimal`, dates.

    Args:
        report: the campaign report.
        total: whether to end with the total row (named ``"Total"``).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> value_rows(report)[0]["percent"], value_rows(report, total=True)[-1]["district"]
        (Decimal('111.58'), 'Total')
    """
    keys = names(report)
    rows = [
        {key: c.cell(c.get(report, row)) for key, c in zip(keys, COLUMNS, strict=True)}
        for row in report.units
    ]
    if total:
        rows.append(
            {key: c.cell(c.get_total(report)) for key, c in zip(keys, COLUMNS, strict=True)}
        )
    return rows
