"""MkDocs hook: generated command-line help and the example's charts.

- A page that contains the placeholder ``<!-- cli-help -->`` gets, in its place, the help of
  the ``report`` subcommand as ``argparse`` prints it, in a fenced text block;
  ``<!-- cli-help NAME -->`` does the same for the subcommand ``NAME``. The text comes from
  the parser the command itself uses, so the page cannot drift from the code.
- The charts of the bundled example as of the bulletin's day (18/05/2023) are drawn at
  build time and added to the site as ``img/charts/{kind}-{lang}.png``, so pages can show
  them and they are never stale. Nothing is written into ``docs/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bhxh_campaign.cli import _parser
from bhxh_campaign.io.folder import load_campaign
from bhxh_campaign.render import Lang, charts

# The test suite imports this module (doctests) where MkDocs may not be installed.
if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

PLACEHOLDER = "<!-- cli-help -->"
_PLACEHOLDERS = re.compile(r"<!-- cli-help(?: (?P<name>[a-z-]+))? -->")
# A fixed width keeps the page the same whatever terminal builds it.
_WIDTH = 88

EXAMPLE = Path("examples") / "bac_giang_2023"
"""The example the docs draw, relative to the folder of ``mkdocs.yml``."""
BULLETIN_DAY = dt.date(2023, 5, 18)
LANGS: tuple[Lang, ...] = ("vi", "en")
CHART_DIR = "img/charts"


def command_help(name: str = "report") -> str:
    """The help text of ``bhxh-campaign NAME``, wrapped at a fixed width."""
    commands = next(
        action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    command: argparse.ArgumentParser = commands.choices[name]
    command.formatter_class = lambda prog: argparse.RawDescriptionHelpFormatter(prog, width=_WIDTH)
    return command.format_help().rstrip()


def report_help() -> str:
    """The help text of ``bhxh-campaign report``, wrapped at a fixed width."""
    return command_help("report")


def doc_charts(example: Path) -> dict[str, bytes]:
    """The example's three charts in both languages, as PNG files by name.

    The names are ``{kind}-{lang}.png``, e.g. ``daily-en.png``.
    """
    bundle = load_campaign(example)
    report, counts = bundle.report(BULLETIN_DAY), bundle.counts(BULLETIN_DAY)
    result = {}
    for lang in LANGS:
        figures = {
            "cumulative": charts.cumulative_chart(report, counts, lang=lang),
            "completion": charts.completion_chart(report, lang=lang),
            "daily": charts.daily_chart(report, counts, lang=lang),
        }
        for kind, figure in figures.items():
            result[f"{kind}-{lang}.png"] = charts.chart_bytes(figure)
    return result


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Add the example's charts to the site, drawn now."""
    from mkdocs.structure.files import File  # noqa: PLC0415

    root = Path(config.config_file_path).parent
    for name, content in doc_charts(root / EXAMPLE).items():
        files.append(File.generated(config, f"{CHART_DIR}/{name}", content=content))
    return files


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Replace each placeholder with the generated help, in a fenced text block."""
    return _PLACEHOLDERS.sub(
        lambda match: f"```text\n{command_help(match['name'] or 'report')}\n```", markdown
    )
