"""``bhxh-campaign audit``: check that a bulletin's published figures agree.

The file is a small TOML document (see ``examples/bac_giang_2023/published.toml`` and the
audit guide). Exit code 0 when every figure agrees, 1 when some disagree (each is listed
with the exact numbers), 2 for a file that cannot be read.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from bhxh_campaign.audit import AuditResult, audit, published_figures_from_dict
from bhxh_campaign.commands import CommandError
from bhxh_campaign.errors import InvalidValueError

NAME = "audit"
HELP = "check that a bulletin's published figures agree with each other"
_DISAGREE = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``audit``."""
    parser.add_argument("file", help="a TOML file of published figures")


def render(path: str, result: AuditResult) -> str:
    """The audit's findings and inferences as text, one line each."""
    lines = []
    if result.consistent:
        lines.append(f"{path}: consistent ({result.checked} relations checked)")
    else:
        n = len(result.findings)
        lines.append(f"{path}: {n} figure{'s' if n > 1 else ''} disagree:")
        lines += [f"  {finding}" for finding in result.findings]
    for label, fits in result.inferred:
        options = " or ".join(f"{f.target} (with a count of {f.count})" for f in fits)
        lines.append(f"inferred: {label} target {options}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Audit the file; exit code 0 if consistent, 1 if not."""
    path = Path(args.file)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        msg = f"{path}: cannot read: {error.strerror or error}"
        raise CommandError(msg) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        msg = f"{path}: not a TOML file: {error}"
        raise CommandError(msg) from None
    try:
        figures = published_figures_from_dict(data)
    except InvalidValueError as error:
        msg = f"{path}: {error}"
        raise CommandError(msg) from None
    result = audit(figures)
    sys.stdout.write(render(str(path), result))
    return 0 if result.consistent else _DISAGREE
