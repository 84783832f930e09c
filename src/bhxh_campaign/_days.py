"""Days written as text: ISO ``YYYY-MM-DD`` or day-first ``dd/mm/yyyy``, never month-first.

The one reading of a written day, for the loaders' cells (`bhxh_campaign.io._cells`) and
the command line's ``--as-of``. It needs only the standard library, so a command reads
its arguments before it imports the loaders, and can start reading a large records file
while they import.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

__all__ = ["DayError", "written_day"]

_ISO_DAY: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DAY_FIRST: Final = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_MONTHS: Final = 12


class DayError(ValueError):
    """A day written in a known form that is no day: the error code and an English detail."""

    def __init__(self, detail: str, code: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(detail)


def _calendar_day(year: str, month: str, day: str, shown: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        msg = f"is not a day of the calendar, {shown!r}"
        raise DayError(msg, "impossible_date") from None


def written_day(text: str, *, day_first: bool = True) -> dt.date | None:
    """The day ``text`` writes, ISO or (with ``day_first``) dd/mm/yyyy; None for other text.

    Also ``d/m/yyyy``, and ``.`` or ``-`` between the parts, as Vietnamese offices write
    days. A month-first day (``05/18/2023``) is refused, never read as the 5th of month 18
    or swapped.

    Raises:
        DayError: the text has the form of a day that is not one of the calendar
            (``impossible_date``), or is month-first (``month_first_date``).

    Examples:
        >>> written_day("2023-05-18"), written_day("18/05/2023"), written_day("1.5.2023")
        (datetime.date(2023, 5, 18), datetime.date(2023, 5, 18), datetime.date(2023, 5, 1))
        >>> written_day("May 18") is None, written_day("18/05/2023", day_first=False) is None
        (True, True)
        >>> try:
        ...     written_day("05/18/2023")
        ... except DayError as error:
        ...     error.code
        'month_first_date'
    """
    if match := _ISO_DAY.fullmatch(text):
        return _calendar_day(match[1], match[2], match[3], text)
    if day_first and (match := _DAY_FIRST.fullmatch(text)):
        if int(match[3]) > _MONTHS and 1 <= int(match[1]) <= _MONTHS:
            msg = f"is month-first (mm/dd/yyyy); write dates day-first (dd/mm/yyyy), got {text!r}"
            raise DayError(msg, "month_first_date")
        return _calendar_day(match[4], match[3], match[1], text)
    return None
