"""Charts of a campaign report, drawn with matplotlib (the optional ``plot`` extra).

Three charts, titled and labelled in Vietnamese or English with the numbers written as the
text report writes them (1.928 and 58,69% in Vietnamese):

- `cumulative_chart`: each district's cumulative new participants against its target line,
  the as-of day marked;
- `completion_chart`: districts ranked by completion percent, with the 100% line;
- `daily_chart`: the province's new participants per day, the trailing window highlighted.

Each returns a matplotlib `Figure` that belongs to no ``pyplot`` state and is never shown
on a display; `chart_bytes` saves one as PNG or SVG. The same inputs give the same bytes:
the size, the style (matplotlib's defaults and ours, whatever the caller's ``rcParams``)
and the font (DejaVu Sans, shipped with matplotlib) are fixed, and the files carry no date
or version stamp. Matplotlib is imported when a chart is drawn, so importing this module
does not need it.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import load_campaign
    >>> bundle = load_campaign("examples/bac_giang_2023")
    >>> as_of = dt.date(2023, 5, 18)
    >>> report, counts = bundle.report(as_of), bundle.counts(as_of)
    >>> figure = daily_chart(report, counts, lang="en")
    >>> chart_bytes(figure)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from babel.dates import format_date

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.render._format import Lang, day, number, pct
from bhxh_campaign.report import CampaignReport, DistrictProgress

# matplotlib is optional: its types are imported for the type checker only, and the module
# itself inside each function. No run-time reader (attrs, Hypothesis) sees these signatures.
if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "ChartFormat",
    "ChartKind",
    "chart_bytes",
    "completion_chart",
    "cumulative_chart",
    "daily_chart",
]

ChartKind = Literal["cumulative", "completion", "daily"]
"""The charts: ``cumulative`` per district, ``completion`` ranking, ``daily`` province total."""

ChartFormat = Literal["png", "svg"]
"""The file formats of `chart_bytes`."""

DPI = 150
"""Resolution of saved PNGs, in dots per inch (figure sizes are in inches)."""

# Okabe-Ito colours: told apart by readers with any common colour-vision deficiency.
_BLUE = "#0072B2"
_LIGHT_BLUE = "#9CC3E0"
_GREEN = "#009E73"
_VERMILLION = "#D55E00"
_GREY = "#6E6E6E"
_INK = "#222222"

_Mark = Literal["patch", "-", ":"]
"""How a legend entry is drawn: a coloured patch, a solid line or a dotted line."""
# Days between two date ticks, the shortest that keeps the ticks few enough.
_TICK_STEPS = (1, 2, 7, 14, 28, 56, 91, 182, 364)

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.edgecolor": "#9A9A9A",
    "axes.labelcolor": _INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "grid.color": "#E3E3E3",
    "grid.linewidth": 0.8,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "text.color": _INK,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    # Stable ids in SVG files, and glyphs drawn as paths, so no font is needed to view them.
    "svg.hashsalt": "bhxh_campaign",
    "svg.fonttype": "path",
}
# Keys set to None are left out of the file: no version stamp, no date.
_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None},
}

_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "cumulative": "Số người tham gia mới cộng dồn so với kế hoạch, theo đơn vị",
        "completion": "Tỷ lệ hoàn thành kế hoạch tăng mới, theo đơn vị",
        "daily": "Số người tham gia mới mỗi ngày, {scope}",
        "through": "Tính đến hết ngày {day}",
        "line": "Cộng dồn",
        "target": "Kế hoạch",
        "as_of": "Ngày báo cáo",
        "completed_on": "Ngày hoàn thành kế hoạch",
        "reached": "Đã hoàn thành kế hoạch",
        "not_reached": "Chưa hoàn thành",
        "plan_line": "Kế hoạch (100%)",
        "total": "Toàn {scope}: {pct}",
        "percent_axis": "Tỷ lệ so với kế hoạch",
        "people": "Số người",
        "window": "{days} ngày gần nhất ({start}–{end}): {count} người",
        "before": "Các ngày trước",
        "who_province": "tỉnh",
        "who_nation": "quốc",
        "scope_province": "toàn tỉnh",
        "scope_nation": "toàn quốc",
    },
    "en": {
        "cumulative": "Cumulative new participants against target, by district",
        "completion": "Completion of the new-participant target, by district",
        "daily": "New participants per day, {scope}",
        "through": "Through {day}",
        "line": "Cumulative",
        "target": "Target",
        "as_of": "As-of day",
        "completed_on": "Day the target was reached",
        "reached": "Target reached",
        "not_reached": "Not yet reached",
        "plan_line": "Target (100%)",
        "total": "{scope} total: {pct}",
        "percent_axis": "Percent of target",
        "people": "People",
        "window": "Last {days} days ({start}–{end}): {count}",
        "before": "Earlier days",
        "who_province": "Province",
        "who_nation": "National",
        "scope_province": "province",
        "scope_nation": "nationwide",
    },
}


def _require_matplotlib() -> None:
    """Import matplotlib, or say how to install it."""
    try:
        import matplotlib  # noqa: F401, PLC0415  (optional dependency, imported on use)
    except ModuleNotFoundError as error:
        msg = "charts need matplotlib: pip install 'bhxh-campaign[plot]'"
        raise ModuleNotFoundError(msg, name="matplotlib") from error


@contextlib.contextmanager
def _style() -> Iterator[None]:
    """Matplotlib's default style plus ours, whatever the caller's ``rcParams`` hold."""
    _require_matplotlib()
    import matplotlib.style  # noqa: PLC0415

    with matplotlib.style.context(_STYLE, after_reset=True):
        yield


def _figure(width: float, height: float) -> Figure:
    """A figure drawn by Agg, attached to no ``pyplot`` state and to no display."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _text(lang: Lang) -> dict[str, str]:
    if lang not in _TEXT:
        msg = f"lang must be 'vi' or 'en', got {lang!r}"
        raise InvalidValueError(msg)
    return _TEXT[lang]


def _short_day(value: dt.date, lang: Lang) -> str:
    """A tick label: ``12/5`` (vi), ``12 May`` (en)."""
    return format_date(value, "d/M" if lang == "vi" else "d MMM", locale=lang)


def _number_axis(axis: Any, lang: Lang) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: PLC0415

    axis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=3))
    axis.set_major_formatter(FuncFormatter(lambda value, _: number(round(value), lang)))


def _percent_axis(axis: Any, lang: Lang) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: PLC0415

    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _: pct(Decimal(round(value)), lang)))


def _day_number(value: dt.date) -> float:
    """Matplotlib's number for a day (its ``date2num`` is not annotated)."""
    import matplotlib.dates as mdates  # noqa: PLC0415

    return float(mdates.date2num(value))  # type: ignore[no-untyped-call]


def _number_day(value: float) -> dt.date:
    """The day of matplotlib's number (its ``num2date`` is not annotated)."""
    import matplotlib.dates as mdates  # noqa: PLC0415

    moment: dt.datetime = mdates.num2date(value)  # type: ignore[no-untyped-call]
    return moment.date()


def _date_axis(axis: Any, first: dt.date, last: dt.date, lang: Lang, *, ticks: int) -> None:
    """Ticks from ``first``, a day, two days, a week, ... apart: at most ``ticks`` of them."""
    from matplotlib.ticker import FixedLocator, FuncFormatter  # noqa: PLC0415

    span = (last - first).days
    step = next((s for s in _TICK_STEPS if span // s + 1 <= ticks), span or 1)
    days = [first + dt.timedelta(days=i) for i in range(0, span + 1, step)]
    axis.set_major_locator(FixedLocator([_day_number(d) for d in days]))
    axis.set_major_formatter(FuncFormatter(lambda value, _: _short_day(_number_day(value), lang)))


def _scope(report: CampaignReport, lang: Lang, key: str) -> str:
    """The text ``key`` for the campaign's scope: the province's, or the nation's."""
    return _text(lang)[f"{key}_nation" if report.campaign.is_national else f"{key}_province"]


def _check_counts(report: CampaignReport, counts: DailyCounts) -> dict[str, tuple[int, ...]]:
    """Each district's daily row, after checking the counts are the report's own."""
    if counts.start != report.campaign.start or counts.end != report.as_of:
        msg = (
            f"counts cover {counts.start} to {counts.end} but the report is of"
            f" {report.campaign.start} to {report.as_of}: pass the counts it was built from"
        )
        raise InvalidValueError(msg)
    rows = dict(counts.grid)
    codes = {row.code for row in report.districts}
    for code in rows:
        if code not in codes:
            msg = f"counts have unit {code!r}, which is not in the report"
            raise InvalidValueError(msg)
    blank = (0,) * len(counts.days)
    result = {row.code: rows.get(row.code, blank) for row in report.districts}
    for row in report.districts:
        if sum(result[row.code]) != row.actual:
            msg = (
                f"counts of district {row.code!r} add up to {sum(result[row.code])}"
                f" but the report says {row.actual}: pass the counts it was built from"
            )
            raise InvalidValueError(msg)
    return result


def cumulative_chart(
    report: CampaignReport,
    counts: DailyCounts,
    *,
    lang: Lang = "vi",
    units: Iterable[str] | None = None,
) -> Figure:
    """Each district's cumulative new participants against its target, one panel each.

    The panels share their axes: the x axis runs over the whole campaign, so the days left
    show; the dotted line marks the as-of day, the dashed line the target, and a dot the
    day the target was reached.

    Args:
        report: the campaign report.
        counts: the `DailyCounts` the report was built from.
        lang: ``"vi"`` or ``"en"``: titles, labels and number formats.
        units: the district codes to draw, in panel order (default: every district, in
            the order of the league table).

    Returns:
        The figure. Each panel's lines carry a ``gid``: ``"cumulative"`` (one point per day
        from the campaign's start to the as-of day), ``"target"``, ``"as_of"`` and, once
        the target is reached, ``"completed_on"``.

    Raises:
        InvalidValueError: ``counts`` are not the report's, no district is chosen, or
            ``lang`` is unknown.
        UnknownUnitError: a code in ``units`` is not in the report.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> as_of = dt.date(2023, 5, 18)
        >>> figure = cumulative_chart(bundle.report(as_of), bundle.counts(as_of), lang="en")
        >>> panel = figure.axes[0]
        >>> panel.get_title(loc="left")
        'Yên Dũng'
        >>> line = next(ln for ln in panel.lines if ln.get_gid() == "cumulative")
        >>> [int(y) for y in line.get_ydata()][14:]  # 15 to 18 May: the target, 285, on 16 May
        [266, 293, 309, 318]
    """
    text = _text(lang)
    rows = _check_counts(report, counts)
    chosen = list(report.districts) if units is None else [report.district(code) for code in units]
    if not chosen:
        msg = "no district to draw: units is empty"
        raise InvalidValueError(msg)
    columns = min(5, len(chosen))
    lines = math.ceil(len(chosen) / columns)
    days = list(counts.days)
    top = max(max(row.target, row.actual) for row in chosen)

    with _style():
        figure = _figure(2.5 * columns + 0.6, 2.35 * lines + 1.5)
        grid = figure.subplots(lines, columns, sharex=True, sharey=True, squeeze=False)
        for index, panel in enumerate(grid.flat):
            if index >= len(chosen):
                panel.set_visible(False)
                continue
            row = chosen[index]
            _cumulative_panel(
                panel, row, days=days, daily=rows[row.code], as_of=report.as_of, lang=lang
            )
        first = grid.flat[0]
        first.set_xlim(report.campaign.start, report.campaign.end)
        first.set_ylim(0, top * 1.12)
        _number_axis(first.yaxis, lang)
        _date_axis(first.xaxis, report.campaign.start, report.campaign.end, lang, ticks=3)
        for panel in grid[:, 0]:
            panel.set_ylabel(text["people"])
        handles = [h for h in first.lines if h.get_gid() != "completed_on"]
        handles += _legend_dot()
        figure.legend(
            handles=handles,
            labels=[text["line"], text["target"], text["as_of"], text["completed_on"]],
            loc="outside lower center",
            ncols=4,
        )
        _titles(figure, text["cumulative"], text["through"].format(day=day(report.as_of, lang)))
    return figure


def _legend_dot() -> list[Any]:
    from matplotlib.lines import Line2D  # noqa: PLC0415

    return [Line2D([], [], color=_GREEN, marker="o", linestyle="none", markersize=6)]


def _cumulative_panel(
    panel: Axes,
    row: DistrictProgress,
    *,
    days: list[dt.date],
    daily: tuple[int, ...],
    as_of: dt.date,
    lang: Lang,
) -> None:
    running = list(itertools.accumulate(daily))
    reached = row.completed_on is not None
    panel.grid(axis="y")
    # Dates go through matplotlib's unit conversion; its annotations admit numbers only.
    panel.plot(days, running, color=_BLUE, linewidth=2, gid="cumulative", zorder=3)  # type: ignore[arg-type]
    panel.axhline(row.target, color=_VERMILLION, linestyle="--", linewidth=1.2, gid="target")
    panel.axvline(as_of, color=_GREY, linestyle=":", linewidth=1.2, gid="as_of")  # type: ignore[arg-type]
    if row.completed_on is not None:
        on = days.index(row.completed_on)
        panel.plot(
            [row.completed_on],  # type: ignore[arg-type]
            [running[on]],
            color=_GREEN,
            marker="o",
            markersize=6,
            linestyle="none",
            gid="completed_on",
            zorder=4,
        )
    panel.set_title(row.name, loc="left")
    panel.set_title(
        f"{number(row.actual, lang)}/{number(row.target, lang)} · {pct(row.percent, lang)}",
        loc="right",
        fontsize=9,
        color=_GREEN if reached else _INK,
        fontweight="bold" if reached else "normal",
    )


def completion_chart(
    report: CampaignReport, *, lang: Lang = "vi", units: Iterable[str] | None = None
) -> Figure:
    """Districts ranked by completion percent, highest on top, with the 100% line.

    Args:
        report: the campaign report.
        lang: ``"vi"`` or ``"en"``: titles, labels and number formats.
        units: the district codes to draw (default: every district); they are ranked all
            the same, e.g. the ten last of a national campaign.

    Returns:
        The figure. Its bars are horizontal, one per district in the order of
        `CampaignReport.by_completion` from the top; each bar's width is the district's
        rounded percent and its ``gid`` the district's code. Districts that reached their
        target are green. The vertical lines carry the ``gid`` ``"target"`` (at 100) and
        ``"total"`` (the whole campaign's percent).

    Raises:
        InvalidValueError: no district is chosen, or ``lang`` is unknown.
        UnknownUnitError: a code in ``units`` is not in the report.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> figure = completion_chart(report, lang="vi")
        >>> axes = figure.axes[0]
        >>> [(p.get_gid(), float(p.get_width())) for p in axes.patches][:2]
        [('220', 112.67), ('221', 111.58)]
        >>> [label.get_text() for label in axes.get_yticklabels()][:2]
        ['Sơn Động', 'Yên Dũng']
    """
    text = _text(lang)
    ranked = report.by_completion()
    if units is not None:
        chosen = {report.district(code).code for code in units}
        if not chosen:
            msg = "no district to draw: units is empty"
            raise InvalidValueError(msg)
        ranked = tuple(row for row in ranked if row.code in chosen)
    count = len(ranked)
    positions = list(range(count - 1, -1, -1))
    widths = [float(row.percent) for row in ranked]
    longest = max([100.0, float(report.total.percent), *widths])

    with _style():
        figure = _figure(9.0, 0.42 * count + 1.9)
        axes = figure.add_subplot()
        axes.grid(axis="x")
        bars = axes.barh(
            positions,
            widths,
            height=0.68,
            color=[_GREEN if row.reached else _BLUE for row in ranked],
            zorder=2,
        )
        for bar, row in zip(bars.patches, ranked, strict=True):
            bar.set_gid(row.code)
        labels = axes.bar_label(
            bars,
            labels=[
                f"{pct(row.percent, lang)}  ({number(row.actual, lang)}/{number(row.target, lang)})"
                for row in ranked
            ],
            padding=4,
            fontsize=8.5,
            color=_INK,
        )
        for label in labels:  # readable where a reference line crosses it
            label.set(zorder=4, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        axes.axvline(100, color=_VERMILLION, linewidth=1.5, gid="target", zorder=3)
        scope = _scope(report, lang, "who")
        axes.axvline(
            float(report.total.percent),
            color=_GREY,
            linestyle=":",
            linewidth=1.5,
            gid="total",
            zorder=3,
        )
        axes.set_yticks(positions, [row.name for row in ranked])
        axes.tick_params(axis="y", length=0)
        axes.set_ylim(-0.6, count - 0.4)
        axes.set_xlim(0, longest * 1.3)
        _percent_axis(axes.xaxis, lang)
        axes.set_xlabel(text["percent_axis"])
        _bar_legend(
            figure,
            [
                (_GREEN, text["reached"], "patch"),
                (_BLUE, text["not_reached"], "patch"),
                (_VERMILLION, text["plan_line"], "-"),
                (
                    _GREY,
                    text["total"].format(scope=scope, pct=pct(report.total.percent, lang)),
                    ":",
                ),
            ],
        )
        _titles(figure, text["completion"], text["through"].format(day=day(report.as_of, lang)))
    return figure


def _bar_legend(figure: Figure, entries: list[tuple[str, str, _Mark]]) -> None:
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    handles: list[Any] = [
        Patch(color=colour)
        if kind == "patch"
        else Line2D([], [], color=colour, linestyle=kind, linewidth=1.5)
        for colour, _, kind in entries
    ]
    figure.legend(
        handles=handles,
        labels=[label for _, label, _ in entries],
        loc="outside lower center",
        ncols=len(entries),
    )


def daily_chart(report: CampaignReport, counts: DailyCounts, *, lang: Lang = "vi") -> Figure:
    """New participants per day, all districts added up, the trailing window highlighted.

    Args:
        report: the campaign report.
        counts: the `DailyCounts` the report was built from.
        lang: ``"vi"`` or ``"en"``: titles, labels and number formats.

    Returns:
        The figure. Its bars, one per day from the campaign's start to the as-of day, are
        in two containers: the days before the window first, then the window's days
        (highlighted); each bar's ``gid`` is its day in ISO form.

    Raises:
        InvalidValueError: ``counts`` are not the report's, or ``lang`` is unknown.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> as_of = dt.date(2023, 5, 18)
        >>> figure = daily_chart(bundle.report(as_of), bundle.counts(as_of), lang="en")
        >>> before, window = figure.axes[0].containers
        >>> [bar.get_gid() for bar in window][0], int(sum(bar.get_height() for bar in window))
        ('2023-05-12', 1074)
    """
    text = _text(lang)
    _check_counts(report, counts)
    series: Mapping[dt.date, int] = counts.series()
    window = report.window
    earlier = [d for d in series if d < window.start]
    inside = [d for d in series if window.start <= d <= window.end]
    top = max(series.values(), default=0)

    with _style():
        figure = _figure(10.0, 5.2)
        axes = figure.add_subplot()
        axes.grid(axis="y")
        label = text["window"].format(
            days=window.days,
            start=_short_day(window.start, lang),
            end=_short_day(window.end, lang),
            count=number(report.total.window_count, lang),
        )
        for chosen, colour, name in (
            (earlier, _LIGHT_BLUE, text["before"]),
            (inside, _BLUE, label),
        ):
            bars = axes.bar(
                chosen,  # type: ignore[arg-type]  # matplotlib converts dates itself
                [series[d] for d in chosen],
                width=0.75,
                color=colour,
                label=name,
                zorder=2,
            )
            for bar, when in zip(bars.patches, chosen, strict=True):
                bar.set_gid(when.isoformat())
            if len(series) <= 62:
                axes.bar_label(
                    bars,
                    labels=[number(series[d], lang) for d in chosen],
                    padding=2,
                    fontsize=8,
                    color=_INK,
                )
        axes.set_ylim(0, max(top, 1) * 1.15)
        _number_axis(axes.yaxis, lang)
        _date_axis(axes.xaxis, counts.start, counts.end, lang, ticks=12)
        axes.set_xlim(_day_number(counts.start) - 0.7, _day_number(counts.end) + 0.7)
        axes.set_ylabel(text["people"])
        axes.legend(loc="upper left")
        scope = _scope(report, lang, "scope")
        _titles(
            figure,
            text["daily"].format(scope=scope),
            text["through"].format(day=day(report.as_of, lang)),
        )
    return figure


def _titles(figure: Figure, title: str, subtitle: str) -> None:
    """A bold title and a grey subtitle under it, both flush left above every panel."""
    from matplotlib.text import Annotation  # noqa: PLC0415

    # The title's blank second line makes the layout keep room for the subtitle, which is
    # then placed on that line, wherever the layout puts the title.
    heading = figure.suptitle(f"{title}\n", x=0.01, ha="left", fontsize=13, fontweight="bold")
    figure.add_artist(
        Annotation(
            subtitle,
            xy=(0, 0),
            xycoords=heading,
            xytext=(0, 1),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=10,
            color=_GREY,
        )
    )


def chart_bytes(figure: Figure, fmt: ChartFormat = "png") -> bytes:
    """The figure as a PNG or SVG file, the same bytes every time.

    Args:
        figure: a figure of this module (any matplotlib figure works).
        fmt: ``"png"`` (at `DPI` dots per inch) or ``"svg"``.

    Returns:
        The file's bytes, without a date or a software version in its metadata.

    Raises:
        InvalidValueError: ``fmt`` is not ``"png"`` or ``"svg"``.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> chart_bytes(completion_chart(report)) == chart_bytes(completion_chart(report))
        True
    """
    if fmt not in _METADATA:
        msg = f"fmt must be 'png' or 'svg', got {fmt!r}"
        raise InvalidValueError(msg)
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buffer.getvalue()
