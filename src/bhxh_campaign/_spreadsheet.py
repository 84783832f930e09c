"""Cells a spreadsheet opens safely: formula neutralising and the CSV row writer.

Shared by the exports (`bhxh_campaign.io.export`), the loaders, which undo the
neutralising, and the league table's CSV (`bhxh_campaign.render.table`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Final

__all__ = ["FORMULA_TRIGGERS", "CsvLines", "neutralise"]

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a text cell as a formula."""


def neutralise(text: str) -> str:
    """Text that a spreadsheet shows as written, never runs as a formula.

    A leading apostrophe is added when the text (after any apostrophes it already
    starts with) begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; the
    loaders remove exactly one such apostrophe, so the round trip is exact.

    Examples:
        >>> neutralise("=HYPERLINK(\\"x\\")"), neutralise("Yên Dũng"), neutralise("'=1")
        ('\\'=HYPERLINK("x")', 'Yên Dũng', "''=1")
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_TRIGGERS) else text


class CsvLines:
    r"""Write CSV rows that end in ``\n``, quoting every cell that holds ``\r`` or ``\n``.

    `csv.writer` quotes a cell for the characters of its own line terminator only, so
    with ``\n`` a lone ``\r`` went out bare: a reader ended the row there, and the rest
    of the cell (never neutralised) became a row of its own. Each row is written with
    ``\r\n`` (which quotes both) and ends in ``\n``.

    Examples:
        >>> out = io.StringIO()
        >>> CsvLines(out).writerow(["Yên Dũng\r=1+2", 1])
        >>> out.getvalue()
        '"Yên Dũng\r=1+2",1\n'
    """

    def __init__(self, file: Any) -> None:
        self._file = file
        self._line = io.StringIO()
        self._writer = csv.writer(self._line, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        r"""Write one row, ending in ``\n``."""
        self._line.seek(0)
        self._line.truncate()
        self._writer.writerow(row)
        self._file.write(self._line.getvalue()[:-2] + "\n")
