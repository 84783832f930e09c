"""`CampaignReport`: every figure of a progress bulletin, as of one day, built purely.

The report reads the compact `DailyCounts` and the plan (districts and targets); it
never sees a record. Totals and province figures are ratios of sums, never averages of
district rates.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, Target, DailyCounts
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> ds = [District(code="220", name="Sơn Động", kind="huyen", province_code="24"),
    ...       District(code="221", name="Yên Dũng", kind="huyen", province_code="24")]
    >>> ts = [Target(unit_code="220", campaign_id="c", value=150),
    ...       Target(unit_code="221", campaign_id="c", value=285)]
    >>> counts = DailyCounts(start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 2),
    ...                      grid={"220": [100, 69], "221": [200, 118]})
    >>> r = campaign_report(c, ds, ts, counts)
    >>> r.total.actual, r.total.target, r.total.percent
    (487, 435, Decimal('111.95'))
    >>> [(d.name, d.percent, d.rank_by_completion) for d in r.districts]
    [('Yên Dũng', Decimal('111.58'), 2), ('Sơn Động', Decimal('112.67'), 1)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, final

from attrs import field, frozen

from bhxh_campaign._reach import reached_at
from bhxh_campaign._report_notes import NOTE_CODES, Note, NoteValue
from bhxh_campaign._report_plan import check_plan, targets_in_force
from bhxh_campaign._report_rows import DistrictProgress, Progress, StockGoal
from bhxh_campaign._validators import check_int
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import UnknownUnitError
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.metrics import Pace, completion_rate, pace, percent, roll_up
from bhxh_campaign.model import Campaign, Province, Target, Unit, check_campaign_units
from bhxh_campaign.ranking import completion_ranks, rank
from bhxh_campaign.windows import Window, trailing_window

if TYPE_CHECKING:
    from bhxh_campaign.frames import Backend, ReportTable, Table

__all__ = [
    "NOTE_CODES",
    "CampaignReport",
    "DistrictProgress",
    "Note",
    "NoteValue",
    "Progress",
    "StockGoal",
    "campaign_report",
]


# Typed converters: ``converter=tuple`` would lose the element type under mypy.
def _rows(value: Iterable[DistrictProgress]) -> tuple[DistrictProgress, ...]:
    return tuple(value)


def _progresses(value: Iterable[Progress]) -> tuple[Progress, ...]:
    return tuple(value)


def _goals(value: Iterable[StockGoal]) -> tuple[StockGoal, ...]:
    return tuple(value)


def _pairs(value: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(value)


def _notes(value: Iterable[Note]) -> tuple[Note, ...]:
    return tuple(value)


@final
@frozen
class CampaignReport:
    """Everything a progress bulletin says, as of one day.

    Attributes:
        campaign: the campaign.
        as_of: the last day counted, inclusive.
        window: the trailing window (both ends included, clipped to the campaign's start).
        total: the whole campaign's progress.
        districts: one row per unit at the campaign's `level` (districts, or communes and
            wards), ordered by rank by actual, then code; `units` reads the same.
        provinces: one row per province, ordered by code.
        stock_goals: the stock goals given, with the new participants against each.
        excluded: records not counted: ``(reason, count)`` pairs sorted by reason, as
            `DailyCounts.exclusions` (a report is a value: `DailyCounts.excluded` gives
            the same as a dict).
        notes: remarks about the input, each a `Note` (a stable code and its data, worded
            by each renderer in its language): targets revised, a province target that
            disagrees with its units', then the records set aside, in that order.
        known_at: the day whose knowledge the report reflects (records recorded and
            cancelled by its end), or None for everything known.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> report.as_of, report.window.days, [r.name for r in report.districts[:3]]
        (datetime.date(2023, 5, 18), 7, ['Yên Dũng', 'Hiệp Hòa', 'Lục Ngạn'])
    """

    campaign: Campaign
    as_of: dt.date
    window: Window
    total: Progress
    districts: tuple[DistrictProgress, ...] = field(converter=_rows)
    provinces: tuple[Progress, ...] = field(converter=_progresses)
    stock_goals: tuple[StockGoal, ...] = field(converter=_goals)
    excluded: tuple[tuple[str, int], ...] = field(converter=_pairs)
    notes: tuple[Note, ...] = field(converter=_notes)
    known_at: dt.date | None = None

    @property
    def level(self) -> UnitLevel:
        """The level of the report's units: districts or communes and wards."""
        return self.campaign.level

    @property
    def units(self) -> tuple[DistrictProgress, ...]:
        """The league table's rows (the `districts` field, at either level)."""
        return self.districts

    def district(self, code: str) -> DistrictProgress:
        """The row of one unit (a district or a commune, at the report's level).

        Raises:
            UnknownUnitError: no unit has that code.
        """
        for row in self.districts:
            if row.code == code:
                return row
        msg = f"{self.level.label_en} {code!r} is not in the report"
        raise UnknownUnitError(msg)

    unit = district

    def by_completion(self) -> tuple[DistrictProgress, ...]:
        """The districts ordered by exact completion rate, highest first, then code."""
        return tuple(sorted(self.districts, key=lambda r: (r.rank_by_completion, r.code)))

    def table(self, name: ReportTable = "units") -> Table:
        """One of the report's tables, for dataframes (see `frames.report_table`).

        ``"units"`` is the league table, in the report's order; ``"provinces"`` and
        ``"total"`` the roll-ups. The table is read by ``pl.DataFrame(table)``,
        ``pd.DataFrame.from_arrow(table)`` and DuckDB through the Arrow PyCapsule
        interface (pyarrow needed).

        Examples:
            >>> import datetime as dt
            >>> from bhxh_campaign import load_campaign
            >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
            >>> table = report.table()
            >>> table.column("name")[0], table.column("percent")[0], len(table)
            ('Yên Dũng', 111.58, 10)
        """
        # Imported here: a report made for text or JSON never builds a table.
        from bhxh_campaign.frames import report_table  # noqa: PLC0415

        return report_table(
            name,
            as_of=self.as_of,
            units=self.districts,
            provinces=self.provinces,
            total=self.total,
        )

    def to_frame(self, backend: Backend = "pandas", *, table: ReportTable = "units") -> Any:
        """One of the report's tables as a pandas, polars or pyarrow dataframe.

        Built through narwhals (the ``dataframes`` extra); ``percent`` is a float column,
        the exact rate ``actual / target`` (see `table` and `frames.Table.to_frame`).

        Examples:
            >>> import datetime as dt
            >>> from bhxh_campaign import load_campaign
            >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
            >>> df = report.to_frame("pandas")
            >>> df.shape, str(df["percent"].dtype), float(df.loc[0, "percent"])
            ((10, 21), 'float64', 111.58)
        """
        return self.table(table).to_frame(backend)


def _completed_on(row: Sequence[int], target: int, campaign: Campaign) -> dt.date | None:
    """The first day a row's running total reached the target, as `completion_dates` finds it.

    The row is a grid's (or their roll-up), checked when the grid was built: it is searched
    without checking each count again.
    """
    at = reached_at(row, target)
    return None if at is None else campaign.start + dt.timedelta(days=at)


def _pace(actual: int, target: int, in_window: int, campaign: Campaign, window: Window) -> Pace:
    """`pace` as of the window's last day, the report's as-of day."""
    return pace(
        actual,
        target,
        start=campaign.start,
        end=campaign.end,
        as_of=window.end,
        window_count=in_window,
        window_days=window.days,
    )


def _progress(
    code: str,
    name: str,
    actual: int,
    target: int,
    row: Sequence[int],
    *,
    campaign: Campaign,
    window: Window,
    note: str | None = None,
) -> Progress:
    """The progress of a province, or of the whole campaign, from its rolled-up row."""
    rate = completion_rate(actual, target)
    in_window = sum(row[(window.start - campaign.start).days :])
    return Progress(
        code=code,
        name=name,
        actual=actual,
        target=target,
        rate=rate,
        percent=percent(rate),
        window_count=in_window,
        completed_on=_completed_on(row, target, campaign),
        pace=_pace(actual, target, in_window, campaign, window),
        target_note=note,
    )


def _stock_goals(stocks: Mapping[str, int], added: Mapping[str, int]) -> list[StockGoal]:
    """Each stock goal against the new participants of its own unit.

    That is a district's, a province's roll-up, or the whole campaign's for its scope.
    """
    goals = []
    for code, value in sorted(stocks.items()):
        if code not in added:
            msg = f"stock goal for unit {code!r}, which is not among the campaign's units"
            raise UnknownUnitError(msg)
        share = Fraction(added[code], value)
        goals.append(
            StockGoal(
                unit_code=code,
                target=value,
                new_participants=added[code],
                share=share,
                percent=percent(share),
            )
        )
    return goals


def campaign_report(
    campaign: Campaign,
    districts: Iterable[Unit],
    targets: Iterable[Target],
    counts: DailyCounts,
    *,
    window_days: int = 7,
    provinces: Iterable[Province] = (),
) -> CampaignReport:
    """Build the progress report of a campaign as of the last day of ``counts``.

    Args:
        campaign: the campaign.
        districts: the campaign's units (districts or communes, at its level, in force
            on its days); each needs a new-participant target.
        targets: targets of this campaign (others are ignored): one `Measure.NEW` target
            per district, optionally per province (when absent, a province's target is the
            sum of its districts'), and optional `Measure.STOCK` goals. A unit may have
            several versions (`Target.effective_from`): the one in force on the as-of day
            is used, and a revision is noted.
        counts: new participants per district per day, as `daily_counts` returns them;
            the report is as of ``counts.end``.
        window_days: the trailing window's length, in days.
        provinces: province names, for national campaigns' roll-ups (optional).

    Raises:
        MissingTargetError: a district has no target.
        UnknownUnitError: a target or a counted unit is not among the districts.
        InvalidValueError: a district is outside the campaign's scope, or a unit has two
            targets of the same measure in force from the same day.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> b = load_campaign("examples/bac_giang_2023")
        >>> r = campaign_report(b.campaign, b.districts, b.targets, b.counts(dt.date(2023, 5, 18)),
        ...                     window_days=3)
        >>> r.as_of, r.total.actual, r.total.percent, r.window.start, r.total.window_count
        (datetime.date(2023, 5, 18), 1928, Decimal('58.69'), datetime.date(2023, 5, 16), 572)
    """
    window_days = check_int("window_days", window_days, minimum=1)
    units = {d.code: d for d in check_campaign_units(campaign, districts)}
    as_of = counts.end
    flows, stocks, revised, notes = targets_in_force(targets, campaign, as_of)
    check_plan(campaign, units, flows, counts)

    # Clipped to the campaign's first day before any date arithmetic, so a huge
    # window_days cannot overflow the calendar.
    window = trailing_window(as_of, min(window_days, (as_of - campaign.start).days + 1))
    # Work on the grid's rows as tuples (day i of a row is counts.start + i days, the
    # campaign's first day: check_plan made sure), with sums and slices: linear in
    # units x days. A unit without a row has zeros.
    first_in_window = (window.start - counts.start).days
    width = (as_of - counts.start).days + 1
    grid = dict(counts.grid)
    zeros = (0,) * width
    codes = sorted(units)
    row = {code: grid.get(code, zeros) for code in codes}
    actual = {code: sum(row[code]) for code in codes}
    rates = {code: completion_rate(actual[code], flows[code]) for code in codes}
    completed = {
        # A unit short of its target has no completion date: its row is not searched.
        code: _completed_on(row[code], flows[code], campaign)
        if actual[code] >= flows[code]
        else None
        for code in codes
    }
    by_actual = rank(actual)
    by_rate = rank(rates)
    by_day = completion_ranks(completed)

    rows = []
    for code in sorted(codes, key=lambda c: (by_actual[c], c)):
        in_window = sum(row[code][first_in_window:])
        rows.append(
            DistrictProgress(
                code=code,
                name=units[code].name,
                kind=units[code].kind.value,
                province_code=units[code].province_code,
                actual=actual[code],
                target=flows[code],
                rate=rates[code],
                percent=percent(rates[code]),
                rank_by_actual=by_actual[code],
                rank_by_completion=by_rate[code],
                rank_by_completed_on=by_day[code],
                completed_on=completed[code],
                window_count=in_window,
                pace=_pace(actual[code], flows[code], in_window, campaign, window),
                original_target=revised[code].value if code in revised else None,
            )
        )

    # Provinces are ratios of sums: their counts and targets are their units' rolled up.
    parents = {code: units[code].province_code for code in codes}
    province_actual = roll_up(actual, parents)
    province_summed = roll_up({code: flows[code] for code in codes}, parents)
    names = {p.code: p.name for p in provinces}
    members_of: dict[str, list[str]] = {code: [] for code in province_actual}
    for code in codes:
        members_of[parents[code]].append(code)
    province_rows = []
    province_series = []
    for code, members in members_of.items():
        summed = province_summed[code]
        given = flows.get(code)
        note = None
        if given is not None and given != summed:
            note = (
                f"target of province {code} is {given}"
                f" but its {campaign.level.label_en}s' targets add up to {summed}"
            )
            notes.append(_differs(code, given, summed))
        series = _add_rows([grid[c] for c in members if c in grid], width)
        province_series.append(series)
        province_rows.append(
            _progress(
                code,
                names.get(code, ""),
                province_actual[code],
                summed if given is None else given,
                series,
                campaign=campaign,
                window=window,
                note=note,
            )
        )

    if campaign.is_national:
        total_target = sum(p.target for p in province_rows)
        total_name = ""
    else:
        total_target = province_rows[0].target if province_rows else sum(flows[c] for c in units)
        total_name = names.get(campaign.scope, "")
    total = _progress(
        campaign.scope,
        total_name,
        sum(actual.values()),
        total_target,
        _add_rows(province_series, width),
        campaign=campaign,
        window=window,
    )

    added = {**actual, **{p.code: p.actual for p in province_rows}, campaign.scope: total.actual}
    goals = _stock_goals(stocks, added)
    notes.extend(_set_aside(counts))
    return CampaignReport(
        campaign=campaign,
        as_of=as_of,
        window=window,
        total=total,
        districts=rows,
        provinces=province_rows,
        stock_goals=goals,
        excluded=counts.exclusions,
        notes=notes,
        known_at=counts.known_at,
    )


def _differs(province: str, given: int, summed: int) -> Note:
    """The note of a province's own target that differs from its units' sum."""
    data: list[tuple[str, NoteValue]] = [
        ("province_code", province),
        ("target", given),
        ("units_sum", summed),
    ]
    return Note("province_target_differs", data)


def _set_aside(counts: DailyCounts) -> list[Note]:
    """The note of the records not counted, with a count per reason (none: no note)."""
    if not counts.exclusions:
        return []
    data: list[tuple[str, NoteValue]] = [
        ("records", sum(n for _, n in counts.exclusions)),
        *counts.exclusions,
    ]
    return [Note("records_set_aside", data)]


def _add_rows(rows: Sequence[Sequence[int]], width: int) -> list[int]:
    """The day-by-day sum of rows of ``width`` days (zeros when there are none)."""
    if not rows:
        return [0] * width
    return [sum(day) for day in zip(*rows, strict=True)]
