"""``bhxh-campaign audit``: check that a bulletin's published figures agree.

The file is a small TOML document (see ``examples/bac_giang_2023/published.toml`` and the
audit guide). Exit code 0 when every figure agrees, 1 when some disagree (each is listed
with the exact numbers), 2 for a file that cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bhxh_campaign._files import TomlError, read_toml
from bhxh_campaign.audit import AuditResult, audit, published_figures_from_dict
from bhxh_campaign.commands import CommandError
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.messages import message

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
        key = "disagree_one" if n == 1 else "disagree_many"
        lines.append(message("audit", key, "en", path=path, count=n))
        lines += [f"  {finding}" for finding in result.findings]
    for label, fits in result.inferred:
        options = " or ".join(f"{f.target} (with a count of {f.count})" for f in fits)
        lines.append(f"inferred: {label} target {options}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Audit the file; exit code 0 if consistent, 1 if not."""
    path = Path(args.file)
    try:
        data = read_toml(path)
    except OSError as error:
        msg = f"{path}: cannot read: {error.strerror or error}"
        raise CommandError(msg) from None
    except TomlError as error:
        where = str(path) if error.line is None else f"{path}, line {error.line}"
        if error.key is not None:
            where = f"{where}, field {error.key!r}"
        msg = f"{where}: not a TOML file: {error}"
        raise CommandError(msg) from None
    try:
        figures = published_figures_from_dict(data)
    except InvalidValueError as error:
        msg = f"{path}: {error}"
        raise CommandError(msg) from None
    result = audit(figures)
    sys.stdout.write(render(str(path), result))
    return 0 if result.consistent else _DISAGREE
