"""The district league table, for a terminal, Markdown or CSV.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, Target, DailyCounts, campaign_report
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> r = campaign_report(
    ...     c, [District(code="221", name="Yên Dũng", kind="huyen", province_code="24")],
    ...     [Target(unit_code="221", campaign_id="c", value=285)],
    ...     DailyCounts(start=c.start, end=dt.date(2023, 5, 2), grid={"221": [200, 118]}))
    >>> print(report_table(r, "csv", lang="en"))
    rank,code,district,new,target,percent,rank_by_completion,completed_on,window
    1,221,Yên Dũng,318,285,111.58,1,2023-05-02,318
    ,24,Total,318,285,111.58,,2023-05-02,318
    <BLANKLINE>
"""

from __future__ import annotations

import io
import unicodedata
from typing import Literal

from bhxh_campaign._spreadsheet import CsvLines, neutralise
from bhxh_campaign.render._format import Lang, day, iso, number, pct
from bhxh_campaign.report import CampaignReport

__all__ = ["TableFormat", "report_table"]

TableFormat = Literal["text", "markdown", "csv"]
"""Table formats: aligned ``text`` for a terminal, ``markdown``, or ``csv`` for machines."""

HEADERS = {
    "vi": (
        "Hạng",
        "Mã",
        "Đơn vị",
        "Tăng mới",
        "Kế hoạch",
        "Tỷ lệ",
        "Hạng tỷ lệ",
        "Hoàn thành ngày",
        "{days} ngày",
    ),
    "en": (
        "Rank",
        "Code",
        "Unit",
        "New",
        "Target",
        "Percent",
        "Rank by %",
        "Completed on",
        "{days} days",
    ),
}
"""Column headers of the league table by language (``{days}``: the window's length)."""
_CSV_HEADER = (
    "rank",
    "code",
    "district",
    "new",
    "target",
    "percent",
    "rank_by_completion",
    "completed_on",
    "window",
)
_NUMERIC = {0, 3, 4, 5, 6, 8}


def _width(text: str) -> int:
    """Display width: combining marks take no column (NFD input would otherwise misalign)."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def display_rows(
    report: CampaignReport, lang: Lang
) -> tuple[tuple[str, ...], list[tuple[str, ...]], tuple[str, ...]]:
    """The league table as display text: headers, one row per district, the total row.

    Shared by the terminal and Markdown tables and by the notebook's HTML table.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> headers, rows, total = display_rows(report, "vi")
        >>> headers[2], rows[0][2:6], total[2:6]
        ('Đơn vị', ('Yên Dũng', '318', '285', '111,58%'), ('Toàn bộ', '1.928', '3.285', '58,69%'))
    """
    headers = tuple(h.format(days=report.window.days) for h in HEADERS[lang])
    rows: list[tuple[str, ...]] = [
        (
            str(r.rank_by_actual),
            r.code,
            r.name,
            number(r.actual, lang),
            number(r.target, lang),
            pct(r.percent, lang),
            str(r.rank_by_completion),
            "" if r.completed_on is None else day(r.completed_on, lang),
            number(r.window_count, lang),
        )
        for r in report.districts
    ]
    t = report.total
    total: tuple[str, ...] = (
        "",
        t.code,
        "Toàn bộ" if lang == "vi" else "Total",
        number(t.actual, lang),
        number(t.target, lang),
        pct(t.percent, lang),
        "",
        "" if t.completed_on is None else day(t.completed_on, lang),
        number(t.window_count, lang),
    )
    return headers, rows, total


def report_table(report: CampaignReport, fmt: TableFormat = "text", *, lang: Lang = "vi") -> str:
    """The district league table, ordered by new participants, with a total row.

    Args:
        report: the campaign report.
        fmt: ``"text"`` (aligned columns for a terminal), ``"markdown"`` or ``"csv"`` (plain
            numbers, ISO dates and English column names, for machines).
        lang: the language of headers and number formats for ``text`` and ``markdown``.

    Returns:
        The table, ending with a newline.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> print(report_table(report, "markdown", lang="en"))
        | Rank | Code | Unit | New | Target | Percent | Rank by % | Completed on | 7 days |
        | ---: | :--- | :--- | ---: | ---: | ---: | ---: | :--- | ---: |
        | 1 | 221 | Yên Dũng | 318 | 285 | 111.58% | 2 | 16 May 2023 | 156 |
        ...
        |  | 24 | Total | 1,928 | 3,285 | 58.69% |  |  | 1,074 |
        <BLANKLINE>
    """
    if fmt == "csv":
        buffer = io.StringIO()
        writer = CsvLines(buffer)
        writer.writerow(_CSV_HEADER)
        for row in report.districts:
            # Unit names come from input files: never let a spreadsheet run them.
            writer.writerow(
                (
                    row.rank_by_actual,
                    row.code,
                    neutralise(row.name),
                    row.actual,
                    row.target,
                    row.percent,
                    row.rank_by_completion,
                    iso(row.completed_on),
                    row.window_count,
                )
            )
        t = report.total
        writer.writerow(
            (
                "",
                t.code,
                "Total",
                t.actual,
                t.target,
                t.percent,
                "",
                iso(t.completed_on),
                t.window_count,
            )
        )
        return buffer.getvalue()

    headers, rows, total = display_rows(report, lang)
    rows.append(total)
    if fmt == "markdown":
        align = ["---:" if i in _NUMERIC else ":---" for i in range(len(headers))]
        lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
        lines += [
            "| " + " | ".join(cell.replace("|", r"\|") for cell in row) + " |" for row in rows
        ]
        return "\n".join(lines) + "\n"

    widths = [max(_width(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: tuple[str, ...]) -> str:
        padded = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            padded.append(pad + cell if i in _NUMERIC else cell + pad)
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return (
        "\n".join([line(headers), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])]) + "\n"
    )
