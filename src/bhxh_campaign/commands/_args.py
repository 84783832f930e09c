"""Argument types the subcommands share."""

from __future__ import annotations

import argparse
import datetime as dt

from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io.folder import parse_day

__all__ = ["iso_day", "positive"]


def iso_day(text: str) -> dt.date:
    """An argparse type: a day written YYYY-MM-DD, or day-first as dd/mm/yyyy.

    Read as a campaign folder reads dates (`bhxh_campaign.io.folder.parse_day`): never
    month-first.

    Examples:
        >>> iso_day("2023-05-18"), iso_day("18/05/2023")
        (datetime.date(2023, 5, 18), datetime.date(2023, 5, 18))
        >>> try:
        ...     iso_day("05/18/2023")
        ... except argparse.ArgumentTypeError as error:
        ...     print(str(error).split(": ")[-1])
        '05/18/2023', month-first (dates are day-first)
    """
    try:
        return parse_day(text.strip())
    except InvalidValueError as error:
        month_first = "month-first" in str(error)
        why = ", month-first (dates are day-first)" if month_first else ""
        msg = f"not a date in the form YYYY-MM-DD or dd/mm/yyyy: {text!r}{why}"
        raise argparse.ArgumentTypeError(msg) from None


def positive(text: str) -> int:
    """An argparse type: a whole number of days above zero.

    Examples:
        >>> positive("7")
        7
    """
    if not text.isdigit() or int(text) < 1:
        msg = f"not a whole number of days above zero: {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)
