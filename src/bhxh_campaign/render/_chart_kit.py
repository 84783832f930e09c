"""The drawing kit of the charts: matplotlib's style, figures, axes, legends and titles.

Matplotlib is optional: it is imported inside each function, and its types for the type
checker only, so importing this module does not need it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from babel.dates import format_date

from bhxh_campaign.render._format import Lang, number, pct
from bhxh_campaign.report import DistrictProgress

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe-Ito colours: told apart by readers with any common colour-vision deficiency.
BLUE = "#0072B2"
LIGHT_BLUE = "#9CC3E0"
GREEN = "#009E73"
VERMILLION = "#D55E00"
GREY = "#6E6E6E"
INK = "#222222"

Mark = Literal["patch", "-", ":"]
"""How a legend entry is drawn: a coloured patch, a solid line or a dotted line."""
# Days between two date ticks, the shortest that keeps the ticks few enough.
_TICK_STEPS = (1, 2, 7, 14, 28, 56, 91, 182, 364)

FONT = "DejaVu Sans"
"""The charts' font, shipped with matplotlib."""
SIZE = 9.5
"""The size of ordinary text (ticks, labels, legends), in points."""
_EDGE = "#9A9A9A"
_TICK = "#444444"
_GRID = "#E3E3E3"

GRID_MARGINS: dict[str, float] = {
    "left": 0.125,
    "right": 0.9,
    "bottom": 0.11,
    "top": 0.88,
    "wspace": 0.2,
    "hspace": 0.2,
}
"""Matplotlib's default margins, where the layout engine starts."""
# Keys set to None are left out of the file: no version stamp, no date.
METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None},
}
# The ids matplotlib's SVG writer makes: a kind, then ten hex digits of a hash salted at
# random (or with the global ``svg.hashsalt``, which the charts never write).
_SVG_ID = re.compile(rb'id="((?:C[0-9]+_[0-9]+_)?(?:h|p|m|image|Im_image)?([0-9a-f]{10}))"')
_HEX10 = re.compile(rb"(?<![0-9a-f])[0-9a-f]{10}(?![0-9a-f])")


def require_matplotlib() -> None:
    """Import matplotlib, or say how to install it."""
    try:
        import matplotlib  # noqa: F401, PLC0415  (optional dependency, imported on use)
    except ModuleNotFoundError as error:
        msg = "charts need matplotlib: pip install 'bhxh-campaign[plot]'"
        raise ModuleNotFoundError(msg, name="matplotlib") from error


# Every artist is styled here, explicitly: nothing reads or writes matplotlib's global
# ``rcParams`` style keys, so a caller's style never reaches a chart, and charts drawn in
# threads at once do not disturb one another (``rc_context`` and ``style.context`` change
# the globals of every thread while they last).


def font(size: float = SIZE, weight: str = "normal") -> Any:
    """The charts' font at a size and weight, every property given (none from rcParams)."""
    from matplotlib.font_manager import FontProperties  # noqa: PLC0415

    return FontProperties(
        family=FONT,
        style="normal",
        variant="normal",
        weight=weight,
        stretch="normal",
        size=size,
        math_fontfamily="dejavusans",
    )


def text_style(size: float = SIZE, *, weight: str = "normal", color: str = INK) -> dict[str, Any]:
    """The keywords of a text artist: font, colour, and names drawn as written ($ and all)."""
    return {
        "fontproperties": font(size, weight),
        "color": color,
        "usetex": False,
        "parse_math": False,
        "antialiased": True,
    }


def line_style(color: str, linewidth: float, linestyle: str = "-") -> dict[str, Any]:
    """The keywords of a line: colour, width, dashes, caps and joins."""
    return {
        "color": color,
        "linewidth": linewidth,
        "linestyle": linestyle,
        "antialiased": True,
        "solid_capstyle": "projecting",
        "solid_joinstyle": "round",
        "dash_capstyle": "butt",
        "dash_joinstyle": "round",
        "drawstyle": "default",
        "alpha": None,
    }


def marker_style(color: str, size: float) -> dict[str, Any]:
    """The keywords of a round marker drawn without a line."""
    return {
        "color": color,
        "marker": "o",
        "markersize": size,
        "markerfacecolor": color,
        "markeredgecolor": color,
        "markeredgewidth": 1.0,
        "linestyle": "none",
        "antialiased": True,
    }


def bar_style(colors: str | list[str]) -> dict[str, Any]:
    """The keywords of bars: filled, no edge, no hatch."""
    return {
        "color": colors,
        "edgecolor": "none",
        "linewidth": 0.0,
        "antialiased": True,
        "hatch": None,
        "alpha": None,
    }


def new_figure(width: float, height: float) -> Figure:
    """A figure drawn by Agg, attached to no ``pyplot`` state and to no display."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.layout_engine import ConstrainedLayoutEngine  # noqa: PLC0415

    figure = Figure(
        figsize=(width, height),
        dpi=100,
        facecolor="white",
        edgecolor="white",
        linewidth=0.0,
        frameon=True,
        layout=ConstrainedLayoutEngine(
            h_pad=0.04167, w_pad=0.04167, hspace=0.02, wspace=0.02, compress=False
        ),
    )
    # The figure resets its margins from rcParams as it is made: set them after.
    figure.subplotpars.update(**GRID_MARGINS)
    FigureCanvasAgg(figure)
    return figure


def style_axes(axes: Axes, grid: Literal["x", "y"], *, shared: bool = False) -> None:
    """Style one panel: white, two grey spines, grey ticks, a light grid along ``grid``.

    A panel of a grid with ``shared`` axes keeps the tick labels ``subplots`` chose (on
    the outer panels only); any other shows them at its left and bottom.
    """
    from matplotlib.ticker import NullLocator  # noqa: PLC0415

    axes.set_facecolor("white")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        spine = axes.spines[side]
        spine.set_visible(True)
        spine.set_edgecolor(_EDGE)
        spine.set_linewidth(0.8)
        spine.set_linestyle("-")
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_minor_locator(NullLocator())
    axes.tick_params(
        axis="both",
        which="major",
        direction="out",
        length=3.5,
        width=0.8,
        pad=3.5,
        color=_TICK,
        labelcolor=_TICK,
        labelsize=SIZE,
        labelfontfamily=FONT,
        labelrotation=0,
        top=False,
        right=False,
        bottom=True,
        left=True,
        labeltop=False,
        labelright=False,
    )
    if not shared:
        axes.tick_params(axis="both", labelbottom=True, labelleft=True)
    axes.grid(visible=False, which="both", axis="both")
    axes.grid(
        visible=True,
        which="major",
        axis=grid,
        color=_GRID,
        linewidth=0.8,
        linestyle="-",
        alpha=1.0,
    )
    axes.set_xmargin(0.05)
    axes.set_ymargin(0.05)


def label_axis(axes: Axes, axis: Literal["x", "y"], text: str) -> None:
    """An axis label in the charts' ink."""
    setter = axes.set_xlabel if axis == "x" else axes.set_ylabel
    setter(text, labelpad=4.0, **text_style())


def title_panel(axes: Axes, text: str, loc: Literal["left", "right"], **style: Any) -> None:
    """A panel's title at its left or right, bold by default."""
    axes.set_title(text, loc=loc, pad=6.0, y=1.0, **style)


def tick_labels(axes: Axes) -> None:
    """Re-style the tick labels made since `style_axes` (``set_yticks`` with labels)."""
    axes.tick_params(axis="both", labelsize=SIZE, labelfontfamily=FONT, labelcolor=_TICK)


def legend_keywords(columns: int) -> dict[str, Any]:
    """The keywords of a legend: frameless, in the charts' font, every spacing given."""
    return {
        "ncols": columns,
        "prop": font(),
        "labelcolor": INK,
        "frameon": False,
        "fancybox": True,
        "shadow": False,
        "framealpha": 0.8,
        "facecolor": "white",
        "edgecolor": "0.8",
        "borderpad": 0.4,
        "labelspacing": 0.5,
        "handlelength": 2.0,
        "handleheight": 0.7,
        "handletextpad": 0.8,
        "borderaxespad": 0.5,
        "columnspacing": 2.0,
        "markerscale": 1.0,
        "numpoints": 1,
        "scatterpoints": 1,
    }


def stable_svg(data: bytes) -> bytes:
    """An SVG file with matplotlib's random ids replaced by ids drawn from its content.

    Matplotlib salts its ids at random unless the global ``svg.hashsalt`` is set; the
    charts set no global, so the ids are renumbered here, in order of appearance, under
    a salt that is a hash of the file with its ids blanked out: the same chart gets the
    same ids, and two different charts inlined in one page do not share any.
    """
    found: dict[bytes, bytes] = {}
    for match in _SVG_ID.finditer(data):
        found.setdefault(match.group(2), b"")
    blank = _HEX10.sub(lambda m: b"0" * 10 if m.group() in found else m.group(), data)
    salt = hashlib.sha256(blank).hexdigest()[:16]
    for n, old in enumerate(found):
        digest = hashlib.sha256(f"{salt}:{n}".encode()).hexdigest()[:10]
        found[old] = digest.encode()
    return _HEX10.sub(lambda m: found.get(m.group(), m.group()), data)


def short_day(value: dt.date, lang: Lang) -> str:
    """A tick label: ``12/5`` (vi), ``12 May`` (en)."""
    return format_date(value, "d/M" if lang == "vi" else "d MMM", locale=lang)


def number_axis(axis: Any, lang: Lang) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: PLC0415

    axis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=3))
    axis.set_major_formatter(FuncFormatter(lambda value, _: number(round(value), lang)))


def percent_axis(axis: Any, lang: Lang) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: PLC0415

    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _: pct(Decimal(round(value)), lang)))


def day_number(value: dt.date) -> float:
    """Matplotlib's number for a day (its ``date2num`` is not annotated)."""
    import matplotlib.dates as mdates  # noqa: PLC0415

    return float(mdates.date2num(value))  # type: ignore[no-untyped-call]


def number_day(value: float) -> dt.date:
    """The day of matplotlib's number (its ``num2date`` is not annotated)."""
    import matplotlib.dates as mdates  # noqa: PLC0415

    moment: dt.datetime = mdates.num2date(value)  # type: ignore[no-untyped-call]
    return moment.date()


def date_axis(axis: Any, first: dt.date, last: dt.date, lang: Lang, *, ticks: int) -> None:
    """Ticks from ``first``, a day, two days, a week, ... apart: at most ``ticks`` of them."""
    from matplotlib.ticker import FixedLocator, FuncFormatter  # noqa: PLC0415

    span = (last - first).days
    step = next((s for s in _TICK_STEPS if span // s + 1 <= ticks), span or 1)
    days = [first + dt.timedelta(days=i) for i in range(0, span + 1, step)]
    axis.set_major_locator(FixedLocator([day_number(d) for d in days]))
    axis.set_major_formatter(FuncFormatter(lambda value, _: short_day(number_day(value), lang)))


def legend_dot() -> list[Any]:
    from matplotlib.lines import Line2D  # noqa: PLC0415

    return [Line2D([], [], **marker_style(GREEN, 6))]


def figure_legend(figure: Figure, handles: list[Any], labels: list[str], *, columns: int) -> None:
    """A legend under every panel, in the charts' style."""
    figure.legend(
        handles=handles, labels=labels, loc="outside lower center", **legend_keywords(columns)
    )


def bar_legend(figure: Figure, entries: list[tuple[str, str, Mark]]) -> None:
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    handles: list[Any] = [
        Patch(facecolor=colour, edgecolor=colour, linewidth=1.0, antialiased=True)
        if kind == "patch"
        else Line2D([], [], **line_style(colour, 1.5, kind))
        for colour, _, kind in entries
    ]
    figure_legend(figure, handles, [label for _, label, _ in entries], columns=len(entries))


def titles(figure: Figure, title: str, subtitle: str) -> None:
    """A bold title and a grey subtitle under it, both flush left above every panel."""
    from matplotlib.text import Annotation  # noqa: PLC0415

    # The title's blank second line makes the layout keep room for the subtitle, which is
    # then placed on that line, wherever the layout puts the title.
    heading = figure.suptitle(f"{title}\n", x=0.01, ha="left", **text_style(13, weight="bold"))
    figure.add_artist(
        Annotation(
            subtitle,
            xy=(0, 0),
            xycoords=heading,
            xytext=(0, 1),
            textcoords="offset points",
            ha="left",
            va="bottom",
            **text_style(10, color=GREY),
        )
    )


def cumulative_panel(
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
    style_axes(panel, "y", shared=True)
    # Dates go through matplotlib's unit conversion; its annotations admit numbers only.
    panel.plot(days, running, gid="cumulative", zorder=3, **line_style(BLUE, 2))  # type: ignore[arg-type]
    panel.axhline(row.target, gid="target", **line_style(VERMILLION, 1.2, "--"))
    panel.axvline(as_of, gid="as_of", **line_style(GREY, 1.2, ":"))  # type: ignore[arg-type]
    if row.completed_on is not None:
        on = days.index(row.completed_on)
        panel.plot(
            [row.completed_on],  # type: ignore[arg-type]
            [running[on]],
            gid="completed_on",
            zorder=4,
            **marker_style(GREEN, 6),
        )
    title_panel(panel, row.name, "left", **text_style(10.5, weight="bold"))
    title_panel(
        panel,
        f"{number(row.actual, lang)}/{number(row.target, lang)} · {pct(row.percent, lang)}",
        "right",
        **text_style(9, weight="bold" if reached else "normal", color=GREEN if reached else INK),
    )
