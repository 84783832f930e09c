"""The ``bhxh-campaign`` command: print a campaign's progress report.

Examples:
    >>> args = ["report", "examples/bac_giang_2023", "--as-of", "2023-05-18", "--format", "json"]
    >>> main(args)  # doctest: +ELLIPSIS
    {
      "schema_version": 1,
    ...
    0
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from typing import get_args

from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.errors import CampaignError
from bhxh_campaign.io.folder import load_campaign
from bhxh_campaign.render import bulletin, report_table, report_to_json
from bhxh_campaign.render._format import Lang, day

__all__ = ["main"]

_FORMATS = ("text", "table", "markdown", "csv", "json")
_USAGE_ERROR = 2


class _UsageError(Exception):
    """A bad argument or input, reported in one line with exit code 2."""


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"not a date in the form YYYY-MM-DD: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        msg = f"not a whole number of days above zero: {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bhxh-campaign",
        description="Progress reports of voluntary social-insurance enrollment campaigns.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="print the progress report of a campaign folder",
        description="Print the progress report of a campaign folder as of one day.",
    )
    report.add_argument("path", help="the campaign folder (campaign.toml, districts.csv, ...)")
    report.add_argument(
        "--as-of",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the last day counted, inclusive (default: the last day with data)",
    )
    report.add_argument(
        "--window-days",
        type=_positive,
        default=7,
        metavar="N",
        help="length of the trailing window, both ends included (default: 7)",
    )
    report.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="text (bulletin and table), table, markdown, csv or json",
    )
    report.add_argument(
        "--lang",
        choices=get_args(Lang),
        default="vi",
        help="language of the text, table and numbers (default: vi)",
    )
    return parser


def _report(args: argparse.Namespace) -> str:
    bundle: CampaignBundle = load_campaign(args.path)
    campaign = bundle.campaign
    as_of: dt.date | None = args.as_of
    note = ""
    if as_of is None:
        as_of = bundle.last_data_day()
        if as_of is None:
            msg = f"campaign {campaign.id!r} has no record from {campaign.start} to {campaign.end}"
            raise _UsageError(msg)
        note = (
            f"(Số liệu đến hết ngày có dữ liệu cuối cùng: {day(as_of, args.lang)}.)"
            if args.lang == "vi"
            else f"(Figures through the last day with data: {day(as_of, args.lang)}.)"
        )
    elif not campaign.contains(as_of):
        msg = f"--as-of {as_of} is outside the campaign, {campaign.start} to {campaign.end}"
        raise _UsageError(msg)
    report = bundle.report(as_of, window_days=args.window_days)
    if args.format == "json":
        return report_to_json(report)
    if args.format == "table":
        return report_table(report, "text", lang=args.lang)
    if args.format in {"markdown", "csv"}:
        return report_table(report, args.format, lang=args.lang)
    parts = [note] if note else []
    parts += [bulletin(report, args.lang), "", report_table(report, "text", lang=args.lang)]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0, or 2 for bad input)."""
    args = _parser().parse_args(argv)
    try:
        output = _report(args)
    except (CampaignError, _UsageError) as error:
        print(f"bhxh-campaign: error: {error}", file=sys.stderr)
        return _USAGE_ERROR
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
