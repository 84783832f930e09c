"""Tests for `bhxh_campaign.bundle.CampaignBundle`."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given

from bhxh_campaign import (
    Campaign,
    CampaignBundle,
    CampaignReport,
    District,
    EnrollmentRecord,
    Exclusion,
    InvalidValueError,
    Province,
    Target,
    UnitKind,
    campaign_report,
    load_plan,
)
from bhxh_campaign.engines import daily_counts_for
from bhxh_campaign.strategies import campaign_bundles

MAY = Campaign(
    id="c", name="Tháng 5", scope="24", start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31)
)
DISTRICTS = (
    District(code="221", name="Yên Dũng", kind=UnitKind.HUYEN, province_code="24"),
    District(code="222", name="Việt Yên", kind=UnitKind.HUYEN, province_code="24"),
)
TARGETS = (
    Target(unit_code="221", campaign_id="c", value=4),
    Target(unit_code="222", campaign_id="c", value=2),
)


def _record(
    n: int, day: dt.date, district: str = "221", pid: str | None = None
) -> EnrollmentRecord:
    return EnrollmentRecord(
        record_id=f"r{n}",
        participant_id=pid or f"24000000{n:02d}",
        district_code=district,
        enrolled_on=day,
    )


def _bundle(*records: EnrollmentRecord) -> CampaignBundle:
    return CampaignBundle(campaign=MAY, districts=DISTRICTS, targets=TARGETS, records=records)


class TestCampaignBundle:
    def test_sequences_become_tuples(self) -> None:
        """Lists given for districts, targets, records and provinces are stored as tuples."""
        bundle = CampaignBundle(
            campaign=MAY,
            districts=list(DISTRICTS),
            targets=list(TARGETS),
            records=[_record(1, dt.date(2023, 5, 2))],
            provinces=[Province(code="24", name="Bắc Giang")],
        )
        assert isinstance(bundle.districts, tuple)
        assert isinstance(bundle.targets, tuple)
        assert isinstance(bundle.records, tuple)
        assert isinstance(bundle.provinces, tuple)
        assert bundle.provinces == (Province(code="24", name="Bắc Giang"),)

    def test_provinces_default_empty(self) -> None:
        """Province names are optional."""
        assert _bundle().provinces == ()

    def test_frozen(self) -> None:
        """A bundle cannot be changed in place, its records included."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            _bundle().targets = ()  # type: ignore[misc]
        with pytest.raises(AttributeError):
            _bundle().records = ()  # type: ignore[misc]

    def test_repr_hides_records(self) -> None:
        """The repr leaves the records (and their participants) out."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 2), pid="0241234567"))
        assert "records" not in repr(bundle)
        assert "0241234567" not in repr(bundle)


class TestLastDataDay:
    def test_latest_record_inside(self) -> None:
        """The last day within the campaign that has a record."""
        bundle = _bundle(
            _record(1, dt.date(2023, 5, 3)),
            _record(2, dt.date(2023, 5, 17)),
            _record(3, dt.date(2023, 5, 9)),
        )
        assert bundle.last_data_day() == dt.date(2023, 5, 17)

    def test_records_outside_are_ignored(self) -> None:
        """Records before the start or after the end do not count."""
        bundle = _bundle(
            _record(1, dt.date(2023, 4, 30)),
            _record(2, dt.date(2023, 5, 10)),
            _record(3, dt.date(2023, 6, 1)),
            _record(4, dt.date(2024, 1, 1)),
        )
        assert bundle.last_data_day() == dt.date(2023, 5, 10)

    def test_both_ends_are_inside(self) -> None:
        """A record on the campaign's last day is inside."""
        assert _bundle(_record(1, dt.date(2023, 5, 31))).last_data_day() == dt.date(2023, 5, 31)
        assert _bundle(_record(1, dt.date(2023, 5, 1))).last_data_day() == dt.date(2023, 5, 1)

    def test_none_without_records(self) -> None:
        """No records: None."""
        assert _bundle().last_data_day() is None

    def test_none_when_every_record_is_outside(self) -> None:
        """Only records outside the campaign: None."""
        bundle = _bundle(_record(1, dt.date(2023, 4, 30)), _record(2, dt.date(2023, 6, 1)))
        assert bundle.last_data_day() is None

    @given(campaign_bundles())
    def test_agrees_with_brute_force(self, bundle: CampaignBundle) -> None:
        """The result is the latest in-campaign day, found the plainest way."""
        inside = [
            r.enrolled_on
            for r in bundle.records
            if bundle.campaign.start <= r.enrolled_on <= bundle.campaign.end
        ]
        expected = sorted(inside)[-1] if inside else None
        assert bundle.last_data_day() == expected

    def test_example(self, example: CampaignBundle) -> None:
        """The bundled example's data runs to the campaign's last day."""
        assert example.last_data_day() == dt.date(2023, 5, 31)


class TestReport:
    def test_default_as_of_is_last_data_day(self) -> None:
        """Without as_of, the report is as of the last day that has data."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)), _record(2, dt.date(2023, 5, 12)))
        report = bundle.report()
        assert report.as_of == dt.date(2023, 5, 12)
        assert report.total.actual == 2

    def test_default_ignores_records_after_the_end(self) -> None:
        """A record after the campaign does not move the default day."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)), _record(2, dt.date(2023, 6, 5)))
        assert bundle.report().as_of == dt.date(2023, 5, 3)

    def test_default_without_data_is_the_start(self) -> None:
        """With no record inside the campaign, the report is as of its first day."""
        report = _bundle(_record(1, dt.date(2023, 4, 20))).report()
        assert report.as_of == MAY.start
        assert report.total.actual == 0

    def test_explicit_as_of(self) -> None:
        """An explicit as_of is used, and later records are not counted."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)), _record(2, dt.date(2023, 5, 12)))
        report = bundle.report(dt.date(2023, 5, 5))
        assert report.as_of == dt.date(2023, 5, 5)
        assert report.total.actual == 1

    def test_default_equals_explicit_last_data_day(self) -> None:
        """report() is report(last_data_day())."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)), _record(2, dt.date(2023, 5, 12)))
        assert bundle.report() == bundle.report(bundle.last_data_day())

    @given(campaign_bundles())
    def test_default_as_of_property(self, bundle: CampaignBundle) -> None:
        """For any consistent bundle, the default day is the last data day or the start."""
        expected = bundle.last_data_day() or bundle.campaign.start
        assert bundle.report().as_of == expected

    def test_example_report_day(self, example_report: CampaignReport) -> None:
        """The session fixture's report is as of the bulletin's day."""
        assert example_report.as_of == dt.date(2023, 5, 18)


class TestCounts:
    def test_units_are_the_districts(self) -> None:
        """Every district has a row, zeros included, and no other unit has one."""
        counts = _bundle(_record(1, dt.date(2023, 5, 3))).counts()
        assert counts.units == ("221", "222")
        assert counts.totals() == {"221": 1, "222": 0}

    def test_other_districts_are_unknown(self) -> None:
        """A record in a district outside the bundle is tallied as unknown_district."""
        bundle = _bundle(
            _record(1, dt.date(2023, 5, 3)),
            _record(2, dt.date(2023, 5, 4), district="999"),
            _record(3, dt.date(2023, 5, 5), district="998"),
        )
        counts = bundle.counts()
        assert "999" not in counts.units
        assert counts.excluded == {Exclusion.UNKNOWN_DISTRICT: 2}
        assert counts.excluded["unknown_district"] == 2
        assert counts.total() == 1

    def test_outside_the_window_is_not_unknown(self) -> None:
        """An unknown district before the start is tallied as before_start."""
        bundle = _bundle(_record(1, dt.date(2023, 4, 28), district="999"))
        assert bundle.counts().excluded == {"before_start": 1}

    def test_default_covers_the_whole_campaign(self) -> None:
        """Without as_of, the grid runs from the campaign's start to its end."""
        counts = _bundle().counts()
        assert (counts.start, counts.end) == (MAY.start, MAY.end)

    def test_as_of_is_passed_on(self) -> None:
        """With as_of, the grid stops there and later records are after_as_of."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)), _record(2, dt.date(2023, 5, 12)))
        counts = bundle.counts(dt.date(2023, 5, 10))
        assert counts.end == dt.date(2023, 5, 10)
        assert counts.total() == 1
        assert counts.excluded == {"after_as_of": 1}

    @given(campaign_bundles())
    def test_unknown_district_agrees_with_brute_force(self, bundle: CampaignBundle) -> None:
        """unknown_district counts the in-campaign records of districts outside the bundle."""
        codes = {d.code for d in bundle.districts}
        unknown = sum(
            1
            for r in bundle.records
            if bundle.campaign.contains(r.enrolled_on) and r.district_code not in codes
        )
        counts = bundle.counts()
        assert counts.excluded.get("unknown_district", 0) == unknown
        assert counts.units == tuple(sorted(codes))

    @given(campaign_bundles())
    def test_every_record_is_accounted_for(self, bundle: CampaignBundle) -> None:
        """Counted plus excluded records make all the records."""
        counts = bundle.counts()
        assert counts.total() + sum(counts.excluded.values()) == len(bundle.records)


class TestKnownAt:
    """`CampaignBundle.counts`, `report` and `last_data_day` as known at a day."""

    def test_late_record_waits(self) -> None:
        """A record entered late is in the report only once it is known."""
        late = attrs.evolve(_record(1, dt.date(2023, 5, 3)), recorded_on=dt.date(2023, 5, 6))
        b = _bundle(_record(2, dt.date(2023, 5, 2)), late)
        early = b.report(dt.date(2023, 5, 5), known_at=dt.date(2023, 5, 5))
        assert (early.total.actual, early.known_at) == (1, dt.date(2023, 5, 5))
        assert dict(early.excluded) == {Exclusion.RECORDED_AFTER_KNOWN_AT: 1}
        assert b.report(dt.date(2023, 5, 5)).total.actual == 2

    def test_last_data_day_as_known(self) -> None:
        """The default as-of day is the last day with a record known (and not cancelled)."""
        late = attrs.evolve(_record(1, dt.date(2023, 5, 9)), recorded_on=dt.date(2023, 5, 12))
        gone = attrs.evolve(_record(3, dt.date(2023, 5, 10)), cancelled_on=dt.date(2023, 5, 11))
        b = _bundle(_record(2, dt.date(2023, 5, 4)), late, gone)
        assert b.last_data_day() == dt.date(2023, 5, 9)
        assert b.last_data_day(dt.date(2023, 5, 10)) == dt.date(2023, 5, 10)
        assert b.last_data_day(dt.date(2023, 5, 11)) == dt.date(2023, 5, 4)
        assert b.report(known_at=dt.date(2023, 5, 10)).as_of == dt.date(2023, 5, 10)

    @given(campaign_bundles(revisions=True))
    def test_report_reads_the_counts_as_known(self, bundle: CampaignBundle) -> None:
        """report(known_at=K) is built from counts(known_at=K)."""
        day = bundle.campaign.end
        report = bundle.report(day, known_at=day)
        counts = bundle.counts(day, known_at=day)
        assert report.total.actual == counts.total()
        assert report.excluded == counts.exclusions
        assert report.known_at == day

    def test_example_as_published_is_the_bulletin(self, example: CampaignBundle) -> None:
        """The example, as known at 18/05, is exactly the report as of 18/05."""
        day = dt.date(2023, 5, 18)
        assert attrs.evolve(example.report(day, known_at=day), known_at=None) == example.report(day)


class TestPlanOnly:
    """A plan read without its records (`load_plan`) refuses to count, rather than say 0."""

    def _plan(self) -> CampaignBundle:
        return CampaignBundle(campaign=MAY, districts=DISTRICTS, targets=TARGETS, records=None)

    def test_flag(self) -> None:
        """`plan_only` tells a plan from a bundle whose records are none."""
        assert self._plan().plan_only
        assert not _bundle().plan_only
        assert self._plan() != _bundle()

    @pytest.mark.parametrize(
        "ask",
        [
            lambda b: b.records,
            lambda b: b.counts(),
            lambda b: b.report(dt.date(2023, 5, 18)),
            lambda b: b.report(),
            lambda b: b.last_data_day(),
        ],
        ids=["records", "counts", "report", "report-default-day", "last_data_day"],
    )
    def test_refuses_to_count(self, ask: Callable[[CampaignBundle], object]) -> None:
        """Records, counts, report and last data day are refused, naming load_plan."""
        plan = self._plan()
        with pytest.raises(InvalidValueError, match=r"plan only.*load_plan") as caught:
            ask(plan)
        assert caught.value.field == "records"

    def test_engines_refuse_the_plan_as_a_bundle(self) -> None:
        """Counting a plan as a loaded bundle is refused too, not counted as empty."""
        with pytest.raises(InvalidValueError, match="plan only"):
            daily_counts_for(self._plan(), MAY, engine="python")

    def test_load_plan(self, example: CampaignBundle) -> None:
        """`load_plan` gives the example's plan, flagged, with everything but the records."""
        plan = load_plan("examples/bac_giang_2023")
        assert plan.plan_only
        assert (plan.campaign, plan.districts, plan.targets, plan.provinces) == (
            example.campaign,
            example.districts,
            example.targets,
            example.provinces,
        )

    def test_counts_from_elsewhere_still_report(self, example: CampaignBundle) -> None:
        """The plan with counts from an engine gives the bundle's report (its purpose)."""
        plan = load_plan("examples/bac_giang_2023")
        day = dt.date(2023, 5, 18)
        counts = daily_counts_for(
            "examples/bac_giang_2023",
            plan.campaign,
            engine="python",
            as_of=day,
            units=[d.code for d in plan.districts],
        )
        report = campaign_report(
            plan.campaign, plan.districts, plan.targets, counts, provinces=plan.provinces
        )
        assert report == example.report(day)

    def test_records_added_later(self, example: CampaignBundle) -> None:
        """`attrs.evolve(plan, records=...)` makes a whole bundle again."""
        whole = attrs.evolve(load_plan("examples/bac_giang_2023"), records=example.records)
        assert not whole.plan_only
        assert whole == example

    def test_pickles(self) -> None:
        """A plan pickles and stays a plan."""
        plan = self._plan()
        again = pickle.loads(pickle.dumps(plan))
        assert again == plan
        assert again.plan_only


class TestReportDays:
    """`report` refuses an as-of day outside the campaign and a known-at day before it."""

    @pytest.mark.parametrize(
        "day", [dt.date(2023, 4, 30), dt.date(2023, 6, 1), dt.date(2024, 7, 1)]
    )
    def test_as_of_outside_the_campaign_is_refused(self, day: dt.date) -> None:
        """as_of outside the campaign is refused, as the command line does (not clipped)."""
        with pytest.raises(
            InvalidValueError, match="outside the campaign, 2023-05-01 to 2023-05-31"
        ):
            _bundle(_record(1, dt.date(2023, 5, 3))).report(day)

    def test_as_of_on_either_end_is_a_report(self) -> None:
        """The campaign's first and last days are inside it."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)))
        assert bundle.report(MAY.start).as_of == MAY.start
        assert bundle.report(MAY.end).total.actual == 1

    def test_known_at_before_the_start_is_refused(self) -> None:
        """known_at before the campaign's first day is refused, not an all-zero report."""
        with pytest.raises(
            InvalidValueError, match="known_at 2023-04-30 is before the campaign starts"
        ):
            _bundle(_record(1, dt.date(2023, 5, 3))).report(known_at=dt.date(2023, 4, 30))

    def test_known_at_before_as_of_is_refused(self) -> None:
        """known_at before as_of is refused, saying which report to ask for instead."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)))
        with pytest.raises(
            InvalidValueError, match="use as_of=2023-05-10 with known_at=2023-05-10"
        ) as info:
            bundle.report(dt.date(2023, 5, 18), known_at=dt.date(2023, 5, 10))
        assert info.value.field == "known_at"

    def test_known_at_on_or_after_as_of_is_a_report(self) -> None:
        """known_at on as_of, or later, gives the report."""
        bundle = _bundle(_record(1, dt.date(2023, 5, 3)))
        day = dt.date(2023, 5, 10)
        assert bundle.report(day, known_at=day).known_at == day
        assert bundle.report(day, known_at=dt.date(2023, 7, 1)).total.actual == 1

    def test_a_datetime_as_of_is_refused(self) -> None:
        """as_of must be a date, not a datetime (whose day depends on a zone)."""
        with pytest.raises(InvalidValueError, match=r"as_of must be a datetime\.date"):
            _bundle().report(dt.datetime(2023, 5, 3, 12))  # noqa: DTZ001
