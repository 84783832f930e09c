"""What changed between two reports: "since the last bulletin", or after late records.

`report_diff` compares two `CampaignReport` of one campaign: typically the bulletin of one
day and the next (``as_of`` moves on), or one day's bulletin as published and as known
later (``known_at`` moves on: late records, cancellations).

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import load_campaign
    >>> bundle = load_campaign("examples/bac_giang_2023")
    >>> change = report_diff(bundle.report(dt.date(2023, 5, 11)),
    ...                      bundle.report(dt.date(2023, 5, 18)))
    >>> change.total.actual_before, change.total.actual_after, change.total.actual_change
    (854, 1928, 1074)
    >>> [(d.name, d.completed_on.isoformat()) for d in change.newly_completed]
    [('Sơn Động', '2023-05-13'), ('Yên Dũng', '2023-05-16')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import final

from attrs import field, frozen

from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.report import CampaignReport, DistrictProgress

__all__ = ["DistrictChange", "ReportDiff", "TotalChange", "report_diff"]


@final
@frozen
class TotalChange:
    """How the campaign's total moved between two reports.

    Attributes:
        actual_before: new participants in the earlier report.
        actual_after: new participants in the later report.
        target_before: the target in the earlier report.
        target_after: the target in the later report (a revised plan changes it).
        percent_before: the completion percent in the earlier report.
        percent_after: the completion percent in the later report.

    Examples:
        >>> from decimal import Decimal
        >>> t = TotalChange(actual_before=854, actual_after=1928, target_before=3285,
        ...                 target_after=3285, percent_before=Decimal("26.00"),
        ...                 percent_after=Decimal("58.69"))
        >>> t.actual_change, t.percent_change
        (1074, Decimal('32.69'))
    """

    actual_before: int
    actual_after: int
    target_before: int
    target_after: int
    percent_before: Decimal
    percent_after: Decimal

    @property
    def actual_change(self) -> int:
        """``actual_after - actual_before`` (negative after cancellations)."""
        return self.actual_after - self.actual_before

    @property
    def percent_change(self) -> Decimal:
        """The change in percentage points, between the two published (rounded) percents."""
        return self.percent_after - self.percent_before


@final
@frozen
class DistrictChange:
    """How one district moved between two reports.

    Attributes:
        code: the district's code.
        name: its name.
        before: its row in the earlier report.
        after: its row in the later report.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> change = report_diff(bundle.report(dt.date(2023, 5, 11)),
        ...                      bundle.report(dt.date(2023, 5, 18))).district("221")
        >>> change.actual_change, change.rank_change, change.newly_completed
        (156, 0, True)
    """

    code: str
    name: str
    before: DistrictProgress
    after: DistrictProgress

    @property
    def actual_change(self) -> int:
        """New participants added between the reports (negative after cancellations)."""
        return self.after.actual - self.before.actual

    @property
    def percent_change(self) -> Decimal:
        """The change in percentage points, between the two published (rounded) percents."""
        return self.after.percent - self.before.percent

    @property
    def rank_change(self) -> int:
        """Places gained in the league table by count (positive: moved up)."""
        return self.before.rank_by_actual - self.after.rank_by_actual

    @property
    def newly_completed(self) -> bool:
        """Whether the district reached its target in the later report but not the earlier."""
        return self.after.reached and not self.before.reached

    @property
    def changed(self) -> bool:
        """Whether anything a bulletin shows (count, target, rank) is different."""
        b, a = self.before, self.after
        return (b.actual, b.target, b.rank_by_actual, b.rank_by_completion) != (
            a.actual,
            a.target,
            a.rank_by_actual,
            a.rank_by_completion,
        )


def _changes(value: Iterable[DistrictChange]) -> tuple[DistrictChange, ...]:
    return tuple(value)


def _pairs(value: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(value)


@final
@frozen
class ReportDiff:
    """The difference between two reports of one campaign.

    Attributes:
        campaign_id: the campaign.
        as_of_before: the earlier report's as-of day.
        as_of_after: the later report's as-of day.
        known_at_before: the earlier report's knowledge day (None: everything known).
        known_at_after: the later report's knowledge day.
        total: how the total moved.
        districts: every district, in the later report's order (rank by count, then code).
        excluded_change: ``(reason, after - before)`` for every exclusion reason whose
            tally changed, sorted by reason.
        level: the level of the units (`districts` holds districts or communes).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> d = report_diff(bundle.report(dt.date(2023, 5, 17)),
        ...                 bundle.report(dt.date(2023, 5, 18)))
        >>> d.as_of_before, d.as_of_after, len(d.changed())
        (datetime.date(2023, 5, 17), datetime.date(2023, 5, 18), 10)
    """

    campaign_id: str
    as_of_before: dt.date
    as_of_after: dt.date
    known_at_before: dt.date | None
    known_at_after: dt.date | None
    total: TotalChange
    districts: tuple[DistrictChange, ...] = field(converter=_changes)
    excluded_change: tuple[tuple[str, int], ...] = field(converter=_pairs)
    level: UnitLevel = UnitLevel.DISTRICT

    @property
    def newly_completed(self) -> tuple[DistrictProgress, ...]:
        """The later rows of districts that reached their target in between, first first."""
        done = [d.after for d in self.districts if d.newly_completed]
        return tuple(sorted(done, key=lambda r: (r.completed_on or dt.date.max, r.code)))

    def changed(self) -> tuple[DistrictChange, ...]:
        """The districts whose count, target or ranks changed."""
        return tuple(d for d in self.districts if d.changed)

    def district(self, code: str) -> DistrictChange:
        """The change of one district.

        Raises:
            UnknownUnitError: no district has that code.
        """
        for change in self.districts:
            if change.code == code:
                return change
        msg = f"{self.level.label_en} {code!r} is not in the reports"
        raise UnknownUnitError(msg)


def report_diff(before: CampaignReport, after: CampaignReport) -> ReportDiff:
    """What changed from one report to another of the same campaign.

    Args:
        before: the earlier report (e.g. the last bulletin).
        after: the later report.

    Raises:
        InvalidValueError: the reports are of different campaigns or districts.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> same = bundle.report(dt.date(2023, 5, 18))
        >>> report_diff(same, same).changed(), report_diff(same, same).total.actual_change
        ((), 0)
    """
    if before.campaign != after.campaign:
        msg = (
            f"reports are of different campaigns: {before.campaign.id!r} and {after.campaign.id!r}"
        )
        raise InvalidValueError(msg)
    rows_before = {r.code: r for r in before.districts}
    rows_after = {r.code: r for r in after.districts}
    if rows_before.keys() != rows_after.keys():
        only = sorted(rows_before.keys() ^ rows_after.keys())
        msg = f"reports have different districts: {', '.join(only)} in only one"
        raise InvalidValueError(msg)
    excluded_before, excluded_after = dict(before.excluded), dict(after.excluded)
    excluded = {
        reason: excluded_after.get(reason, 0) - excluded_before.get(reason, 0)
        for reason in excluded_before.keys() | excluded_after.keys()
    }
    return ReportDiff(
        campaign_id=after.campaign.id,
        as_of_before=before.as_of,
        as_of_after=after.as_of,
        known_at_before=before.known_at,
        known_at_after=after.known_at,
        total=TotalChange(
            actual_before=before.total.actual,
            actual_after=after.total.actual,
            target_before=before.total.target,
            target_after=after.total.target,
            percent_before=before.total.percent,
            percent_after=after.total.percent,
        ),
        districts=[
            DistrictChange(code=row.code, name=row.name, before=rows_before[row.code], after=row)
            for row in after.districts
        ],
        excluded_change=sorted((k, v) for k, v in excluded.items() if v),
        level=after.level,
    )
