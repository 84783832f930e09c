"""``bhxh-campaign audit``: check that a bulletin's published figures agree.

The file is a small TOML document (see ``examples/bac_giang_2023/published.toml`` and the
audit guide); ``-`` reads it from standard input. With ``--against FOLDER``, each
published figure is also compared with the figure the folder's data gives, as of the
file's ``as_of`` day (or ``--as-of``). Exit code 0 when every figure agrees, 1 when some
disagree (each is listed with the exact numbers), 2 for a file that cannot be read.

The JSON output (``--format json``) has these keys (``against`` is null without
``--against``)::

    {"schema_version": 1, "file": str, "source": str, "lang": "vi" | "en",
     "consistent": bool, "checked": int,
     "findings": [{"check": str, "unit": str, "measure": str, "figure": str,
                   "published": str, "expected": str, "detail": str, "text": str}],
     "inferred": [{"unit": str, "fits": [{"count": int, "target": int}]}],
     "against": {"folder": str, "as_of": "YYYY-MM-DD", "known_at": str | null,
                 "window_days": int, "agree": int, "disagree": int,
                 "comparisons": [{"unit": str, "code": str | null, "figure": str | null,
                                  "published": str, "computed": str | null,
                                  "agrees": bool}]}}
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from bhxh_campaign._files import TomlError, read_toml
from bhxh_campaign.audit import (
    AuditResult,
    Comparison,
    PublishedFigures,
    audit,
    comparisons,
    published_figures_from_dict,
)
from bhxh_campaign.commands import CommandError
from bhxh_campaign.commands._args import add_format_and_lang, iso_day, positive
from bhxh_campaign.commands._output import STDIO
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io.folder import load_campaign
from bhxh_campaign.messages import Lang, message

NAME = "audit"
HELP = "check that a bulletin's published figures agree with each other (and with the data)"
SCHEMA_VERSION = 1
"""The version of the ``--format json`` output; a key removed or changed in meaning bumps it."""
_DISAGREE = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``audit``."""
    parser.add_argument("file", help="a TOML file of published figures ('-': standard input)")
    parser.add_argument(
        "--against",
        metavar="FOLDER",
        help="also compare each published figure with the figure this campaign folder's data gives",
    )
    parser.add_argument(
        "--as-of",
        type=iso_day,
        metavar="DAY",
        help="with --against, the bulletin's day (default: the file's as_of)"
        "; DAY is YYYY-MM-DD or dd/mm/yyyy",
    )
    parser.add_argument(
        "--known-at",
        type=iso_day,
        metavar="DAY",
        help="with --against, count as known at the end of this day (default: everything known)"
        "; DAY is YYYY-MM-DD or dd/mm/yyyy",
    )
    parser.add_argument(
        "--window-days",
        type=positive,
        default=7,
        metavar="N",
        help="with --against, the published window's length in days (default: 7)",
    )
    add_format_and_lang(parser, "language of the text, and of each finding's text in json")


def render(path: str, result: AuditResult, lang: Lang = "en") -> str:
    """The audit's findings and inferences as text, one line each.

    Examples:
        >>> from bhxh_campaign.audit import PublishedUnit
        >>> figures = PublishedFigures(units=[PublishedUnit(name="A", count=1, percent="50")])
        >>> print(render("f.toml", audit(figures), "vi"), end="")
        f.toml: các số liệu khớp nhau (đã kiểm tra 1 quan hệ)
        suy ra: kế hoạch của A là 2 (với số tăng mới 1)
    """
    lines = []
    if result.consistent:
        lines.append(message("audit", "consistent", lang, file=path, checked=result.checked))
    else:
        n = len(result.findings)
        key = "disagree_one" if n == 1 else "disagree_many"
        lines.append(message("audit", key, lang, file=path, n=n))
        lines += [f"  {finding.text(lang)}" for finding in result.findings]
    for label, fits in result.inferred:
        options = message("audit", "or", lang).join(
            message("audit", "fit", lang, target=f.target, count=f.count) for f in fits
        )
        lines.append(message("audit", "inferred", lang, unit=label, options=options))
    return "\n".join(lines) + "\n"


def render_against(
    folder: str, as_of: dt.date, found: tuple[Comparison, ...], lang: Lang = "en"
) -> str:
    """The comparison with the data as text: a heading, then one line per figure.

    Examples:
        >>> c = Comparison(unit="A (1)", code="1", figure="count", published="5",
        ...                computed="4", agrees=False)
        >>> print(render_against("f", dt.date(2023, 5, 18), (c,)), end="")
        against the data of f as of 2023-05-18: 0 of 1 figures agree
          DIFFERS: A (1), count: published 5, the data gives 4
    """
    agree = sum(c.agrees for c in found)
    lines = [message("audit", "against", lang, folder=folder, day=as_of, agree=agree, n=len(found))]
    for c in found:
        if c.figure is None:
            lines.append("  " + message("audit", "no_unit", lang, unit=c.unit))
            continue
        lines.append(
            "  "
            + message(
                "audit",
                "compared",
                lang,
                status=message("audit", "agrees" if c.agrees else "differs", lang),
                unit=c.unit,
                figure=message("audit.figure", c.figure, lang),
                published=c.published,
                computed=c.computed,
            )
        )
    return "\n".join(lines) + "\n"


def to_dict(
    path: str,
    figures: PublishedFigures,
    result: AuditResult,
    lang: Lang = "en",
    against: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The audit as plain data, the ``--format json`` output (keys in the module's docstring).

    Examples:
        >>> from bhxh_campaign.audit import PublishedUnit
        >>> figures = PublishedFigures(total=PublishedUnit(name="T", count=3, target=4,
        ...                                                percent="70"))
        >>> data = to_dict("f.toml", figures, audit(figures))
        >>> data["consistent"], data["findings"][0]["check"], data["findings"][0]["expected"]
        (False, 'percent', '75')
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "file": path,
        "source": figures.source,
        "lang": lang,
        "consistent": result.consistent,
        "checked": result.checked,
        "findings": [
            {
                "check": f.check.value,
                "unit": f.unit,
                "measure": f.measure,
                "figure": f.figure,
                "published": f.published,
                "expected": f.expected,
                "detail": f.detail,
                "text": f.text(lang),
            }
            for f in result.findings
        ],
        "inferred": [
            {"unit": label, "fits": [{"count": f.count, "target": f.target} for f in fits]}
            for label, fits in result.inferred
        ],
        "against": None if against is None else dict(against),
    }


def _read(file: str) -> tuple[str, dict[str, Any]]:
    """The file's name as messages give it, and its TOML content."""
    name = "<stdin>" if file == STDIO else file
    try:
        if file == STDIO:
            return name, tomllib.loads(sys.stdin.read())
        return name, read_toml(Path(file))
    except OSError as error:
        msg = f"{name}: cannot read: {error.strerror or error}"
        raise CommandError(msg) from None
    except TomlError as error:
        where = name if error.line is None else f"{name}, line {error.line}"
        if error.key is not None:
            where = f"{where}, field {error.key!r}"
        msg = f"{where}: not a TOML file: {error}"
        raise CommandError(msg) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError) as error:
        msg = f"{name}: not a TOML file: {error}"
        raise CommandError(msg) from None


def _as_of(args: argparse.Namespace, name: str, data: Mapping[str, Any]) -> dt.date:
    """The day to compare at: ``--as-of``, else the file's ``as_of``."""
    if args.as_of is not None:
        day: dt.date = args.as_of
        return day
    given = data.get("as_of")
    if given is None:
        msg = f"{name}: no as_of day to compare the data at; give --as-of YYYY-MM-DD"
        raise CommandError(msg)
    if isinstance(given, dt.date) and not isinstance(given, dt.datetime):
        return given
    msg = f"{name}: as_of must be a day (as_of = 2023-05-18), got {given!r}"
    raise CommandError(msg)


def _against(
    args: argparse.Namespace, name: str, data: Mapping[str, Any], figures: PublishedFigures
) -> tuple[dt.date, tuple[Comparison, ...]]:
    as_of = _as_of(args, name, data)
    bundle = load_campaign(args.against)
    campaign = bundle.campaign
    if not campaign.contains(as_of):
        msg = f"as_of {as_of} is outside the campaign, {campaign.start} to {campaign.end}"
        raise CommandError(msg)
    report = bundle.report(as_of, window_days=args.window_days, known_at=args.known_at)
    return as_of, comparisons(figures, report)


def run(args: argparse.Namespace) -> int:
    """Audit the file; exit code 0 if consistent (and agreeing with the data), 1 if not."""
    if args.against is None and (args.as_of is not None or args.known_at is not None):
        msg = "--as-of and --known-at say when to compare with the data: give --against too"
        raise CommandError(msg)
    name, data = _read(args.file)
    try:
        figures = published_figures_from_dict(data)
    except InvalidValueError as error:
        msg = f"{name}: {error}"
        raise CommandError(msg) from None
    result = audit(figures)
    found: tuple[Comparison, ...] = ()
    against: dict[str, Any] | None = None
    if args.against is not None:
        as_of, found = _against(args, name, data, figures)
        agree = sum(c.agrees for c in found)
        against = {
            "folder": args.against,
            "as_of": as_of.isoformat(),
            "known_at": None if args.known_at is None else args.known_at.isoformat(),
            "window_days": args.window_days,
            "agree": agree,
            "disagree": len(found) - agree,
            "comparisons": [attrs.asdict(c) for c in found],
        }
    if args.format == "json":
        out = to_dict(name, figures, result, args.lang, against)
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(name, result, args.lang))
        if against is not None:
            sys.stdout.write(render_against(args.against, as_of, found, args.lang))
    agrees = all(c.agrees for c in found)
    return 0 if result.consistent and agrees else _DISAGREE
