"""Light SVG charts of a report for pages and dashboards: a few kilobytes, no matplotlib.

The HTML page (`bhxh_campaign.render.html`) draws its two charts with these functions.
Here they are standalone SVG documents: the SVG namespace, a width and height, and their
own ``<style>``, so a dashboard can serve one as an ``image/svg+xml`` file, put it in an
``<img>``, or inline it in a page. Each is well-formed XML whatever the units are called
(``&``, ``<``, quotes and characters XML cannot hold are escaped or replaced), and each
carries a ``<title>`` and a ``<desc>`` (its text alternative, the figures in words) that
label it for screen readers.

They are written by hand from the report's exact figures, percents rounded half-up once;
for the detailed charts (one panel per unit, the daily bars) see
`bhxh_campaign.render.charts`, drawn with matplotlib.

Examples:
    >>> import datetime as dt
    >>> import xml.etree.ElementTree as ET
    >>> from bhxh_campaign import load_campaign
    >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
    >>> chart = completion_svg(report, lang="en")
    >>> root = ET.fromstring(chart)
    >>> root.tag, len(chart.encode()) < 10_000
    ('{http://www.w3.org/2000/svg}svg', True)
    >>> root.find("{http://www.w3.org/2000/svg}desc").text[:60]
    'Completion of targets, highest first: Sơn Động 112.67%; Yên '
"""

from __future__ import annotations

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.render import _svg
from bhxh_campaign.render._format import Lang
from bhxh_campaign.report import CampaignReport

__all__ = ["completion_svg", "cumulative_svg"]


def _check_lang(lang: str) -> None:
    if lang not in ("vi", "en"):
        msg = f"lang must be 'vi' or 'en', got {lang!r}"
        raise InvalidValueError(msg, field="lang")


def cumulative_svg(
    report: CampaignReport,
    counts: DailyCounts,
    *,
    lang: Lang = "vi",
    ident: str = "cumulative",
) -> str:
    """The campaign's cumulative new participants, day by day, against its target.

    Args:
        report: the campaign report.
        counts: the `DailyCounts` the report was built from (``bundle.counts(as_of)``).
        lang: ``"vi"`` or ``"en"``: title, text alternative and number formats.
        ident: the prefix of the ids of the chart's ``<title>`` and ``<desc>``; give each
            chart inlined in one page its own.

    Returns:
        A standalone SVG document (an ``<svg>`` element, without an XML declaration):
        the line of the running total from the campaign's first day to the as-of day, the
        target as a dashed line, the campaign's days across.

    Raises:
        InvalidValueError: ``lang`` is unknown, ``ident`` is not a plain XML name, or
            ``counts`` do not run from the campaign's first day to the as-of day.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> as_of = dt.date(2023, 5, 18)
        >>> chart = cumulative_svg(bundle.report(as_of), bundle.counts(as_of))
        >>> chart[:40]
        '<svg xmlns="http://www.w3.org/2000/svg" '
        >>> "đạt 58,69% kế hoạch 3.285 người" in chart
        True
    """
    _check_lang(lang)
    if (counts.start, counts.end) != (report.campaign.start, report.as_of):
        msg = (
            f"counts cover {counts.start} to {counts.end}, but the report needs"
            f" {report.campaign.start} to {report.as_of}"
        )
        raise InvalidValueError(msg, field="counts")
    svg, _ = _svg.cumulative_svg(
        report, counts, lang, ident=_svg.check_ident(ident), standalone=True
    )
    return svg


def completion_svg(report: CampaignReport, *, lang: Lang = "vi", ident: str = "completion") -> str:
    """The units ranked by completion of their targets, as bars, with the 100% line.

    Args:
        report: the campaign report.
        lang: ``"vi"`` or ``"en"``: title, text alternative and number formats.
        ident: the prefix of the ids of the chart's ``<title>`` and ``<desc>``.

    Returns:
        A standalone SVG document: one bar per unit, highest rate on top (the order of
        `CampaignReport.by_completion`), green once the target is reached, each labelled
        with the unit's name and its percent.

    Raises:
        InvalidValueError: ``lang`` is unknown, or ``ident`` is not a plain XML name.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> chart = completion_svg(report, ident="bg-completion")
        >>> chart.count('class="bar done"'), chart.count('class="bar"')
        (2, 8)
        >>> '<title id="bg-completion-title">' in chart
        True
    """
    _check_lang(lang)
    svg, _ = _svg.completion_svg(report, lang, ident=_svg.check_ident(ident), standalone=True)
    return svg
