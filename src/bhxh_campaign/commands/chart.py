"""``bhxh-campaign chart``: draw a chart of a campaign folder's report into a PNG or SVG."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import get_args

from bhxh_campaign.commands import CommandError
from bhxh_campaign.commands._args import iso_day, positive
from bhxh_campaign.commands._output import STDIO, write_output
from bhxh_campaign.io.folder import load_campaign
from bhxh_campaign.render import Lang, charts

NAME = "chart"
HELP = "draw a chart of the progress report of a campaign folder (needs the plot extra)"
KINDS = get_args(charts.ChartKind)
FORMATS = get_args(charts.ChartFormat)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``chart``."""
    parser.add_argument("path", help="the campaign folder (campaign.toml, districts.csv, ...)")
    parser.add_argument(
        "--kind",
        choices=KINDS,
        required=True,
        help="cumulative (per district, against each target), completion (ranked percents)"
        " or daily (province total per day, the trailing window highlighted)",
    )
    parser.add_argument(
        "--out",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="the image to write, FILE.png or FILE.svg (replaced if it exists); '-': standard"
        " output, with --format",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="png or svg (default: from the suffix of --out)",
    )
    parser.add_argument(
        "--as-of",
        type=iso_day,
        metavar="DAY",
        help="the last day counted, inclusive (default: the last day with data)"
        "; DAY is YYYY-MM-DD or dd/mm/yyyy",
    )
    parser.add_argument(
        "--window-days",
        type=positive,
        default=7,
        metavar="N",
        help="length of the trailing window, both ends included (default: 7)",
    )
    parser.add_argument(
        "--lang",
        choices=get_args(Lang),
        default="vi",
        help="language of titles, labels and numbers (default: vi)",
    )


def render(args: argparse.Namespace) -> bytes:
    """The chart of ``args.path``, as the bytes of the file ``args.out`` names."""
    out: Path = args.out
    fmt = out.suffix.lower().removeprefix(".")
    if str(out) == STDIO and args.format is None:
        msg = "--out - writes to standard output: say which image with --format png or svg"
        raise CommandError(msg)
    if str(out) != STDIO and fmt not in FORMATS:
        msg = f"--out must end in .png or .svg, got {str(out)!r}"
        raise CommandError(msg)
    if args.format is not None and str(out) != STDIO and args.format != fmt:
        msg = f"--format {args.format} but --out {str(out)!r} ends in .{fmt}"
        raise CommandError(msg)
    fmt = args.format or fmt
    bundle = load_campaign(args.path)
    campaign = bundle.campaign
    as_of: dt.date | None = args.as_of
    if as_of is None:
        as_of = bundle.last_data_day()
        if as_of is None:
            msg = f"campaign {campaign.id!r} has no record from {campaign.start} to {campaign.end}"
            raise CommandError(msg)
    elif not campaign.contains(as_of):
        msg = f"--as-of {as_of} is outside the campaign, {campaign.start} to {campaign.end}"
        raise CommandError(msg)
    counts = bundle.counts(as_of)
    report = bundle.report(as_of, window_days=args.window_days)
    try:
        if args.kind == "cumulative":
            figure = charts.cumulative_chart(report, counts, lang=args.lang)
        elif args.kind == "completion":
            figure = charts.completion_chart(report, lang=args.lang)
        else:
            figure = charts.daily_chart(report, counts, lang=args.lang)
    except ModuleNotFoundError as error:
        raise CommandError(str(error)) from None
    return charts.chart_bytes(figure, "svg" if fmt == "svg" else "png")


def run(args: argparse.Namespace) -> int:
    """Write the chart to ``args.out``; exit code 0."""
    write_output(render(args), args.out)
    return 0
