"""The league table as an Excel workbook: numbers as numbers, never a formula.

One sheet: the headings of `render.columns.COLUMNS` in the report's language, one row per
unit, the total row, then the report's notes. Counts and ranks are number cells, percents
are number cells with a percent format (the published percent, rounded half-up to two
decimals, so the sheet shows what the bulletin says), days are date cells. Text cells are
always text: a unit named ``=1+2`` (names come from input files) shows as written, never
runs. Needs the ``excel`` extra (openpyxl), imported on first call.

Examples:
    >>> import datetime as dt, io
    >>> from openpyxl import load_workbook
    >>> from bhxh_campaign import load_campaign
    >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
    >>> sheet = load_workbook(io.BytesIO(report_xlsx(report))).active
    >>> [c.value for c in sheet[1]][:4]
    ['Hạng', 'Mã', 'Đơn vị cấp huyện', 'Tăng mới']
    >>> [c.value for c in sheet[12]][1:6], sheet["F12"].number_format
    (['24', 'Toàn tỉnh', 1928, 3285, 0.5869], '0.00%')
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from bhxh_campaign.messages import message
from bhxh_campaign.metrics import percent
from bhxh_campaign.render._format import Lang
from bhxh_campaign.render._notes import note_lines
from bhxh_campaign.render.columns import COLUMNS, Column, Exact, headings
from bhxh_campaign.report import CampaignReport

__all__ = ["report_xlsx"]

_DATE_FORMAT: Final = {"vi": "dd/mm/yyyy", "en": "d mmm yyyy"}
_COUNT_FORMAT: Final = "#,##0"  # Excel shows the reader's own separators
_PERCENT_FORMAT: Final = "0.00%"
_MAX_WIDTH: Final = 40


def _number(column: Column, value: Exact) -> int | Decimal | dt.date | str | None:
    """A cell's value: a percent as a fraction of one, rounded as the bulletin publishes it."""
    if isinstance(value, Fraction) or (column.kind == "percent" and isinstance(value, int)):
        return percent(value) / 100
    return value


def _put(sheet: Any, row: int, col: int, value: object, number_format: str | None) -> Any:
    cell = sheet.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        # openpyxl makes any text starting with "=" a formula: say it is text.
        cell.data_type = "s"
    elif number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def _format(column: Column, lang: Lang) -> str | None:
    if column.kind == "percent":
        return _PERCENT_FORMAT
    if column.kind == "count":
        return _COUNT_FORMAT
    if column.kind == "date":
        return _DATE_FORMAT[lang]
    return None


def report_xlsx(report: CampaignReport, *, lang: Lang = "vi") -> bytes:
    """The league table and the report's notes as the bytes of an ``.xlsx`` workbook.

    Args:
        report: the campaign report.
        lang: the language of the headings, the total row's name, the sheet's name and the
            notes (the numbers' look is Excel's, in the reader's own settings).

    Returns:
        The workbook: headings in row 1, the units by new participants, the total row (in
        bold), and, after a blank row, the notes under their heading.

    Raises:
        ModuleNotFoundError: openpyxl is not installed; the message names the extra.

    Examples:
        >>> import datetime as dt, io
        >>> from openpyxl import load_workbook
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> sheet = load_workbook(io.BytesIO(report_xlsx(report, lang="en"))).active
        >>> sheet.title, [c.value for c in sheet[2]][:5]
        ('League table', [1, '221', 'Yên Dũng', 318, 285])
        >>> sheet["H2"].value.date(), sheet["H2"].number_format
        (datetime.date(2023, 5, 16), 'd mmm yyyy')
    """
    try:
        from openpyxl import Workbook  # noqa: PLC0415 - an optional extra
        from openpyxl.styles import Font  # noqa: PLC0415
    except ModuleNotFoundError:
        msg = "an Excel workbook needs openpyxl: pip install 'bhxh-campaign[excel]'"
        raise ModuleNotFoundError(msg, name="openpyxl") from None

    book = Workbook()
    sheet: Any = book.active
    sheet.title = message("xlsx", "sheet", lang)
    formats = [_format(c, lang) for c in COLUMNS]
    bold = Font(bold=True)
    widths = [len(h) for h in headings(report, lang)]
    for col, heading in enumerate(headings(report, lang), start=1):
        _put(sheet, 1, col, heading, None).font = bold
    rows = [[c.get(report, unit) for c in COLUMNS] for unit in report.units]
    rows.append([c.get_total(report, lang) for c in COLUMNS])
    for r, values in enumerate(rows, start=2):
        for col, (c, value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = _put(sheet, r, col, _number(c, value), formats[col - 1])
            widths[col - 1] = max(widths[col - 1], len(c.text(value, lang)))
            if r == len(rows) + 1:
                cell.font = bold
    notes = note_lines(report, lang)
    if notes:
        first = len(rows) + 3
        _put(sheet, first, 1, message("note", "heading", lang), None).font = bold
        for i, text in enumerate(notes, start=1):
            _put(sheet, first + i, 1, text, None)
    sheet.freeze_panes = "A2"
    for col, width in enumerate(widths):
        letter = sheet.cell(row=1, column=col + 1).column_letter
        sheet.column_dimensions[letter].width = min(width + 2, _MAX_WIDTH)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
