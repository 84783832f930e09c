"""Tests for `bhxh_campaign.strategies` and its Hypothesis entry point."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import itertools
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign import (
    NATIONAL,
    Campaign,
    CampaignBundle,
    DailyCounts,
    District,
    EnrollmentRecord,
    Measure,
    Target,
)
from bhxh_campaign._hypothesis_plugin import _hypothesis_setup_hook
from bhxh_campaign.strategies import (
    __all__ as strategy_names,
)
from bhxh_campaign.strategies import (
    campaign_bundles,
    campaigns,
    daily_counts_grids,
    daily_series,
    district_codes,
    districts,
    enrollment_records,
    participant_ids,
    province_codes,
    targets,
)

MARGIN = dt.timedelta(days=3)


def _is_digits(value: str, n: int) -> bool:
    return len(value) == n and all(c in "0123456789" for c in value)


class TestCodesAndIds:
    @given(province_codes())
    def test_province_codes(self, code: str) -> None:
        """Two ASCII digits, 01 to 96."""
        assert _is_digits(code, 2)
        assert 1 <= int(code) <= 96

    @given(district_codes())
    def test_district_codes(self, code: str) -> None:
        """Three ASCII digits, never 000."""
        assert _is_digits(code, 3)
        assert code != "000"

    @given(participant_ids())
    def test_participant_ids(self, pid: str) -> None:
        """10-digit BHXH numbers or 12-digit citizen ids, as text."""
        assert _is_digits(pid, 10) or _is_digits(pid, 12)

    def test_all_is_sorted_and_resolves(self) -> None:
        """The module's `__all__` is sorted and every name is a function."""
        import bhxh_campaign.strategies as module  # noqa: PLC0415

        assert list(strategy_names) == sorted(strategy_names)
        for name in strategy_names:
            assert callable(getattr(module, name))


class TestDistricts:
    @given(districts())
    def test_valid(self, district: District) -> None:
        """Drawn districts are valid and open-ended."""
        assert isinstance(district, District)
        assert _is_digits(district.code, 3)
        assert _is_digits(district.province_code, 2)
        assert district.name
        assert district.valid_from is None
        assert district.valid_to is None

    @given(districts(province_code="24"))
    def test_in_province(self, district: District) -> None:
        """With a province code, every district is in that province."""
        assert district.province_code == "24"


class TestCampaigns:
    @given(campaigns())
    def test_valid(self, campaign: Campaign) -> None:
        """Drawn campaigns last 1 to 45 days and have a valid scope."""
        assert isinstance(campaign, Campaign)
        assert 1 <= campaign.days <= 45
        assert campaign.start <= campaign.end
        assert campaign.scope == NATIONAL or _is_digits(campaign.scope, 2)
        assert campaign.measure is Measure.NEW

    @given(campaigns(max_days=3, scope="24"))
    def test_options(self, campaign: Campaign) -> None:
        """max_days and scope are honoured."""
        assert campaign.days <= 3
        assert campaign.scope == "24"

    @given(campaigns(scope=NATIONAL))
    def test_national(self, campaign: Campaign) -> None:
        """A national scope can be asked for."""
        assert campaign.is_national


class TestTargets:
    @given(targets())
    def test_valid(self, target: Target) -> None:
        """Drawn targets are positive, for campaign 'c', on a district."""
        assert isinstance(target, Target)
        assert 1 <= target.value <= 10_000
        assert target.campaign_id == "c"
        assert target.is_district

    @given(targets(unit_codes=province_codes(), campaign_id="bg"))
    def test_options(self, target: Target) -> None:
        """unit_codes and campaign_id are honoured."""
        assert not target.is_district
        assert target.campaign_id == "bg"


class TestEnrollmentRecords:
    @given(enrollment_records())
    def test_valid(self, record: EnrollmentRecord) -> None:
        """Drawn records have valid identifiers, codes and optional fields."""
        assert isinstance(record, EnrollmentRecord)
        assert _is_digits(record.participant_id, 10) or _is_digits(record.participant_id, 12)
        assert _is_digits(record.district_code, 3)
        assert record.commune_code is None or _is_digits(record.commune_code, 5)
        assert type(record.enrolled_on) is dt.date

    @given(
        enrollment_records(
            district_codes=st.just("221"),
            days=st.just(dt.date(2023, 5, 18)),
            participant_ids=st.just("0241234567"),
        )
    )
    def test_options(self, record: EnrollmentRecord) -> None:
        """Given strategies for codes, days and ids are used."""
        assert record.district_code == "221"
        assert record.enrolled_on == dt.date(2023, 5, 18)
        assert record.participant_id == "0241234567"

    @given(enrollment_records())
    def test_plain_by_default(self, record: EnrollmentRecord) -> None:
        """Without revisions, records are recorded on time and never cancelled."""
        assert (record.recorded_on, record.cancelled_on) == (None, None)

    @given(enrollment_records(revisions=True, max_delay=3))
    def test_revisions(self, record: EnrollmentRecord) -> None:
        """With revisions, records are at most max_delay days late, then cancelled within it."""
        assert record.known_on - record.enrolled_on <= dt.timedelta(days=3)
        if record.cancelled_on is not None:
            assert dt.timedelta(0) <= record.cancelled_on - record.known_on <= dt.timedelta(days=3)

    def test_revisions_produce_late_and_cancelled_records(self) -> None:
        """Late and cancelled records both turn up."""
        seen = {"late": False, "cancelled": False}

        @given(enrollment_records(revisions=True))
        def look(record: EnrollmentRecord) -> None:
            seen["late"] |= record.known_on > record.enrolled_on
            seen["cancelled"] |= record.cancelled_on is not None

        look()
        assert seen == {"late": True, "cancelled": True}


class TestDailySeries:
    @given(daily_series(max_days=10, max_count=5))
    def test_valid(self, series: dict[dt.date, int]) -> None:
        """Counts are whole numbers in range, over at most max_days consecutive days."""
        assert all(isinstance(v, int) and 0 <= v <= 5 for v in series.values())
        if series:
            assert (max(series) - min(series)).days < 10

    @given(daily_series(gaps=False))
    def test_without_gaps(self, series: dict[dt.date, int]) -> None:
        """With gaps=False, the days are consecutive."""
        days = sorted(series)
        assert all((b - a).days == 1 for a, b in itertools.pairwise(days))


class TestDailyCountsGrids:
    @given(daily_counts_grids(max_units=3, max_days=5))
    def test_valid(self, counts: DailyCounts) -> None:
        """Grids are calendar-complete, within the size limits."""
        assert isinstance(counts, DailyCounts)
        assert len(counts.units) <= 3
        assert 1 <= len(counts.days) <= 5
        for _, row in counts.grid:
            assert len(row) == len(counts.days)
            assert all(n >= 0 for n in row)


class TestCampaignBundles:
    @given(campaign_bundles())
    def test_every_district_has_a_target(self, bundle: CampaignBundle) -> None:
        """Each district has exactly one new-participant target of this campaign."""
        assert bundle.districts
        for district in bundle.districts:
            matching = [
                t
                for t in bundle.targets
                if t.unit_code == district.code and t.measure is Measure.NEW
            ]
            assert len(matching) == 1
            assert matching[0].campaign_id == bundle.campaign.id

    @given(campaign_bundles())
    def test_districts_in_the_campaigns_province(self, bundle: CampaignBundle) -> None:
        """All districts are in the campaign's province, with distinct codes."""
        codes = [d.code for d in bundle.districts]
        assert len(set(codes)) == len(codes)
        assert {d.province_code for d in bundle.districts} == {bundle.campaign.scope}
        assert [p.code for p in bundle.provinces] == [bundle.campaign.scope]

    @given(campaign_bundles())
    def test_records_within_three_days_of_the_campaign(self, bundle: CampaignBundle) -> None:
        """Every record's day is within the campaign, give or take three days."""
        first = bundle.campaign.start - MARGIN
        last = bundle.campaign.end + MARGIN
        assert all(first <= r.enrolled_on <= last for r in bundle.records)

    @given(campaign_bundles(max_districts=2, max_records=8, max_days=4))
    def test_limits(self, bundle: CampaignBundle) -> None:
        """The size options are honoured; record ids are unique; one outside district at most."""
        assert len(bundle.districts) <= 2
        assert len(bundle.records) <= 8
        assert bundle.campaign.days <= 4
        assert len({r.record_id for r in bundle.records}) == len(bundle.records)
        codes = {d.code for d in bundle.districts}
        assert len({r.district_code for r in bundle.records} - codes) <= 1

    @given(campaign_bundles())
    def test_reports_build(self, bundle: CampaignBundle) -> None:
        """Drawn bundles are consistent enough to build a report."""
        report = bundle.report()
        assert report.total.target == sum(t.value for t in bundle.targets)


class TestFromType:
    @given(st.from_type(Campaign))
    def test_campaign(self, value: Campaign) -> None:
        """st.from_type(Campaign) draws valid campaigns."""
        assert isinstance(value, Campaign)
        assert value.days <= 45

    @given(st.from_type(District))
    def test_district(self, value: District) -> None:
        """st.from_type(District) draws valid districts."""
        assert isinstance(value, District)
        assert _is_digits(value.code, 3)

    @given(st.from_type(EnrollmentRecord))
    def test_enrollment_record(self, value: EnrollmentRecord) -> None:
        """st.from_type(EnrollmentRecord) draws valid records."""
        assert isinstance(value, EnrollmentRecord)
        assert len(value.participant_id) in {10, 12}

    @given(st.from_type(Target))
    def test_target(self, value: Target) -> None:
        """st.from_type(Target) draws valid targets."""
        assert isinstance(value, Target)
        assert value.value >= 1

    @given(st.from_type(DailyCounts))
    def test_daily_counts(self, value: DailyCounts) -> None:
        """st.from_type(DailyCounts) draws valid grids."""
        assert isinstance(value, DailyCounts)
        assert value.start <= value.end

    @given(st.from_type(CampaignBundle))
    def test_campaign_bundle(self, value: CampaignBundle) -> None:
        """st.from_type(CampaignBundle) draws consistent bundles."""
        assert isinstance(value, CampaignBundle)
        assert {t.unit_code for t in value.targets} == {d.code for d in value.districts}


class TestEntryPoint:
    def test_declared(self) -> None:
        """The distribution declares the hook in the 'hypothesis' entry-point group."""
        points = importlib.metadata.entry_points(group="hypothesis")
        ours = [p for p in points if p.name == "bhxh_campaign"]
        assert len(ours) == 1
        assert ours[0].value == "bhxh_campaign._hypothesis_plugin:_hypothesis_setup_hook"
        assert ours[0].load() is _hypothesis_setup_hook

    def test_importing_hypothesis_registers_the_strategies(self, tmp_path: Path) -> None:
        """A fresh interpreter that imports only Hypothesis gets our strategies registered."""
        script = (
            "import sys\n"
            "from hypothesis import find, settings, strategies as st\n"
            "print('bhxh_campaign.strategies' in sys.modules)\n"
            "from bhxh_campaign import EnrollmentRecord\n"
            "r = find(st.from_type(EnrollmentRecord), bool, settings=settings(database=None))\n"
            "print(type(r).__name__, len(r.participant_id) in (10, 12))\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tmp_path,
        )
        assert result.stdout.split() == ["True", "EnrollmentRecord", "True"]

    def test_importing_strategies_first_works(self, tmp_path: Path) -> None:
        """Importing the strategies before Hypothesis (the hook then runs mid-import) works."""
        script = (
            "import bhxh_campaign.strategies\n"
            "from hypothesis import find, settings, strategies as st\n"
            "from bhxh_campaign import Campaign\n"
            "c = find(st.from_type(Campaign), bool, settings=settings(database=None))\n"
            "print(type(c).__name__)\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tmp_path,
        )
        assert result.stdout.strip() == "Campaign"

    def test_hook_skips_a_half_initialised_module(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """While the strategies module is still importing, the hook leaves it alone."""
        partial = types.ModuleType("bhxh_campaign.strategies")
        monkeypatch.setitem(sys.modules, "bhxh_campaign.strategies", partial)
        _hypothesis_setup_hook()
        assert sys.modules["bhxh_campaign.strategies"] is partial

    def test_hook_is_idempotent(self) -> None:
        """Calling the hook again once registered changes nothing."""
        module = sys.modules["bhxh_campaign.strategies"]
        _hypothesis_setup_hook()
        assert sys.modules["bhxh_campaign.strategies"] is module
