"""Tests of `bhxh_campaign.stock`: participants on a day against a stock goal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.stock import StockPosition, stock_on
from bhxh_campaign.strategies import daily_series

BASE = dt.date(2023, 4, 30)
D18 = dt.date(2023, 5, 18)


class TestStockOn:
    """`stock_on`: a known level plus the flows after it, through the day asked for."""

    @given(daily_series(), daily_series(), st.integers(0, 10_000), st.integers(-3, 60))
    def test_matches_brute_force(
        self,
        added: dict[dt.date, int],
        exited: dict[dt.date, int],
        baseline: int,
        offset: int,
    ) -> None:
        """The level is the baseline plus additions minus exits after the baseline's day."""
        days = sorted({*added, *exited}) or [BASE]
        baseline_on = days[0]
        day = baseline_on + dt.timedelta(days=max(offset, 0))
        joined = sum(n for d, n in added.items() if baseline_on < d <= day)
        left = sum(n for d, n in exited.items() if baseline_on < d <= day)
        if baseline + joined - left < 0:
            with pytest.raises(bc.InvalidValueError, match="more participants left"):
                stock_on(
                    day, baseline=baseline, baseline_on=baseline_on, added=added, exited=exited
                )
            return
        p = stock_on(day, baseline=baseline, baseline_on=baseline_on, added=added, exited=exited)
        assert (p.added, p.exited, p.participants) == (joined, left, baseline + joined - left)
        assert p.exits_known

    @given(daily_series(gaps=False, max_days=20), st.integers(0, 100), st.integers(1, 200))
    def test_day_to_day_change_is_the_day_flow(
        self, added: dict[dt.date, int], baseline: int, goal: int
    ) -> None:
        """From one day to the next, the stock moves by that day's additions."""
        assume(added)
        first = min(added)
        for day in sorted(added)[1:]:
            today = stock_on(day, baseline=baseline, baseline_on=first, added=added, goal=goal)
            yesterday = stock_on(
                day - dt.timedelta(days=1), baseline=baseline, baseline_on=first, added=added
            )
            assert today.participants - yesterday.participants == added[day]
            assert today.rate == Fraction(today.participants, goal)
            assert today.reached == (today.participants >= goal)
            assert today.remaining == max(goal - today.participants, 0)

    def test_example_against_the_annual_goal(self, example: bc.CampaignBundle) -> None:
        """The example's 1,928 new participants, on an illustrative level, against 52,139."""
        series = example.counts(D18).series()
        p = stock_on(D18, baseline=50_000, baseline_on=BASE, added=series, goal=52_139)
        assert (p.added, p.participants, p.exits_known) == (1928, 51_928, False)
        assert (p.percent, p.remaining, p.reached) == (Decimal("99.60"), 211, False)

    def test_without_goal(self) -> None:
        """Without a goal there is no rate, percent or remainder."""
        p = stock_on(D18, baseline=5, baseline_on=BASE, added={})
        assert (p.rate, p.percent, p.remaining, p.reached) == (None, None, None, False)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"baseline": -1}, "baseline"),
            ({"goal": 0}, "goal"),
            ({"added": {D18: -1}}, "added"),
            ({"added": {"2023-05-18": 1}}, "a day of added"),
            ({"exited": {D18: True}}, "exited"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], match: str) -> None:
        """Negative or non-integer counts, text days and a goal of 0 are refused."""
        args: dict[str, object] = {"baseline": 5, "baseline_on": BASE, "added": {}}
        args.update(kwargs)
        with pytest.raises(bc.InvalidValueError, match=match):
            stock_on(D18, **args)  # type: ignore[arg-type]

    def test_day_before_baseline(self) -> None:
        """The stock cannot be computed before its reference day."""
        with pytest.raises(bc.InvalidValueError, match="before the baseline"):
            stock_on(BASE - dt.timedelta(days=1), baseline=5, baseline_on=BASE, added={})

    def test_value(self) -> None:
        """A position is a frozen value."""
        p = stock_on(D18, baseline=5, baseline_on=BASE, added={D18: 1})
        assert p == StockPosition(
            day=D18,
            baseline_on=BASE,
            baseline=5,
            added=1,
            exited=0,
            exits_known=False,
            participants=6,
            goal=None,
        )
