"""Approval snapshot: the 2023 example's outputs as of 18 May 2023, one file, one section each.

Every output that shows the league table is in ``snapshots/bac_giang_2023-05-18.txt``, so a
change to the table (a new column, a new heading) shows in one diff, in every format. After
a deliberate change, regenerate the file and review its diff::

    python -m tests.snapshot

A section starts with a line ``==> name <==``; its text runs to the next one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from pathlib import Path

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.io.export import district_rows, to_csv
from bhxh_campaign.render import report_table, report_to_json
from bhxh_campaign.render.html import report_html
from bhxh_campaign.render.notebook import report_table_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bac_giang_2023"
AS_OF = dt.date(2023, 5, 18)
SNAPSHOT = Path(__file__).parent / "snapshots" / "bac_giang_2023-05-18.txt"

CLI_VI = "bhxh-campaign report examples/bac_giang_2023 --as-of 2023-05-18"
JSON = "report_to_json(report)"

_MARK = re.compile(r"^==> (.+) <==\n", re.MULTILINE)


def _rows_on_lines(html: str) -> str:
    """An HTML table with each row on a line of its own, so that diffs read row by row."""
    return re.sub(r"(?=<(?:tr|thead|tbody|tfoot)[ >])|(?=</table>)", "\n", html) + "\n"


def _league_of_page(page: str) -> str:
    start = page.index('<table id="league">')
    return _rows_on_lines(page[start : page.index("</table>", start) + len("</table>")])


def outputs() -> dict[str, str]:
    """Every section, made now by the library from the example."""
    report = bc.load_campaign(EXAMPLE).report(AS_OF)
    cli = io.StringIO()
    with contextlib.redirect_stdout(cli):
        main(["report", str(EXAMPLE), "--as-of", AS_OF.isoformat()])
    return {
        CLI_VI: cli.getvalue(),
        'report_table(report, "text", lang="en")': report_table(report, "text", lang="en"),
        'report_table(report, "markdown", lang="vi")': report_table(report, "markdown", lang="vi"),
        'report_table(report, "csv")': report_table(report, "csv"),
        "io.export.to_csv(district_rows(report, total=True))": to_csv(
            district_rows(report, total=True)
        ),
        'render.notebook.report_table_html(report, "vi")': _rows_on_lines(
            report_table_html(report, "vi")
        ),
        'render.html.report_html(report, "en"): the league table': _league_of_page(
            report_html(report, "en", version="0")
        ),
        JSON: report_to_json(report),
    }


def sections(path: Path = SNAPSHOT) -> dict[str, str]:
    """The sections of the committed snapshot, by name."""
    text = path.read_bytes().decode("utf-8")
    parts = _MARK.split(text)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def section(name: str) -> str:
    """One section of the committed snapshot."""
    return sections()[name]


def write(path: Path = SNAPSHOT) -> None:
    """Write every section as the library makes it now."""
    text = "".join(f"==> {name} <==\n{body}" for name, body in outputs().items())
    path.write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    write()
