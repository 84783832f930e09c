"""The league table, for a terminal, Markdown or CSV: the columns of `render.columns`.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, Target, DailyCounts, campaign_report
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> r = campaign_report(
    ...     c, [District(code="221", name="Yên Dũng", kind="huyen", province_code="24")],
    ...     [Target(unit_code="221", campaign_id="c", value=285)],
    ...     DailyCounts(start=c.start, end=dt.date(2023, 5, 2), grid={"221": [200, 118]}))
    >>> print(report_table(r, "csv", lang="en"))  # the first nine columns, then more
    rank,code,district,new,target,percent,rank_by_completion,completed_on,window...
    1,221,Yên Dũng,318,285,111.58,1,2023-05-02,318...
    ,24,Total,318,285,111.58,,2023-05-02,318...
    <BLANKLINE>
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import Literal

from bhxh_campaign._spreadsheet import CsvLines, neutralise
from bhxh_campaign.messages import message
from bhxh_campaign.render._format import Lang
from bhxh_campaign.render._notes import note_lines
from bhxh_campaign.render.columns import COLUMNS, display_rows, names, value_rows
from bhxh_campaign.report import CampaignReport

__all__ = ["BOM", "TableFormat", "report_table"]

BOM = "\ufeff"
"""The byte-order mark a CSV file for Excel starts with (``EF BB BF`` in UTF-8)."""

TableFormat = Literal["text", "markdown", "csv"]
"""Table formats: aligned ``text`` for a terminal, ``markdown``, or ``csv`` for machines."""

_NUMERIC = tuple(column.numeric for column in COLUMNS)


def _width(text: str) -> int:
    """Display width: combining marks take no column (NFD input would otherwise misalign)."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _csv_cell(value: object) -> object:
    """Plain CSV: ISO dates, blanks for None, and text a spreadsheet will not run."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    # Unit names come from input files: never let a spreadsheet run them.
    return neutralise(value) if isinstance(value, str) else value


def _note_rows(report: CampaignReport, lang: Lang) -> list[list[str]]:
    """The notes as CSV rows as wide as the table: ``note``, the code, the sentence."""
    blanks = [""] * (len(COLUMNS) - 3)
    return [
        ["note", note.code, neutralise(text), *blanks]
        for note, text in zip(report.notes, note_lines(report, lang), strict=True)
    ]


def report_table(
    report: CampaignReport,
    fmt: TableFormat = "text",
    *,
    lang: Lang = "vi",
    notes: bool = True,
    bom: bool = False,
) -> str:
    """The league table, one row per unit ordered by new participants, then a total row.

    Its columns are `render.columns.COLUMNS`, headed in the report's language and level.
    The report's notes follow it (targets revised, a province target that disagrees with
    its units', records set aside), worded in ``lang``: under a heading in ``text`` and
    ``markdown``; in ``csv``, one row each after the total row, with ``note`` in the
    first column, the note's code in the second and its sentence in the third.

    Args:
        report: the campaign report.
        fmt: ``"text"`` (aligned columns for a terminal), ``"markdown"`` or ``"csv"`` (plain
            numbers, ISO dates and English column names, for machines).
        lang: the language of headers and number formats for ``text`` and ``markdown``,
            and of the notes.
        notes: whether to add the report's notes (``False``: the table alone).
        bom: for ``csv``, start with the byte-order mark ``\\ufeff``: Excel on Windows
            reads a CSV file without it in the computer's legacy code page, and garbles
            "Thanh Hóa" (the command line's CSV has it unless ``--no-bom``).

    Returns:
        The table, ending with a newline.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> print(report_table(report, "markdown", lang="en"))
        | Rank | Code | District | New | Target | Completion | Rank by % | Completed on |...
        | ---: | :--- | :--- | ---: | ---: | ---: | ---: | :--- | ---: |...
        | 1 | 221 | Yên Dũng | 318 | 285 | 111.58% | 2 | 16 May 2023 | 156 |...
        ...
        |  | 24 | Total | 1,928 | 3,285 | 58.69% |  |  | 1,074 |...
        <BLANKLINE>
        >>> report_table(report, "csv", bom=True)[:5]
        '\\ufeffrank'
    """
    if fmt == "csv":
        buffer = io.StringIO(BOM if bom else "")
        buffer.seek(0, io.SEEK_END)
        writer = CsvLines(buffer)
        writer.writerow(names(report))
        for row in value_rows(report, total=True):
            writer.writerow([_csv_cell(value) for value in row.values()])
        for note_row in _note_rows(report, lang) if notes else []:
            writer.writerow(note_row)
        return buffer.getvalue()

    written = note_lines(report, lang) if notes else []
    heading = message("note", "heading", lang)

    headers, rows, total = display_rows(report, lang)
    rows.append(total)
    if fmt == "markdown":
        align = ["---:" if numeric else ":---" for numeric in _NUMERIC]
        lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
        lines += [
            "| " + " | ".join(cell.replace("|", r"\|") for cell in row) + " |" for row in rows
        ]
        if written:
            lines += ["", f"{heading}:", "", *(f"- {text}" for text in written)]
        return "\n".join(lines) + "\n"

    widths = [max(_width(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: tuple[str, ...]) -> str:
        padded = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            padded.append(pad + cell if _NUMERIC[i] else cell + pad)
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    table = [line(headers), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])]
    if written:
        table += ["", f"{heading}:", *(f"- {text}" for text in written)]
    return "\n".join(table) + "\n"
