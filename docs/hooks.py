"""MkDocs hook: put the generated ``bhxh-campaign report --help`` text into the docs.

A page that contains the placeholder ``<!-- cli-help -->`` gets, in its place, the help of
the ``report`` subcommand as ``argparse`` prints it, in a fenced text block. The text comes
from the parser the command itself uses, so the page cannot drift from the code.
"""

from __future__ import annotations

import argparse
from typing import Any

from bhxh_campaign.cli import _parser

PLACEHOLDER = "<!-- cli-help -->"
# A fixed width keeps the page the same whatever terminal builds it.
_WIDTH = 88


def report_help() -> str:
    """The help text of ``bhxh-campaign report``, wrapped at a fixed width."""
    commands = next(
        action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    report: argparse.ArgumentParser = commands.choices["report"]
    report.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=_WIDTH)
    return report.format_help().rstrip()


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Replace the placeholder with the generated help, in a fenced text block."""
    if PLACEHOLDER not in markdown:
        return markdown
    return markdown.replace(PLACEHOLDER, f"```text\n{report_help()}\n```")
