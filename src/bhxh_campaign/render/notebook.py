"""The league table as HTML, for notebooks.

`report_table_html` gives the table; in IPython or Jupyter, ``%load_ext
bhxh_campaign.render.notebook`` shows every `CampaignReport` as that table (a report holds
no renderer itself: the core never imports one).

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, Target, DailyCounts, campaign_report
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> r = campaign_report(
    ...     c, [District(code="221", name="Yên Dũng", kind="huyen", province_code="24")],
    ...     [Target(unit_code="221", campaign_id="c", value=285)],
    ...     DailyCounts(start=c.start, end=dt.date(2023, 5, 2), grid={"221": [200, 118]}))
    >>> "<td>Yên Dũng</td>" in report_table_html(r)
    True
"""

from __future__ import annotations

import html
from typing import Any

from bhxh_campaign.render._format import Lang, day
from bhxh_campaign.render.columns import COLUMNS, display_rows
from bhxh_campaign.report import CampaignReport

__all__ = ["load_ipython_extension", "report_table_html"]

_CAPTION = {"vi": "{name}: tính đến hết ngày {day}", "en": "{name}: through {day}"}
_NUMERIC = tuple(column.numeric for column in COLUMNS)
_RIGHT = ' style="text-align: right"'


def _cells(tag: str, cells: tuple[str, ...]) -> str:
    return "".join(
        f"<{tag}{_RIGHT if numeric else ''}>{html.escape(cell)}</{tag}>"
        for numeric, cell in zip(_NUMERIC, cells, strict=True)
    )


def report_table_html(report: CampaignReport, lang: Lang = "vi") -> str:
    """The league table as an HTML ``<table>``, every text escaped.

    The rows and columns are those of `report_table`'s text table: one row per unit,
    ordered by new participants, then a total row (in ``<tfoot>``); numbers and dates are
    written as the text report writes them, in Vietnamese or English.

    Args:
        report: the campaign report.
        lang: ``"vi"`` (1.928; 58,69%; 18/5/2023) or ``"en"`` (1,928; 58.69%; 18 May 2023).

    Returns:
        One ``<table>`` element, with a caption naming the campaign and the as-of day.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> table = report_table_html(report, "vi")
        >>> table.startswith('<table class="bhxh-campaign-report">'), table.count("<tr>")
        (True, 12)
        >>> "<td>Toàn tỉnh</td>" in table, "1.928" in table, "58,69%" in table
        (True, True, True)
    """
    headers, body, total = display_rows(report, lang)
    caption = _CAPTION[lang].format(name=report.campaign.name, day=day(report.as_of, lang))
    rows = "".join(f"<tr>{_cells('td', row)}</tr>" for row in body)
    return (
        '<table class="bhxh-campaign-report">'
        f"<caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{_cells('th', headers)}</tr></thead>"
        f"<tbody>{rows}</tbody>"
        f'<tfoot style="font-weight: bold"><tr>{_cells("td", total)}</tr></tfoot>'
        "</table>"
    )


def load_ipython_extension(ipython: Any) -> None:
    """Show every `CampaignReport` as its league table: ``%load_ext bhxh_campaign.render.notebook``.

    IPython calls this when the extension is loaded; it registers `report_table_html` (in
    Vietnamese) as the HTML form of a `CampaignReport`, so a cell ending in a report shows
    the table.

    Args:
        ipython: the running IPython shell.

    Examples:
        >>> import datetime as dt
        >>> from types import SimpleNamespace
        >>> from IPython.core.formatters import DisplayFormatter
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> shell = SimpleNamespace(display_formatter=DisplayFormatter())
        >>> load_ipython_extension(shell)
        >>> shown, _ = shell.display_formatter.format(report)
        >>> shown["text/html"] == report_table_html(report)
        True
    """
    ipython.display_formatter.formatters["text/html"].for_type(CampaignReport, report_table_html)
