"""``bhxh-campaign diff``: what changed between two reports of a campaign folder.

``--from D1 --to D2`` compares the reports as of two days (everything known);
``--from-known-at K1`` / ``--to-known-at K2`` take either report as known at the end of a
day, so ``--from D --from-known-at D --to D`` shows how late records and cancellations
revised the bulletin of day D.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.commands import CommandError
from bhxh_campaign.commands._args import add_format_and_lang, iso_day
from bhxh_campaign.diff import ReportDiff, report_diff
from bhxh_campaign.io.folder import load_campaign
from bhxh_campaign.messages import Lang, message

NAME = "diff"
HELP = "show what changed between two reports of a campaign folder"
SCHEMA_VERSION = 1
"""The version of the ``--format json`` output; a key removed or changed in meaning bumps it."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``diff``."""
    parser.add_argument("path", help="the campaign folder (campaign.toml, districts.csv, ...)")
    for end, word in (("from", "earlier"), ("to", "later")):
        parser.add_argument(
            f"--{end}",
            required=True,
            type=iso_day,
            metavar="DAY",
            help=f"the {word} report's as-of day; DAY is YYYY-MM-DD or dd/mm/yyyy",
        )
        parser.add_argument(
            f"--{end}-known-at",
            type=iso_day,
            metavar="DAY",
            help=f"the {word} report as known at the end of this day (default: all known)"
            "; DAY is YYYY-MM-DD or dd/mm/yyyy",
        )
    add_format_and_lang(parser, "language of the text, and of the exclusions' labels in json")


def _signed(value: object) -> str:
    text = str(value)
    return text if text.startswith("-") else f"+{text}"


def _known(day: dt.date | None, lang: Lang) -> str:
    return "" if day is None else message("diff", "known", lang, day=day)


def render(diff: ReportDiff, lang: Lang = "en") -> str:
    """The diff as text: the total, every unit that changed, completions, exclusions.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> from bhxh_campaign.diff import report_diff
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> same = bundle.report(dt.date(2023, 5, 18))
        >>> print(render(report_diff(same, same), "vi"), end="")
        bac-giang-2023-peak-month: 2023-05-18 -> 2023-05-18
        tổng: 1928 -> 1928 (+0), 58.69% -> 58.69% (+0.00 điểm phần trăm)
        các huyện, thị xã, thành phố có thay đổi: 0/10
    """
    t = diff.total
    head = (
        f"{diff.campaign_id}: {diff.as_of_before}{_known(diff.known_at_before, lang)}"
        f" -> {diff.as_of_after}{_known(diff.known_at_after, lang)}"
    )
    total = message(
        "diff",
        "total",
        lang,
        before=t.actual_before,
        after=t.actual_after,
        change=_signed(t.actual_change),
        percent_before=t.percent_before,
        percent_after=t.percent_after,
        points=_signed(t.percent_change),
    )
    lines = [head, total]
    if t.target_before != t.target_after:
        lines.append(message("diff", "target", lang, before=t.target_before, after=t.target_after))
    changed = diff.changed()
    units = diff.level.plural_vi if lang == "vi" else diff.level.plural_en
    lines.append(
        message("diff", "changed", lang, units=units, n=len(changed), of=len(diff.districts))
    )
    for d in changed:
        b, a = d.before, d.after
        line = "  " + message(
            "diff",
            "unit",
            lang,
            name=d.name,
            code=d.code,
            before=b.actual,
            after=a.actual,
            change=_signed(d.actual_change),
            percent_before=b.percent,
            percent_after=a.percent,
            rank_before=b.rank_by_actual,
            rank_after=a.rank_by_actual,
        )
        if b.target != a.target:
            line += message("diff", "unit_target", lang, before=b.target, after=a.target)
        lines.append(line)
    lines += [
        message("diff", "completed", lang, name=row.name, code=row.code, day=row.completed_on)
        for row in diff.newly_completed
    ]
    lines += [
        message("diff", "excluded", lang, reason=_reason(reason, lang), change=_signed(n))
        for reason, n in diff.excluded_change
    ]
    return "\n".join(lines) + "\n"


def _reason(reason: str, lang: Lang) -> str:
    """An exclusion reason: its code in English (as in the JSON), its label in Vietnamese."""
    return reason if lang == "en" else message("exclusion", reason, lang)


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def to_dict(diff: ReportDiff, lang: Lang = "en") -> dict[str, Any]:
    """The diff as plain data, the ``--format json`` output (keys in `docs/reference/cli.md`).

    Counts are numbers; percents are text with their two decimals (``"58.69"``), as in the
    report's JSON; days are ISO text, None is null. ``lang`` words only the ``label`` of
    each exclusion reason.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> from bhxh_campaign.diff import report_diff
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> data = to_dict(report_diff(bundle.report(dt.date(2023, 5, 11)),
        ...                            bundle.report(dt.date(2023, 5, 18))))
        >>> sorted(data)  # doctest: +NORMALIZE_WHITESPACE
        ['as_of_after', 'as_of_before', 'campaign_id', 'excluded_change', 'known_at_after',
         'known_at_before', 'lang', 'level', 'newly_completed', 'schema_version', 'total', 'units']
        >>> data["total"]["actual_change"], data["total"]["percent_after"]
        (1074, '58.69')
    """
    t = diff.total
    return {
        "schema_version": SCHEMA_VERSION,
        "campaign_id": diff.campaign_id,
        "lang": lang,
        "level": diff.level.value,
        "as_of_before": diff.as_of_before.isoformat(),
        "as_of_after": diff.as_of_after.isoformat(),
        "known_at_before": _day(diff.known_at_before),
        "known_at_after": _day(diff.known_at_after),
        "total": {
            "actual_before": t.actual_before,
            "actual_after": t.actual_after,
            "actual_change": t.actual_change,
            "target_before": t.target_before,
            "target_after": t.target_after,
            "percent_before": str(t.percent_before),
            "percent_after": str(t.percent_after),
            "percent_change": str(t.percent_change),
        },
        "units": [
            {
                "code": d.code,
                "name": d.name,
                "changed": d.changed,
                "actual_before": d.before.actual,
                "actual_after": d.after.actual,
                "actual_change": d.actual_change,
                "target_before": d.before.target,
                "target_after": d.after.target,
                "percent_before": str(d.before.percent),
                "percent_after": str(d.after.percent),
                "percent_change": str(d.percent_change),
                "rank_before": d.before.rank_by_actual,
                "rank_after": d.after.rank_by_actual,
                "rank_by_completion_before": d.before.rank_by_completion,
                "rank_by_completion_after": d.after.rank_by_completion,
                "newly_completed": d.newly_completed,
                "completed_on": _day(d.after.completed_on),
            }
            for d in diff.districts
        ],
        "newly_completed": [
            {"code": row.code, "name": row.name, "completed_on": _day(row.completed_on)}
            for row in diff.newly_completed
        ],
        "excluded_change": [
            {"reason": reason, "label": message("exclusion", reason, lang), "change": n}
            for reason, n in diff.excluded_change
        ],
    }


def run(args: argparse.Namespace) -> int:
    """Print the diff; exit code 0."""
    before_day: dt.date = args.__dict__["from"]
    if before_day > args.to:
        msg = f"--from {before_day} is later than --to {args.to}: give the earlier day first"
        raise CommandError(msg)
    bundle: CampaignBundle = load_campaign(args.path)
    campaign = bundle.campaign
    for option, day in (("--from", before_day), ("--to", args.to)):
        if not campaign.contains(day):
            msg = f"{option} {day} is outside the campaign, {campaign.start} to {campaign.end}"
            raise CommandError(msg)
    before = bundle.report(before_day, known_at=args.from_known_at)
    after = bundle.report(args.to, known_at=args.to_known_at)
    diff = report_diff(before, after)
    if args.format == "json":
        sys.stdout.write(json.dumps(to_dict(diff, args.lang), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(diff, args.lang))
    return 0
