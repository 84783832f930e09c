"""Tests of `bhxh_campaign.render.charts`: the data each chart draws, and stable files."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import re
import struct
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from types import ModuleType
from typing import Any, cast

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.style
import matplotlib.text
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import bhxh_campaign as bc
from bhxh_campaign.render import charts

from .conftest import BULLETIN_DAY, EXAMPLE, ROOT

GREEN, BLUE, LIGHT_BLUE = (mpl.colors.to_rgba(c) for c in ("#009E73", "#0072B2", "#9CC3E0"))
MAY = dt.date(2023, 5, 1)


@pytest.fixture(scope="module")
def counts(example: bc.CampaignBundle) -> bc.DailyCounts:
    """The example's counts as of 18/05/2023, the ones its report is built from."""
    return example.counts(BULLETIN_DAY)


@pytest.fixture(scope="module")
def cumulative(example_report: bc.CampaignReport, counts: bc.DailyCounts) -> Figure:
    """The example's cumulative chart, in Vietnamese."""
    return charts.cumulative_chart(example_report, counts, lang="vi")


@pytest.fixture(scope="module")
def completion(example_report: bc.CampaignReport) -> Figure:
    """The example's completion chart, in Vietnamese."""
    return charts.completion_chart(example_report, lang="vi")


@pytest.fixture(scope="module")
def daily(example_report: bc.CampaignReport, counts: bc.DailyCounts) -> Figure:
    """The example's daily chart, in Vietnamese."""
    return charts.daily_chart(example_report, counts, lang="vi")


@pytest.fixture(scope="module")
def hooks() -> ModuleType:
    """The docs' MkDocs hook module, loaded from its file."""
    return load_hooks()


def lines_by_gid(axes: Axes) -> dict[str, Line2D]:
    return {str(line.get_gid()): line for line in axes.lines}


def xs(line: Line2D) -> list[Any]:
    """A line's x values, as given (days stay `datetime.date`)."""
    return list(cast("Iterable[Any]", line.get_xdata()))


def ys(line: Line2D) -> list[Any]:
    """A line's y values, as given."""
    return list(cast("Iterable[Any]", line.get_ydata()))


def ints(values: Iterable[Any]) -> list[int]:
    return [int(v) for v in values]


def date_num(value: dt.date) -> float:
    return float(mdates.date2num(value))  # type: ignore[no-untyped-call]


def num_date(value: float) -> dt.date:
    moment: dt.datetime = mdates.num2date(value)  # type: ignore[no-untyped-call]
    return moment.date()


def rects(axes: Axes) -> list[Rectangle]:
    return [patch for patch in axes.patches if isinstance(patch, Rectangle)]


def day(n: int) -> dt.date:
    return MAY + dt.timedelta(days=n - 1)


def texts(figure: Figure) -> str:
    """Every text drawn in the figure, joined: titles, labels, legends, bar labels."""
    found = [t.get_text() for t in figure.findobj(matplotlib.text.Text)]
    return "\n".join(found)


def bars_of(axes: Axes) -> list[BarContainer]:
    return [c for c in axes.containers if isinstance(c, BarContainer)]


def png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


class TestImport:
    def test_no_matplotlib_on_import(self) -> None:
        """Importing the package and the charts module does not import matplotlib."""
        code = (
            "import sys, bhxh_campaign, bhxh_campaign.render.charts, bhxh_campaign.cli;"
            "print('matplotlib' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "False"

    def test_missing_matplotlib_says_what_to_install(
        self,
        monkeypatch: pytest.MonkeyPatch,
        example_report: bc.CampaignReport,
    ) -> None:
        """Without matplotlib, drawing raises ModuleNotFoundError naming the extra."""
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        with pytest.raises(ModuleNotFoundError, match=r"bhxh-campaign\[plot\]") as info:
            charts.completion_chart(example_report)
        assert info.value.name == "matplotlib"


class TestCumulativeChart:
    def test_panels_in_league_order(
        self, cumulative: Figure, example_report: bc.CampaignReport
    ) -> None:
        """One panel per district, in the order of the league table, named on the left."""
        names = [panel.get_title(loc="left") for panel in cumulative.axes]
        assert names == [row.name for row in example_report.districts]
        assert names[:3] == ["Yên Dũng", "Hiệp Hòa", "Lục Ngạn"]

    def test_lines_are_running_totals(
        self, cumulative: Figure, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """Each line has one point per day, the running total of that district's counts."""
        for panel, row in zip(cumulative.axes, example_report.districts, strict=True):
            line = lines_by_gid(panel)["cumulative"]
            assert xs(line) == list(counts.days)
            expected, total = [], 0
            for n in counts.row(row.code):
                total += n
                expected.append(total)
            assert ints(ys(line)) == expected
            assert expected[-1] == row.actual

    def test_target_and_as_of_lines(
        self, cumulative: Figure, example_report: bc.CampaignReport
    ) -> None:
        """The dashed line sits at each district's target, the dotted one on the as-of day."""
        for panel, row in zip(cumulative.axes, example_report.districts, strict=True):
            lines = lines_by_gid(panel)
            assert ys(lines["target"]) == [row.target, row.target]
            assert xs(lines["as_of"]) == [BULLETIN_DAY, BULLETIN_DAY]
            assert lines["target"].get_linestyle() == "--"
            assert lines["as_of"].get_linestyle() == ":"

    def test_completion_dots(self, cumulative: Figure) -> None:
        """Only Sơn Động and Yên Dũng get a dot, on the day they reached their targets."""
        dots = {
            panel.get_title(loc="left"): (
                xs(lines["completed_on"]),
                ints(ys(lines["completed_on"])),
            )
            for panel in cumulative.axes
            if "completed_on" in (lines := lines_by_gid(panel))
        }
        assert dots == {
            "Sơn Động": ([dt.date(2023, 5, 13)], [150]),
            "Yên Dũng": ([dt.date(2023, 5, 16)], [293]),
        }

    def test_shared_axes_cover_the_campaign(
        self, cumulative: Figure, example_report: bc.CampaignReport
    ) -> None:
        """The x axis runs over the whole campaign; the y axis reaches past every target."""
        first = cumulative.axes[0]
        assert num_date(first.get_xlim()[0]) == dt.date(2023, 5, 1)
        assert num_date(first.get_xlim()[1]) == dt.date(2023, 5, 31)
        assert first.get_ylim()[1] > max(r.target for r in example_report.districts)
        assert all(panel.get_ylim() == first.get_ylim() for panel in cumulative.axes)

    def test_vietnamese_text(self, cumulative: Figure) -> None:
        """Titles, figures and ticks are Vietnamese, numbers as the text report writes them."""
        drawn = texts(cumulative)
        assert "Số người tham gia mới cộng dồn so với kế hoạch, theo đơn vị" in drawn
        assert "Tính đến hết ngày 18/5/2023" in drawn
        assert "318/285 · 111,58%" in drawn
        assert "Kế hoạch" in drawn
        formatter = cumulative.axes[0].yaxis.get_major_formatter()
        assert formatter(1000, 0) == "1.000"
        assert cumulative.axes[0].xaxis.get_major_formatter()(date_num(day(15)), 0) == ("15/5")

    def test_english_text(self, example_report: bc.CampaignReport, counts: bc.DailyCounts) -> None:
        """With lang="en" the chart is English, with English number formats."""
        figure = charts.cumulative_chart(example_report, counts, lang="en")
        drawn = texts(figure)
        assert "Cumulative new participants against target, by district" in drawn
        assert "Through 18 May 2023" in drawn
        assert "318/285 · 111.58%" in drawn
        assert figure.axes[0].yaxis.get_major_formatter()(1000, 0) == "1,000"

    def test_units_choose_and_order_panels(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """``units`` picks the panels and their order; spare grid cells are hidden."""
        figure = charts.cumulative_chart(example_report, counts, units=["220", "215", "223"])
        visible = [p for p in figure.axes if p.get_visible()]
        assert [p.get_title(loc="left") for p in visible] == ["Sơn Động", "Yên Thế", "Hiệp Hòa"]
        assert len(figure.axes) == 3
        figure = charts.cumulative_chart(
            example_report, counts, units=["213", "215", "216", "217", "218", "219"]
        )
        assert len(figure.axes) == 10
        assert sum(p.get_visible() for p in figure.axes) == 6

    def test_refuses_bad_units(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """An unknown code, or no code at all, is refused."""
        with pytest.raises(bc.UnknownUnitError, match="'999'"):
            charts.cumulative_chart(example_report, counts, units=["999"])
        with pytest.raises(bc.InvalidValueError, match="no district to draw"):
            charts.cumulative_chart(example_report, counts, units=[])


class TestCheckCounts:
    def test_other_as_of_refused(
        self, example: bc.CampaignBundle, example_report: bc.CampaignReport
    ) -> None:
        """Counts through another day than the report's are refused."""
        with pytest.raises(bc.InvalidValueError, match="pass the counts it was built from"):
            charts.daily_chart(example_report, example.counts(dt.date(2023, 5, 17)))

    def test_other_totals_refused(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """Counts over the same days that disagree with the report's figures are refused."""
        grid = {code: list(row) for code, row in counts.grid}
        grid["220"][0] += 1
        other = bc.DailyCounts(start=counts.start, end=counts.end, grid=grid)
        with pytest.raises(bc.InvalidValueError, match="'220' add up to 170"):
            charts.cumulative_chart(example_report, other)

    def test_unknown_unit_refused(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """Counts with a unit the report does not have are refused."""
        grid = dict(counts.grid)
        grid["999"] = (0,) * len(counts.days)
        other = bc.DailyCounts(start=counts.start, end=counts.end, grid=grid)
        with pytest.raises(bc.InvalidValueError, match="'999'"):
            charts.daily_chart(example_report, other)

    def test_missing_rows_count_zero(self) -> None:
        """A district absent from the counts is drawn flat at zero, as the report counts it."""
        report, counts = small_report([3, 1], [0, 0], targets=(4, 5))
        sparse = bc.DailyCounts(start=counts.start, end=counts.end, grid=[counts.grid[0]])
        figure = charts.cumulative_chart(report, sparse)
        flat = next(p for p in figure.axes if p.get_title(loc="left") == "B")
        assert ints(ys(lines_by_gid(flat)["cumulative"])) == [0, 0]

    def test_unknown_lang_refused(self, example_report: bc.CampaignReport) -> None:
        """A language other than vi and en is refused."""
        with pytest.raises(bc.InvalidValueError, match="lang"):
            charts.completion_chart(example_report, lang="fr")  # type: ignore[arg-type]


class TestCompletionChart:
    def test_bars_ranked_by_completion(
        self, completion: Figure, example_report: bc.CampaignReport
    ) -> None:
        """Bars run from the highest completion percent on top down, widths the percents."""
        axes = completion.axes[0]
        ranked = example_report.by_completion()
        bars = rects(axes)
        assert [bar.get_gid() for bar in bars] == [row.code for row in ranked]
        assert [Decimal(str(bar.get_width())) for bar in bars] == [r.percent for r in ranked]
        assert [bar.get_y() for bar in bars] == sorted((bar.get_y() for bar in bars), reverse=True)
        labels = [t.get_text() for t in axes.get_yticklabels()]
        assert labels == [row.name for row in ranked]
        assert labels[:2] == ["Sơn Động", "Yên Dũng"]

    def test_reached_bars_are_green(self, completion: Figure) -> None:
        """Exactly the districts at or above 100% are green; the others blue."""
        colours = {bar.get_gid(): bar.get_facecolor() for bar in rects(completion.axes[0])}
        assert {code for code, c in colours.items() if c == GREEN} == {"220", "221"}
        assert all(c in {GREEN, BLUE} for c in colours.values())

    def test_reference_lines(self, completion: Figure) -> None:
        """The 100% line and the province's percent are vertical lines at their values."""
        lines = lines_by_gid(completion.axes[0])
        assert xs(lines["target"]) == [100, 100]
        assert xs(lines["total"]) == [58.69, 58.69]
        assert completion.axes[0].get_xlim()[1] > 112.67

    def test_labels_written_like_the_report(self, completion: Figure) -> None:
        """Bar labels, ticks and the legend write percents and counts the Vietnamese way."""
        drawn = texts(completion)
        assert "112,67%  (169/150)" in drawn
        assert "Toàn tỉnh: 58,69%" in drawn
        assert "Kế hoạch (100%)" in drawn
        assert completion.axes[0].xaxis.get_major_formatter()(100, 0) == "100%"

    def test_english(self, example_report: bc.CampaignReport) -> None:
        """With lang="en" the labels are English."""
        drawn = texts(charts.completion_chart(example_report, lang="en"))
        assert "112.67%  (169/150)" in drawn
        assert "Province total: 58.69%" in drawn
        assert "Completion of the new-participant target, by district" in drawn

    def test_units_keep_the_ranking(self, example_report: bc.CampaignReport) -> None:
        """``units`` picks the bars, still ranked by completion; bad choices are refused."""
        figure = charts.completion_chart(example_report, units=["215", "223", "220"])
        assert [bar.get_gid() for bar in rects(figure.axes[0])] == ["220", "223", "215"]
        with pytest.raises(bc.UnknownUnitError, match="'999'"):
            charts.completion_chart(example_report, units=["999"])
        with pytest.raises(bc.InvalidValueError, match="no district to draw"):
            charts.completion_chart(example_report, units=[])

    def test_national_scope(self) -> None:
        """A national campaign's total is labelled as national."""
        report, _ = small_report([1], [1], targets=(2, 2), scope=bc.NATIONAL)
        assert "National total: 50.00%" in texts(charts.completion_chart(report, lang="en"))
        assert "Toàn quốc: 50,00%" in texts(charts.completion_chart(report, lang="vi"))


class TestDailyChart:
    def test_bars_are_the_province_series(self, daily: Figure, counts: bc.DailyCounts) -> None:
        """One bar per day from the start to the as-of day, its height that day's total."""
        bars = [bar for container in bars_of(daily.axes[0]) for bar in container]
        series = counts.series()
        assert [bar.get_gid() for bar in bars] == [d.isoformat() for d in series]
        assert [int(bar.get_height()) for bar in bars] == list(series.values())

    def test_window_highlighted(self, daily: Figure) -> None:
        """The window's seven days, 12/5 to 18/5, are the highlighted bars; they add to 1.074."""
        before, window = bars_of(daily.axes[0])
        assert [bar.get_gid() for bar in window] == [day(n).isoformat() for n in range(12, 19)]
        assert [bar.get_gid() for bar in before] == [day(n).isoformat() for n in range(1, 12)]
        assert sum(int(bar.get_height()) for bar in window) == 1074
        assert {bar.get_facecolor() for bar in window} == {BLUE}
        assert {bar.get_facecolor() for bar in before} == {LIGHT_BLUE}

    def test_legend_and_labels(self, daily: Figure) -> None:
        """The legend names the window and its count; each bar is labelled with its count."""
        drawn = texts(daily)
        assert "7 ngày gần nhất (12/5–18/5): 1.074 người" in drawn
        assert "Số người tham gia mới mỗi ngày, toàn tỉnh" in drawn
        labels = [t.get_text() for t in daily.axes[0].texts]
        assert labels[-7:] == ["168", "108", "52", "174", "179", "199", "194"]

    def test_longer_window(self, example: bc.CampaignBundle, counts: bc.DailyCounts) -> None:
        """A 14-day report highlights 14 days; the window is clipped to the campaign's start."""
        report = example.report(BULLETIN_DAY, window_days=14)
        before, window = bars_of(charts.daily_chart(report, counts, lang="en").axes[0])
        assert len(window) == 14
        assert window[0].get_gid() == "2023-05-05"
        report = example.report(BULLETIN_DAY, window_days=30)
        before, window = bars_of(charts.daily_chart(report, counts).axes[0])
        assert (len(before), len(window)) == (0, 18)

    def test_english(self, example_report: bc.CampaignReport, counts: bc.DailyCounts) -> None:
        """With lang="en" the legend and ticks are English."""
        figure = charts.daily_chart(example_report, counts, lang="en")
        assert "Last 7 days (12 May–18 May): 1,074" in texts(figure)
        formatter = figure.axes[0].xaxis.get_major_formatter()
        assert formatter(date_num(day(12)), 0) == "12 May"

    def test_long_campaigns_drop_bar_labels(self) -> None:
        """Over two months of bars are not labelled one by one; ticks stay few."""
        report, counts = small_report([1] * 90, [0] * 90, targets=(10, 10))
        axes = charts.daily_chart(report, counts).axes[0]
        assert len(axes.texts) == 0
        assert len(axes.xaxis.get_major_locator()()) <= 12


class TestChartBytes:
    def test_png_is_stable(self, example_report: bc.CampaignReport) -> None:
        """Drawing the same chart twice gives the same PNG bytes, of the documented size."""
        first = charts.chart_bytes(charts.completion_chart(example_report))
        second = charts.chart_bytes(charts.completion_chart(example_report))
        assert first == second
        assert first.startswith(b"\x89PNG\r\n\x1a\n")
        assert png_size(first) == (9 * charts.DPI, round((0.42 * 10 + 1.9) * charts.DPI))

    def test_png_has_no_stamp(self, example_report: bc.CampaignReport) -> None:
        """The PNG names no software and carries no date."""
        data = charts.chart_bytes(charts.completion_chart(example_report))
        assert b"Software" not in data
        assert b"matplotlib" not in data.lower()
        assert b"tIME" not in data

    def test_user_style_does_not_leak(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """The caller's rcParams change neither the chart nor the file."""
        plain = charts.chart_bytes(charts.daily_chart(example_report, counts))
        with mpl.rc_context({"font.size": 20, "lines.linewidth": 7, "axes.facecolor": "black"}):
            styled = charts.chart_bytes(charts.daily_chart(example_report, counts))
        assert styled == plain

    def test_svg_is_stable(self, example_report: bc.CampaignReport) -> None:
        """SVG files are stable too, and carry no date."""
        first = charts.chart_bytes(charts.completion_chart(example_report), "svg")
        second = charts.chart_bytes(charts.completion_chart(example_report), "svg")
        assert first == second
        assert first.startswith(b"<?xml")
        assert b"<dc:date>" not in first
        assert b"Matplotlib v" not in first

    def test_unknown_format_refused(self, example_report: bc.CampaignReport) -> None:
        """Only png and svg are written."""
        with pytest.raises(bc.InvalidValueError, match="'jpg'"):
            charts.chart_bytes(charts.completion_chart(example_report), "jpg")  # type: ignore[arg-type]


def small_report(
    *rows: list[int], targets: tuple[int, ...], scope: str = "24"
) -> tuple[bc.CampaignReport, bc.DailyCounts]:
    """A report of districts A, B, ... with these daily counts from 1 May."""
    days = len(rows[0])
    campaign = bc.Campaign(
        id="c", name="C", scope=scope, start=MAY, end=MAY + dt.timedelta(days=max(days, 31) - 1)
    )
    codes = [str(213 + i) for i in range(len(rows))]
    districts = [
        bc.District(code=code, name=chr(ord("A") + i), kind="huyen", province_code="24")
        for i, code in enumerate(codes)
    ]
    goals = [
        bc.Target(unit_code=code, campaign_id="c", value=value)
        for code, value in zip(codes, targets, strict=False)
    ]
    counts = bc.DailyCounts(start=MAY, end=day(days), grid=dict(zip(codes, rows, strict=True)))
    return bc.campaign_report(campaign, districts, goals, counts), counts


class TestConservation:
    @settings(max_examples=15)  # each example draws three figures; a few cover the shapes
    @given(
        rows=st.lists(st.lists(st.integers(0, 50), min_size=5, max_size=5), min_size=1, max_size=4),
        targets=st.lists(st.integers(1, 200), min_size=4, max_size=4),
        window=st.integers(1, 7),
    )
    def test_charts_draw_the_report(
        self, rows: list[list[int]], targets: list[int], window: int
    ) -> None:
        """Whatever the counts, the bars and lines add up to the report's figures."""
        campaign = bc.Campaign(id="c", name="C", scope="24", start=MAY, end=day(31))
        codes = [str(213 + i) for i in range(len(rows))]
        districts = [
            bc.District(code=c, name=f"D{c}", kind="huyen", province_code="24") for c in codes
        ]
        goals = [
            bc.Target(unit_code=c, campaign_id="c", value=v)
            for c, v in zip(codes, targets, strict=False)
        ]
        counts = bc.DailyCounts(start=MAY, end=day(5), grid=dict(zip(codes, rows, strict=True)))
        report = bc.campaign_report(campaign, districts, goals, counts, window_days=window)

        daily = bars_of(charts.daily_chart(report, counts).axes[0])
        heights = [int(bar.get_height()) for container in daily for bar in container]
        assert sum(heights) == report.total.actual
        assert sum(int(bar.get_height()) for bar in daily[-1]) == report.total.window_count
        assert len(daily[-1]) == report.window.days

        for panel in charts.cumulative_chart(report, counts).axes:
            if not panel.get_visible():
                continue
            row = next(r for r in report.districts if r.name == panel.get_title(loc="left"))
            points = ints(ys(lines_by_gid(panel)["cumulative"]))
            assert points == list(itertools.accumulate(counts.row(row.code)))
            assert ("completed_on" in lines_by_gid(panel)) == row.reached

        widths = [bar.get_width() for bar in rects(charts.completion_chart(report).axes[0])]
        assert widths == sorted(widths, reverse=True)


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestDocCharts:
    def test_docs_draw_every_chart(self, hooks: ModuleType) -> None:
        """The docs hook draws the three charts in both languages, as PNGs."""
        drawn: dict[str, bytes] = hooks.doc_charts(EXAMPLE)
        assert sorted(drawn) == sorted(
            f"{kind}-{lang}.png"
            for kind in ("cumulative", "completion", "daily")
            for lang in ("vi", "en")
        )
        assert all(data.startswith(b"\x89PNG") for data in drawn.values())

    def test_pages_show_the_charts(self, hooks: ModuleType) -> None:
        """Every chart the hook draws is shown by a page, with alt text."""
        pages = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
        for kind in ("cumulative", "completion", "daily"):
            for lang in ("vi", "en"):
                name = f"{hooks.CHART_DIR}/{kind}-{lang}.png)"
                assert name in pages
        assert "![](" not in pages

    def test_cli_help_placeholders(self, hooks: ModuleType) -> None:
        """The placeholders get the help of the command they name (report by default)."""
        page = hooks.on_page_markdown("a\n<!-- cli-help -->\nb\n<!-- cli-help chart -->\n")
        assert "usage: bhxh-campaign report" in page
        assert "usage: bhxh-campaign chart" in page
        assert "<!--" not in page


def _draw(
    report: bc.CampaignReport, counts: bc.DailyCounts, kind: str, lang: Any, fmt: Any
) -> bytes:
    """One chart of the example as a file."""
    if kind == "cumulative":
        figure = charts.cumulative_chart(report, counts, lang=lang, units=["221", "220", "215"])
    elif kind == "completion":
        figure = charts.completion_chart(report, lang=lang)
    else:
        figure = charts.daily_chart(report, counts, lang=lang)
    return charts.chart_bytes(figure, fmt)


# Every chart kind, in both languages, as PNG and SVG: 12 images, cycled to 40.
_JOBS = list(
    itertools.islice(
        itertools.cycle(
            itertools.product(("cumulative", "completion", "daily"), ("vi", "en"), ("svg", "png"))
        ),
        40,
    )
)


class TestGlobalState:
    @pytest.mark.slow
    def test_thread_pool_draws_the_sequential_bytes(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """40 images drawn by 4 threads at once are the bytes drawn one by one."""
        before = dict(mpl.rcParams)
        sequential = [_draw(example_report, counts, *job) for job in _JOBS]
        with ThreadPoolExecutor(max_workers=4) as pool:
            threaded = list(pool.map(lambda job: _draw(example_report, counts, *job), _JOBS))
        differing = [job for job, a, b in zip(_JOBS, sequential, threaded, strict=True) if a != b]
        assert differing == []
        assert dict(mpl.rcParams) == before

    def test_drawing_leaves_rcparams_alone(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """Drawing and saving every chart kind writes no key of ``matplotlib.rcParams``."""
        before = dict(mpl.rcParams)
        for kind in ("cumulative", "completion", "daily"):
            _draw(example_report, counts, kind, "vi", "svg")
        assert dict(mpl.rcParams) == before

    @pytest.mark.parametrize(
        "sheet", ["ggplot", "dark_background", "bmh", "fivethirtyeight", "seaborn-v0_8-poster"]
    )
    def test_style_sheets_do_not_reach_the_chart(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts, sheet: str
    ) -> None:
        """A caller's style sheet changes no byte of any chart."""
        kinds = ("cumulative", "completion", "daily")
        plain = [_draw(example_report, counts, k, "vi", "png") for k in kinds]
        with matplotlib.style.context(sheet):
            styled = [_draw(example_report, counts, k, "vi", "png") for k in kinds]
        assert styled == plain

    def test_svg_ids_are_stable_and_distinct(
        self, example_report: bc.CampaignReport, counts: bc.DailyCounts
    ) -> None:
        """SVG ids do not depend on a global salt, and two charts share none."""
        first = _draw(example_report, counts, "daily", "vi", "svg")
        with mpl.rc_context({"svg.hashsalt": "another"}):
            second = _draw(example_report, counts, "daily", "vi", "svg")
        assert first == second
        other = _draw(example_report, counts, "completion", "vi", "svg")
        made = re.compile(rb'id="([a-zA-Z_]*[0-9a-f]{10})"')
        ids, other_ids = set(made.findall(first)), set(made.findall(other))
        assert ids
        assert not ids & other_ids
        for ident in ids:
            assert b'="#' + ident + b'"' in first or b"url(#" + ident + b")" in first
