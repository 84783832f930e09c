"""The ``bhxh-campaign`` command: progress reports of enrollment campaigns.

Each subcommand lives in its own module under `bhxh_campaign.commands`.

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
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from bhxh_campaign.commands import CommandError
from bhxh_campaign.errors import CampaignError

__all__ = ["main"]

_COMMANDS = ("report", "audit", "chart", "validate", "diff", "init")
"""The subcommands, in the order ``--help`` lists them (modules of `bhxh_campaign.commands`)."""
_USAGE_ERROR = 2


def _modules(argv: Sequence[str] | None = None) -> list[ModuleType]:
    # A command line naming its subcommand first imports only that subcommand's module
    # (``report`` need not import what ``chart`` or ``audit`` use); else all, for --help.
    first = (sys.argv[1:] if argv is None else argv)[:1]
    names = tuple(first) if tuple(first) and first[0] in _COMMANDS else _COMMANDS
    return [importlib.import_module(f"bhxh_campaign.commands.{name}") for name in names]


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bhxh-campaign",
        description="Progress reports of voluntary social-insurance enrollment campaigns.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for module in _modules(argv):
        sub = commands.add_parser(
            module.NAME,
            help=module.HELP,
            description=module.HELP[:1].upper() + module.HELP[1:] + ".",
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad input).

    Examples:
        >>> main(["report", "examples/bac_giang_2023", "--as-of", "2023-05-18", "--format", "csv"])
        rank,code,district,new,target,percent,rank_by_completion,completed_on,window...
        1,221,Yên Dũng,318,285,111.58,2,2023-05-16,156...
        ...
        ,24,Total,1928,3285,58.69,,,1074...
        0
    """
    args = _parser(argv).parse_args(argv)
    try:
        code: int = args.run(args)
    except (CampaignError, CommandError) as error:
        print(f"bhxh-campaign: error: {error}", file=sys.stderr)
        return _USAGE_ERROR
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
