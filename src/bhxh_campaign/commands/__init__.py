"""Subcommands of ``bhxh-campaign``, one module each.

A command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int`` (it writes its own output and returns the exit code; it raises
`CampaignError` or `CommandError` for bad input, which the entry point turns into a
one-line message and exit code 2).
"""

from __future__ import annotations

__all__ = ["CommandError"]


class CommandError(Exception):
    """A bad argument or input, reported in one line with exit code 2.

    Examples:
        >>> import contextlib, io
        >>> from bhxh_campaign.cli import main
        >>> with contextlib.redirect_stderr(io.StringIO()) as err:
        ...     main(["report", "examples/bac_giang_2023", "--as-of", "2023-07-01"])
        2
        >>> print(err.getvalue(), end="")
        bhxh-campaign: error: --as-of 2023-07-01 is outside the campaign, 2023-05-01 to 2023-05-31
    """
