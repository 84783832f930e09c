"""Argument types the subcommands share."""

from __future__ import annotations

import argparse
import datetime as dt

__all__ = ["iso_day", "positive"]


def iso_day(text: str) -> dt.date:
    """An argparse type: a day written YYYY-MM-DD.

    Examples:
        >>> iso_day("2023-05-18")
        datetime.date(2023, 5, 18)
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"not a date in the form YYYY-MM-DD: {text!r}"
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
