"""Stock as well as flow: participants on a day, against a stock goal.

A campaign counts a *flow* (new participants added, like 1,928 against 3,285); a year's
goal is often a *stock* (everyone participating on a day, like Bắc Giang's 52,139 for
2023). The stock on a day is a known level on a reference day plus what was added and
minus what left since, both ends counted once: days after the reference day, up to and
including the day asked for. Exits are optional: without them the stock is an upper
bound, and `StockPosition.exits_known` says so.

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
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import final

from attrs import frozen

from bhxh_campaign._validators import check_date, check_int, check_series
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.metrics import percent

__all__ = ["StockPosition", "stock_on"]


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
