"""Charts of a campaign report, drawn with matplotlib (the optional ``plot`` extra).

Three charts, titled and labelled in Vietnamese or English with the numbers written as the
text report writes them (1.928 and 58,69% in Vietnamese):

- `cumulative_chart`: each district's cumulative new participants against its target line,
  the as-of day marked;
- `completion_chart`: districts ranked by completion percent, with the 100% line;
- `daily_chart`: the province's new participants per day, the trailing window highlighted.

Each returns a matplotlib `Figure` that belongs to no ``pyplot`` state and is never shown
on a display; `chart_bytes` saves one as PNG or SVG. The same inputs give the same bytes:
the size, the style and the font (DejaVu Sans, shipped with matplotlib) are fixed, and the
files carry no date or version stamp. Drawing touches no global state: every artist is
styled explicitly (no ``pyplot``, no write to ``matplotlib.rcParams``, no ``rc_context``),
so a caller's style sheet does not reach the charts, the caller's ``rcParams`` are left as
they were, and charts drawn by several threads at once (in a web server) are the bytes
drawn one by one. SVG ids are derived from the file's content rather than the global
``svg.hashsalt``. Matplotlib is imported when a chart is drawn, so importing this module
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

import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.render._chart_kit import (
    BLUE,
    GREEN,
    GREY,
    LIGHT_BLUE,
    METADATA,
    VERMILLION,
    bar_legend,
    bar_style,
    cumulative_panel,
    date_axis,
    day_number,
    figure_legend,
    label_axis,
    legend_dot,
    legend_keywords,
    line_style,
    new_figure,
    number_axis,
    percent_axis,
    short_day,
    stable_svg,
    style_axes,
    text_style,
    tick_labels,
    titles,
)
from bhxh_campaign.render._chart_words import check_counts, scope_words, words
from bhxh_campaign.render._format import Lang, day, number, pct
from bhxh_campaign.report import CampaignReport

# matplotlib is optional: its types are imported for the type checker only, and the module
# itself inside each function. No run-time reader (attrs, Hypothesis) sees these signatures.
if TYPE_CHECKING:
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
    text = words(report, lang)
    rows = check_counts(report, counts)
    chosen = list(report.districts) if units is None else [report.district(code) for code in units]
    if not chosen:
        msg = "no district to draw: units is empty"
        raise InvalidValueError(msg)
    columns = min(5, len(chosen))
    lines = math.ceil(len(chosen) / columns)
    days = list(counts.days)
    top = max(max(row.target, row.actual) for row in chosen)

    figure = new_figure(2.5 * columns + 0.6, 2.35 * lines + 1.5)
    grid = figure.subplots(lines, columns, sharex=True, sharey=True, squeeze=False)
    for index, panel in enumerate(grid.flat):
        if index >= len(chosen):
            panel.set_visible(False)
            continue
        row = chosen[index]
        cumulative_panel(panel, row, days=days, daily=rows[row.code], as_of=report.as_of, lang=lang)
    first = grid.flat[0]
    first.set_xlim(report.campaign.start, report.campaign.end)
    first.set_ylim(0, top * 1.12)
    number_axis(first.yaxis, lang)
    date_axis(first.xaxis, report.campaign.start, report.campaign.end, lang, ticks=3)
    for panel in grid[:, 0]:
        label_axis(panel, "y", text["people"])
    handles = [h for h in first.lines if h.get_gid() != "completed_on"]
    handles += legend_dot()
    figure_legend(
        figure,
        handles,
        [text["line"], text["target"], text["as_of"], text["completed_on"]],
        columns=4,
    )
    titles(figure, text["cumulative"], text["through"].format(day=day(report.as_of, lang)))
    return figure


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
    text = words(report, lang)
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

    figure = new_figure(9.0, 0.42 * count + 1.9)
    axes = figure.add_subplot()
    style_axes(axes, "x")
    bars = axes.barh(
        positions,
        widths,
        height=0.68,
        align="center",
        zorder=2,
        **bar_style([GREEN if row.reached else BLUE for row in ranked]),
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
        **text_style(8.5),
    )
    for label in labels:  # readable where a reference line crosses it
        label.set(
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "linewidth": 0.0, "pad": 1},
        )
    axes.axvline(100, gid="target", zorder=3, **line_style(VERMILLION, 1.5))
    scope = scope_words(report, lang, "who")
    axes.axvline(float(report.total.percent), gid="total", zorder=3, **line_style(GREY, 1.5, ":"))
    axes.set_yticks(positions, [row.name for row in ranked])
    axes.tick_params(axis="y", length=0)
    tick_labels(axes)
    axes.set_ylim(-0.6, count - 0.4)
    axes.set_xlim(0, longest * 1.3)
    percent_axis(axes.xaxis, lang)
    label_axis(axes, "x", text["percent_axis"])
    bar_legend(
        figure,
        [
            (GREEN, text["reached"], "patch"),
            (BLUE, text["not_reached"], "patch"),
            (VERMILLION, text["plan_line"], "-"),
            (GREY, text["total"].format(scope=scope, pct=pct(report.total.percent, lang)), ":"),
        ],
    )
    titles(figure, text["completion"], text["through"].format(day=day(report.as_of, lang)))
    return figure


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
    text = words(report, lang)
    check_counts(report, counts)
    series: Mapping[dt.date, int] = counts.series()
    window = report.window
    earlier = [d for d in series if d < window.start]
    inside = [d for d in series if window.start <= d <= window.end]
    top = max(series.values(), default=0)

    figure = new_figure(10.0, 5.2)
    axes = figure.add_subplot()
    style_axes(axes, "y")
    label = text["window"].format(
        days=window.days,
        start=short_day(window.start, lang),
        end=short_day(window.end, lang),
        count=number(report.total.window_count, lang),
    )
    for chosen, colour, name in ((earlier, LIGHT_BLUE, text["before"]), (inside, BLUE, label)):
        bars = axes.bar(
            chosen,  # type: ignore[arg-type]  # matplotlib converts dates itself
            [series[d] for d in chosen],
            width=0.75,
            align="center",
            label=name,
            zorder=2,
            **bar_style(colour),
        )
        for bar, when in zip(bars.patches, chosen, strict=True):
            bar.set_gid(when.isoformat())
        if len(series) <= 62:
            axes.bar_label(
                bars, labels=[number(series[d], lang) for d in chosen], padding=2, **text_style(8)
            )
    axes.set_ylim(0, max(top, 1) * 1.15)
    number_axis(axes.yaxis, lang)
    date_axis(axes.xaxis, counts.start, counts.end, lang, ticks=12)
    axes.set_xlim(day_number(counts.start) - 0.7, day_number(counts.end) + 0.7)
    label_axis(axes, "y", text["people"])
    axes.legend(loc="upper left", **legend_keywords(1))
    scope = scope_words(report, lang, "scope")
    titles(
        figure,
        text["daily"].format(scope=scope),
        text["through"].format(day=day(report.as_of, lang)),
    )
    return figure


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
    if fmt not in METADATA:
        msg = f"fmt must be 'png' or 'svg', got {fmt!r}"
        raise InvalidValueError(msg)
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format=fmt,
        dpi=DPI,
        metadata=METADATA[fmt],
        facecolor="white",
        edgecolor="white",
        transparent=False,
        bbox_inches=None,
        pad_inches=0.1,
    )
    data = buffer.getvalue()
    return stable_svg(data) if fmt == "svg" else data
