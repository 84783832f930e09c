"""``bhxh-campaign report``: print the progress report of a campaign folder.

This module only declares the arguments, with the standard library: `run` starts reading
a large records file ahead (`bhxh_campaign.engines.read_ahead`) before it imports what
makes the report (`bhxh_campaign.commands._report`), so the second core parses the
file while the first imports the package and loads the plan.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, get_args

from bhxh_campaign._layout import enrollments_file_of
from bhxh_campaign.commands._args import iso_day, positive
from bhxh_campaign.commands._output import STDIO, write_output
from bhxh_campaign.errors import LoadError
from bhxh_campaign.messages import Lang

if TYPE_CHECKING:
    from bhxh_campaign.engines import ReadAhead

NAME = "report"
HELP = "print the progress report of a campaign folder"
FORMATS = ("text", "table", "markdown", "csv", "json", "html", "xlsx")
ENGINES = ("auto", "python", "arrow", "duckdb", "polars")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``report``."""
    parser.add_argument("path", help="the campaign folder (campaign.toml, districts.csv, ...)")
    parser.add_argument(
        "--as-of",
        type=iso_day,
        metavar="DAY",
        help="the last day counted, inclusive (default: the last day with data)"
        "; DAY is YYYY-MM-DD or dd/mm/yyyy",
    )
    parser.add_argument(
        "--known-at",
        type=iso_day,
        metavar="DAY",
        help="count as known at the end of this day: records recorded later, or cancelled by"
        " then, are set aside (default: everything known); DAY is YYYY-MM-DD or dd/mm/yyyy",
    )
    parser.add_argument(
        "--window-days",
        type=positive,
        default=7,
        metavar="N",
        help="length of the trailing window, both ends included (default: 7)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (bulletin and table), table, markdown, csv, json, html (one page) or xlsx"
        " (an Excel workbook: needs the excel extra, and --out or a redirect)",
    )
    parser.add_argument(
        "--out",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE (UTF-8) instead of standard output ('-': standard output)",
    )
    parser.add_argument(
        "--no-bom",
        action="store_true",
        help="csv without the UTF-8 byte-order mark it starts with (which Excel needs to read"
        " Vietnamese)",
    )
    parser.add_argument(
        "--enrollments",
        type=Path,
        metavar="FILE",
        help="count the records of FILE (CSV, XLSX, JSON, JSON Lines or Parquet) instead of"
        " the folder's enrollments.csv ('-': CSV, XLSX or Parquet from standard input);"
        " strict: the first bad row is an error",
    )
    parser.add_argument(
        "--sheet",
        help="with --enrollments, the workbook's sheet to read (default: the first, if only it"
        " has data)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="how records are counted: python, arrow, duckdb or polars (extras of those names);"
        " auto picks by file size and what is installed (default: auto)",
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="count the valid records and list each rejected row's code among the records"
        " not counted, instead of stopping at the first bad row",
    )
    parser.add_argument(
        "--lang",
        choices=get_args(Lang),
        default="vi",
        help="language of the text, table and numbers (default: vi)",
    )


def _read_ahead(args: argparse.Namespace) -> ReadAhead | None:
    """A read ahead of the records CSV, if the arrow engine may count it, else None.

    Only where the engine asked for is ``auto`` or ``arrow``, every row must be counted
    (no ``--skip-bad-rows``) and ``--as-of`` is given; ``read_ahead`` then decides by
    the file. The
    command closes it if the engine it chooses is another (`_report.render`).
    """
    if args.skip_bad_rows or args.engine not in {"auto", "arrow"}:
        return None
    if args.as_of is None:
        # The report first finds its last day with data, in a pass of its own over the
        # file: chunks parsed ahead would only wait in memory through it.
        return None
    if args.enrollments is not None:
        path = Path(args.enrollments)
        if str(path) == STDIO:
            return None
    else:
        try:
            path = enrollments_file_of(Path(args.path))
        except (LoadError, OSError):  # reported by the report itself
            return None
    from bhxh_campaign.engines import read_ahead  # noqa: PLC0415 - the standard library only

    return read_ahead(path, engine=args.engine)


def run(args: argparse.Namespace) -> int:
    """Print the report, or write it to ``--out``; exit code 0."""
    ahead = _read_ahead(args)
    try:
        # Imported now: the package's model, loaders and renderers load while the second
        # core parses the records read ahead.
        from bhxh_campaign.commands._report import render  # noqa: PLC0415

        write_output(render(args, ahead), args.out)
    finally:
        if ahead is not None:
            ahead.close()
    return 0
