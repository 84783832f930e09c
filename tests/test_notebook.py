"""Tests of the example notebook and of `bhxh_campaign.render.notebook`."""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from nbclient import NotebookClient

import bhxh_campaign as bc
from bhxh_campaign.render.notebook import load_ipython_extension, report_table_html

from .conftest import EXAMPLE, ROOT

NOTEBOOK = ROOT / "examples" / "bac_giang_2023.ipynb"


def read(path: Path) -> Any:
    """The notebook at ``path``, as nbformat 4 (nbformat's ``read`` is not annotated)."""
    return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]


def code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook run top to bottom in a scratch folder holding a copy of the example."""
    folder = tmp_path_factory.mktemp("notebook")
    shutil.copytree(EXAMPLE, folder / EXAMPLE.name)
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    notebook = read(folder / NOTEBOOK.name)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook


@pytest.mark.xdist_group("notebook")  # one worker runs the notebook once
class TestExampleNotebook:
    def test_stored_without_outputs(self) -> None:
        """The notebook in git has no outputs, execution counts or widget state."""
        notebook = read(NOTEBOOK)
        nbformat.validate(notebook)
        for cell in code_cells(notebook):
            assert cell.outputs == []
            assert cell.execution_count is None
        assert set(notebook.metadata) <= {"kernelspec", "language_info"}

    @pytest.mark.notebook
    def test_runs_without_error(self, executed: Any) -> None:
        """Every cell runs, none errors or writes to stderr."""
        cells = code_cells(executed)
        assert all(cell.execution_count for cell in cells)
        outputs = [output for cell in cells for output in cell.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        assert not [o for o in outputs if o.get("name") == "stderr"]

    @pytest.mark.notebook
    def test_shows_the_published_figures(self, executed: Any) -> None:
        """An output shows 1.928 and 58,69%, as the bulletin wrote them."""
        texts = [
            str(output.get("text", "")) + "".join(map(str, output.get("data", {}).values()))
            for cell in code_cells(executed)
            for output in cell.outputs
        ]
        assert any("1.928" in text and "58,69%" in text for text in texts)

    @pytest.mark.notebook
    def test_rich_table_and_three_charts(self, executed: Any) -> None:
        """The table is shown as HTML; the three charts, and the frame's plot, as images."""
        data = [output.get("data", {}) for cell in code_cells(executed) for output in cell.outputs]
        tables = [d["text/html"] for d in data if "text/html" in d]
        assert len(tables) == 1
        assert '<table class="bhxh-campaign-report">' in tables[0]
        assert sum("image/png" in d for d in data) == 4

    @pytest.mark.notebook
    def test_plots_from_a_frame(self, executed: Any) -> None:
        """A cell builds a pandas frame with to_frame and plots its float percent column."""
        (cell,) = [c for c in code_cells(executed) if "to_frame" in c.source]
        assert ".plot" in cell.source
        data = [output.get("data", {}) for output in cell.outputs]
        assert any("image/png" in d for d in data)
        shown = " ".join(d.get("text/plain", "") for d in data)
        assert "float64" in shown
        assert "112.67" in shown


class TestReportTableHtml:
    def test_rows_and_total(self, example_report: bc.CampaignReport) -> None:
        """One row per district in league order, then the total in the footer."""
        table = report_table_html(example_report, "vi")
        body, foot = table.split("<tfoot", 1)
        names = [row.name for row in example_report.districts]
        positions = [body.index(f"<td>{name}</td>") for name in names]
        assert positions == sorted(positions)
        assert "<td>Toàn tỉnh</td>" in foot
        assert '<td style="text-align: right">1.928</td>' in foot
        assert '<td style="text-align: right">58,69%</td>' in foot
        assert "<caption>" in table
        assert "tính đến hết ngày 18/5/2023" in table

    def test_english(self, example_report: bc.CampaignReport) -> None:
        """In English, headers, numbers and dates are English."""
        table = report_table_html(example_report, "en")
        assert "<th>District</th>" in table
        assert '<th style="text-align: right">7 days</th>' in table
        assert "1,928" in table
        assert "58.69%" in table
        assert "13 May 2023" in table
        assert "through 18 May 2023" in table

    def test_escapes_text(self) -> None:
        """Names and captions are escaped, so a name cannot inject markup."""
        name = "<b>Tân & Yên</b>"
        campaign = bc.Campaign(
            id="c",
            name="A <script>",
            scope="24",
            start=dt.date(2023, 5, 1),
            end=dt.date(2023, 5, 31),
        )
        report = bc.campaign_report(
            campaign,
            [bc.District(code="216", name=name, kind="huyen", province_code="24")],
            [bc.Target(unit_code="216", campaign_id="c", value=10)],
            bc.DailyCounts(start=campaign.start, end=campaign.start, grid={"216": [3]}),
        )
        table = report_table_html(report)
        assert html.escape(name) in table
        assert "<b>" not in table
        assert "<script>" not in table
        assert "A &lt;script&gt;" in table


class TestIPythonExtension:
    def test_reports_show_as_the_table(self, example_report: bc.CampaignReport) -> None:
        """Once the extension is loaded, a report's HTML form is its league table."""
        shell = SimpleNamespace(display_formatter=DisplayFormatter())
        assert "text/html" not in shell.display_formatter.format(example_report)[0]
        load_ipython_extension(shell)
        shown = shell.display_formatter.format(example_report)[0]
        assert shown["text/html"] == report_table_html(example_report, "vi")

    def test_the_report_holds_no_renderer(self) -> None:
        """The core type has no HTML method: rendering is the render layer's."""
        assert not hasattr(bc.CampaignReport, "_repr_html_")
        assert not hasattr(bc.CampaignReport, "to_html")
