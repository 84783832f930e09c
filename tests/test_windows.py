"""Tests of `Window`, `trailing_window`, `window_count` and `rolling_counts`."""

from __future__ import annotations

import datetime as dt
import itertools
import pickle
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign import (
    InvalidValueError,
    Window,
    cumulative,
    rolling_counts,
    trailing_window,
    window_count,
)
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.strategies import daily_series

ONE_DAY = dt.timedelta(days=1)
BULLETIN_DAY = dt.date(2023, 5, 18)
DAYS = st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31))

Series = dict[dt.date, int]


def plain_sum(daily: Mapping[dt.date, int], start: dt.date, end: dt.date) -> int:
    """The oracle: add up every day of the series with start <= day <= end."""
    total = 0
    for day, count in daily.items():
        if start <= day <= end:
            total += count
    return total


@st.composite
def series_and_window(draw: st.DrawFn) -> tuple[Series, dt.date, dt.date]:
    """A daily series and a window that overlaps it, touches it, or misses it."""
    series = draw(daily_series())
    anchor = min(series) if series else draw(DAYS)
    start = anchor + draw(st.integers(-15, 50)) * ONE_DAY
    end = start + draw(st.integers(0, 60)) * ONE_DAY
    return series, start, end


@st.composite
def windows(draw: st.DrawFn) -> Window:
    """Windows of 1 to 60 days."""
    start = draw(DAYS)
    return Window(start, start + draw(st.integers(0, 59)) * ONE_DAY)


class TestWindow:
    """`Window`: a run of calendar days, both ends included."""

    @given(windows())
    def test_iterates_consecutive_days(self, window: Window) -> None:
        """Iteration yields `days` consecutive dates from start to end."""
        days = list(window)
        assert len(days) == window.days
        assert days[0] == window.start
        assert days[-1] == window.end
        assert all(b - a == ONE_DAY for a, b in itertools.pairwise(days))

    @given(windows(), st.integers(-40, 100))
    def test_contains(self, window: Window, offset: int) -> None:
        """A day is in the window exactly when start <= day <= end, both ends included."""
        day = window.start + offset * ONE_DAY
        assert (day in window) == (window.start <= day <= window.end)
        assert window.start in window
        assert window.end in window
        assert (window.start - ONE_DAY) not in window
        assert (window.end + ONE_DAY) not in window

    @pytest.mark.parametrize("thing", [None, "2023-05-12", 20230512, (2023, 5, 12)])
    def test_contains_non_dates(self, thing: object) -> None:
        """Things that are not dates are never in a window."""
        assert thing not in Window(dt.date(2023, 5, 12), dt.date(2023, 5, 18))

    def test_bulletin_week(self) -> None:
        """12/5 to 18/5 is seven days, both ends included."""
        window = Window(dt.date(2023, 5, 12), dt.date(2023, 5, 18))
        assert window.days == 7
        assert dt.date(2023, 5, 12) in window
        assert dt.date(2023, 5, 18) in window
        assert dt.date(2023, 5, 19) not in window

    @given(DAYS, st.integers(1, 400))
    def test_end_before_start_raises(self, start: dt.date, days_before: int) -> None:
        """A window that ends before it starts is refused."""
        with pytest.raises(InvalidValueError):
            Window(start, start - days_before * ONE_DAY)

    @given(DAYS)
    def test_one_day(self, day: dt.date) -> None:
        """A window may start and end on the same day: one day long."""
        assert list(Window(day, day)) == [day]

    @given(windows())
    def test_value_semantics(self, window: Window) -> None:
        """Frozen, equal copies hash equal, and pickling round-trips."""
        copy = Window(window.start, window.end)
        assert copy == window
        assert hash(copy) == hash(window)
        assert pickle.loads(pickle.dumps(window)) == window
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            window.start = window.end  # type: ignore[misc]


class TestTrailingWindow:
    """`trailing_window`: the ``days`` days that end on a given day."""

    @given(DAYS)
    def test_default_is_seven_days(self, end: dt.date) -> None:
        """The default window is seven days and starts six days before its end."""
        window = trailing_window(end)
        assert window == trailing_window(end, 7)
        assert window.start == end - 6 * ONE_DAY
        assert window.end == end
        assert window.days == 7

    @given(DAYS, st.integers(1, 400))
    def test_length_and_end(self, end: dt.date, days: int) -> None:
        """The window has ``days`` days and ends on ``end``."""
        window = trailing_window(end, days)
        assert window.days == days
        assert window.end == end
        assert window.start == end - (days - 1) * ONE_DAY

    @pytest.mark.parametrize("days", [0, -1, -7])
    def test_days_below_one_raises(self, days: int) -> None:
        """A window of zero or fewer days is refused."""
        with pytest.raises(InvalidValueError):
            trailing_window(BULLETIN_DAY, days)

    @pytest.mark.parametrize("days", [True, 7.0, "7"])
    def test_days_not_whole_number_raises(self, days: object) -> None:
        """A length that is not a whole number is refused."""
        with pytest.raises(InvalidValueError):
            trailing_window(BULLETIN_DAY, days)  # type: ignore[arg-type]

    def test_datetime_end_raises(self) -> None:
        """A datetime, whose day depends on a zone, is refused as the end."""
        with pytest.raises(InvalidValueError):
            trailing_window(dt.datetime(2023, 5, 18, 12, tzinfo=dt.UTC))

    def test_bulletin_week(self) -> None:
        """The seven days to 18/5 start on 12/5."""
        assert trailing_window(BULLETIN_DAY, 7) == Window(dt.date(2023, 5, 12), BULLETIN_DAY)


class TestWindowCount:
    """`window_count`: the sum of a daily series over a window, both ends included."""

    @given(series_and_window())
    def test_matches_plain_sum(self, case: tuple[Series, dt.date, dt.date]) -> None:
        """It equals a plain sum over the days d with start <= d <= end."""
        series, start, end = case
        assert window_count(series, start, end) == plain_sum(series, start, end)

    @given(daily_series(), DAYS)
    def test_seven_one_day_windows_make_the_week(self, series: Series, any_day: dt.date) -> None:
        """Seven one-day windows add up to the seven-day window."""
        end = max(series) if series else any_day
        week = trailing_window(end, 7)
        days = sum(window_count(series, day, day) for day in week)
        assert days == window_count(series, week.start, week.end)

    @given(series_and_window(), st.integers(0, 60))
    def test_adjacent_windows_add_up(
        self, case: tuple[Series, dt.date, dt.date], split: int
    ) -> None:
        """Splitting a window in two adjacent windows keeps the sum."""
        series, start, end = case
        middle = min(start + split * ONE_DAY, end)
        left = window_count(series, start, middle)
        right = window_count(series, middle + ONE_DAY, end) if middle < end else 0
        assert left + right == window_count(series, start, end)

    @given(series_and_window())
    def test_difference_of_cumulative(self, case: tuple[Series, dt.date, dt.date]) -> None:
        """It is the cumulative count at the end minus the cumulative count the day before."""
        series, start, end = case
        first = min([start, *series])
        running = cumulative(series, start=first, end=end)
        before = start - ONE_DAY
        # When the window starts on or before the series' first day, nothing came before it.
        at_before = running[before] if before >= first else 0
        assert window_count(series, start, end) == running[end] - at_before

    @given(series_and_window())
    def test_missing_days_count_zero(self, case: tuple[Series, dt.date, dt.date]) -> None:
        """Filling the gaps of the series with zeros changes nothing."""
        series, start, end = case
        filled = dict(series)
        for day in Window(start, end):
            filled.setdefault(day, 0)
        assert window_count(filled, start, end) == window_count(series, start, end)

    @given(series_and_window())
    def test_end_before_start_raises(self, case: tuple[Series, dt.date, dt.date]) -> None:
        """A window that ends before it starts is refused."""
        series, start, _ = case
        with pytest.raises(InvalidValueError):
            window_count(series, start, start - ONE_DAY)

    def test_datetime_bounds_raise(self) -> None:
        """Datetimes are refused as bounds."""
        moment = dt.datetime(2023, 5, 12, tzinfo=dt.UTC)
        with pytest.raises(InvalidValueError):
            window_count({}, moment, BULLETIN_DAY)
        with pytest.raises(InvalidValueError):
            window_count({}, dt.date(2023, 5, 12), moment)

    def test_docstring_example(self) -> None:
        """The day before the window is left out; missing days count 0."""
        series = {dt.date(2023, 5, 11): 5, dt.date(2023, 5, 12): 2, BULLETIN_DAY: 3}
        assert window_count(series, dt.date(2023, 5, 12), BULLETIN_DAY) == 5

    def test_bulletin_week(self, example: CampaignBundle) -> None:
        """The province enrolled 1,074 new participants from 12/5 to 18/5/2023."""
        series = example.counts(BULLETIN_DAY).series()
        assert window_count(series, dt.date(2023, 5, 12), BULLETIN_DAY) == 1074
        assert plain_sum(series, dt.date(2023, 5, 12), BULLETIN_DAY) == 1074


class TestRollingCounts:
    """`rolling_counts`: the count over the trailing ``days`` days, for each day."""

    @given(daily_series(), st.integers(1, 50))
    def test_matches_window_count(self, series: Series, days: int) -> None:
        """Each day's entry is the window count over d - days + 1 .. d."""
        rolling = rolling_counts(series, days)
        for day, count in rolling.items():
            assert count == window_count(series, day - (days - 1) * ONE_DAY, day)
            assert count == plain_sum(series, day - (days - 1) * ONE_DAY, day)

    @given(daily_series(), st.integers(1, 50))
    def test_one_entry_per_day_of_the_series(self, series: Series, days: int) -> None:
        """By default the result runs over every day from the series' first to its last."""
        rolling = rolling_counts(series, days)
        expected = list(Window(min(series), max(series))) if series else []
        assert list(rolling) == expected

    @given(series_and_window(), st.integers(1, 50))
    def test_explicit_bounds(self, case: tuple[Series, dt.date, dt.date], days: int) -> None:
        """With start and end given, every day between has the trailing window's count."""
        series, start, end = case
        rolling = rolling_counts(series, days, start=start, end=end)
        assert list(rolling) == list(Window(start, end))
        for day, count in rolling.items():
            assert count == plain_sum(series, day - (days - 1) * ONE_DAY, day)

    @given(series_and_window(), st.integers(1, 50), st.booleans())
    def test_one_bound_given(
        self, case: tuple[Series, dt.date, dt.date], days: int, give_start: bool
    ) -> None:
        """With one bound given, the other is the series' own first or last day."""
        series, start, end = case
        bounds = {"start": start} if give_start else {"end": end}
        if not series:
            with pytest.raises(InvalidValueError):
                rolling_counts(series, days, **bounds)
            return
        first = start if give_start else min(series)
        last = max(series) if give_start else end
        if last < first:
            with pytest.raises(InvalidValueError):
                rolling_counts(series, days, **bounds)
            return
        rolling = rolling_counts(series, days, **bounds)
        assert list(rolling) == list(Window(first, last))
        for day, count in rolling.items():
            assert count == plain_sum(series, day - (days - 1) * ONE_DAY, day)

    @given(daily_series())
    def test_one_day_is_the_series_filled_with_zeros(self, series: Series) -> None:
        """A one-day window gives the series back, its gaps filled with zeros."""
        filled = (
            {day: series.get(day, 0) for day in Window(min(series), max(series))} if series else {}
        )
        assert rolling_counts(series, 1) == filled

    @given(daily_series(), st.integers(1, 50))
    def test_counts_bounded(self, series: Series, days: int) -> None:
        """Every day's count lies between zero and the whole series' total."""
        total = sum(series.values())
        assert all(0 <= count <= total for count in rolling_counts(series, days).values())

    @given(
        st.dictionaries(st.integers(0, 30), st.integers(0, 9)),
        st.integers(1, 40),
        st.integers(0, 10),
        st.integers(0, 30),
    )
    def test_at_the_start_of_the_calendar(
        self, offsets: dict[int, int], days: int, skip: int, length: int
    ) -> None:
        """Near date.min the window is cut at the calendar's first day, and no further."""
        first = dt.date.min
        series = {first + offset * ONE_DAY: count for offset, count in offsets.items()}
        start = first + skip * ONE_DAY
        rolling = rolling_counts(series, days, start=start, end=start + length * ONE_DAY)
        for day, count in rolling.items():
            back = min(days - 1, (day - first).days)  # the oracle never steps before date.min
            assert count == plain_sum(series, day - back * ONE_DAY, day), day

    @pytest.mark.parametrize("days", [0, -1])
    def test_days_below_one_raises(self, days: int) -> None:
        """A window of zero or fewer days is refused."""
        with pytest.raises(InvalidValueError):
            rolling_counts({BULLETIN_DAY: 1}, days)

    @pytest.mark.parametrize(
        "series",
        [
            {BULLETIN_DAY: 1.5},
            {BULLETIN_DAY: True},
            {BULLETIN_DAY: -1},
            {dt.datetime(2023, 5, 18, 9, tzinfo=dt.UTC): 1},
        ],
    )
    def test_bad_series_raises(self, series: dict[Any, Any]) -> None:
        """A count that is not a whole number of at least 0, or a day that is not a date."""
        with pytest.raises(InvalidValueError):
            rolling_counts(series, 7)
        with pytest.raises(InvalidValueError):
            window_count(series, BULLETIN_DAY, BULLETIN_DAY)

    def test_empty_series(self) -> None:
        """An empty series with no bounds gives an empty result; with both, zeros."""
        assert rolling_counts({}, 7) == {}
        week = trailing_window(BULLETIN_DAY)
        assert rolling_counts({}, 7, start=week.start, end=week.end) == dict.fromkeys(week, 0)

    def test_docstring_example(self) -> None:
        """Two-day sums of 1, 2, 3, 4 are 1, 3, 5, 7."""
        series = {dt.date(2023, 5, d): d for d in range(1, 5)}
        assert list(rolling_counts(series, 2).values()) == [1, 3, 5, 7]

    def test_bulletin_week(self, example: CampaignBundle) -> None:
        """The seven-day count on 18/5/2023 is the bulletin's 1,074."""
        series = example.counts(BULLETIN_DAY).series()
        assert rolling_counts(series, 7)[BULLETIN_DAY] == 1074


class TestHugeWindows:
    def test_trailing_window_past_the_calendar(self) -> None:
        """A window longer than the calendar is an InvalidValueError, not an OverflowError."""
        with pytest.raises(InvalidValueError, match="days"):
            trailing_window(dt.date(2023, 5, 18), 10**6)

    def test_rolling_counts_with_a_huge_window(self) -> None:
        """A huge rolling window sums everything so far."""
        series = {dt.date(2023, 5, 1): 2, dt.date(2023, 5, 2): 3}
        assert rolling_counts(series, 10**9) == {dt.date(2023, 5, 1): 2, dt.date(2023, 5, 2): 5}


class TestPandasDays:
    """`rolling_counts` reads pandas series and naive midnight timestamps as days."""

    def test_series_with_timestamp_index(self) -> None:
        """A pandas Series indexed by midnight timestamps rolls as the dict of dates does."""
        import pandas as pd  # noqa: PLC0415 - test-only dependency

        days = pd.date_range("2023-05-01", periods=10, freq="D")
        series = pd.Series(range(10), index=days)
        as_dates = {day.date(): n for day, n in zip(days, range(10), strict=True)}
        assert rolling_counts(series, 3) == rolling_counts(as_dates, 3)  # type: ignore[arg-type]
        assert window_count(series, dt.date(2023, 5, 2), dt.date(2023, 5, 4)) == 6  # type: ignore[arg-type]

    def test_timestamp_with_a_time_is_refused(self) -> None:
        """A timestamp with a time of day is refused, saying how to convert it."""
        import pandas as pd  # noqa: PLC0415 - test-only dependency

        series = {pd.Timestamp("2023-05-01 08:30"): 1}
        with pytest.raises(InvalidValueError, match=r"convert the keys to days first"):
            rolling_counts(series)  # type: ignore[arg-type]

    def test_aware_timestamp_is_refused(self) -> None:
        """An aware timestamp is refused: its day depends on the zone."""
        import pandas as pd  # noqa: PLC0415 - test-only dependency

        series = {pd.Timestamp("2023-05-01", tz="UTC"): 1}
        with pytest.raises(InvalidValueError, match="tz_convert"):
            rolling_counts(series)  # type: ignore[arg-type]

    def test_the_same_day_twice_is_refused(self) -> None:
        """A date and a midnight datetime of the same day are one day given twice."""
        series = {dt.date(2023, 5, 1): 1, dt.datetime(2023, 5, 1): 2}  # noqa: DTZ001 - a day label
        with pytest.raises(InvalidValueError, match="has the day 2023-05-01 twice"):
            rolling_counts(series)
