"""Pace in the league table (every format, both languages), and stock goals worded as levels."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.render import bulletin, report_table
from bhxh_campaign.render.columns import column, people_per_day
from bhxh_campaign.render.html import report_html
from bhxh_campaign.strategies import campaign_bundles

from .conftest import BULLETIN_DAY

HEADINGS = {"vi": ("Cần bình quân/ngày", "Dự kiến hoàn thành"), "en": ("Needed a day", "Projected")}


def need_oracle(remaining: int, days_left: int) -> int | None:
    """The fewest whole people a day that make up ``remaining`` in ``days_left`` days."""
    if remaining == 0 or days_left == 0:
        return None
    n = 0
    while n * days_left < remaining:
        n += 1
    return n


class TestPaceColumns:
    @settings(max_examples=40, deadline=None)
    @given(bundle=campaign_bundles(), data=st.data())
    def test_need_is_the_plain_ceiling(self, bundle: bc.CampaignBundle, data: Any) -> None:
        """Each row's need a day is the fewest whole people a day that close its gap."""
        campaign = bundle.campaign
        offset = data.draw(st.integers(0, (campaign.end - campaign.start).days))
        report = bundle.report(campaign.start + dt.timedelta(days=offset))
        need, projected = column("required_per_day"), column("projected_on")
        for row in report.units:
            days_left = (campaign.end - report.as_of).days
            expected = need_oracle(max(row.target - row.actual, 0), days_left)
            assert need.get(report, row) == expected
            if row.reached:
                assert projected.get(report, row) is None
        total = report.total
        days_left = (campaign.end - report.as_of).days
        assert need.get_total(report) == need_oracle(max(total.target - total.actual, 0), days_left)

    def test_example_figures(self, example_report: bc.CampaignReport) -> None:
        """Hiệp Hòa needs 10 a day (118 in 13 days), done by 23 May at its pace; 105 in all."""
        row = example_report.unit("223")
        assert (row.target - row.actual, row.pace.days_left) == (118, 13)
        assert column("required_per_day").get(example_report, row) == 10
        assert column("projected_on").get(example_report, row) == dt.date(2023, 5, 23)
        assert people_per_day(example_report.total.pace) == 105
        done = example_report.unit("221")  # Yên Dũng reached its target: blank cells
        assert column("required_per_day").get(example_report, done) is None
        assert column("projected_on").get(example_report, done) is None

    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("fmt", ["text", "markdown"])
    def test_in_text_tables(
        self, example_report: bc.CampaignReport, lang: bc.render.Lang, fmt: Any
    ) -> None:
        """The text and Markdown tables head both columns and show the figures."""
        table = report_table(example_report, fmt, lang=lang)
        for heading in HEADINGS[lang]:
            assert heading in table
        hiep_hoa = next(line for line in table.splitlines() if "Hiệp Hòa" in line)
        assert "10" in hiep_hoa.split()
        assert ("23/5/2023" if lang == "vi" else "23 May 2023") in hiep_hoa
        total = next(line for line in table.splitlines() if "Toàn tỉnh" in line or "Total" in line)
        assert "105" in total
        assert ("27/5/2023" if lang == "vi" else "27 May 2023") in total

    def test_in_csv(self, example_report: bc.CampaignReport) -> None:
        """The CSV has the two columns by key, numbers and ISO days, blank once reached."""
        rows = list(csv.DictReader(io.StringIO(report_table(example_report, "csv"))))
        by_code = {row["code"]: row for row in rows}
        assert (by_code["223"]["required_per_day"], by_code["223"]["projected_on"]) == (
            "10",
            "2023-05-23",
        )
        assert (by_code["221"]["required_per_day"], by_code["221"]["projected_on"]) == ("", "")
        assert (by_code["24"]["required_per_day"], by_code["24"]["projected_on"]) == (
            "105",
            "2023-05-27",
        )

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_in_the_page(self, example_report: bc.CampaignReport, lang: bc.render.Lang) -> None:
        """The page's league table heads both columns, sortable, with the total's figures."""
        page = report_html(example_report, lang)
        for heading in HEADINGS[lang]:
            assert heading in page
        assert 'data-key="required_per_day" data-type="number"' in page
        assert 'data-key="projected_on" data-type="text"' in page
        assert '<td class="num">105</td>' in page


def stock(
    day: dt.date, counts: bc.DailyCounts, *, exits: bool = False, goal: int | None = None
) -> bc.StockPosition:
    """An illustrative level of 50,000 on 30 April 2023 (not a published one), plus flows."""
    return bc.stock_on(
        day,
        baseline=50_000,
        baseline_on=dt.date(2023, 4, 30),
        added=counts.series(),
        exited={} if exits else None,
        goal=goal,
    )


class TestStockGoal:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_never_compared_with_new_participants(
        self, example_report: bc.CampaignReport, lang: bc.render.Lang
    ) -> None:
        """Without a stock the goal is stated as a level; no percent of it is given."""
        line = bulletin(example_report, lang).splitlines()[-2]
        assert ("52.139" if lang == "vi" else "52,139") in line
        share = example_report.stock_goals[0].percent  # 1,928 new of 52,139: 3.70
        assert str(share) not in line
        assert str(share).replace(".", ",") not in line
        assert "%" not in line

    def test_compared_with_the_stock(
        self, example: bc.CampaignBundle, example_report: bc.CampaignReport
    ) -> None:
        """With the stock on the as-of day, the goal is compared with it (an upper bound)."""
        counts = example.counts(BULLETIN_DAY)
        vi = bulletin(example_report, stocks={"24": stock(BULLETIN_DAY, counts)})
        assert (
            "Đến hết ngày 18/5/2023, toàn tỉnh có 51.928 người đang tham gia BHXH tự nguyện"
            " (tối đa, chưa trừ người dừng tham gia), đạt 99,60% mục tiêu 52.139 người tham gia."
        ) in vi
        en = bulletin(example_report, "en", stocks={"24": stock(BULLETIN_DAY, counts, exits=True)})
        assert (
            "At the end of 18 May 2023, the province had 51,928 people taking part in voluntary"
            " social insurance, 99.60% of the goal of 52,139."
        ) in en
        assert "3.70" not in en

    def test_page_compares_with_the_stock(
        self, example: bc.CampaignBundle, example_report: bc.CampaignReport
    ) -> None:
        """The page's summary says the same as the bulletin."""
        counts = example.counts(BULLETIN_DAY)
        page = report_html(example_report, stocks={"24": stock(BULLETIN_DAY, counts)})
        assert "đạt 99,60% mục tiêu 52.139 người tham gia" in page

    def test_bad_stocks_refused(
        self, example: bc.CampaignBundle, example_report: bc.CampaignReport
    ) -> None:
        """A stock of another day, unit or goal, or not a StockPosition, is refused."""
        counts = example.counts(BULLETIN_DAY)
        with pytest.raises(bc.InvalidValueError, match="is of 2023-05-17"):
            bulletin(example_report, stocks={"24": stock(dt.date(2023, 5, 17), counts)})
        with pytest.raises(bc.UnknownUnitError, match="'221' has no stock goal"):
            bulletin(example_report, stocks={"221": stock(BULLETIN_DAY, counts)})
        with pytest.raises(bc.InvalidValueError, match="goal of 60000"):
            bulletin(example_report, stocks={"24": stock(BULLETIN_DAY, counts, goal=60_000)})
        with pytest.raises(bc.InvalidValueError, match="StockPosition"):
            bulletin(example_report, stocks={"24": 51_928})  # type: ignore[dict-item]

    @settings(max_examples=30)
    @given(baseline=st.integers(0, 10**6), exited=st.integers(0, 2_000))
    @example(baseline=521_070, exited=0)  # 1,000.00%: grouped as the bulletin writes it
    def test_percent_is_the_stock_over_the_goal(self, baseline: int, exited: int) -> None:
        """The bulletin's percent is participants over the goal, rounded half-up once."""
        start = dt.date(2023, 5, 1)
        campaign = bc.Campaign(id="c", name="C", scope="24", start=start, end=dt.date(2023, 5, 31))
        units = [bc.District(code="221", name="Yên Dũng", kind="huyen", province_code="24")]
        targets = [
            bc.Target(unit_code="221", campaign_id="c", value=285),
            bc.Target(unit_code="24", campaign_id="c", value=52_139, measure="stock"),
        ]
        counts = bc.DailyCounts(start=start, end=dt.date(2023, 5, 2), grid={"221": [200, 118]})
        report = bc.campaign_report(campaign, units, targets, counts)
        try:
            position = bc.stock_on(
                report.as_of,
                baseline=baseline,
                baseline_on=dt.date(2023, 4, 30),
                added=counts.series(),
                exited={dt.date(2023, 5, 2): exited},
            )
        except bc.InvalidValueError:
            return  # more left than there were: refused by stock_on itself
        exact = Decimal(position.participants) * 100 / Decimal(52_139)
        shown = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        line = bulletin(report, "en", stocks={"24": position}).splitlines()[-1]
        assert f", {shown:,}% of the goal of 52,139." in line
