"""Tests of `bhxh_campaign.render.svg`: standalone, well-formed, light SVG charts."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.render import svg

from .conftest import BULLETIN_DAY

SVG = "{http://www.w3.org/2000/svg}"
MAY = dt.date(2023, 5, 1)
HOSTILE = [
    "A & B",
    "<script>",
    'Say "hi"',
    "l'Île",
    "]]> --> <!--",
]  # control characters: refused by the model


def report_of(names: list[str]) -> tuple[bc.CampaignReport, bc.DailyCounts]:
    """A report of one district per name, each with a few new participants."""
    campaign = bc.Campaign(id="c", name="C & <D>", scope="24", start=MAY, end=dt.date(2023, 5, 31))
    codes = [str(213 + i) for i in range(len(names))]
    units = [
        bc.District(code=code, name=name, kind="huyen", province_code="24")
        for code, name in zip(codes, names, strict=True)
    ]
    targets = [bc.Target(unit_code=code, campaign_id="c", value=10) for code in codes]
    counts = bc.DailyCounts(
        start=MAY, end=dt.date(2023, 5, 3), grid={c: [i, 2, 3] for i, c in enumerate(codes)}
    )
    return bc.campaign_report(campaign, units, targets, counts), counts


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}desc")]


class TestWellFormed:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_hostile_names_parse(self, lang: bc.render.Lang) -> None:
        """Names with & < > and quotes give well-formed XML that shows them as written."""
        report, counts = report_of(HOSTILE)
        for chart in (
            svg.completion_svg(report, lang=lang),
            svg.cumulative_svg(report, counts, lang=lang),
        ):
            root = ET.fromstring(chart)
            assert root.tag == f"{SVG}svg"
            assert root.find(f"{SVG}title") is not None
        shown = texts(ET.fromstring(svg.completion_svg(report, lang=lang)))
        for name in HOSTILE:
            assert name in shown

    # Names with control characters or surrogates are refused when a unit is built
    # (`control_character`); any other text, markup included, must give well-formed XML.
    @given(
        names=st.lists(
            st.text(
                st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
                | st.sampled_from("&<>\"'"),
                min_size=1,
                max_size=12,
            ),
            min_size=1,
            max_size=4,
        )
    )
    def test_any_names_parse(self, names: list[str]) -> None:
        """Whatever the names a unit may have (markup, any script), the SVG parses as XML."""
        try:
            report, counts = report_of(names)
        except (bc.InvalidValueError, ValueError):
            assume(False)
            raise
        ET.fromstring(svg.completion_svg(report))
        ET.fromstring(svg.cumulative_svg(report, counts, lang="en"))


class TestCharts:
    def test_light_enough_for_a_dashboard(
        self, example: bc.CampaignBundle, example_report: bc.CampaignReport
    ) -> None:
        """Both charts of the example are under 10 KB, with their own style sheet."""
        counts = example.counts(BULLETIN_DAY)
        for chart in (
            svg.completion_svg(example_report),
            svg.cumulative_svg(example_report, counts, lang="en"),
        ):
            assert len(chart.encode()) < 10_000
            root = ET.fromstring(chart)
            assert root.find(f"{SVG}style") is not None
            assert "http:" not in chart.replace("http://www.w3.org/2000/svg", "")

    def test_bars_in_completion_order(self, example_report: bc.CampaignReport) -> None:
        """One bar per unit, highest completion first, the reached ones marked done."""
        root = ET.fromstring(svg.completion_svg(example_report, lang="en"))
        names = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "name"]
        assert names == [row.name for row in example_report.by_completion()]
        bars = [el.get("class") for el in root.iter(f"{SVG}rect")]
        assert bars == ["bar done", "bar done"] + ["bar"] * 8

    def test_ident_names_the_labels(self, example_report: bc.CampaignReport) -> None:
        """The ident prefixes the ids of the title and the description."""
        root = ET.fromstring(svg.completion_svg(example_report, ident="x1"))
        assert root.get("aria-labelledby") == "x1-title x1-desc"

    @pytest.mark.parametrize("ident", ["", "1abc", 'a"b', "a b", "<x>"])
    def test_bad_ident_refused(self, example_report: bc.CampaignReport, ident: str) -> None:
        """An ident that is not a plain XML name is refused."""
        with pytest.raises(bc.InvalidValueError, match="ident"):
            svg.completion_svg(example_report, ident=ident)

    def test_bad_lang_and_counts_refused(
        self, example: bc.CampaignBundle, example_report: bc.CampaignReport
    ) -> None:
        """An unknown language, or counts of other days, are refused."""
        with pytest.raises(bc.InvalidValueError, match="lang"):
            svg.completion_svg(example_report, lang="fr")  # type: ignore[arg-type]
        with pytest.raises(bc.InvalidValueError, match="counts"):
            svg.cumulative_svg(example_report, example.counts(dt.date(2023, 5, 17)))
