"""Counts over windows of calendar days: `Window`, `window_count`, `rolling_counts`.

Every window here includes both its ends: the bulletin's "7 days from 12/5 to 18/5" is
``Window(date(2023, 5, 12), date(2023, 5, 18))``, seven days. Days missing from a series
count 0.

Examples:
    >>> import datetime as dt
    >>> w = trailing_window(dt.date(2023, 5, 18))
    >>> w.start, w.end, w.days
    (datetime.date(2023, 5, 12), datetime.date(2023, 5, 18), 7)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import check_date, check_int, check_series, date, is_date
from bhxh_campaign.errors import InvalidValueError

__all__ = ["Window", "rolling_counts", "trailing_window", "window_count"]

_ONE_DAY = dt.timedelta(days=1)


def _not_before_start(instance: Window, attribute: attrs.Attribute[Any], value: dt.date) -> None:
    if value < instance.start:
        msg = f"end must not be before start, got start={instance.start} and end={value}"
        raise InvalidValueError(msg)


@final
@frozen
class Window:
    """A run of calendar days, both ends included.

    Attributes:
        start: the first day of the window (included).
        end: the last day of the window (included).

    Examples:
        >>> import datetime as dt
        >>> w = Window(dt.date(2023, 5, 12), dt.date(2023, 5, 18))
        >>> w.days, dt.date(2023, 5, 18) in w, dt.date(2023, 5, 19) in w
        (7, True, False)
    """

    start: dt.date = field(converter=date, validator=is_date)
    end: dt.date = field(converter=date, validator=[is_date, _not_before_start])

    @property
    def days(self) -> int:
        """The number of days in the window, both ends included."""
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        # A datetime is not a calendar day: it does not belong to a window of days.
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            return False
        return self.start <= day <= self.end

    def __iter__(self) -> Iterator[dt.date]:
        """Every day of the window, in order."""
        return (self.start + i * _ONE_DAY for i in range(self.days))


def trailing_window(end: dt.date, days: int = 7) -> Window:
    """The window of ``days`` days that ends on ``end`` (both ends included).

    Examples:
        >>> import datetime as dt
        >>> trailing_window(dt.date(2023, 5, 18), 7)
        Window(start=datetime.date(2023, 5, 12), end=datetime.date(2023, 5, 18))
    """
    end = check_date("end", end)
    days = check_int("days", days, minimum=1)
    if days - 1 > (end - dt.date.min).days:
        msg = f"days reaches before the first day of the calendar: {days!r} days ending {end}"
        raise InvalidValueError(msg, field="days")
    return Window(end - (days - 1) * _ONE_DAY, end)


def window_count(daily: Mapping[dt.date, int], start: dt.date, end: dt.date) -> int:
    """The sum of a daily series from ``start`` to ``end``, both ends included.

    Days missing from ``daily`` count 0.

    Raises:
        InvalidValueError: ``end`` is before ``start``.

    Examples:
        >>> import datetime as dt
        >>> series = {dt.date(2023, 5, 11): 5, dt.date(2023, 5, 12): 2, dt.date(2023, 5, 18): 3}
        >>> window_count(series, dt.date(2023, 5, 12), dt.date(2023, 5, 18))
        5
    """
    window = Window(check_date("start", start), check_date("end", end))
    return _sum_over(check_series("daily", daily), window)


def _sum_over(daily: Mapping[dt.date, int], window: Window) -> int:
    """The sum of an already checked series over ``window``, by the shorter walk."""
    if len(daily) <= window.days:
        return sum(count for day, count in daily.items() if day in window)
    return sum(daily.get(day, 0) for day in window)


def rolling_counts(
    daily: Mapping[dt.date, int],
    days: int = 7,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[dt.date, int]:
    """For each day ``d`` from ``start`` to ``end``, the count over ``d - days + 1 .. d``.

    Args:
        daily: counts by day; missing days count 0.
        days: the window length in days, at least 1.
        start: the first day to report; defaults to the series' first day.
        end: the last day to report, inclusive; defaults to the series' last day.

    Returns:
        One entry per day from ``start`` to ``end``, in order (empty for an empty series
        with no bounds given).

    Examples:
        >>> import datetime as dt
        >>> series = {dt.date(2023, 5, d): d for d in range(1, 5)}
        >>> list(rolling_counts(series, 2).values())
        [1, 3, 5, 7]
    """
    days = check_int("days", days, minimum=1)
    daily = check_series("daily", daily)
    if start is None or end is None:
        if not daily:
            if start is None and end is None:
                return {}
            msg = "rolling_counts of an empty series needs both start and end"
            raise InvalidValueError(msg)
        start = min(daily) if start is None else start
        end = max(daily) if end is None else end
    window = Window(check_date("start", start), check_date("end", end))
    # The calendar has no day before date.min: a window reaching past it is cut there.
    first = window.start - _ONE_DAY * min(days - 1, (window.start - dt.date.min).days)
    running = _sum_over(daily, Window(first, window.start))  # daily is checked above
    result = {window.start: running}
    for day in Window(window.start + _ONE_DAY, window.end) if window.days > 1 else ():
        running += daily.get(day, 0)
        if (day - dt.date.min).days >= days:  # the day leaving the window exists
            running -= daily.get(day - _ONE_DAY * days, 0)
        result[day] = running
    return result
