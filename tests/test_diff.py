"""Tests of `bhxh_campaign.diff` and ``bhxh-campaign diff``: what changed between reports."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.commands.diff import render
from bhxh_campaign.diff import report_diff
from bhxh_campaign.strategies import campaign_bundles

from .conftest import EXAMPLE

D11 = dt.date(2023, 5, 11)
D18 = dt.date(2023, 5, 18)


class TestReportDiff:
    """`report_diff`: totals, districts, completions and tallies between two reports."""

    def test_week_before_the_bulletin(self, example: bc.CampaignBundle) -> None:
        """From 11/05 to 18/05: +1,074 (F4), Sơn Động and Yên Dũng newly completed (F8)."""
        diff = report_diff(example.report(D11), example.report(D18))
        assert (diff.as_of_before, diff.as_of_after) == (D11, D18)
        assert diff.total.actual_change == 1074
        assert diff.total.percent_after == Decimal("58.69")
        assert [(r.name, r.completed_on) for r in diff.newly_completed] == [
            ("Sơn Động", dt.date(2023, 5, 13)),
            ("Yên Dũng", dt.date(2023, 5, 16)),
        ]
        assert sum(d.actual_change for d in diff.districts) == 1074

    @given(campaign_bundles(), st.integers(0, 40), st.integers(0, 40))
    def test_changes_add_up(self, bundle: bc.CampaignBundle, a: int, b: int) -> None:
        """District changes add up to the total change; every field is after minus before."""
        c = bundle.campaign
        before = bundle.report(min(c.start + dt.timedelta(days=min(a, b)), c.end))
        after = bundle.report(min(c.start + dt.timedelta(days=max(a, b)), c.end))
        diff = report_diff(before, after)
        assert sum(d.actual_change for d in diff.districts) == diff.total.actual_change
        assert diff.total.actual_change == after.total.actual - before.total.actual
        assert [d.code for d in diff.districts] == [r.code for r in after.districts]
        for d in diff.districts:
            assert d.before == before.district(d.code)
            assert d.after == after.district(d.code)
            assert d.rank_change == d.before.rank_by_actual - d.after.rank_by_actual
            assert d.percent_change == d.after.percent - d.before.percent
            assert d.newly_completed == (d.after.reached and not d.before.reached)
            assert d.actual_change >= 0  # without cancellations, counts only grow
        tallies = dict(after.excluded)
        for reason, n in dict(before.excluded).items():
            tallies[reason] = tallies.get(reason, 0) - n
        assert dict(diff.excluded_change) == {k: v for k, v in tallies.items() if v}

    @given(campaign_bundles())
    def test_a_report_against_itself(self, bundle: bc.CampaignBundle) -> None:
        """A report compared with itself: nothing changed."""
        report = bundle.report(bundle.campaign.end)
        diff = report_diff(report, report)
        assert diff.changed() == ()
        assert diff.newly_completed == ()
        assert diff.excluded_change == ()
        assert (diff.total.actual_change, diff.total.percent_change) == (0, Decimal("0.00"))

    def test_late_records_revise_a_bulletin(self) -> None:
        """The bulletin of 05/05 as published and as known on 08/05: the late record shows."""
        c = bc.Campaign(
            id="c", name="C", scope="24", start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31)
        )
        districts = [bc.District(code="221", name="Yên Dũng", kind="huyen", province_code="24")]
        targets = [bc.Target(unit_code="221", campaign_id="c", value=2)]
        on_time = bc.EnrollmentRecord(
            record_id="1", participant_id="2400000001", district_code="221",
            enrolled_on=dt.date(2023, 5, 2),
        )  # fmt: skip
        late = attrs.evolve(
            on_time, record_id="2", participant_id="2400000002", recorded_on=dt.date(2023, 5, 7)
        )
        bundle = bc.CampaignBundle(
            campaign=c, districts=districts, targets=targets, records=[on_time, late]
        )
        day = dt.date(2023, 5, 5)
        diff = report_diff(
            bundle.report(day, known_at=day), bundle.report(day, known_at=dt.date(2023, 5, 8))
        )
        assert (diff.known_at_before, diff.known_at_after) == (day, dt.date(2023, 5, 8))
        assert diff.total.actual_change == 1
        assert [r.code for r in diff.newly_completed] == ["221"]
        assert diff.excluded_change == (("recorded_after_known_at", -1),)

    def test_different_campaigns_refused(self, example: bc.CampaignBundle) -> None:
        """Reports of two campaigns cannot be compared."""
        other = attrs.evolve(example, campaign=attrs.evolve(example.campaign, id="other"))
        other = attrs.evolve(
            other, targets=[attrs.evolve(t, campaign_id="other") for t in example.targets]
        )
        with pytest.raises(bc.InvalidValueError, match="different campaigns"):
            report_diff(example.report(D18), other.report(D18))

    def test_different_districts_refused(self, example: bc.CampaignBundle) -> None:
        """Reports over different districts cannot be compared district by district."""
        report = example.report(D18)
        fewer = attrs.evolve(report, districts=report.districts[1:])
        with pytest.raises(bc.InvalidValueError, match="different districts: 221"):
            report_diff(report, fewer)

    def test_district_lookup(self, example: bc.CampaignBundle) -> None:
        """district() finds a change by code and refuses unknown codes."""
        diff = report_diff(example.report(D11), example.report(D18))
        assert diff.district("220").name == "Sơn Động"
        with pytest.raises(bc.UnknownUnitError):
            diff.district("999")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line, returning the exit code, stdout and stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestDiffCommand:
    """``bhxh-campaign diff PATH --from D1 --to D2``."""

    def test_one_day(self, capsys: pytest.CaptureFixture[str]) -> None:
        """17/05 to 18/05: the total and every district's change, with the exact numbers."""
        code, out, _ = run(
            capsys,
            "diff",
            str(EXAMPLE),
            "--from",
            "2023-05-17",
            "--to",
            "2023-05-18",
            "--lang",
            "en",
        )
        assert code == 0
        lines = out.splitlines()
        assert lines[0] == "bac-giang-2023-peak-month: 2023-05-17 -> 2023-05-18"
        assert lines[1] == "total: 1734 -> 1928 (+194), 52.79% -> 58.69% (+5.90 points)"
        assert "  Yên Dũng (221): 309 -> 318 (+9), 108.42% -> 111.58%, rank 1 -> 1" in lines
        assert "  Sơn Động (220): 165 -> 169 (+4), 110.00% -> 112.67%, rank 5 -> 6" in lines

    def test_week_with_completions(self, capsys: pytest.CaptureFixture[str]) -> None:
        """11/05 to 18/05 names the districts that completed their plans in between."""
        code, out, _ = run(
            capsys,
            "diff",
            str(EXAMPLE),
            "--from",
            "2023-05-11",
            "--to",
            "2023-05-18",
            "--lang",
            "en",
        )
        assert code == 0
        assert "newly completed: Sơn Động (220) on 2023-05-13" in out
        assert "newly completed: Yên Dũng (221) on 2023-05-16" in out

    def test_known_at(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--from-known-at is shown; the example has no late records, so nothing changed."""
        code, out, _ = run(
            capsys, "diff", str(EXAMPLE), "--from", "2023-05-18", "--from-known-at",
            "2023-05-18", "--to", "2023-05-18", "--lang", "en",
        )  # fmt: skip
        assert code == 0
        assert out.splitlines()[0].endswith("2023-05-18 (known at 2023-05-18) -> 2023-05-18")
        assert "districts changed: 0 of 10" in out

    def test_outside_the_campaign(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A day outside the campaign: exit 2, one line naming the option."""
        code, out, err = run(
            capsys, "diff", str(EXAMPLE), "--from", "2023-04-30", "--to", "2023-05-18"
        )
        assert (code, out) == (2, "")
        assert "--from 2023-04-30 is outside the campaign" in err

    def test_revised_target_is_shown(self, example: bc.CampaignBundle) -> None:
        """Supplemented targets between two reports show in the total and the district."""
        extra = bc.Target(
            unit_code="223",
            campaign_id=example.campaign.id,
            value=300,
            version="supplemented",
            effective_from=dt.date(2023, 5, 18),
        )
        province = attrs.evolve(extra, unit_code="24", value=3165)
        revised = attrs.evolve(example, targets=[*example.targets, extra, province])
        diff = report_diff(revised.report(dt.date(2023, 5, 17)), revised.report(D18))
        text = render(diff)
        assert "\ntarget: 3285 -> 3165\n" in text
        assert "  Hiệp Hòa (223): 268 -> 302 (+34), 63.81% -> 100.67%, rank 2 -> 2" in text
        assert "target 420 -> 300" in text
        assert "newly completed: Hiệp Hòa (223) on 2023-05-18" in text
        assert (diff.total.target_before, diff.total.target_after) == (3285, 3165)


class TestDiffCommandOptions:
    """``diff --lang``, ``--format json`` and the order of ``--from`` and ``--to``."""

    def test_vietnamese_is_the_default(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --lang the text is Vietnamese, as every command's."""
        code, out, _ = run(
            capsys, "diff", str(EXAMPLE), "--from", "2023-05-11", "--to", "2023-05-18"
        )
        assert code == 0
        lines = out.splitlines()
        assert lines[1] == "tổng: 854 -> 1928 (+1074), 26.00% -> 58.69% (+32.69 điểm phần trăm)"
        assert "các huyện, thị xã, thành phố có thay đổi: 10/10" in lines
        assert "mới hoàn thành kế hoạch: Sơn Động (220) ngày 2023-05-13" in lines
        assert "  Yên Dũng (221): 162 -> 318 (+156), 56.84% -> 111.58%, hạng 1 -> 1" in lines

    def test_from_after_to_is_refused(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--from later than --to: exit 2, one line, nothing on standard output."""
        code, out, err = run(
            capsys, "diff", str(EXAMPLE), "--from", "2023-05-19", "--to", "2023-05-18"
        )
        assert (code, out) == (2, "")
        assert err == (
            "bhxh-campaign: error: --from 2023-05-19 is later than --to 2023-05-18:"
            " give the earlier day first\n"
        )

    def test_same_day_is_allowed(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--from equal to --to is a diff of nothing, exit 0."""
        code, _, _ = run(capsys, "diff", str(EXAMPLE), "--from", "2023-05-18", "--to", "2023-05-18")
        assert code == 0

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_json_keys(self, capsys: pytest.CaptureFixture[str], lang: str) -> None:
        """--format json: the documented keys, numbers as numbers, the figures of F2 and F4."""
        code, out, _ = run(
            capsys, "diff", str(EXAMPLE), "--from", "2023-05-11", "--to", "2023-05-18",
            "--format", "json", "--lang", lang,
        )  # fmt: skip
        assert code == 0
        data = json.loads(out)
        assert set(data) == {
            "schema_version", "campaign_id", "lang", "level", "as_of_before", "as_of_after",
            "known_at_before", "known_at_after", "total", "units", "newly_completed",
            "excluded_change",
        }  # fmt: skip
        assert (data["schema_version"], data["lang"], data["level"]) == (1, lang, "district")
        assert data["total"] == {
            "actual_before": 854, "actual_after": 1928, "actual_change": 1074,
            "target_before": 3285, "target_after": 3285, "percent_before": "26.00",
            "percent_after": "58.69", "percent_change": "32.69",
        }  # fmt: skip
        assert len(data["units"]) == 10
        assert set(data["units"][0]) == {
            "code", "name", "changed", "actual_before", "actual_after", "actual_change",
            "target_before", "target_after", "percent_before", "percent_after",
            "percent_change", "rank_before", "rank_after", "rank_by_completion_before",
            "rank_by_completion_after", "newly_completed", "completed_on",
        }  # fmt: skip
        assert sum(u["actual_change"] for u in data["units"]) == 1074
        assert data["newly_completed"] == [
            {"code": "220", "name": "Sơn Động", "completed_on": "2023-05-13"},
            {"code": "221", "name": "Yên Dũng", "completed_on": "2023-05-16"},
        ]
        for row in data["excluded_change"]:
            assert set(row) == {"reason", "label", "change"}
            assert isinstance(row["change"], int)
