"""Tests of `bhxh_campaign.stock`: participants on a day against a stock goal."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign import strategies
from bhxh_campaign.stock import StockBaseline, StockPosition, stock_on, stock_positions
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


def _with_stock_goals(bundle: bc.CampaignBundle, goals: dict[str, int]) -> bc.CampaignBundle:
    """The bundle with exactly these stock goals (any it had are dropped)."""
    campaign_id = bundle.campaign.id
    flows = [t for t in bundle.targets if t.measure is bc.Measure.NEW]
    stocks = [
        bc.Target(unit_code=code, campaign_id=campaign_id, value=value, measure="stock")
        for code, value in goals.items()
    ]
    return attrs.evolve(bundle, targets=[*flows, *stocks])


def _oracle(counts: bc.DailyCounts, members: set[str], after: dt.date, through: dt.date) -> int:
    """New participants of ``members`` on the days after ``after`` through ``through``."""
    total = 0
    for unit, row in counts.grid:
        for i, n in enumerate(row):
            if unit in members and after < counts.start + dt.timedelta(days=i) <= through:
                total += n
    return total


class TestStockBaseline:
    """`StockBaseline`: a known level, a frozen value."""

    def test_value(self) -> None:
        """Equal values are equal, hash alike, survive pickling, and are frozen."""
        a = StockBaseline(unit_code=" 24 ", participants=50_000, on=BASE)
        b = StockBaseline(unit_code="24", participants=50_000, on=BASE)
        assert a == b
        assert hash(a) == hash(b)
        assert pickle.loads(pickle.dumps(a)) == a
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.participants = 1  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"unit_code": "2"}, "unit_code"),
            ({"participants": -1}, "participants"),
            ({"participants": True}, "participants"),
            ({"participants": 1.0}, "participants"),
            ({"on": "2023-04-30"}, "on"),
        ],
    )
    def test_bad_values(self, kwargs: dict[str, object], field: str) -> None:
        """A bad code, a negative or non-whole count, a day as text: refused by field."""
        values: dict[str, object] = {"unit_code": "24", "participants": 5, "on": BASE}
        values.update(kwargs)
        with pytest.raises(bc.InvalidValueError) as raised:
            StockBaseline(**values)  # type: ignore[arg-type]
        assert raised.value.field == field


class TestStockPositions:
    """`stock_positions`: the latest known level of each goal's unit, plus its flow since."""

    @given(bundle=strategies.campaign_bundles(), data=st.data())
    def test_matches_brute_force(self, bundle: bc.CampaignBundle, data: st.DataObject) -> None:
        """Each stock is its unit's latest level on or before the day plus its flow after."""
        campaign = bundle.campaign
        span = (campaign.end - campaign.start).days
        as_of = campaign.start + dt.timedelta(days=data.draw(st.integers(0, span)))
        district = data.draw(st.sampled_from([d.code for d in bundle.districts]))
        units = {campaign.scope: {d.code for d in bundle.districts}, district: {district}}
        bundle = _with_stock_goals(bundle, dict.fromkeys(units, 10000))
        day = st.integers(-1, span).map(lambda n: campaign.start + dt.timedelta(days=n))
        baselines = data.draw(
            st.lists(
                st.builds(
                    StockBaseline,
                    unit_code=st.sampled_from(sorted(units)),
                    participants=st.integers(0, 10_000),
                    on=day,
                ),
                unique_by=lambda b: (b.unit_code, b.on),
                max_size=6,
            )
        )
        counts = bundle.counts(as_of)
        positions = stock_positions(
            bundle.report(as_of), counts, data.draw(st.permutations(baselines))
        )
        for code, members in units.items():
            known = [b for b in baselines if b.unit_code == code and b.on <= as_of]
            if not known:
                assert code not in positions
                continue
            latest = max(known, key=lambda b: b.on)
            flow = _oracle(counts, members, latest.on, as_of)
            p = positions[code]
            assert (p.day, p.baseline_on, p.baseline) == (as_of, latest.on, latest.participants)
            assert (p.added, p.participants) == (flow, latest.participants + flow)
            assert (p.goal, p.exits_known) == (10_000, False)

    def test_example(self, example: bc.CampaignBundle) -> None:
        """The example's province: 50,000 on the eve plus its 1,928 new participants."""
        known = [
            StockBaseline(unit_code="24", participants=50_000, on=BASE),
            StockBaseline(unit_code="24", participants=51_000, on=dt.date(2023, 5, 10)),
            StockBaseline(unit_code="24", participants=60_000, on=dt.date(2023, 5, 20)),
        ]
        counts = example.counts(D18)
        p = stock_positions(example.report(D18), counts, known)["24"]
        after_10 = sum(n for d, n in counts.series().items() if d > dt.date(2023, 5, 10))
        assert (p.baseline_on, p.participants) == (dt.date(2023, 5, 10), 51_000 + after_10)
        assert (
            stock_positions(
                example.report(BASE + dt.timedelta(days=5)),
                example.counts(BASE + dt.timedelta(days=5)),
                known[2:],
            )
            == {}
        )

    def test_unit_without_goal(self, example: bc.CampaignBundle) -> None:
        """A level of a unit that has no stock goal is refused."""
        known = [StockBaseline(unit_code="221", participants=5, on=BASE)]
        with pytest.raises(bc.UnknownUnitError, match="no stock goal"):
            stock_positions(example.report(D18), example.counts(D18), known)

    @pytest.mark.parametrize(
        ("known", "match"),
        [
            (
                [StockBaseline(unit_code="24", participants=5, on=BASE - dt.timedelta(days=1))],
                "before the eve",
            ),
            ([StockBaseline(unit_code="24", participants=5, on=BASE)] * 2, "given twice"),
        ],
    )
    def test_refused(
        self, example: bc.CampaignBundle, known: list[StockBaseline], match: str
    ) -> None:
        """A level before the eve of the campaign, or one given twice, is refused."""
        with pytest.raises(bc.InvalidValueError, match=match):
            stock_positions(example.report(D18), example.counts(D18), known)

    def test_counts_of_another_day(self, example: bc.CampaignBundle) -> None:
        """Counts that are not the report's are refused."""
        known = [StockBaseline(unit_code="24", participants=5, on=BASE)]
        with pytest.raises(bc.InvalidValueError, match="counts"):
            stock_positions(example.report(D18), example.counts(dt.date(2023, 5, 17)), known)
