"""Tests of `bhxh_campaign.metrics`: exact rates, half-up percents, cumulative, pace."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign._reach import BLOCK, reached_at
from bhxh_campaign.strategies import daily_series

ROUNDINGS = [
    decimal.ROUND_HALF_UP,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_UP,
    decimal.ROUND_DOWN,
    decimal.ROUND_CEILING,
    decimal.ROUND_FLOOR,
    decimal.ROUND_05UP,
]


def oracle_percent(rate: Fraction, places: int, rounding: str) -> Decimal:
    """Round with decimal itself, at a precision high enough to be exact for these inputs."""
    with decimal.localcontext(prec=200):
        exact = Decimal(rate.numerator) * 100 / Decimal(rate.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=rounding)


class TestCompletionRate:
    def test_bulletin_figure(self) -> None:
        """1,928 of 3,285 is exactly 1928/3285."""
        assert bc.completion_rate(1928, 3285) == Fraction(1928, 3285)

    @given(st.integers(0, 10**6), st.integers(1, 10**6))
    def test_is_exact_fraction(self, actual: int, target: int) -> None:
        """The rate times the target gives back the count."""
        rate = bc.completion_rate(actual, target)
        assert isinstance(rate, Fraction)
        assert rate * target == actual

    @pytest.mark.parametrize(("actual", "target"), [(1, 0), (1, -5), (-1, 5), (True, 5), (1.5, 3)])
    def test_bad_arguments(self, actual: object, target: object) -> None:
        """A target not above zero or a non-integer count is an InvalidValueError."""
        with pytest.raises(bc.InvalidValueError):
            bc.completion_rate(actual, target)  # type: ignore[arg-type]


class TestPercent:
    @pytest.mark.parametrize(
        ("actual", "target", "expected"),
        [(1928, 3285, "58.69"), (318, 285, "111.58"), (169, 150, "112.67"), (0, 7, "0.00")],
    )
    def test_published_figures(self, actual: int, target: int, expected: str) -> None:
        """The bulletin's percents come out digit for digit."""
        assert str(bc.percent(bc.completion_rate(actual, target))) == expected

    def test_half_up_where_float_fails(self) -> None:
        """11737/20000 is 58.685% exactly: half-up gives 58.69, float rounding 58.68."""
        rate = Fraction(11737, 20000)
        assert bc.percent(rate) == Decimal("58.69")
        assert round(float(rate) * 100, 2) == 58.68  # the trap this function avoids

    @given(st.integers(0, 10**5), st.integers(0, 4))
    def test_every_xx5_case_rounds_up(self, whole: int, places: int) -> None:
        """Every exact half at the last kept place rounds away from zero."""
        step = Fraction(1, 10**places)
        rate = (whole * step + step / 2) / 100
        assert bc.percent(rate, places) == oracle_percent(rate, places, decimal.ROUND_HALF_UP)
        assert bc.percent(rate, places) > Decimal(float(rate * 100)).quantize(
            Decimal(1).scaleb(-places), rounding=decimal.ROUND_DOWN
        )

    @given(
        st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
        st.integers(0, 6),
        st.sampled_from(ROUNDINGS),
    )
    def test_agrees_with_decimal(self, rate: Fraction, places: int, rounding: str) -> None:
        """For every rounding mode, the result equals decimal's own rounding of the exact value."""
        assert bc.percent(rate, places, rounding) == oracle_percent(rate, places, rounding)

    @given(st.fractions(min_value=0, max_value=10, max_denominator=1000), st.integers(0, 4))
    def test_has_exactly_the_places(self, rate: Fraction, places: int) -> None:
        """The result always shows exactly ``places`` decimals (0.00, never 0E-2)."""
        text = str(bc.percent(rate, places))
        assert "E" not in text
        assert len(text.partition(".")[2]) == places

    @pytest.mark.parametrize("rate", [0.5, "1/2", True, None])
    def test_rejects_inexact_rates(self, rate: object) -> None:
        """Floats and other non-exact inputs are refused."""
        with pytest.raises(bc.InvalidValueError):
            bc.percent(rate)  # type: ignore[arg-type]


ONE = dt.timedelta(days=1)


def day(n: int) -> dt.date:
    return dt.date(2023, 5, 1) + dt.timedelta(days=n)


class TestCumulative:
    @given(daily_series())
    def test_matches_plain_sums(self, series: dict[dt.date, int]) -> None:
        """Each day's value is the plain sum of the series up to that day."""
        result = bc.cumulative(series)
        for d, value in result.items():
            assert value == sum(v for k, v in series.items() if k <= d)
        if series:
            assert list(result) == list(bc.Window(min(series), max(series)))

    @given(daily_series(), st.integers(-5, 5), st.integers(-5, 5))
    def test_bounds(self, series: dict[dt.date, int], before: int, after: int) -> None:
        """With start and end, it counts from start and covers every day to end."""
        start, end = day(10 + before), day(20 + after)
        result = bc.cumulative(series, start=start, end=end)
        assert list(result) == list(bc.Window(start, end))
        assert result[end] == sum(v for k, v in series.items() if start <= k <= end)

    def test_empty(self) -> None:
        """An empty series without bounds has no days; with bounds it is all zeros."""
        assert bc.cumulative({}) == {}
        assert list(bc.cumulative({}, start=day(0), end=day(2)).values()) == [0, 0, 0]
        assert bc.cumulative({day(3): 1}, start=day(3), end=day(1)) == {}


class TestCompletionDates:
    @given(
        st.dictionaries(st.sampled_from("abcde"), daily_series(max_days=15), max_size=5),
        st.integers(1, 200),
    )
    def test_first_day_reaching_target(
        self, units: dict[str, dict[dt.date, int]], target: int
    ) -> None:
        """The date is the first day the running total is >= target, or None if never."""
        result = bc.completion_dates(units, dict.fromkeys(units, target))
        for unit, series in units.items():
            reached = [
                d for d in sorted(series) if sum(v for k, v in series.items() if k <= d) >= target
            ]
            assert result[unit] == (reached[0] if reached else None)

    @given(
        st.dictionaries(st.integers(0, 200).map(day), st.integers(0, 3), max_size=150),
        st.integers(1, 300),
    )
    def test_long_sparse_series(self, series: dict[dt.date, int], target: int) -> None:
        """Over several blocks, with days missing, the day is the plain running sum's."""
        running = 0
        expected = None
        for d in sorted(series):
            running += series[d]
            if running >= target:
                expected = d
                break
        assert bc.completion_dates({"a": series}, {"a": target}) == {"a": expected}

    def test_missing_target(self) -> None:
        """A unit without a target is an UnknownUnitError."""
        with pytest.raises(bc.UnknownUnitError, match="'b'"):
            bc.completion_dates({"b": {day(0): 1}}, {})

    def test_zero_target(self) -> None:
        """A target of zero is refused rather than counted as reached on day one."""
        with pytest.raises(bc.InvalidValueError):
            bc.completion_dates({"a": {day(0): 1}}, {"a": 0})


class TestReachedAt:
    """`_reach.reached_at`, the search behind every completion date, against a running sum."""

    @given(st.lists(st.integers(0, 9), max_size=120), st.integers(1, 600))
    def test_first_index_of_running_total(self, counts: list[int], target: int) -> None:
        """The index is the first where the running total is >= target, across blocks."""
        running = 0
        expected = None
        for i, n in enumerate(counts):
            running += n
            if running >= target:
                expected = i
                break
        assert reached_at(counts, target) == expected
        assert reached_at(tuple(counts), target) == expected

    def test_block_edges(self) -> None:
        """Targets met on the last day of a block and the first day of the next."""
        ones = [1] * (3 * BLOCK)
        assert reached_at(ones, BLOCK) == BLOCK - 1
        assert reached_at(ones, BLOCK + 1) == BLOCK
        assert reached_at(ones, 3 * BLOCK) == 3 * BLOCK - 1
        assert reached_at(ones, 3 * BLOCK + 1) is None
        assert reached_at([], 1) is None

    def test_zero_days_before_the_crossing(self) -> None:
        """Days of 0 never hold the crossing: the first day of the last step does."""
        assert reached_at([0, 5, 0, 0, 5, 0], 10) == 4


class TestPace:
    def test_bulletin_total(self) -> None:
        """As of 18/05 the province needs 1,357 more in 13 days: 1357/13 a day."""
        p = bc.pace(1928, 3285, start=day(0), end=day(30), as_of=day(17), window_count=1074)
        assert (p.remaining, p.days_left) == (1357, 13)
        assert p.required_per_day == Fraction(1357, 13)
        assert p.recent_per_day == Fraction(1074, 7)
        assert p.planned_to_date == Fraction(3285 * 18, 31)
        assert p.status is bc.PlanStatus.AHEAD
        assert not p.reached

    @given(
        st.integers(0, 500),
        st.integers(1, 500),
        st.integers(0, 30),
        st.integers(0, 30),
        st.integers(0, 300),
        st.integers(1, 14),
    )
    def test_against_oracle(
        self, actual: int, target: int, elapsed: int, extra: int, recent: int, window: int
    ) -> None:
        """Every field agrees with a day-by-day simulation."""
        start = day(0)
        as_of = day(elapsed)
        end = day(elapsed + extra)
        p = bc.pace(
            actual,
            target,
            start=start,
            end=end,
            as_of=as_of,
            window_count=recent,
            window_days=window,
        )
        remaining = max(0, target - actual)
        assert p.remaining == remaining
        assert p.days_left == extra
        if remaining == 0:
            assert p.required_per_day == 0
            assert p.projected_on is None
        else:
            assert p.required_per_day == (Fraction(remaining, extra) if extra else None)
            if recent == 0:
                assert p.projected_on is None
            else:
                n = 0
                while actual + Fraction(recent, window) * n < target:
                    n += 1
                assert p.projected_on == as_of + dt.timedelta(days=n)
        planned = Fraction(target * (elapsed + 1), elapsed + extra + 1)
        expected = "ahead" if actual > planned else "behind" if actual < planned else "on_track"
        assert p.status.value == expected

    def test_as_of_outside(self) -> None:
        """as_of outside the campaign is refused."""
        with pytest.raises(bc.InvalidValueError, match="within the campaign"):
            bc.pace(1, 2, start=day(1), end=day(5), as_of=day(0), window_count=0)


class TestRollUp:
    @given(
        st.dictionaries(st.text("0123456789", min_size=3, max_size=3), st.integers(0, 1000)),
        st.data(),
    )
    def test_sums_are_kept(self, values: dict[str, int], data: st.DataObject) -> None:
        """Parents add up to the children's total, and each parent is the sum of its own."""
        parents = {child: data.draw(st.sampled_from(["01", "24", "79"])) for child in values}
        result = bc.roll_up(values, parents)
        assert sum(result.values()) == sum(values.values())
        for parent, total in result.items():
            assert total == sum(v for c, v in values.items() if parents[c] == parent)
        assert list(result) == sorted(result)

    def test_ratio_of_sums_not_mean_of_rates(self) -> None:
        """A province's rate is total over total, not the average of district rates."""
        actual = bc.roll_up({"a": 1, "b": 99}, {"a": "P", "b": "P"})
        target = bc.roll_up({"a": 1, "b": 198}, {"a": "P", "b": "P"})
        assert bc.completion_rate(actual["P"], target["P"]) == Fraction(100, 199)

    def test_orphan(self) -> None:
        """A child without a parent is an UnknownUnitError."""
        with pytest.raises(bc.UnknownUnitError):
            bc.roll_up({"a": 1}, {})


BAD_COUNTS = [1.5, True, -1, "3", None]


class TestBadCounts:
    """Counts that are not whole numbers of at least 0 are refused, naming the entry."""

    @pytest.mark.parametrize("count", BAD_COUNTS)
    def test_series_functions(self, count: object) -> None:
        series: dict[dt.date, object] = {day(1): 1, day(2): count}
        with pytest.raises(bc.InvalidValueError, match=r"\[2023-05-03\]"):
            bc.cumulative(series)  # type: ignore[arg-type]
        with pytest.raises(bc.InvalidValueError, match=r"\[2023-05-03\]"):
            bc.completion_dates({"a": series}, {"a": 5})  # type: ignore[dict-item]
        with pytest.raises(bc.InvalidValueError, match="'b'"):
            bc.roll_up({"a": 1, "b": count}, {"a": "P", "b": "P"})  # type: ignore[dict-item]

    def test_a_datetime_is_not_a_day(self) -> None:
        series: dict[dt.date, int] = {dt.datetime(2023, 5, 1, 9, tzinfo=dt.UTC): 1}
        with pytest.raises(bc.InvalidValueError, match="a day of daily"):
            bc.cumulative(series)


class TestPaceAtTheEndOfTheCalendar:
    def test_projection_past_date_max_is_none(self) -> None:
        """A projected day after date.max is None, not Python's OverflowError."""
        end = dt.date.max
        p = bc.pace(0, 10**6, start=end - 30 * ONE, end=end, as_of=end - ONE, window_count=1)
        assert (p.projected_on, p.remaining) == (None, 10**6)
        near = bc.pace(0, 2, start=end - 30 * ONE, end=end, as_of=end - 2 * ONE, window_count=7)
        assert near.projected_on == end


class TestPercentRounding:
    def test_unknown_rounding_mode(self) -> None:
        """A rounding mode decimal does not know is our error, naming the field."""
        with pytest.raises(bc.InvalidValueError, match="rounding") as info:
            bc.percent(Fraction(1, 3), rounding="HALF_UP")
        assert info.value.field == "rounding"


class TestNumpyAndPandasIntegers:
    """Whole numbers of numpy and pandas (a pandas sum is ``np.int64``) are whole numbers."""

    def test_completion_rate_of_numpy_integers(self) -> None:
        """completion_rate(np.int64(272), 520) is the exact Fraction, as with ints."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        assert bc.completion_rate(np.int64(272), 520) == Fraction(272, 520)
        assert bc.completion_rate(np.uint16(272), np.int32(520)) == Fraction(272, 520)
        assert type(bc.completion_rate(np.int64(1), np.int64(2)).numerator) is int

    def test_pandas_sums(self) -> None:
        """A pandas column's sum feeds completion_rate and percent directly."""
        import pandas as pd  # noqa: PLC0415 - test-only dependency

        df = pd.DataFrame({"actual": [169, 318], "target": [150, 285]})
        rate = bc.completion_rate(df["actual"].sum(), df["target"].sum())  # type: ignore[arg-type]
        assert rate == Fraction(487, 435)
        assert bc.percent(df["actual"].sum()) == Decimal("48700.00")  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", ["np.float64(272.0)", "np.True_", "272.0", "True"])
    def test_floats_and_bools_stay_refused(self, value: str) -> None:
        """A float (even a whole one) or a bool, numpy's too, is not a whole number."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        bad = eval(value, {"np": np})
        with pytest.raises(bc.InvalidValueError, match="actual must be a whole number"):
            bc.completion_rate(bad, 520)

    def test_roll_up_gives_ints(self) -> None:
        """roll_up adds numpy integers as ints."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        result = bc.roll_up({"220": np.int64(2), "221": 3}, {"220": "24", "221": "24"})  # type: ignore[dict-item]
        assert result == {"24": 5}
        assert type(result["24"]) is int

    def test_pace_keeps_ints(self) -> None:
        """pace of numpy counts has int fields, equal to the pace of the same ints."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        start, end, day = dt.date(2023, 5, 1), dt.date(2023, 5, 31), dt.date(2023, 5, 18)
        got = bc.pace(
            np.int64(1928),  # type: ignore[arg-type]
            np.int64(3285),  # type: ignore[arg-type]
            start=start,
            end=end,
            as_of=day,
            window_count=np.int64(1074),  # type: ignore[arg-type]
        )
        assert got == bc.pace(1928, 3285, start=start, end=end, as_of=day, window_count=1074)
        assert (type(got.actual), type(got.target), type(got.remaining)) == (int, int, int)
