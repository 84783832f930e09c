"""``bhxh-campaign validate``: check a campaign folder (or one file) and print the load report.

Exit codes: 0 when every row was accepted (or blank), 1 when rows were rejected or a file
had a problem, 2 when the check could not run (no such path, a broken ``campaign.toml``, a
file that cannot be read at all: an unknown type or encoding, not a regular file).

The JSON output has this shape (``line`` is 0 and ``field`` empty when the problem has
none)::

    {"files": [{"file": str, "rows_read": int, "accepted": int, "rejected": int,
                "blank": int, "header_line": int, "ignored_columns": [str],
                "errors": [{"line": int, "field": str, "code": str, "value": str,
                            "message": str}]}]}
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bhxh_campaign._layout import enrollments_file_of, unit_file_of
from bhxh_campaign.commands import CommandError
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io.folder import load_campaign
from bhxh_campaign.io.load_report import LoadReport
from bhxh_campaign.io.loaders import load_districts, load_enrollments, load_targets
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.messages import message
from bhxh_campaign.model import Measure
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


def _kind(path: Path, kind: str | None) -> str:
    if kind is not None:
        return kind
    name = path.name.casefold()
    return next((k for k in KINDS if k in name), "enrollments")


def reports(args: argparse.Namespace) -> list[LoadReport[Any]]:
    """The load reports of ``args.path``: one per file of a folder, or one for a file."""
    path = Path(args.path)
    if path.is_dir():
        one_file = (args.encoding, args.sheet, args.level, args.column)
        if any(option is not None for option in one_file):
            msg = (
                "--encoding, --sheet and --level apply to one file, as does --column; a"
                " campaign folder's campaign.toml gives its encoding, level and [columns]"
            )
            raise CommandError(msg)
        return list(load_campaign(path, strict=False).reports.values())
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


def todo(path: Path, *, lang: str = "vi") -> list[str]:
    """What is left before ``report`` runs on a campaign folder: empty when nothing is.

    Units with no target of new participants, targets or records of units not in the
    unit file, an empty records file, and the unit file's disagreements with the national
    unit registry (`bhxh_campaign.registry`), each naming the file and, where there is
    one, the line.
    """
    load = load_campaign(path, strict=False)
    bundle = load.bundle
    left: list[str] = []
    units = {u.code for u in bundle.units}
    unit_file = unit_file_of(path).name
    with_target = {t.unit_code for t in bundle.targets if t.measure is Measure.NEW}
    missing = sorted(units - with_target)
    if missing:
        shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
        left.append(message("validate", "missing_targets", lang, count=len(missing), codes=shown))
    provinces = {u.province_code for u in bundle.units}
    strays = sorted(
        {t.unit_code for t in bundle.targets} - units - provinces,
    )
    left.extend(
        message("validate", "stray_target", lang, code=repr(code), file=unit_file)
        for code in strays
    )
    if load.reports[enrollments_file_of(path).name].rows_read == 0:
        left.append(message("validate", "no_records", lang))
    issues = unit_registry().check(
        bundle.units, start=bundle.campaign.start, end=bundle.campaign.end, source=unit_file
    )
    left.extend(f"{issue.severity}: {issue.message}" for issue in issues)
    return left


def summary(report: LoadReport[Any], *, lang: str = "vi") -> dict[str, Any]:
    """One file's entry of the JSON output."""
    return {
        "file": report.path,
        "rows_read": report.rows_read,
        "accepted": report.accepted,
        "rejected": len(report.rejected),
        "blank": report.blank,
        "header_line": report.header_line,
        "ignored_columns": list(report.ignored),
        "errors": [
            {
                "line": row.line or 0,
                "field": row.field or "",
                "code": row.code,
                "value": row.value,
                "message": row.message_vi if lang == "vi" else row.message,
            }
            for row in report.errors
        ],
    }


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
        word = message("validate", "line", lang)
        for error in entry["errors"]:
            where = f"{word} {error['line']}" if error["line"] else "-"
            field = f" [{error['field']}]" if error["field"] else ""
            lines.append(f"  {where}{field} {error['code']}: {error['message']}")
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
    found = reports(args)
    unreadable = _unreadable(found)
    if unreadable is not None and args.format != "json":
        raise CommandError(unreadable)
    files = [summary(report, lang=args.lang) for report in found]
    path = Path(args.path)
    left = todo(path, lang=args.lang) if path.is_dir() else []
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
