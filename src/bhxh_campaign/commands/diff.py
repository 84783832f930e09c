"""``bhxh-campaign diff``: what changed between two reports of a campaign folder.

``--from D1 --to D2`` compares the reports as of two days (everything known);
``--from-known-at K1`` / ``--to-known-at K2`` take either report as known at the end of a
day, so ``--from D --from-known-at D --to D`` shows how late records and cancellations
revised the bulletin of day D.
"""

from __future__ import annotations

import argparse
import sys

from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.commands import CommandError
from bhxh_campaign.commands._args import iso_day
from bhxh_campaign.diff import ReportDiff, report_diff
from bhxh_campaign.io.folder import load_campaign

NAME = "diff"
HELP = "show what changed between two reports of a campaign folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``diff``."""
    parser.add_argument("path", help="the campaign folder (campaign.toml, districts.csv, ...)")
    for end, word in (("from", "earlier"), ("to", "later")):
        parser.add_argument(
            f"--{end}",
            required=True,
            type=iso_day,
            metavar="YYYY-MM-DD",
            help=f"the {word} report's as-of day",
        )
        parser.add_argument(
            f"--{end}-known-at",
            type=iso_day,
            metavar="YYYY-MM-DD",
            help=f"the {word} report as known at the end of this day (default: all known)",
        )


def _signed(value: object) -> str:
    text = str(value)
    return text if text.startswith("-") else f"+{text}"


def _known(day: object) -> str:
    return "" if day is None else f" (known at {day})"


def render(diff: ReportDiff) -> str:
    """The diff as text: the total, every district that changed, completions, exclusions."""
    t = diff.total
    head = (
        f"{diff.campaign_id}: {diff.as_of_before}{_known(diff.known_at_before)}"
        f" -> {diff.as_of_after}{_known(diff.known_at_after)}"
    )
    total = (
        f"total: {t.actual_before} -> {t.actual_after} ({_signed(t.actual_change)}),"
        f" {t.percent_before}% -> {t.percent_after}% ({_signed(t.percent_change)} points)"
    )
    lines = [head, total]
    if t.target_before != t.target_after:
        lines.append(f"target: {t.target_before} -> {t.target_after}")
    changed = diff.changed()
    lines.append(f"{diff.level.plural_en} changed: {len(changed)} of {len(diff.districts)}")
    for d in changed:
        b, a = d.before, d.after
        line = (
            f"  {d.name} ({d.code}): {b.actual} -> {a.actual} ({_signed(d.actual_change)}),"
            f" {b.percent}% -> {a.percent}%, rank {b.rank_by_actual} -> {a.rank_by_actual}"
        )
        if b.target != a.target:
            line += f", target {b.target} -> {a.target}"
        lines.append(line)
    lines += [
        f"newly completed: {row.name} ({row.code}) on {row.completed_on}"
        for row in diff.newly_completed
    ]
    lines += [f"excluded {reason}: {_signed(n)}" for reason, n in diff.excluded_change]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the diff; exit code 0."""
    bundle: CampaignBundle = load_campaign(args.path)
    campaign = bundle.campaign
    for option, day in (("--from", args.__dict__["from"]), ("--to", args.to)):
        if not campaign.contains(day):
            msg = f"{option} {day} is outside the campaign, {campaign.start} to {campaign.end}"
            raise CommandError(msg)
    before = bundle.report(args.__dict__["from"], known_at=args.from_known_at)
    after = bundle.report(args.to, known_at=args.to_known_at)
    sys.stdout.write(render(report_diff(before, after)))
    return 0
