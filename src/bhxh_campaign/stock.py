"""Stock as well as flow: participants on a day, against a stock goal.

A campaign counts a *flow* (new participants added, like 1,928 against 3,285); a year's
goal is often a *stock* (everyone participating on a day, like Bắc Giang's 52,139 for
2023). The stock on a day is a known level on a reference day plus what was added and
minus what left since, both ends counted once: days after the reference day, up to and
including the day asked for. Exits are optional: without them the stock is an upper
bound, and `StockPosition.exits_known` says so.

A `StockBaseline` is such a known level (a campaign folder's ``stocks.csv``);
`stock_positions` sets the latest one of each stock goal's unit against the report's
counts, giving the `StockPosition` the renderers compare with the goal.

Examples:
    >>> import datetime as dt
    >>> # An illustrative level, not a published one: 50,000 on 30/04/2023.
    >>> added = {dt.date(2023, 5, 1): 100, dt.date(2023, 5, 2): 50}
    >>> p = stock_on(dt.date(2023, 5, 2), baseline=50_000, baseline_on=dt.date(2023, 4, 30),
    ...              added=added, exited={dt.date(2023, 5, 2): 30}, goal=52_139)
    >>> p.participants, p.remaining, p.percent
    (50120, 2019, Decimal('96.13'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import (
    check_date,
    check_int,
    check_series,
    date,
    is_date,
    is_text,
    text,
)
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.metrics import percent
from bhxh_campaign.model import _target_unit
from bhxh_campaign.report import CampaignReport

__all__ = ["StockBaseline", "StockPosition", "stock_on", "stock_positions"]


@final
@frozen
class StockPosition:
    """Participants on a day, how they came about, and the goal they are measured against.

    Attributes:
        day: the day, counted through its end.
        baseline_on: the reference day of the known level.
        baseline: participants at the end of ``baseline_on``.
        added: participants added after ``baseline_on`` through ``day``.
        exited: participants who left in that time (0 when exits are not given).
        exits_known: whether exits were given; if not, ``participants`` is an upper bound.
        participants: ``baseline + added - exited``.
        goal: the stock goal, or None.

    Examples:
        >>> import datetime as dt
        >>> p = StockPosition(day=dt.date(2023, 5, 18), baseline_on=dt.date(2022, 12, 31),
        ...                   baseline=50_000, added=1_928, exited=0, exits_known=False,
        ...                   participants=51_928, goal=52_139)
        >>> p.rate, p.reached
        (Fraction(51928, 52139), False)
    """

    day: dt.date
    baseline_on: dt.date
    baseline: int
    added: int
    exited: int
    exits_known: bool
    participants: int
    goal: int | None

    @property
    def rate(self) -> Fraction | None:
        """``participants / goal``, exact; None without a goal."""
        return None if self.goal is None else Fraction(self.participants, self.goal)

    @property
    def percent(self) -> Decimal | None:
        """``100 x rate``, rounded half-up to two decimals; None without a goal."""
        rate = self.rate
        return None if rate is None else percent(rate)

    @property
    def remaining(self) -> int | None:
        """Participants still missing to reach the goal (0 once reached); None without one."""
        return None if self.goal is None else max(self.goal - self.participants, 0)

    @property
    def reached(self) -> bool:
        """Whether the goal is reached, on exact counts (False without a goal)."""
        return self.goal is not None and self.participants >= self.goal


def _flow(name: str, series: Mapping[dt.date, int], after: dt.date, through: dt.date) -> int:
    return sum(count for day, count in check_series(name, series).items() if after < day <= through)


def stock_on(
    day: dt.date,
    *,
    baseline: int,
    baseline_on: dt.date,
    added: Mapping[dt.date, int],
    exited: Mapping[dt.date, int] | None = None,
    goal: int | None = None,
) -> StockPosition:
    """Participants at the end of ``day``, from a known level and the flows since.

    Args:
        day: the day asked for, on or after ``baseline_on``.
        baseline: participants at the end of ``baseline_on``.
        baseline_on: the reference day of ``baseline``.
        added: new participants by day, e.g. ``DailyCounts.series()``; days on or before
            ``baseline_on`` and after ``day`` are ignored.
        exited: participants who left, by day, where known.
        goal: a stock goal, such as 52,139 participants in 2023.

    Raises:
        InvalidValueError: ``day`` is before ``baseline_on``; a count or the baseline is
            negative; the goal is not above zero; or more left than there were.

    Examples:
        >>> import datetime as dt
        >>> p = stock_on(dt.date(2023, 5, 18), baseline=100, baseline_on=dt.date(2023, 5, 1),
        ...              added={dt.date(2023, 5, 1): 7, dt.date(2023, 5, 2): 3})
        >>> p.added, p.participants, p.exits_known, p.goal
        (3, 103, False, None)
    """
    day, baseline_on = check_date("day", day), check_date("baseline_on", baseline_on)
    if day < baseline_on:
        msg = f"day {day} is before the baseline's day {baseline_on}"
        raise InvalidValueError(msg, field="day")
    baseline = check_int("baseline", baseline, minimum=0)
    if goal is not None:
        goal = check_int("goal", goal, minimum=1)
    joined = _flow("added", added, baseline_on, day)
    left = 0 if exited is None else _flow("exited", exited, baseline_on, day)
    participants = baseline + joined - left
    if participants < 0:
        msg = (
            f"more participants left ({left}) than there were ({baseline} on {baseline_on}"
            f" plus {joined} added) by {day}"
        )
        raise InvalidValueError(msg, field="exited")
    return StockPosition(
        day=day,
        baseline_on=baseline_on,
        baseline=baseline,
        added=joined,
        exited=left,
        exits_known=exited is not None,
        participants=participants,
        goal=goal,
    )


def _at_least_zero(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{attribute.name} must be a whole number of at least 0, got {value!r}"
        raise InvalidValueError(msg, field=attribute.name)


@final
@frozen
class StockBaseline:
    """A known stock: the participants of a unit at the end of a day (a level).

    What a BHXH office reports as "số người đang tham gia" on a day. With the campaign's
    new participants after that day it gives the stock on a later day (`stock_on`).

    Attributes:
        unit_code: the unit of a stock goal: the province, or a district or commune.
        participants: everyone taking part at the end of ``on``, a whole number.
        on: the day of the level, counted through its end.

    Examples:
        >>> import datetime as dt
        >>> StockBaseline(unit_code="24", participants=50_000, on=dt.date(2023, 4, 30))
        StockBaseline(unit_code='24', participants=50000, on=datetime.date(2023, 4, 30))
        >>> try:
        ...     StockBaseline(unit_code="24", participants=-1, on=dt.date(2023, 4, 30))
        ... except ValueError as error:
        ...     print(error.field, error)
        participants participants must be a whole number of at least 0, got -1
    """

    unit_code: str = field(converter=text, validator=[is_text, _target_unit])
    participants: int = field(validator=_at_least_zero)
    on: dt.date = field(converter=date, validator=is_date)


def _members(report: CampaignReport, code: str) -> list[str]:
    """The units of the report whose new participants a stock goal's unit adds up."""
    rows = report.districts
    if code == report.campaign.scope:
        return [row.code for row in rows]
    members = [row.code for row in rows if code in {row.code, row.province_code}]
    if not members:  # pragma: no cover - campaign_report refuses such a goal first
        msg = f"stock of unit {code!r}, which is not among the report's units or provinces"
        raise UnknownUnitError(msg)
    return members


def _added(counts: DailyCounts, members: list[str]) -> dict[dt.date, int]:
    """New participants of ``members`` by day (a unit without a row of counts has none)."""
    rows = [counts.row(code) for code in members if code in counts.units]
    return {day: sum(row[i] for row in rows) for i, day in enumerate(counts.days)}


def stock_positions(
    report: CampaignReport, counts: DailyCounts, baselines: Iterable[StockBaseline]
) -> dict[str, StockPosition]:
    """The participants on the report's day, for each stock goal given a known level.

    For each unit, the latest baseline on or before the as-of day is taken, plus the
    new participants of the unit (a province's or the campaign's are its units' added
    up) after that day (`stock_on`). Exits are not in the records: each stock is an upper
    bound (``exits_known`` is False). A unit whose every baseline is after the as-of day
    has no stock on that day and no entry: its goal is then stated without one, as the
    renderers say.

    Args:
        report: the campaign report, whose stock goals the stocks are set against.
        counts: the counts the report was made from (the campaign's first day through
            its as-of day).
        baselines: known levels, several days per unit allowed.

    Raises:
        UnknownUnitError: a baseline is of a unit that has no stock goal in the report.
        InvalidValueError: ``counts`` are not of the report's days; a unit's stock is
            given twice for one day; or a baseline is of a day before the eve of the
            campaign (the new participants between that day and the campaign are not
            counted, so the stock cannot be known).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> day = dt.date(2023, 5, 18)
        >>> known = StockBaseline(unit_code="24", participants=50_000,  # illustrative
        ...                       on=dt.date(2023, 4, 30))
        >>> p = stock_positions(bundle.report(day), bundle.counts(day), [known])["24"]
        >>> p.baseline, p.added, p.participants, p.percent, p.exits_known
        (50000, 1928, 51928, Decimal('99.60'), False)
    """
    campaign, as_of = report.campaign, report.as_of
    if (counts.start, counts.end) != (campaign.start, as_of):
        msg = (
            f"the counts run from {counts.start} to {counts.end}, the report's days from"
            f" {campaign.start} to {as_of}: give the counts the report was made from"
        )
        raise InvalidValueError(msg, field="counts")
    goals = {goal.unit_code: goal.target for goal in report.stock_goals}
    eve = campaign.start - dt.timedelta(days=1)
    latest: dict[str, StockBaseline] = {}
    seen: set[tuple[str, dt.date]] = set()
    for baseline in baselines:
        code = baseline.unit_code
        if (code, baseline.on) in seen:
            msg = f"the stock of unit {code!r} on {baseline.on} is given twice"
            raise InvalidValueError(msg, field="on")
        seen.add((code, baseline.on))
        if code not in goals:
            msg = f"a stock is given for unit {code!r}, which has no stock goal in the report"
            raise UnknownUnitError(msg)
        if baseline.on < eve:
            msg = (
                f"the stock of unit {code!r} is of {baseline.on}, before the eve of the"
                f" campaign ({eve}): the new participants in between are not counted"
            )
            raise InvalidValueError(msg, field="on")
        if baseline.on <= as_of and (code not in latest or latest[code].on < baseline.on):
            latest[code] = baseline
    return {
        code: stock_on(
            as_of,
            baseline=known.participants,
            baseline_on=known.on,
            added=_added(counts, _members(report, code)),
            goal=goals[code],
        )
        for code, known in sorted(latest.items())
    }
