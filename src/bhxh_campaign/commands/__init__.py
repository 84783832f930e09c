"""Subcommands of ``bhxh-campaign``, one module each.

A command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int`` (it writes its own output and returns the exit code; it raises
`CampaignError` or `CommandError` for bad input, which the entry point turns into a
one-line message and exit code 2).
"""

from __future__ import annotations

__all__ = ["CommandError"]


class CommandError(Exception):
    """A bad argument or input, reported in one line with exit code 2."""
