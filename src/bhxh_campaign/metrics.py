"""Exact campaign metrics: completion rates, percents, cumulative series, dates and pace.

Rates are `fractions.Fraction` and never rounded; `percent` rounds once, for display,
half-up by default (58.685 -> 58.69, where binary floats and Babel's half-even give 58.68).
Whether a unit "reached" its target is decided on exact counts.

Examples:
    >>> percent(completion_rate(1928, 3285))
    Decimal('58.69')
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Hashable, Mapping
from fractions import Fraction
from typing import SupportsIndex, TypeVar, final

from attrs import frozen

from bhxh_campaign._reach import reached_at
from bhxh_campaign._validators import check_date, check_int, check_series
from bhxh_campaign._validators import whole as as_whole
from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.windows import Window

__all__ = [
    "Pace",
    "PlanStatus",
    "completion_dates",
    "completion_rate",
    "cumulative",
    "pace",
    "percent",
    "roll_up",
]

K = TypeVar("K", bound=Hashable)
P = TypeVar("P", bound=Hashable)

_ONE_DAY = dt.timedelta(days=1)
_ROUNDINGS = frozenset(
    {
        decimal.ROUND_05UP,
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
    }
)


def completion_rate(actual: SupportsIndex, target: SupportsIndex) -> Fraction:
    """The exact share of a target achieved: ``actual / target``.

    Counts are whole numbers: ints, or numpy and pandas integers (``np.int64(272)``, a
    pandas sum); a float or a bool is refused.

    Raises:
        InvalidValueError: ``actual`` is negative or ``target`` is not above zero.

    Examples:
        >>> completion_rate(318, 285)
        Fraction(106, 95)
    """
    actual = check_int("actual", actual, minimum=0)
    target = check_int("target", target, minimum=1)
    return Fraction(actual, target)


def percent(
    rate: Fraction | SupportsIndex,
    places: int = 2,
    rounding: str = decimal.ROUND_HALF_UP,
) -> decimal.Decimal:
    """``100 x rate`` as a `decimal.Decimal`, rounded once to ``places`` decimals.

    The rounding is exact for every rounding mode of `decimal`: the fraction is never
    turned into a float or a truncated decimal first.

    Args:
        rate: an exact rate, such as `completion_rate` returns.
        places: decimals to keep, 0 or more.
        rounding: a `decimal` rounding mode; half-up by default, as published figures are.

    Examples:
        >>> percent(completion_rate(169, 150))
        Decimal('112.67')
        >>> half = Fraction(11737, 20000)  # 58.685% exactly
        >>> percent(half), percent(half, rounding="ROUND_HALF_EVEN")
        (Decimal('58.69'), Decimal('58.68'))
    """
    places = check_int("places", places, minimum=0)
    if rounding not in _ROUNDINGS:
        msg = f"rounding must be one of decimal's ROUND_* modes, got {rounding!r}"
        raise InvalidValueError(msg, field="rounding")
    rate = as_whole(rate)  # type: ignore[assignment]  # a numpy or pandas integer is an int
    if isinstance(rate, bool) or not isinstance(rate, Fraction | int):
        msg = f"rate must be a Fraction or an int, got {rate!r}"
        raise InvalidValueError(msg)
    # 100 x 10**places x rate, split into its whole part and the rest, in integers: the
    # fraction need not be reduced (an int is itself over 1).
    numerator, denominator = rate.numerator, rate.denominator
    whole, rest = divmod(abs(numerator) * 10 ** (places + 2), denominator)
    # One digit after the point is enough for every rounding mode to decide exactly:
    # 0 (exact), 2 (below half), 5 (exactly half) or 7 (above half).
    tail = 0 if rest == 0 else 2 if 2 * rest < denominator else 5 if 2 * rest == denominator else 7
    sign = "-" if numerator < 0 else ""
    # Rounded once, to exactly ``places`` decimals (quantize keeps "0.00" from printing as
    # "0E-2"), in a context of its own: precise enough whatever the caller's context says.
    exact = decimal.Context(prec=len(str(whole)) + places + 2)
    return decimal.Decimal(f"{sign}{whole}.{tail}E-{places}").quantize(
        decimal.Decimal(1).scaleb(-places, exact), rounding=rounding, context=exact
    )


def cumulative(
    daily: Mapping[dt.date, int],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[dt.date, int]:
    """Running totals of a daily series, one entry per calendar day.

    Counting starts at ``start`` (days before it are ignored) and the result has every day
    from ``start`` to ``end``, both included; missing days count 0.

    Args:
        daily: counts by day.
        start: the first day; defaults to the series' first day.
        end: the last day, inclusive; defaults to the series' last day.

    Examples:
        >>> import datetime as dt
        >>> series = {dt.date(2023, 5, 1): 2, dt.date(2023, 5, 3): 1}
        >>> list(cumulative(series).values())
        [2, 2, 3]
    """
    daily = check_series("daily", daily)
    if not daily and (start is None or end is None):
        return {}
    first = min(daily) if start is None else check_date("start", start)
    last = max(daily) if end is None else check_date("end", end)
    if last < first:
        return {}
    running = 0
    result: dict[dt.date, int] = {}
    for day in Window(first, last):
        running += daily.get(day, 0)
        result[day] = running
    return result


def completion_dates(
    daily: Mapping[K, Mapping[dt.date, int]],
    targets: Mapping[K, int],
) -> dict[K, dt.date | None]:
    """The first day each unit's cumulative count reached its target (None if never).

    Reaching means ``cumulative >= target``, on exact counts; a day left out of a series
    counts 0. A report finds its units' days the same way, on their rows.

    Raises:
        UnknownUnitError: a unit in ``daily`` has no target.
        InvalidValueError: a target is not above zero, or a count is not a whole number
            of at least 0.

    Examples:
        >>> import datetime as dt
        >>> days = {"220": {dt.date(2023, 5, 1): 2, dt.date(2023, 5, 2): 1},
        ...         "221": {dt.date(2023, 5, 1): 1}}
        >>> completion_dates(days, {"220": 3, "221": 2})
        {'220': datetime.date(2023, 5, 2), '221': None}
    """
    result: dict[K, dt.date | None] = {}
    for unit, series in daily.items():
        if unit not in targets:
            msg = f"unit {unit!r} has no target"
            raise UnknownUnitError(msg)
        target = check_int(f"target of {unit!r}", targets[unit], minimum=1)
        checked = check_series(f"daily[{unit!r}]", series)
        days = sorted(checked)
        at = reached_at([checked[day] for day in days], target)
        result[unit] = None if at is None else days[at]
    return result


class PlanStatus(enum.StrEnum):
    """Where a unit stands against a straight-line plan.

    Examples:
        >>> PlanStatus.AHEAD.value
        'ahead'
    """

    AHEAD = "ahead"  # more than the plan to date
    ON_TRACK = "on_track"  # exactly the plan to date
    BEHIND = "behind"  # less than the plan to date


@final
@frozen
class Pace:
    """How fast a unit is going and what it needs to finish on time.

    Attributes:
        actual: new participants through the as-of day.
        target: the target.
        remaining: how many are still missing (0 once the target is reached).
        days_left: days after the as-of day up to the campaign's last day, inclusive.
        required_per_day: the exact daily rate needed to finish on the last day; 0 once
            reached; None when no day is left and the target is not reached.
        recent_per_day: the exact daily rate over the trailing window.
        projected_on: the day the target would be reached at ``recent_per_day``; None
            when already reached, when that rate is 0, or when that day would fall after
            the last day of the calendar (`datetime.date.max`).
        planned_to_date: the straight-line plan, ``target x elapsed days / campaign days``.
        status: ahead of, on, or behind that plan.

    Examples:
        >>> import datetime as dt
        >>> p = pace(1928, 3285, start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31),
        ...          as_of=dt.date(2023, 5, 18), window_count=1074)
        >>> p.remaining, p.days_left, p.required_per_day, p.projected_on, p.status.value
        (1357, 13, Fraction(1357, 13), datetime.date(2023, 5, 27), 'ahead')
    """

    actual: int
    target: int
    remaining: int
    days_left: int
    required_per_day: Fraction | None
    recent_per_day: Fraction
    projected_on: dt.date | None
    planned_to_date: Fraction
    status: PlanStatus

    @property
    def reached(self) -> bool:
        """Whether the target is reached (exactly, not after rounding)."""
        return self.remaining == 0


def pace(
    actual: int,
    target: int,
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    window_count: int,
    window_days: int = 7,
) -> Pace:
    """Pace to target as of the end of ``as_of``.

    Args:
        actual: new participants from ``start`` through ``as_of``.
        target: the target, above zero.
        start: the campaign's first day.
        end: the campaign's last day, inclusive.
        as_of: the day the figures are counted through, inclusive, within the campaign.
        window_count: new participants in the trailing window ending on ``as_of``.
        window_days: that window's length in days.

    Examples:
        >>> import datetime as dt
        >>> p = pace(169, 150, start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31),
        ...          as_of=dt.date(2023, 5, 18), window_count=60)
        >>> p.reached, p.required_per_day, p.projected_on
        (True, Fraction(0, 1), None)
    """
    actual = check_int("actual", actual, minimum=0)  # numpy and pandas integers: ints
    target = check_int("target", target, minimum=1)
    start, end, as_of = (
        check_date("start", start),
        check_date("end", end),
        check_date("as_of", as_of),
    )
    if not start <= as_of <= end:
        msg = f"as_of {as_of} must be within the campaign, {start} to {end}"
        raise InvalidValueError(msg)
    window_count = check_int("window_count", window_count, minimum=0)
    window_days = check_int("window_days", window_days, minimum=1)

    remaining = max(target - actual, 0)
    days_left = (end - as_of).days
    required: Fraction | None
    if remaining == 0:
        required = Fraction(0)
    elif days_left == 0:
        required = None
    else:
        required = Fraction(remaining, days_left)
    recent = Fraction(window_count, window_days)
    projected = None
    if remaining and window_count:
        # The ceiling of remaining / recent, in whole numbers.
        days_needed = -(-remaining * window_days // window_count)
        if days_needed <= (dt.date.max - as_of).days:  # else past the calendar's end
            projected = as_of + days_needed * _ONE_DAY
    elapsed = (as_of - start).days + 1
    length = (end - start).days + 1
    planned = Fraction(target * elapsed, length)
    # actual against target * elapsed / length, compared in whole numbers.
    ahead = actual * length - target * elapsed
    status = (
        PlanStatus.AHEAD if ahead > 0 else PlanStatus.BEHIND if ahead < 0 else PlanStatus.ON_TRACK
    )
    return Pace(
        actual=actual,
        target=target,
        remaining=remaining,
        days_left=days_left,
        required_per_day=required,
        recent_per_day=recent,
        projected_on=projected,
        planned_to_date=planned,
        status=status,
    )


def roll_up(values: Mapping[K, int], parents: Mapping[K, P]) -> dict[P, int]:
    """Add up child units' counts (or targets) into their parent units.

    Rates of parents are computed from these sums (a ratio of sums), never by averaging
    the children's rates.

    Raises:
        UnknownUnitError: a child has no parent.
        InvalidValueError: a value is not a whole number of at least 0.

    Examples:
        >>> roll_up({"220": 169, "221": 318, "101": 5}, {"220": "24", "221": "24", "101": "01"})
        {'01': 5, '24': 487}
    """
    result: dict[P, int] = {}
    for child, value in values.items():
        if child not in parents:
            msg = f"unit {child!r} has no parent unit"
            raise UnknownUnitError(msg)
        if type(value) is not int or value < 0:
            # Only a bad value is checked by name: a report rolls up hundreds of units.
            value = check_int(f"values[{child!r}]", value, minimum=0)  # noqa: PLW2901 - as int
        parent = parents[child]
        result[parent] = result.get(parent, 0) + value
    return dict(sorted(result.items(), key=lambda item: str(item[0])))
