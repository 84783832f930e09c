"""Tests of `bhxh_campaign.audit.comparisons` and ``bhxh-campaign audit`` options:
``--against FOLDER``, ``--format json``, ``--lang`` and ``-`` for standard input."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.audit import (
    FIGURES,
    PublishedFigures,
    PublishedUnit,
    audit,
    comparisons,
)
from bhxh_campaign.cli import main
from bhxh_campaign.strategies import campaign_bundles

from .conftest import EXAMPLE

PUBLISHED = EXAMPLE / "published.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def published(report: bc.CampaignReport) -> PublishedFigures:
    """Every figure of a report, published exactly (the oracle: all of them agree)."""
    t = report.total
    return PublishedFigures(
        total=PublishedUnit(
            name="total", count=t.actual, target=t.target, percent=str(t.percent),
            window_count=t.window_count,
        ),
        units=[
            PublishedUnit(
                name=r.name, code=r.code, count=r.actual, target=r.target,
                percent=str(r.percent), rank=r.rank_by_actual, window_count=r.window_count,
            )
            for r in report.units
        ],
    )  # fmt: skip


class TestComparisons:
    """`comparisons`: each published figure beside the report's."""

    @given(campaign_bundles(), st.integers(0, 60))
    def test_true_figures_agree(self, bundle: bc.CampaignBundle, day: int) -> None:
        """A report's own figures, published, all agree: five per unit, four for the total."""
        c = bundle.campaign
        report = bundle.report(min(c.start + dt.timedelta(days=day), c.end))
        found = comparisons(published(report), report)
        assert all(x.agrees for x in found)
        assert len(found) == 4 + 5 * len(report.units)
        assert [x.computed for x in found] == [x.published for x in found]

    @given(campaign_bundles(), st.data())
    def test_one_wrong_count_is_the_only_disagreement(
        self, bundle: bc.CampaignBundle, data: st.DataObject
    ) -> None:
        """A count published one off disagrees, and no other figure of that unit's count does."""
        report = bundle.report(bundle.campaign.end)
        figures = published(report)
        i = data.draw(st.integers(0, len(figures.units) - 1))
        wrong = list(figures.units)
        unit = wrong[i]
        assert unit.count is not None
        wrong[i] = PublishedUnit(name=unit.name, code=unit.code, count=unit.count + 1)
        found = comparisons(PublishedFigures(units=wrong), report)
        bad = [x for x in found if not x.agrees]
        assert [(x.code, x.figure, x.published) for x in bad] == [
            (unit.code, "count", str(unit.count + 1))
        ]

    def test_percent_at_published_decimals(self, example_report: bc.CampaignReport) -> None:
        """58.7 is compared at one decimal, 58.68 at two (half-up): 58.69 is what the data gives."""
        for given_, computed, agrees in (("58.7", "58.7", True), ("58.68", "58.69", False)):
            figures = PublishedFigures(total=PublishedUnit(name="T", percent=given_))
            (c,) = comparisons(figures, example_report)
            assert (c.figure, c.computed, c.agrees) == ("percent", computed, agrees)

    def test_unit_by_name_and_missing_unit(self, example_report: bc.CampaignReport) -> None:
        """Without a code, a unit is found by its name (any case); an unknown one disagrees."""
        figures = PublishedFigures(
            units=[PublishedUnit(name="yên dũng", count=318), PublishedUnit(name="Nowhere", rank=1)]
        )
        first, missing = comparisons(figures, example_report)
        assert (first.code, first.agrees) == ("221", True)
        assert (missing.code, missing.figure, missing.agrees) == (None, None, False)

    def test_max_count_is_a_bound(self, example_report: bc.CampaignReport) -> None:
        """max_count agrees when the data's count is not more."""
        for bound, agrees in ((169, True), (168, False)):
            figures = PublishedFigures(units=[PublishedUnit(name="Sơn Động", max_count=bound)])
            (c,) = comparisons(figures, example_report)
            assert (c.figure, c.computed, c.agrees) == ("max_count", "169", agrees)

    def test_figures_order(self) -> None:
        """The figures compared, in order."""
        assert FIGURES == ("count", "target", "percent", "window_count", "rank", "max_count")


class TestAuditAgainst:
    """``bhxh-campaign audit FILE --against FOLDER``."""

    def test_seed_bulletin_agrees_with_its_data(self, capsys: pytest.CaptureFixture[str]) -> None:
        """F1-F8 against the example folder as of 18/05: 13 figures, all agree, exit 0."""
        code, out, _ = run(
            capsys, "audit", str(PUBLISHED), "--against", str(EXAMPLE), "--lang", "en"
        )
        assert code == 0
        lines = out.splitlines()
        assert f"against the data of {EXAMPLE} as of 2023-05-18: 13 of 13 figures agree" in lines
        assert "  agrees: Bắc Giang (24), percent: published 58.69, the data gives 58.69" in lines
        assert "  agrees: Sơn Động (220), largest count: published 267, the data gives 169" in lines

    def test_a_wrong_figure_exits_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A total count the data does not give: that line differs, exit 1."""
        path = tmp_path / "p.toml"
        path.write_text(
            'as_of = 2023-05-18\n[total]\nname = "Bắc Giang"\ncount = 1930\n', encoding="utf-8"
        )
        code, out, _ = run(capsys, "audit", str(path), "--against", str(EXAMPLE))
        assert code == 1
        assert "  KHÔNG KHỚP: Bắc Giang, số tăng mới: công bố 1930, dữ liệu cho 1928" in out
        assert "0/1 số liệu khớp" in out

    def test_as_of_option_overrides_the_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--as-of is the day compared at; without it nor as_of in the file, exit 2."""
        path = tmp_path / "p.toml"
        path.write_text('[total]\nname = "T"\ncount = 1734\n', encoding="utf-8")
        code, _, err = run(capsys, "audit", str(path), "--against", str(EXAMPLE))
        assert (code, "give --as-of" in err) == (2, True)
        code, _, _ = run(
            capsys, "audit", str(path), "--against", str(EXAMPLE), "--as-of", "2023-05-17"
        )
        assert code == 0
        code, _, err = run(
            capsys, "audit", str(path), "--against", str(EXAMPLE), "--as-of", "2023-06-17"
        )
        assert (code, "outside the campaign" in err) == (2, True)

    def test_as_of_needs_against(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--as-of without --against is refused, exit 2."""
        code, out, err = run(capsys, "audit", str(PUBLISHED), "--as-of", "2023-05-18")
        assert (code, out) == (2, "")
        assert "give --against too" in err

    def test_missing_folder(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A folder that is not a campaign: one line, exit 2."""
        code, out, err = run(capsys, "audit", str(PUBLISHED), "--against", str(tmp_path / "x"))
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1


class TestAuditJson:
    """``audit --format json``: stable keys."""

    def test_keys(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The documented keys, with --against."""
        code, out, _ = run(
            capsys, "audit", str(PUBLISHED), "--against", str(EXAMPLE), "--format", "json"
        )
        assert code == 0
        data: dict[str, Any] = json.loads(out)
        assert set(data) == {
            "schema_version", "file", "source", "lang", "consistent", "checked", "findings",
            "inferred", "against",
        }  # fmt: skip
        assert (data["schema_version"], data["consistent"], data["checked"]) == (1, True, 8)
        assert data["inferred"][0] == {
            "unit": "Yên Dũng (221)",
            "fits": [{"count": 318, "target": 285}],
        }
        against = data["against"]
        assert set(against) == {
            "folder", "as_of", "known_at", "window_days", "agree", "disagree", "comparisons"
        }  # fmt: skip
        assert (against["as_of"], against["agree"], against["disagree"]) == ("2023-05-18", 13, 0)
        assert against["comparisons"][0] == {
            "unit": "Bắc Giang (24)", "code": "24", "figure": "count", "published": "1928",
            "computed": "1928", "agrees": True,
        }  # fmt: skip

    def test_findings_keys(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A finding has its check, figure, numbers and text; no --against: null, exit 1."""
        path = tmp_path / "bad.toml"
        path.write_text('[total]\nname = "T"\ncount = 3\ntarget = 4\npercent = "70"\n', "utf-8")
        code, out, _ = run(capsys, "audit", str(path), "--format", "json")
        assert code == 1
        data = json.loads(out)
        assert data["against"] is None
        (finding,) = data["findings"]
        assert set(finding) == {
            "check", "unit", "measure", "figure", "published", "expected", "detail", "text"
        }  # fmt: skip
        assert (finding["unit"], finding["measure"]) == ("T", "percent")
        assert finding["figure"] == "T percent"  # the fields are English; the text is in --lang
        assert finding["text"] == (
            "tỷ lệ hoàn thành (%) của T: công bố 70, đúng ra là 75"
            " (percent: 3 / 4 = 75.0000%, làm tròn nửa lên đến 0 chữ số thập phân)"
        )
        assert (finding["check"], finding["published"], finding["expected"]) == (
            "percent",
            "70",
            "75",
        )


class TestAuditStdin:
    def test_dash_reads_standard_input(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``audit -`` reads the TOML from standard input."""
        monkeypatch.setattr("sys.stdin", io.StringIO(PUBLISHED.read_text(encoding="utf-8")))
        code, out, _ = run(capsys, "audit", "-", "--lang", "en")
        assert code == 0
        assert out.startswith("<stdin>: consistent (8 relations checked)")

    def test_vietnamese_is_the_default(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --lang the lines are Vietnamese."""
        code, out, _ = run(capsys, "audit", str(PUBLISHED))
        assert code == 0
        assert "suy ra: kế hoạch của Yên Dũng (221) là 285 (với số tăng mới 318)" in out


CASES = [
    PublishedFigures(total=PublishedUnit(name="T", count=3, target=4, percent="70")),
    PublishedFigures(total=PublishedUnit(name="T", target=3, percent="50")),
    PublishedFigures(total=PublishedUnit(name="T", count=3, percent="99.99")),
    PublishedFigures(total=PublishedUnit(name="T", max_count=2, percent="99.99")),
    PublishedFigures(total=PublishedUnit(name="T", count=3, window_count=5)),
    PublishedFigures(
        total=PublishedUnit(name="T", count=101, target=5, window_count=3),
        units=[PublishedUnit(name="A", count=60, target=2, window_count=2),
               PublishedUnit(name="B", count=40, target=2, window_count=2)],
        complete=True,
    ),
    PublishedFigures(
        total=PublishedUnit(name="T", count=50),
        units=[PublishedUnit(name="A", count=60, rank=2),
               PublishedUnit(name="B", count=40, rank=1)],
    ),
    PublishedFigures(
        units=[PublishedUnit(name="A", count=60, rank=1),
               PublishedUnit(name="B", count=60, rank=2)],
    ),
    PublishedFigures(
        units=[PublishedUnit(name="A", count=60, rank=3),
               PublishedUnit(name="B", count=50, rank=3)],
    ),
    PublishedFigures(
        units=[PublishedUnit(name="A", count=60, rank=2),
               PublishedUnit(name="B", count=50, rank=1)],
        complete=True,
    ),
]  # fmt: skip
"""Published figures that give, between them, every kind of finding."""


class TestFindingsInVietnamese:
    """Every kind of finding is worded in both languages; in English, as `str` has it."""

    @pytest.mark.parametrize("figures", CASES)
    def test_both_languages(self, figures: PublishedFigures) -> None:
        """English text is `str`; the Vietnamese differs and keeps the numbers."""
        findings = audit(figures).findings
        assert findings
        for f in findings:
            assert f.text("en") == str(f)
            vi = f.text("vi")
            assert vi != str(f)
            assert f.published in vi
            assert f.check.value in vi

    def test_every_message_is_used(self) -> None:
        """The cases word every expected value and every detail of the catalog."""
        keys = {(f.expected_key, f.detail_key) for c in CASES for f in audit(c).findings}
        assert {k for k, _ in keys} >= {
            "value",
            "no_fit",
            "at_most",
            "at_least",
            "rank_tie",
            "rank_above",
        }
        assert {d for _, d in keys} == {
            "percent",
            "no_count",
            "no_target",
            "no_target_bound",
            "window",
            "sum",
            "sum_partial",
            "rank",
        }
