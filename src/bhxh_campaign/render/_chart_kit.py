"""The drawing kit of the charts: matplotlib's style, figures, axes, legends and titles.

Matplotlib is optional: it is imported inside each function, and its types for the type
checker only, so importing this module does not need it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterator
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

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.edgecolor": "#9A9A9A",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "grid.color": "#E3E3E3",
    "grid.linewidth": 0.8,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "text.color": INK,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    # Stable ids in SVG files, and glyphs drawn as paths, so no font is needed to view them.
    "svg.hashsalt": "bhxh_campaign",
    "svg.fonttype": "path",
}
# Keys set to None are left out of the file: no version stamp, no date.
METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None},
}


def require_matplotlib() -> None:
    """Import matplotlib, or say how to install it."""
    try:
        import matplotlib  # noqa: F401, PLC0415  (optional dependency, imported on use)
    except ModuleNotFoundError as error:
        msg = "charts need matplotlib: pip install 'bhxh-campaign[plot]'"
        raise ModuleNotFoundError(msg, name="matplotlib") from error


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Matplotlib's default style plus ours, whatever the caller's ``rcParams`` hold."""
    require_matplotlib()
    import matplotlib.style  # noqa: PLC0415

    with matplotlib.style.context(_STYLE, after_reset=True):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure drawn by Agg, attached to no ``pyplot`` state and to no display."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


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

    return [Line2D([], [], color=GREEN, marker="o", linestyle="none", markersize=6)]


def bar_legend(figure: Figure, entries: list[tuple[str, str, Mark]]) -> None:
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


def titles(figure: Figure, title: str, subtitle: str) -> None:
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
            color=GREY,
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
    panel.grid(axis="y")
    # Dates go through matplotlib's unit conversion; its annotations admit numbers only.
    panel.plot(days, running, color=BLUE, linewidth=2, gid="cumulative", zorder=3)  # type: ignore[arg-type]
    panel.axhline(row.target, color=VERMILLION, linestyle="--", linewidth=1.2, gid="target")
    panel.axvline(as_of, color=GREY, linestyle=":", linewidth=1.2, gid="as_of")  # type: ignore[arg-type]
    if row.completed_on is not None:
        on = days.index(row.completed_on)
        panel.plot(
            [row.completed_on],  # type: ignore[arg-type]
            [running[on]],
            color=GREEN,
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
        color=GREEN if reached else INK,
        fontweight="bold" if reached else "normal",
    )
