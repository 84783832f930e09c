"""Light SVG charts: plain markup, no plotting library, no network.

The HTML page inlines them (styled by the page's sheet); `bhxh_campaign.render.svg` gives
them standalone, with their own ``<style>``. Every text in a chart is escaped for XML here
(characters XML cannot hold become U+FFFD), so the markup is well-formed whatever the
units are called; every chart carries a ``<title>`` and a ``<desc>`` (its text
alternative) and is labelled by them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from decimal import Decimal

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.render._format import Lang, day, number, pct
from bhxh_campaign.render.columns import column
from bhxh_campaign.report import CampaignReport

__all__ = ["STYLE", "check_ident", "completion_svg", "cumulative_svg", "escape"]

_WIDTH = 720
_TICKS = 5


def _f(value: float) -> str:
    """A coordinate with at most one decimal: short, stable markup."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


# The characters XML 1.0 cannot hold, even escaped: controls other than tab and newlines,
# lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
# The standalone charts' style: the page's colours, without its variables.
STYLE = (
    "text{font:12px system-ui,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',Arial,sans-serif;"
    "fill:#1f2328}.tick{fill:#59636e}.grid{stroke:#eef1f4}.axis{stroke:#8c959f}"
    ".series{fill:none;stroke:#0969da;stroke-width:2.5;stroke-linejoin:round}"
    ".series-end{fill:#0969da}.series-label{font-weight:700}"
    ".target,.hundred{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:6 4}"
    ".target-label{fill:#cf222e}.bar{fill:#0969da}.bar.done{fill:#1a7f37}"
)


def escape(text: str) -> str:
    """Text for XML and HTML: markup characters escaped, characters XML forbids replaced."""
    return html.escape(_NOT_XML.sub("\ufffd", text))


def check_ident(ident: str) -> str:
    """An id prefix, refused unless it is a plain XML name."""
    if not isinstance(ident, str) or not _IDENT.fullmatch(ident):
        msg = f"ident must be letters, digits, '_', '-' or '.', starting with a letter: {ident!r}"
        raise InvalidValueError(msg, field="ident")
    return ident


def _svg(
    ident: str, title: str, desc: str, height: int, body: Sequence[str], *, standalone: bool
) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{_WIDTH}" height="{height}"'
        if standalone
        else '<svg class="chart"'
    )
    return (
        f'{head} viewBox="0 0 {_WIDTH} {height}" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        + (f"<style>{STYLE}</style>" if standalone else "")
        + "".join(body)
        + "</svg>"
    )


def _nice_step(top: int) -> int:
    """A round tick step (1, 2 or 5 times a power of ten) giving about five ticks."""
    raw = max(top / _TICKS, 1)
    power = 1
    while power * 10 <= raw:
        power *= 10
    for factor in (1, 2, 5, 10):
        if power * factor >= raw:
            return power * factor
    return power * 10  # pragma: no cover - the loop always returns


def cumulative_svg(
    report: CampaignReport,
    counts: DailyCounts,
    lang: Lang,
    *,
    ident: str = "cumulative",
    standalone: bool = False,
) -> tuple[str, str]:
    """The cumulative new participants, day by day, against the target.

    Returns:
        The ``<svg>`` element and its text alternative.
    """
    campaign, total = report.campaign, report.total
    days = (campaign.end - campaign.start).days + 1
    series = counts.series()
    running, points = 0, []
    for offset in range((report.as_of - campaign.start).days + 1):
        running += series.get(campaign.start + dt.timedelta(days=offset), 0)
        points.append(running)
    top_value = max([total.target, *points, 1])
    step = _nice_step(top_value)
    top = -(-top_value // step) * step
    left, right, upper, lower, height = 64, 16, 16, 40, 300
    plot_w, plot_h = _WIDTH - left - right, height - upper - lower

    def x(offset: float) -> float:
        return left + plot_w * offset / max(days - 1, 1)

    def y(value: float) -> float:
        return upper + plot_h * (1 - value / top)

    body = [
        f'<line class="grid" x1="{left}" x2="{_WIDTH - right}"'
        f' y1="{_f(y(tick))}" y2="{_f(y(tick))}"/>'
        f'<text class="tick" x="{left - 6}" y="{_f(y(tick) + 4)}" text-anchor="end">'
        f"{escape(number(tick, lang))}</text>"
        for tick in range(0, top + 1, step)
    ]
    label_every = 7 if days > 14 else 1
    for offset in range(0, days, label_every):
        when = campaign.start + dt.timedelta(days=offset)
        body.append(
            f'<text class="tick" x="{_f(x(offset))}" y="{height - lower + 18}"'
            f' text-anchor="middle">{escape(day(when, lang, year=False))}</text>'
        )
    target_label = f"{column('target').heading(report, lang)} {number(total.target, lang)}"
    body.append(
        f'<line class="target" x1="{left}" x2="{_WIDTH - right}"'
        f' y1="{_f(y(total.target))}" y2="{_f(y(total.target))}"/>'
        f'<text class="target-label" x="{_WIDTH - right - 4}" y="{_f(y(total.target) - 6)}"'
        f' text-anchor="end">{escape(target_label)}</text>'
    )
    path = " ".join(f"{_f(x(i))},{_f(y(v))}" for i, v in enumerate(points))
    body.append(f'<polyline class="series" points="{path}"/>')
    last = len(points) - 1
    body.append(
        f'<circle class="series-end" cx="{_f(x(last))}" cy="{_f(y(points[last]))}" r="4"/>'
        f'<text class="series-label" x="{_f(x(last) + 8)}" y="{_f(y(points[last]) + 4)}">'
        f"{escape(number(points[last], lang))}</text>"
    )
    body.append(
        f'<line class="axis" x1="{left}" x2="{_WIDTH - right}" y1="{_f(y(0))}" y2="{_f(y(0))}"/>'
    )
    as_of, start = day(report.as_of, lang), day(campaign.start, lang)
    if lang == "vi":
        title = "Số người tham gia mới cộng dồn so với kế hoạch"
        desc = (
            f"Từ {start} đến {as_of}, số người tham gia mới cộng dồn tăng lên "
            f"{number(total.actual, lang)}, đạt {pct(total.percent, lang)} kế hoạch "
            f"{number(total.target, lang)} người."
        )
    else:
        title = "Cumulative new participants against the target"
        desc = (
            f"From {start} to {as_of}, cumulative new participants rose to "
            f"{number(total.actual, lang)}, {pct(total.percent, lang)} of the target of "
            f"{number(total.target, lang)}."
        )
    return _svg(ident, title, desc, height, body, standalone=standalone), desc


def completion_svg(
    report: CampaignReport, lang: Lang, *, ident: str = "completion", standalone: bool = False
) -> tuple[str, str]:
    """The units ranked by completion, as horizontal bars, with the 100% line.

    Returns:
        The ``<svg>`` element and its text alternative.
    """
    rows = report.by_completion()
    left, right, upper, bar, gap = 150, 72, 12, 18, 8
    height = upper + len(rows) * (bar + gap) + 28
    top = max([Decimal(100), *(r.percent for r in rows)])
    top = Decimal(-(-int(top) // 20) * 20)
    plot_w = _WIDTH - left - right

    def x(value: Decimal) -> float:
        return left + plot_w * float(value / top)

    body = []
    for i, row in enumerate(rows):
        y = upper + i * (bar + gap)
        cls = "bar done" if row.reached else "bar"
        body.append(
            f'<text class="name" x="{left - 8}" y="{y + bar - 5}" text-anchor="end">'
            f"{escape(row.name)}</text>"
            f'<rect class="{cls}" x="{left}" y="{y}" width="{_f(x(row.percent) - left)}"'
            f' height="{bar}"/>'
            f'<text class="value" x="{_f(x(row.percent) + 6)}" y="{y + bar - 5}">'
            f"{escape(pct(row.percent, lang))}</text>"
        )
    bottom = upper + len(rows) * (bar + gap)
    body.append(
        f'<line class="hundred" x1="{_f(x(Decimal(100)))}" x2="{_f(x(Decimal(100)))}"'
        f' y1="{upper - 6}" y2="{bottom}"/>'
        f'<text class="tick" x="{_f(x(Decimal(100)))}" y="{bottom + 16}" text-anchor="middle">'
        f"{escape(pct(Decimal(100), lang))}</text>"
        f'<line class="axis" x1="{left}" x2="{left}" y1="{upper - 6}" y2="{bottom}"/>'
    )
    listed = "; ".join(f"{r.name} {pct(r.percent, lang)}" for r in rows)
    if lang == "vi":
        title = "Tỷ lệ hoàn thành kế hoạch của các đơn vị, xếp hạng"
        desc = f"Tỷ lệ hoàn thành kế hoạch, từ cao đến thấp: {listed}."
    else:
        title = f"{report.level.plural_en.capitalize()} ranked by completion of their targets"
        desc = f"Completion of targets, highest first: {listed}."
    return _svg(ident, title, desc, height, body, standalone=standalone), desc
