"""Argument types the subcommands share."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import get_args

from bhxh_campaign._days import DayError, written_day
from bhxh_campaign.messages import Lang

__all__ = ["add_format_and_lang", "iso_day", "positive"]


def iso_day(text: str) -> dt.date:
    """An argparse type: a day written YYYY-MM-DD, or day-first as dd/mm/yyyy.

    Read as a campaign folder reads dates (`bhxh_campaign.io.folder.parse_day`): never
    month-first. Only the standard library is imported, so that a command reads its
    arguments before it imports the loaders.

    Examples:
        >>> iso_day("2023-05-18"), iso_day("18/05/2023")
        (datetime.date(2023, 5, 18), datetime.date(2023, 5, 18))
        >>> try:
        ...     iso_day("05/18/2023")
        ... except argparse.ArgumentTypeError as error:
        ...     print(str(error).split(": ")[-1])
        '05/18/2023', month-first (dates are day-first)
    """
    why = ""
    try:
        day = written_day(text.strip())
    except DayError as error:
        day = None
        if error.code == "month_first_date":
            why = ", month-first (dates are day-first)"
    if day is None:
        msg = f"not a date in the form YYYY-MM-DD or dd/mm/yyyy: {text!r}{why}"
        raise argparse.ArgumentTypeError(msg)
    return day


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


def add_format_and_lang(parser: argparse.ArgumentParser, lang_help: str) -> None:
    """Declare ``--format text|json`` and ``--lang vi|en`` (Vietnamese by default).

    ``lang_help`` says what the language changes; the JSON's keys never change with it.

    Examples:
        >>> parser = argparse.ArgumentParser()
        >>> add_format_and_lang(parser, "language of the text")
        >>> parser.parse_args(["--format", "json"])
        Namespace(format='json', lang='vi')
    """
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    parser.add_argument(
        "--lang", choices=get_args(Lang), default="vi", help=f"{lang_help} (default: vi)"
    )
