"""The rows of a `CampaignReport`: a unit's progress, a league-table row, a stock goal.

They are defined here and re-exported by `bhxh_campaign.report`, where they belong.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import final

from attrs import frozen

from bhxh_campaign.metrics import Pace

__all__ = ["DistrictProgress", "Progress", "StockGoal"]


@final
@frozen
class Progress:
    """Progress of a province, or of the whole campaign, against its target.

    Attributes:
        code: the province code, or the campaign's scope for the total.
        name: the unit's name ("" when not known).
        actual: new participants through the as-of day.
        target: the target of new participants.
        rate: ``actual / target``, exact.
        percent: ``100 x rate``, rounded half-up to two decimals.
        window_count: new participants in the report's trailing window.
        completed_on: the first day the cumulative count reached the target, or None.
        pace: pace to target.
        target_note: set when a given target disagrees with the sum of its districts'.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> total = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18)).total
        >>> total.actual, total.target, total.percent, total.window_count, total.reached
        (1928, 3285, Decimal('58.69'), 1074, False)
    """

    code: str
    name: str
    actual: int
    target: int
    rate: Fraction
    percent: Decimal
    window_count: int
    completed_on: dt.date | None
    pace: Pace
    target_note: str | None = None

    @property
    def reached(self) -> bool:
        """Whether the target is reached (on exact counts)."""
        return self.actual >= self.target


@final
@frozen
class DistrictProgress:
    """One row of the district league table.

    Attributes:
        code: the district's GSO code.
        name: the district's name.
        kind: the district's kind (huyện, thành phố, ...), as the `UnitKind` value: text,
            not the enum `District.kind` is, because rows are what the JSON contract
            writes.
        province_code: its province's code.
        actual: new participants through the as-of day.
        target: its target of new participants.
        rate: ``actual / target``, exact.
        percent: ``100 x rate``, rounded half-up to two decimals.
        rank_by_actual: competition rank by ``actual``, most first.
        rank_by_completion: competition rank by the exact ``rate``, highest first.
        rank_by_completed_on: competition rank by ``completed_on``, earliest first;
            districts that have not reached their target share the last rank.
        completed_on: the first day its cumulative count reached its target, or None.
        window_count: new participants in the report's trailing window.
        pace: pace to target.
        original_target: when a revised (supplemented) target is in force on the as-of
            day, the first target it replaced; otherwise None.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> row = report.district("220")
        >>> row.name, row.actual, row.target, row.percent, row.rank_by_completion, row.completed_on
        ('Sơn Động', 169, 150, Decimal('112.67'), 1, datetime.date(2023, 5, 13))
    """

    code: str
    name: str
    kind: str
    province_code: str
    actual: int
    target: int
    rate: Fraction
    percent: Decimal
    rank_by_actual: int
    rank_by_completion: int
    rank_by_completed_on: int
    completed_on: dt.date | None
    window_count: int
    pace: Pace
    original_target: int | None = None

    @property
    def reached(self) -> bool:
        """Whether the target is reached (on exact counts)."""
        return self.actual >= self.target


@final
@frozen
class StockGoal:
    """A stock goal (participants on a date) and the campaign's new participants against it.

    The share is *not* a completion rate: the goal counts everyone participating, the
    campaign only those it added.

    Attributes:
        unit_code: the unit the goal belongs to.
        target: the goal, e.g. 52,139 participants in 2023.
        new_participants: new participants the campaign added through the as-of day.
        share: ``new_participants / target``, exact.
        percent: ``100 x share``, rounded half-up to two decimals.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> goal = report.stock_goals[0]
        >>> goal.target, goal.new_participants, goal.percent
        (52139, 1928, Decimal('3.70'))
    """

    unit_code: str
    target: int
    new_participants: int
    share: Fraction
    percent: Decimal
