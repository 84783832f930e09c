"""Tests of `bhxh_campaign.report`: the bulletin's figures and properties of the report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.strategies import campaign_bundles

D18 = dt.date(2023, 5, 18)


class TestPublishedFigures:
    """The example reproduces every figure of the Bắc Giang bulletin of 19/05/2023."""

    def test_f1_f2_f3_totals(self, example_report: bc.CampaignReport) -> None:
        """F1 target 3,285; F2 1,928 through 18/05; F3 58.69%."""
        total = example_report.total
        assert example_report.as_of == D18
        assert (total.target, total.actual, total.percent) == (3285, 1928, Decimal("58.69"))
        assert sum(row.target for row in example_report.districts) == 3285

    def test_f4_window(self, example_report: bc.CampaignReport) -> None:
        """F4: 1,074 in the 7 days 12/05-18/05, both ends included."""
        window = example_report.window
        assert (window.start, window.end, window.days) == (dt.date(2023, 5, 12), D18, 7)
        assert example_report.total.window_count == 1074
        assert sum(row.window_count for row in example_report.districts) == 1074

    def test_f5_f6_f7_leaders(self, example_report: bc.CampaignReport) -> None:
        """F5-F7: Yên Dũng 318, Hiệp Hòa 302, Lục Ngạn 268, in that order."""
        top = [(r.rank_by_actual, r.name, r.actual) for r in example_report.districts[:3]]
        assert top == [(1, "Yên Dũng", 318), (2, "Hiệp Hòa", 302), (3, "Lục Ngạn", 268)]

    def test_f8_first_to_complete(self, example_report: bc.CampaignReport) -> None:
        """F8: Sơn Động 112.67% and Yên Dũng 111.58%, the only two, and the first two."""
        done = [r for r in example_report.districts if r.reached]
        assert sorted((r.rank_by_completed_on, r.name, r.percent) for r in done) == [
            (1, "Sơn Động", Decimal("112.67")),
            (2, "Yên Dũng", Decimal("111.58")),
        ]
        by_rate = example_report.by_completion()
        assert [r.name for r in by_rate[:2]] == ["Sơn Động", "Yên Dũng"]
        assert all(r.percent < 100 for r in by_rate[2:])

    def test_f9_stock_goal(self, example_report: bc.CampaignReport) -> None:
        """F9: the annual goal of 52,139 is kept as a stock goal, not a completion rate."""
        (goal,) = example_report.stock_goals
        assert (goal.unit_code, goal.target, goal.new_participants) == ("24", 52139, 1928)


def oracle(bundle: bc.CampaignBundle, as_of: dt.date) -> dict[str, list[dt.date]]:
    """Per district, the days of its new participants, found the plainest way."""
    codes = {d.code for d in bundle.districts}
    seen: set[str] = set()
    days: dict[str, list[dt.date]] = {code: [] for code in codes}
    for r in sorted(bundle.records, key=lambda r: (r.enrolled_on, r.record_id)):
        inside = bundle.campaign.start <= r.enrolled_on <= min(as_of, bundle.campaign.end)
        if inside and r.district_code in codes and r.participant_id not in seen:
            seen.add(r.participant_id)
            days[r.district_code].append(r.enrolled_on)
    return days


def agrees_with_oracle(bundle: bc.CampaignBundle, offset: int, window_days: int) -> None:
    """Counts, targets, ranks, windows and completion dates agree with brute force."""
    c = bundle.campaign
    as_of = min(c.start + dt.timedelta(days=offset), c.end)
    report = bundle.report(as_of, window_days=window_days)
    days = oracle(bundle, as_of)
    targets = {t.unit_code: t.value for t in bundle.targets}
    w_start = max(c.start, as_of - dt.timedelta(days=window_days - 1))
    assert (report.window.start, report.window.end) == (w_start, as_of)
    for row in report.districts:
        mine = sorted(days[row.code])
        assert row.actual == len(mine)
        assert row.target == targets[row.code]
        assert row.window_count == sum(w_start <= d <= as_of for d in mine)
        expected_done = mine[row.target - 1] if len(mine) >= row.target else None
        assert row.completed_on == expected_done
        assert row.rank_by_actual == 1 + sum(o.actual > row.actual for o in report.districts)
        assert row.rank_by_completion == 1 + sum(o.rate > row.rate for o in report.districts)
        assert row.reached == (row.completed_on is not None)
    assert report.total.actual == sum(r.actual for r in report.districts)
    assert report.total.target == sum(r.target for r in report.districts)
    assert report.total.rate == bc.completion_rate(report.total.actual, report.total.target)
    counted = report.total.actual + sum(n for _, n in report.excluded)
    assert counted == len(bundle.records)


class TestCampaignReport:
    @pytest.mark.parametrize("level", list(bc.UnitLevel))
    @given(data=st.data())
    def test_against_oracle_at_each_level(self, level: bc.UnitLevel, data: st.DataObject) -> None:
        """District and commune campaigns alike agree with brute force, codes as text."""
        bundle = data.draw(campaign_bundles(level=level))
        assert bundle.level is level
        assert all(len(u.code) == level.code_length for u in bundle.units)
        agrees_with_oracle(bundle, data.draw(st.integers(0, 40)), data.draw(st.integers(1, 10)))
        report = bundle.report(bundle.campaign.end)
        assert report.level is level
        assert {r.code for r in report.units} == {u.code for u in bundle.units}

    @given(campaign_bundles(), st.integers(0, 40), st.integers(1, 10))
    def test_against_oracle(self, bundle: bc.CampaignBundle, offset: int, window_days: int) -> None:
        """Counts, targets, ranks, windows and completion dates agree with brute force."""
        agrees_with_oracle(bundle, offset, window_days)

    @given(campaign_bundles(), st.randoms())
    def test_record_order_does_not_matter(self, bundle: bc.CampaignBundle, rnd: object) -> None:
        """Shuffling the records leaves the report unchanged."""
        records = list(bundle.records)
        rnd.shuffle(records)  # type: ignore[attr-defined]
        shuffled = bc.CampaignBundle(
            campaign=bundle.campaign,
            districts=bundle.districts[::-1],
            targets=bundle.targets[::-1],
            records=records,
            provinces=bundle.provinces,
        )
        assert shuffled.report(bundle.campaign.end) == bundle.report(bundle.campaign.end)

    def test_province_target_disagreement_is_noted(self, example: bc.CampaignBundle) -> None:
        """A province target that differs from its districts' sum is used and noted."""
        targets = [
            t for t in example.targets if t.unit_code != "24" or t.measure is bc.Measure.STOCK
        ]
        targets.append(bc.Target(unit_code="24", campaign_id=example.campaign.id, value=3300))
        report = bc.campaign_report(
            example.campaign, example.districts, targets, example.counts(D18)
        )
        assert report.total.target == 3300
        assert report.notes[0] == bc.Note(
            "province_target_differs",
            [("province_code", "24"), ("target", 3300), ("units_sum", 3285)],
        )
        assert report.provinces[0].target_note == (
            "target of province 24 is 3300 but its districts' targets add up to 3285"
        )

    def test_records_set_aside_are_the_last_note(self, example: bc.CampaignBundle) -> None:
        """The records not counted are a note with their total and a count per reason."""
        report = example.report(D18)
        assert report.notes == (
            bc.Note(
                "records_set_aside",
                [
                    ("records", 1163),
                    ("after_as_of", 1126),
                    ("before_start", 28),
                    ("repeat_participant", 9),
                ],
            ),
        )
        assert report.notes[0].params()["records"] == sum(n for _, n in report.excluded)

    def test_province_target_defaults_to_sum(self, example: bc.CampaignBundle) -> None:
        """Without a province target, the province's target is the sum of its districts'."""
        targets = [t for t in example.targets if t.unit_code != "24"]
        report = bc.campaign_report(
            example.campaign, example.districts, targets, example.counts(D18)
        )
        assert report.total.target == 3285
        assert [note.code for note in report.notes] == ["records_set_aside"]

    def test_missing_target(self, example: bc.CampaignBundle) -> None:
        """A district without a target is a MissingTargetError naming it."""
        targets = [t for t in example.targets if t.unit_code != "220"]
        with pytest.raises(bc.MissingTargetError, match=r"'220'.*Sơn Động"):
            bc.campaign_report(example.campaign, example.districts, targets, example.counts(D18))

    def test_target_for_unknown_unit(self, example: bc.CampaignBundle) -> None:
        """A target for a unit outside the campaign is an UnknownUnitError."""
        targets = [
            *example.targets,
            bc.Target(unit_code="999", campaign_id=example.campaign.id, value=5),
        ]
        with pytest.raises(bc.UnknownUnitError, match="'999'"):
            bc.campaign_report(example.campaign, example.districts, targets, example.counts(D18))

    def test_district_outside_scope(self, example: bc.CampaignBundle) -> None:
        """A district of another province is refused in a provincial campaign."""
        other = bc.District(code="001", name="Ba Đình", kind="quan", province_code="01")
        targets = [
            *example.targets,
            bc.Target(unit_code="001", campaign_id=example.campaign.id, value=5),
        ]
        with pytest.raises(bc.InvalidValueError, match="outside the campaign's scope"):
            bc.campaign_report(
                example.campaign, [*example.districts, other], targets, example.counts(D18)
            )

    def test_two_targets_for_one_unit(self, example: bc.CampaignBundle) -> None:
        """Two new-participant targets for one unit are refused."""
        targets = [
            *example.targets,
            bc.Target(unit_code="221", campaign_id=example.campaign.id, value=5),
        ]
        with pytest.raises(bc.InvalidValueError, match="two new targets"):
            bc.campaign_report(example.campaign, example.districts, targets, example.counts(D18))

    def test_counts_of_unknown_unit(self, example: bc.CampaignBundle) -> None:
        """Counts for a unit that is not a district of the campaign are refused."""
        counts = bc.daily_counts(example.records, example.campaign, as_of=D18)
        with pytest.raises(bc.UnknownUnitError):
            bc.campaign_report(
                example.campaign,
                example.districts[:-1],
                [t for t in example.targets if t.unit_code != example.districts[-1].code],
                counts,
            )

    def test_national_campaign_rolls_up_provinces(self) -> None:
        """A national report has one row per province; the total is a ratio of sums."""
        c = bc.Campaign(
            id="n", name="N", scope="national", start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31)
        )
        ds = [
            bc.District(code="001", name="Ba Đình", kind="quan", province_code="01"),
            bc.District(code="221", name="Yên Dũng", kind="huyen", province_code="24"),
            bc.District(code="220", name="Sơn Động", kind="huyen", province_code="24"),
        ]
        ts = [
            bc.Target(unit_code="001", campaign_id="n", value=10),
            bc.Target(unit_code="221", campaign_id="n", value=285),
            bc.Target(unit_code="220", campaign_id="n", value=150),
            bc.Target(unit_code="01", campaign_id="n", value=20),
        ]
        counts = bc.DailyCounts(
            start=c.start,
            end=dt.date(2023, 5, 2),
            grid={"001": [1, 1], "221": [300, 18], "220": [100, 69]},
        )
        report = bc.campaign_report(
            c, ds, ts, counts, provinces=[bc.Province(code="24", name="Bắc Giang")]
        )
        rows = {p.code: (p.name, p.actual, p.target) for p in report.provinces}
        assert rows == {"01": ("", 2, 20), "24": ("Bắc Giang", 487, 435)}
        assert (report.total.actual, report.total.target) == (489, 455)
        assert report.total.percent == bc.percent(bc.completion_rate(489, 455))
        assert report.notes == (
            bc.Note(
                "province_target_differs",
                [("province_code", "01"), ("target", 20), ("units_sum", 10)],
            ),
        )

    def test_district_lookup(self, example_report: bc.CampaignReport) -> None:
        """district() finds a row by code and refuses unknown codes."""
        assert example_report.district("220").name == "Sơn Động"
        with pytest.raises(bc.UnknownUnitError):
            example_report.district("999")


class TestKnownAtReport:
    """Reports as known at a day: late records wait, corrections change nothing."""

    @given(campaign_bundles(revisions=True), st.integers(0, 40), st.integers(0, 50))
    def test_never_uses_a_record_recorded_after_known_at(
        self, bundle: bc.CampaignBundle, offset: int, known_offset: int
    ) -> None:
        """The report as known at K equals the report of only the records known at K."""
        c = bundle.campaign
        as_of = min(c.start + dt.timedelta(days=offset), c.end)
        known_at = as_of + dt.timedelta(days=known_offset)  # K before as_of is refused
        known = [r for r in bundle.records if r.known_on <= known_at]
        report = bundle.report(as_of, known_at=known_at)
        only_known = attrs.evolve(bundle, records=known).report(as_of, known_at=known_at)
        assert report.districts == only_known.districts
        assert report.total == only_known.total
        late = dict(report.excluded).get("recorded_after_known_at", 0)
        assert report.total.actual + sum(n for _, n in report.excluded) == len(bundle.records)
        assert late <= len(bundle.records) - len(known)

    @given(campaign_bundles(), st.data())
    def test_cancel_then_readd_gives_the_original_report(
        self, bundle: bc.CampaignBundle, data: st.DataObject
    ) -> None:
        """A correction (cancel, then re-enter) leaves every figure of the report unchanged."""
        assume(bundle.records)
        records = list(bundle.records)
        at = data.draw(st.integers(0, len(records) - 1), label="record")
        old = records[at]
        records[at : at + 1] = [
            attrs.evolve(old, cancelled_on=old.enrolled_on),
            attrs.evolve(old, record_id=old.record_id + "c"),
        ]
        end = bundle.campaign.end
        before = bundle.report(end)
        after = attrs.evolve(bundle, records=records).report(end)
        assert (after.total, after.districts, after.provinces) == (
            before.total,
            before.districts,
            before.provinces,
        )

    def test_example_as_published(self, example: bc.CampaignBundle) -> None:
        """As known at 18/05, the example reports F1-F8 unchanged, known_at recorded."""
        report = example.report(D18, known_at=D18)
        assert (report.total.actual, report.total.percent) == (1928, Decimal("58.69"))
        assert report.known_at == D18
        assert report.excluded == example.report(D18).excluded


class TestRevisedTargets:
    """A supplemented target takes effect on its day; the report uses the one in force."""

    def revised(self, example: bc.CampaignBundle, day: dt.date) -> bc.CampaignBundle:
        """The example with Hiệp Hòa's target supplemented from 420 to 300 on ``day``."""
        extra = bc.Target(
            unit_code="223",
            campaign_id=example.campaign.id,
            value=300,
            version="supplemented",
            effective_from=day,
        )
        return attrs.evolve(example, targets=[*example.targets, extra])

    def test_before_the_revision(self, example: bc.CampaignBundle) -> None:
        """Before the revision's day, the original target is used and nothing is noted."""
        report = self.revised(example, dt.date(2023, 5, 19)).report(D18)
        row = report.district("223")
        assert (row.target, row.original_target) == (420, None)
        assert report == example.report(D18)

    def test_after_the_revision(self, example: bc.CampaignBundle) -> None:
        """From its day on, the supplemented target is used; the original is shown too."""
        report = self.revised(example, dt.date(2023, 5, 15)).report(D18)
        row = report.district("223")
        assert (row.actual, row.target, row.original_target) == (302, 300, 420)
        assert row.reached
        assert row.percent == Decimal("100.67")
        assert report.notes[0] == bc.Note(
            "target_revised",
            [
                ("unit_code", "223"),
                ("target", 300),
                ("version", "supplemented"),
                ("effective_from", dt.date(2023, 5, 15)),
                ("original_target", 420),
                ("original_version", "original"),
            ],
        )

    @given(campaign_bundles(), st.integers(0, 40), st.integers(0, 40), st.integers(1, 50))
    def test_target_in_force_on_as_of(
        self, bundle: bc.CampaignBundle, offset: int, effective: int, value: int
    ) -> None:
        """Each district's target is the version whose day is the latest on or before as_of."""
        c = bundle.campaign
        as_of = min(c.start + dt.timedelta(days=offset), c.end)
        day = c.start + dt.timedelta(days=effective)
        first = bundle.targets[0]
        extra = attrs.evolve(first, value=value, version="supplemented", effective_from=day)
        report = attrs.evolve(bundle, targets=[*bundle.targets, extra]).report(as_of)
        row = report.district(first.unit_code)
        if day <= as_of:
            assert (row.target, row.original_target) == (value, first.value)
        else:
            assert (row.target, row.original_target) == (first.value, None)

    def test_two_versions_from_one_day_refused(self, example: bc.CampaignBundle) -> None:
        """Two targets of one unit in force from the same day are ambiguous."""
        day = dt.date(2023, 5, 15)
        twice = [
            bc.Target(unit_code="223", campaign_id=example.campaign.id, value=v, effective_from=day)
            for v in (300, 310)
        ]
        bundle = attrs.evolve(example, targets=[*example.targets, *twice])
        with pytest.raises(bc.InvalidValueError, match="two new targets from 2023-05-15"):
            bundle.report(D18)

    def test_target_not_yet_in_force_is_missing(self, example: bc.CampaignBundle) -> None:
        """A district whose only target takes effect after as_of has no target yet."""
        targets = [
            t if t.unit_code != "220" else attrs.evolve(t, effective_from=dt.date(2023, 5, 20))
            for t in example.targets
        ]
        bundle = attrs.evolve(example, targets=targets)
        with pytest.raises(bc.MissingTargetError, match="'220'"):
            bundle.report(D18)
        assert bundle.report(dt.date(2023, 5, 20)).district("220").target == 150

    def test_other_campaigns_targets_are_ignored(self, example: bc.CampaignBundle) -> None:
        """Targets of another campaign, even for the same units, change nothing."""
        other = [attrs.evolve(t, campaign_id="other", value=1) for t in example.targets]
        bundle = attrs.evolve(example, targets=[*example.targets, *other])
        assert bundle.report(D18) == example.report(D18)


Plan = tuple[bc.Campaign, list[bc.District], list[bc.Target], bc.DailyCounts, int]


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A campaign, districts over provinces, targets, sparse counts and a window length.

    National or one province; long enough for the report's 32-day blocks to matter; some
    districts without a row, some provinces with their own (possibly disagreeing) target.
    """
    national = draw(st.booleans())
    start = dt.date(2023, 1, 1) + dt.timedelta(days=draw(st.integers(0, 365)))
    width = draw(st.integers(1, 100))
    campaign = bc.Campaign(
        id="c",
        name="C",
        scope=bc.NATIONAL if national else "24",
        start=start,
        end=start + dt.timedelta(days=width - 1 + draw(st.integers(0, 10))),
    )
    codes = draw(
        st.lists(st.integers(1, 999).map(lambda n: f"{n:03d}"), min_size=1, max_size=8, unique=True)
    )
    province_of = st.sampled_from(["01", "24", "79"]) if national else st.just("24")
    districts = [
        bc.District(code=code, name=f"D{code}", kind="huyen", province_code=draw(province_of))
        for code in codes
    ]
    day_count = st.integers(0, 6) | st.just(0)
    grid = {
        code: draw(st.lists(day_count, min_size=width, max_size=width))
        for code in codes
        if draw(st.booleans()) or draw(st.booleans())
    }
    counts = bc.DailyCounts(start=start, end=start + dt.timedelta(days=width - 1), grid=grid)
    value = st.integers(1, 10) | st.integers(1, 400)
    targets = [bc.Target(unit_code=code, campaign_id="c", value=draw(value)) for code in codes]
    targets += [
        bc.Target(unit_code=province, campaign_id="c", value=draw(value))
        for province in sorted({d.province_code for d in districts})
        if draw(st.booleans())
    ]
    return campaign, districts, targets, counts, draw(st.integers(1, 40))


Figures = tuple[int, int, int, dt.date | None]


def plain_figures(
    days: dict[dt.date, int], target: int, window: tuple[dt.date, dt.date]
) -> Figures:
    """Actual, target, trailing-window count and completion day of a {day: count} series."""
    running = 0
    completed = None
    for day in sorted(days):
        running += days[day]
        if running >= target:
            completed = day
            break
    in_window = sum(n for day, n in days.items() if window[0] <= day <= window[1])
    return sum(days.values()), target, in_window, completed


def plain_report(plan: Plan) -> tuple[dict[str, Figures], dict[str, Figures], Figures]:
    """The district, province and total figures, from per-unit {day: count} dicts."""
    campaign, districts, targets, counts, window_days = plan
    as_of = counts.end
    window = (max(campaign.start, as_of - dt.timedelta(days=window_days - 1)), as_of)
    flows = {t.unit_code: t.value for t in targets}
    series = {d.code: counts.series(d.code) if d.code in counts.units else {} for d in districts}
    by_district = {d.code: plain_figures(series[d.code], flows[d.code], window) for d in districts}
    by_province = {}
    everything: dict[dt.date, int] = {}
    for province in sorted({d.province_code for d in districts}):
        added: dict[dt.date, int] = {}
        members = [d.code for d in districts if d.province_code == province]
        for code in members:
            for day, n in series[code].items():
                added[day] = added.get(day, 0) + n
                everything[day] = everything.get(day, 0) + n
        target = flows.get(province, sum(flows[code] for code in members))
        by_province[province] = plain_figures(added, target, window)
    total_target = (
        sum(target for _, target, _, _ in by_province.values())
        if campaign.is_national
        else by_province["24"][1]
    )
    return by_district, by_province, plain_figures(everything, total_target, window)


class TestReportAgainstPlainDicts:
    """The report, computed on row tuples, agrees with the plainest per-day dict arithmetic."""

    @given(plans())
    def test_figures(self, plan: Plan) -> None:
        """Actual, target, window count and completion day of every district, province, total."""
        campaign, districts, targets, counts, window_days = plan
        report = bc.campaign_report(campaign, districts, targets, counts, window_days=window_days)
        by_district, by_province, total = plain_report(plan)

        def figures(p: bc.Progress | bc.DistrictProgress) -> Figures:
            return p.actual, p.target, p.window_count, p.completed_on

        assert {r.code: figures(r) for r in report.districts} == by_district
        assert {p.code: figures(p) for p in report.provinces} == by_province
        assert figures(report.total) == total

    @given(plans())
    def test_pace_and_ranks(self, plan: Plan) -> None:
        """Paces follow from the plain figures; completion ranks from the plain days."""
        campaign, districts, targets, counts, window_days = plan
        report = bc.campaign_report(campaign, districts, targets, counts, window_days=window_days)
        by_district, _, _ = plain_report(plan)
        for row in report.districts:
            actual, target, in_window, _ = by_district[row.code]
            assert row.pace == bc.pace(
                actual,
                target,
                start=campaign.start,
                end=campaign.end,
                as_of=counts.end,
                window_count=in_window,
                window_days=report.window.days,
            )
        done = {code: f[3] for code, f in by_district.items()}
        ranks = bc.completion_ranks(done)
        assert {r.code: r.rank_by_completed_on for r in report.districts} == ranks


class TestOneDefinitionPerConcept:
    """The report's completion days and province sums are the metrics' own."""

    @given(plans())
    def test_completion_days_are_completion_dates(self, plan: Plan) -> None:
        """Every row's completion day is what `completion_dates` gives for its series."""
        campaign, districts, targets, counts, window_days = plan
        report = bc.campaign_report(campaign, districts, targets, counts, window_days=window_days)
        series = {
            r.code: counts.series(r.code) if r.code in counts.units else {} for r in report.units
        }
        flows = {r.code: r.target for r in report.units}
        assert {r.code: r.completed_on for r in report.units} == bc.completion_dates(series, flows)
        for p in report.provinces:
            members = [series[d.code] for d in districts if d.province_code == p.code]
            added = {day: sum(s.get(day, 0) for s in members) for day in counts.days}
            assert (
                p.completed_on == bc.completion_dates({p.code: added}, {p.code: p.target})[p.code]
            )

    @given(plans())
    def test_province_sums_are_roll_ups(self, plan: Plan) -> None:
        """A province's count, and its target when it has none of its own, are `roll_up`'s."""
        campaign, districts, targets, counts, window_days = plan
        report = bc.campaign_report(campaign, districts, targets, counts, window_days=window_days)
        parents = {d.code: d.province_code for d in districts}
        actual = bc.roll_up({r.code: r.actual for r in report.units}, parents)
        summed = bc.roll_up({r.code: r.target for r in report.units}, parents)
        assert {p.code: p.actual for p in report.provinces} == actual
        own = {t.unit_code for t in targets}
        for p in report.provinces:
            assert p.code in own or p.target == summed[p.code]


class TestStockGoalsPerUnit:
    def test_each_goal_against_its_own_unit(self, example: bc.CampaignBundle) -> None:
        """A district's stock goal is set against that district's new participants."""
        goal = bc.Target(
            unit_code="221", campaign_id=example.campaign.id, value=500, measure=bc.Measure.STOCK
        )
        report = bc.campaign_report(
            example.campaign, example.districts, [*example.targets, goal], example.counts(D18)
        )
        goals = {g.unit_code: g.new_participants for g in report.stock_goals}
        assert goals == {"221": 318, "24": 1928}

    def test_unknown_unit(self, example: bc.CampaignBundle) -> None:
        """A stock goal for a unit outside the campaign is an UnknownUnitError."""
        goal = bc.Target(
            unit_code="999", campaign_id=example.campaign.id, value=500, measure=bc.Measure.STOCK
        )
        with pytest.raises(bc.UnknownUnitError, match="'999'"):
            bc.campaign_report(
                example.campaign, example.districts, [*example.targets, goal], example.counts(D18)
            )

    def test_huge_window(self, example: bc.CampaignBundle) -> None:
        """A window longer than the campaign is clipped to its first day."""
        report = bc.campaign_report(
            example.campaign,
            example.districts,
            example.targets,
            example.counts(D18),
            window_days=10**9,
        )
        assert (report.window.start, report.total.window_count) == (dt.date(2023, 5, 1), 1928)
