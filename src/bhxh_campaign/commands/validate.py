"""``bhxh-campaign validate``: check a campaign folder (or one file) and print the load report.

Exit codes: 0 when every row was accepted (or blank), 1 when rows were rejected or a file
had a problem, 2 when the check could not run (no such path, a broken ``campaign.toml``, a
file that cannot be read at all: an unknown type or encoding, not a regular file).

A folder is checked for everything ``report`` checks (`bhxh_campaign.io.check.check_campaign`):
when ``validate FOLDER`` exits 0, ``report FOLDER`` runs. The text output gives each file's
errors by code first, then each row (``--limit N`` rows per file); messages name the
command's options (``--sheet``), not the library's arguments.

The JSON output has this shape (``line`` is 0 and ``field`` empty when the problem has
none)::

    {"files": [{"file": str, "rows_read": int, "accepted": int, "rejected": int,
                "blank": int, "header_line": int, "ignored_columns": [str],
                "summary": {code: int},
                "errors": [{"line": int, "field": str, "code": str, "value": str,
                            "message": str}],
                "omitted": int}]}

``errors`` holds at most ``--limit`` rows, ``omitted`` how many more there are.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bhxh_campaign._layout import enrollments_file_of, unit_file_of
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.commands import CommandError
from bhxh_campaign.errors import CampaignError, InvalidValueError
from bhxh_campaign.io.check import check_campaign
from bhxh_campaign.io.folder import CampaignLoad
from bhxh_campaign.io.load_report import LoadReport
from bhxh_campaign.io.loaders import load_districts, load_enrollments, load_targets
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.messages import message
from bhxh_campaign.registry import unit_registry

NAME = "validate"
HELP = "check a campaign folder or one file and list every rejected row"
KINDS = ("enrollments", "targets", "units", "districts")
"""What a single file may hold; ``units`` and ``districts`` are one kind (unit files)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``validate``."""
    parser.add_argument("path", help="a campaign folder, or one CSV, XLSX, JSON or JSON Lines file")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    parser.add_argument(
        "--kind",
        choices=KINDS,
        help="what a single file holds (default: guessed from its name, else enrollments)",
    )
    parser.add_argument(
        "--encoding", help="the CSV encoding, e.g. cp1258 (default: UTF-8, with or without BOM)"
    )
    parser.add_argument(
        "--sheet", help="the workbook's sheet to read (default: the first, if only it has data)"
    )
    parser.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the messages (default: vi)"
    )
    parser.add_argument(
        "--column",
        action="append",
        type=_column,
        metavar='"HEADER=field"',
        help="read the column HEADER as field (repeatable), for headings no alias matches,"
        ' e.g. --column "Mã số BHXH=participant_id"; a folder says it in campaign.toml [columns]',
    )
    parser.add_argument(
        "--limit",
        type=_limit,
        metavar="N",
        help="list at most N rejected rows per file, after the summary by error code"
        " (default: all)",
    )
    parser.add_argument(
        "--level",
        choices=[level.value for level in UnitLevel],
        help="the units' level, for one file (a folder's campaign.toml says it); with"
        " commune, 'Mã xã' and 'Mã phường' headings name the unit column",
    )


def _column(text: str) -> tuple[str, str]:
    """An argparse type: ``HEADER=field``, split at the last ``=``."""
    header, sep, field = text.rpartition("=")
    if not sep or not header.strip() or not field.strip():
        msg = f'expected "HEADER=field", e.g. "Mã số BHXH=participant_id", got {text!r}'
        raise argparse.ArgumentTypeError(msg)
    return header.strip(), field.strip()


def _limit(text: str) -> int:
    """``--limit``: a whole number, 0 or more."""
    if not text.isdigit():
        msg = f"must be a whole number, 0 or more: {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _kind(path: Path, kind: str | None) -> str:
    if kind is not None:
        return kind
    name = path.name.casefold()
    return next((k for k in KINDS if k in name), "enrollments")


def _folder_options(args: argparse.Namespace) -> None:
    """Refuse the options that apply to one file."""
    one_file = (args.encoding, args.sheet, args.level, args.column)
    if any(option is not None for option in one_file):
        msg = (
            "--encoding, --sheet and --level apply to one file, as does --column; a"
            " campaign folder's campaign.toml gives its encoding, level and [columns]"
        )
        raise CommandError(msg)


def _file_report(args: argparse.Namespace) -> list[LoadReport[Any]]:
    """The load report of the one file ``args.path`` (a folder is checked by `run`)."""
    path = Path(args.path)
    if not path.exists():
        msg = f"{args.path}: no such file or folder"
        raise CommandError(msg)
    kind = _kind(path, args.kind)
    columns = dict(args.column or [])
    options: dict[str, Any] = {"encoding": args.encoding, "sheet": args.sheet, "columns": columns}
    try:
        if kind == "targets":
            # "4.800" as a campaign folder reads it (Vietnamese thousands)
            return [load_targets(path, campaign_id="validate", vietnamese_numbers=True, **options)]
        level = None if args.level is None else UnitLevel(args.level)
        if kind in {"units", "districts"}:
            return [load_districts(path, level=level, **options)]
        return [load_enrollments(path, level=level, **options)]
    except InvalidValueError as error:  # a --column naming no field of this kind of file
        msg = f"--column: {error}"
        raise CommandError(msg) from None


def todo(path: Path, *, lang: str = "vi", load: CampaignLoad | None = None) -> list[str]:
    """What is left before ``report`` runs on a campaign folder: empty when nothing is.

    Rows with a file and line (a unit without a target, a target or record of an unknown
    unit, a stock goal given twice) are errors of their file (`check_campaign`); this
    lists the rest: an empty records file, no record inside the campaign (``report``
    then needs ``--as-of``), anything else the report refuses, and the unit file's
    disagreements with the national unit registry (`bhxh_campaign.registry`).
    """
    load = check_campaign(path) if load is None else load
    bundle = load.bundle
    left: list[str] = []
    unit_file = unit_file_of(path).name
    records = load.reports[enrollments_file_of(path).name]
    if records.rows_read == 0 and not records.problems:  # a problem is listed as an error
        left.append(message("validate", "no_records", lang, file=enrollments_file_of(path).name))
    elif load.ok:
        left.extend(_report_refuses(bundle, lang, enrollments_file_of(path).name))
    issues = unit_registry().check(
        bundle.units, start=bundle.campaign.start, end=bundle.campaign.end, source=unit_file
    )
    left.extend(f"{issue.severity}: {issue.message}" for issue in issues)
    return left


def _report_refuses(bundle: CampaignBundle, lang: str, records: str) -> list[str]:
    """Why ``report`` (with no ``--as-of``) would refuse the loaded folder, if it would."""
    last = bundle.last_data_day()
    if last is None:
        campaign = bundle.campaign
        start, end = campaign.start, campaign.end
        return [message("validate", "no_day", lang, file=records, start=start, end=end)]
    try:
        bundle.report(last)
    except CampaignError as error:
        return [message("validate", "report_refuses", lang, reason=str(error))]
    return []


def summary(
    report: LoadReport[Any], *, lang: str = "vi", limit: int | None = None
) -> dict[str, Any]:
    """One file's entry of the JSON output: counts, errors by code, then at most ``limit`` rows."""
    errors = report.errors
    shown = errors if limit is None else errors[:limit]
    return {
        "file": report.path,
        "rows_read": report.rows_read,
        "accepted": report.accepted,
        "rejected": len(report.rejected),
        "blank": report.blank,
        "header_line": report.header_line,
        "ignored_columns": list(report.ignored),
        "summary": dict(Counter(row.code for row in errors).most_common()),
        "errors": [
            {
                "line": row.line or 0,
                "field": row.field or "",
                "code": row.code,
                "value": row.value,
                "message": cli_words(row.message_vi if lang == "vi" else row.message),
            }
            for row in shown
        ],
        "omitted": len(errors) - len(shown),
    }


# The library's arguments, as the command line spells them.
_ARGUMENTS = re.compile(r"\(?\b(sheet|encoding|level|kind|columns)=(?:\.\.\.|([^\s,;)]+))\)?")


def cli_words(text: str) -> str:
    """A loader's message with each library argument written as the command's option.

    Examples:
        >>> cli_words("name the sheet to read (sheet=...)")
        'name the sheet to read (--sheet)'
        >>> cli_words("try encoding='cp1258'")
        "try --encoding 'cp1258'"
    """

    def option(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        spelled = f"--{name}" if value is None else f"--{name} {value}"
        whole = match.group(0)
        return f"({spelled})" if whole.startswith("(") and whole.endswith(")") else spelled

    return _ARGUMENTS.sub(option, text)


def _text(files: list[dict[str, Any]], lang: str) -> str:
    lines = []
    for entry in files:
        counts = message(
            "validate",
            "counts",
            lang,
            rows=entry["rows_read"],
            accepted=entry["accepted"],
            rejected=entry["rejected"],
            blank=entry["blank"],
        )
        lines.append(f"{entry['file']}: {counts}")
        if entry["header_line"] > 1:
            line, titles = entry["header_line"], entry["header_line"] - 1
            lines.append("  " + message("validate", "header_line", lang, line=line, titles=titles))
        if entry["ignored_columns"]:
            columns = ", ".join(entry["ignored_columns"])
            lines.append("  " + message("validate", "ignored_columns", lang, columns=columns))
        if entry["summary"]:
            lines.append(f"  {message('validate', 'by_code', lang)}")
            lines.extend(f"    {code}: {n}" for code, n in entry["summary"].items())
        word = message("validate", "line", lang)
        for error in entry["errors"]:
            where = f"{word} {error['line']}" if error["line"] else "-"
            field = f" [{error['field']}]" if error["field"] else ""
            lines.append(f"  {where}{field} {error['code']}: {error['message']}")
        if entry["omitted"]:
            lines.append(f"  {message('validate', 'omitted', lang, count=entry['omitted'])}")
    return "\n".join(lines) + "\n"


_UNREADABLE = frozenset(
    {"file_not_found", "unreadable_file", "suspicious_archive", "not_a_regular_file"}
    | {"unknown_encoding"}
)
"""Problems that stop the check of a file before any row is read: exit code 2, not 1."""
_CANNOT_RUN = 2


def _unreadable(found: list[LoadReport[Any]]) -> str | None:
    """The first problem that kept a file from being read at all (exit code 2), or None."""
    for report in found:
        for row in report.problems:
            if row.code in _UNREADABLE:
                return str(row.error(report.path))
    return None


def run(args: argparse.Namespace) -> int:
    """Print the load reports; exit code 0 when all is accepted, 1 when rows were rejected.

    A file that cannot be read at all (its type, its encoding, not a regular file) is an
    error in one line, with exit code 2; with ``--format json`` the document is written
    (the problem is among its errors) and the exit code is 2.
    """
    path = Path(args.path)
    load = None
    if path.is_dir():
        _folder_options(args)
        load = check_campaign(path)
        found = list(load.reports.values())
    else:
        found = _file_report(args)
    unreadable = _unreadable(found)
    if unreadable is not None and args.format != "json":
        raise CommandError(unreadable)
    files = [summary(report, lang=args.lang, limit=args.limit) for report in found]
    left = todo(path, lang=args.lang, load=load) if load is not None else []
    if args.format == "json":
        out: dict[str, Any] = {"files": files}
        if path.is_dir():
            out["todo"] = left
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        text = _text(files, args.lang)
        if left:
            text += (
                message("validate", "todo", args.lang)
                + "\n"
                + "".join(f"  - {item}\n" for item in left)
            )
        sys.stdout.write(text)
    errors = any(not item.startswith("warning") for item in left)
    if unreadable is not None:
        return _CANNOT_RUN
    return 0 if all(report.ok for report in found) and not errors else 1
