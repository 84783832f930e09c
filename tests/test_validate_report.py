"""``validate FOLDER`` checks what ``report`` checks: its "yes" means the report runs.

Fixtures of each folder check with its exact outcome (code, line, field, exit code), the
summary by code and ``--limit``, and a Hypothesis property over messy folders: when
``validate`` exits 0, ``report`` on the same folder succeeds; when it does not, its
errors name the file and the line.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bhxh_campaign.cli import main
from bhxh_campaign.commands.validate import cli_words

from .conftest import EXAMPLE
from .messy_files import messy_csv


def run(*args: str) -> tuple[int, str, str]:
    """Run the command line, capturing its output (no fixture: Hypothesis calls it too)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLE, folder)
    return folder


def errors(folder: Path) -> tuple[int, list[tuple[str, int, str, str]]]:
    """validate's exit code and every error as (file name, line, field, code)."""
    code, out, _ = run("validate", str(folder), "--format", "json", "--lang", "en")
    data = json.loads(out)
    found = [
        (Path(entry["file"]).name, e["line"], e["field"], e["code"])
        for entry in data["files"]
        for e in entry["errors"]
    ]
    return code, found


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


class TestFolderChecks:
    def test_the_example_is_clean(self) -> None:
        """The bundled example passes, and the report runs on it."""
        assert errors(EXAMPLE) == (0, [])

    def test_a_record_of_an_unknown_unit(self, tmp_path: Path) -> None:
        """A record in a unit not among the campaign's is a rejected row; report tallies it."""
        folder = copy(tmp_path)
        lines = (folder / "enrollments.csv").read_text(encoding="utf-8").count("\n")
        append(folder / "enrollments.csv", "ZZ1,2400000001,999,2023-05-02,,annual\n")
        assert errors(folder) == (
            1,
            [("enrollments.csv", lines + 1, "district_code", "unknown_district")],
        )
        code, out, _ = run("report", str(folder), "--format", "json")
        assert code == 0
        assert json.loads(out)["excluded"]["unknown_district"] >= 1

    def test_a_unit_without_a_target(self, tmp_path: Path) -> None:
        """A unit with no target of new participants: its line of the unit file."""
        folder = copy(tmp_path)
        text = (folder / "targets.csv").read_text(encoding="utf-8")
        kept = [line for line in text.splitlines() if not line.startswith("215,")]
        (folder / "targets.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
        assert errors(folder) == (1, [("districts.csv", 3, "code", "missing_value")])

    def test_a_target_for_an_unknown_unit(self, tmp_path: Path) -> None:
        """A target for a unit not in the unit file: its line of targets.csv."""
        folder = copy(tmp_path)
        append(folder / "targets.csv", "999,50,new\n")
        assert errors(folder) == (1, [("targets.csv", 13, "unit_code", "unknown_district")])

    def test_a_stock_goal_given_twice(self, tmp_path: Path) -> None:
        """A second stock goal for one unit: the line of its table in campaign.toml."""
        folder = copy(tmp_path)
        append(folder / "campaign.toml", '\n[[stock_goals]]\nunit_code = "24"\ntarget = 5\n')
        assert errors(folder) == (1, [("campaign.toml", 12, "stock_goals", "duplicate_unit")])
        code, _, err = run("report", str(folder))
        assert code == 2
        assert "two stock targets" in err


class TestOutput:
    def test_summary_first_then_limited_rows(self, tmp_path: Path) -> None:
        """The text gives the count per code, then at most --limit rows, then what is left."""
        folder = copy(tmp_path)
        rows = "".join(f"Z{i},2400000001,999,2023-05-02,,annual\n" for i in range(5))
        append(folder / "enrollments.csv", rows + "Z9,2400000001,221,2023-5-2,,annual\n")
        code, out, _ = run("validate", str(folder), "--lang", "en", "--limit", "2")
        assert code == 1
        lines = out.splitlines()
        start = next(i for i, line in enumerate(lines) if "enrollments.csv" in line)
        assert lines[start + 1 : start + 4] == [
            "  By error code:",
            "    unknown_district: 5",
            "    bad_date: 1",
        ]
        assert sum("unknown_district:" in line and "line" in line for line in lines) == 2
        assert "  ... and 4 more rows (--limit shows more)" in lines

    def test_json_counts_what_is_left_out(self, tmp_path: Path) -> None:
        """In JSON, errors holds --limit rows, omitted the rest, summary all of them."""
        folder = copy(tmp_path)
        append(folder / "targets.csv", "998,50,new\n999,50,new\n")
        _, out, _ = run("validate", str(folder), "--format", "json", "--limit", "1")
        entry = next(f for f in json.loads(out)["files"] if f["file"].endswith("targets.csv"))
        assert (entry["summary"], len(entry["errors"]), entry["omitted"]) == (
            {"unknown_district": 2},
            1,
            1,
        )

    def test_limit_must_be_a_whole_number(self) -> None:
        """--limit -1 is refused by the parser."""
        with pytest.raises(SystemExit):
            run("validate", str(EXAMPLE), "--limit", "-1")

    def test_messages_name_the_option(self) -> None:
        """A loader's hint names --sheet, not the Python argument."""
        book = Path(__file__).parent / "fixtures" / "loaders" / "several_sheets.xlsx"
        code, out, _ = run("validate", str(book), "--lang", "en")
        assert code == 1
        assert "--sheet" in out
        assert "sheet=" not in out
        assert cli_words("(sheet=...)") == "(--sheet)"


@st.composite
def messy_folders(draw: st.DrawFn) -> dict[str, Any]:
    """Changes to the example folder: its plan files broken or not, messy records."""
    return {
        "records": draw(messy_csv(unknown=draw(st.booleans()))),
        # Each plan file broken now and then, so that many folders pass.
        "drop_target": draw(st.integers(0, 4)) == 0,
        "stray_target": draw(st.integers(0, 4)) == 0,
        "second_goal": draw(st.integers(0, 4)) == 0,
    }


def build(root: Path, change: dict[str, Any]) -> Path:
    folder = root / "c"
    shutil.copytree(EXAMPLE, folder)
    (folder / "enrollments.csv").write_text(change["records"], encoding="utf-8")
    targets = folder / "targets.csv"
    if change["drop_target"]:
        kept = [x for x in targets.read_text(encoding="utf-8").splitlines() if "221," not in x]
        targets.write_text("\n".join(kept) + "\n", encoding="utf-8")
    if change["stray_target"]:
        append(targets, "999,50,new\n")
    if change["second_goal"]:
        append(folder / "campaign.toml", '\n[[stock_goals]]\nunit_code = "24"\ntarget = 5\n')
    return folder


@pytest.mark.slow
class TestValidateImpliesReport:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(messy_folders())
    def test_yes_means_the_report_runs(self, change: dict[str, Any]) -> None:
        """validate exit 0 => report succeeds; exit 1 => errors name the file and line."""
        with tempfile.TemporaryDirectory() as root:
            folder = build(Path(root), change)
            code, out, _ = run("validate", str(folder), "--format", "json")
            event(f"validate exit {code}")
            if code == 0:
                assert run("report", str(folder))[0] == 0
                assert run("report", str(folder), "--engine", "duckdb")[0] == 0
            else:
                assert code == 1
                data = json.loads(out)
                rows = [e for f in data["files"] for e in f["errors"]]
                assert all(f["file"] for f in data["files"])
                assert any(e["line"] for e in rows) or data["todo"]
