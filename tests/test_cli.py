"""Tests of `bhxh_campaign.cli`: the published figures through the command line."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.io.export import record_rows, write_xlsx

from . import snapshot
from .conftest import EXAMPLE


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def report_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, _ = run(capsys, "report", str(EXAMPLE), "--format", "json", *args)
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


class TestReportJson:
    def test_published_figures(self, capsys: pytest.CaptureFixture[str]) -> None:
        """F1-F8 come out of the JSON, exact to the digit."""
        data = report_json(capsys, "--as-of", "2023-05-18")
        assert data["as_of"] == "2023-05-18"
        assert data["total"]["target"] == 3285
        assert data["total"]["actual"] == 1928
        assert data["total"]["completion_percent"] == "58.69"
        assert data["window"] == {
            "start": "2023-05-12",
            "end": "2023-05-18",
            "days": 7,
            "count": 1074,
            "inclusive": True,
        }
        top = [(d["name"], d["actual"], d["rank_by_actual"]) for d in data["districts"][:3]]
        assert top == [("Yên Dũng", 318, 1), ("Hiệp Hòa", 302, 2), ("Lục Ngạn", 268, 3)]
        done = sorted(
            (d["rank_by_completed_on"], d["name"], d["completion_percent"])
            for d in data["districts"]
            if d["completed_on"]
        )
        assert done == [(1, "Sơn Động", "112.67"), (2, "Yên Dũng", "111.58")]

    def test_contract_keys(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The keys front ends rely on are present with the documented types."""
        data = report_json(capsys, "--as-of", "2023-05-18")
        assert set(data["campaign"]) >= {"id", "name", "start", "end"}
        district_keys = {
            "code",
            "name",
            "province_code",
            "actual",
            "target",
            "completion_percent",
            "rank_by_actual",
            "rank_by_completion",
            "completed_on",
            "window_count",
        }
        for row in data["districts"]:
            assert set(row) >= district_keys
            assert len(row["completion_percent"].partition(".")[2]) == 2
        assert data["provinces"][0]["code"] == "24"
        assert data["excluded"] == {
            "after_as_of": 1126,
            "before_start": 28,
            "repeat_participant": 9,
        }

    def test_window_days(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--window-days changes the trailing window; one day is just the as-of day."""
        data = report_json(capsys, "--as-of", "2023-05-18", "--window-days", "1")
        assert (data["window"]["start"], data["window"]["days"]) == ("2023-05-18", 1)


class TestReportText:
    def test_vietnamese_snapshot(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The Vietnamese bulletin and table match the reviewed snapshot."""
        code, out, _ = run(capsys, "report", str(EXAMPLE), "--as-of", "2023-05-18")
        assert code == 0
        assert out == snapshot.section(snapshot.CLI_VI)
        assert "đã vận động tăng mới được 1.928 người tham gia BHXH tự nguyện, đạt 58,69%" in out

    def test_english(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The English twin uses English number formats."""
        code, out, _ = run(capsys, "report", str(EXAMPLE), "--as-of", "2023-05-18", "--lang", "en")
        assert code == 0
        assert "1,928 new participants" in out
        assert "58.69% of the plan (3,285)" in out
        assert "12 May to 18 May inclusive, 1,074" in out

    def test_default_as_of_is_last_data_day(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --as-of the report says which day it used."""
        code, out, _ = run(capsys, "report", str(EXAMPLE))
        assert code == 0
        assert out.startswith("(Số liệu đến hết ngày có dữ liệu cuối cùng: 31/5/2023.)")

    @pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
    def test_tables(self, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
        """Every table format lists the ten districts and the total."""
        code, out, _ = run(capsys, "report", str(EXAMPLE), "--as-of", "2023-05-18", "--format", fmt)
        assert code == 0
        assert sum("Sơn Động" in line for line in out.splitlines()) == 1
        assert "1.928" in out or "1928" in out


class TestErrors:
    def test_missing_folder(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A wrong path is a one-line error and exit code 2."""
        code, out, err = run(capsys, "report", str(tmp_path / "nope"))
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert "not a campaign folder" in err

    def test_as_of_outside(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An --as-of outside the campaign is a one-line error and exit code 2."""
        code, _, err = run(capsys, "report", str(EXAMPLE), "--as-of", "2023-06-01")
        assert code == 2
        assert "outside the campaign" in err

    def test_malformed_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A bad row names the file, the line and the field, and the id is masked."""
        folder = tmp_path / "c"
        shutil.copytree(EXAMPLE, folder)
        lines = (folder / "enrollments.csv").read_text(encoding="utf-8").splitlines()
        cells = lines[5].split(",")
        cells[1] = cells[1] + "9"
        lines[5] = ",".join(cells)
        (folder / "enrollments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, _, err = run(capsys, "report", str(folder))
        assert code == 2
        assert "enrollments.csv, line 6, field 'participant_id'" in err
        assert cells[1] not in err
        assert cells[1][-4:] in err

    @pytest.mark.parametrize(
        "args", [["--as-of", "05/18/2023"], ["--window-days", "0"], ["--format", "pdf"]]
    )
    def test_bad_arguments(self, args: list[str]) -> None:
        """Malformed options exit with code 2."""
        with pytest.raises(SystemExit) as exit_info:
            main(["report", str(EXAMPLE), *args])
        assert exit_info.value.code == 2

    def test_module_entry_point(self) -> None:
        """python -m bhxh_campaign runs the same command."""
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bhxh_campaign",
                "report",
                str(EXAMPLE),
                "--as-of",
                "2023-05-18",
                "--format",
                "csv",
            ],
            capture_output=True,
            text=True,
            check=False,
            encoding="utf-8",
        )
        assert result.returncode == 0
        assert result.stdout.splitlines()[1].startswith("1,221,Yên Dũng,318,285,111.58")


class TestReportHtml:
    def test_writes_one_page(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--format html --out writes a self-contained page with the figures and a fingerprint."""
        out = tmp_path / "r.html"
        code, stdout, _ = run(
            capsys,
            "report",
            str(EXAMPLE),
            "--as-of",
            "2023-05-18",
            "--format",
            "html",
            "--out",
            str(out),
        )
        assert (code, stdout) == (0, "")
        page = out.read_text(encoding="utf-8")
        assert "58,69%" in page
        assert "1.928" in page
        assert "sha256:" in page

    def test_out_folder_must_exist(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """An --out in a folder that does not exist is a one-line error, exit code 2."""
        code, _, err = run(
            capsys,
            "report",
            str(EXAMPLE),
            "--format",
            "html",
            "--out",
            str(tmp_path / "missing" / "r.html"),
        )
        assert code == 2
        assert "does not exist" in err


class TestKnownAt:
    def test_known_at_as_of_reproduces_the_bulletin(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--known-at the as-of day reproduces what a bulletin written that day could show."""
        data = report_json(capsys, "--as-of", "2023-05-18", "--known-at", "2023-05-18")
        assert data["known_at"] == "2023-05-18"
        assert (data["total"]["actual"], data["total"]["completion_percent"]) == (1928, "58.69")

    def test_known_before_everything(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Known at a day before the records, nothing is counted and everything is tallied."""
        data = report_json(capsys, "--as-of", "2023-05-18", "--known-at", "2023-05-02")
        assert data["total"]["actual"] < 1928
        assert data["excluded"]["recorded_after_known_at"] > 0


class TestEngines:
    @pytest.mark.parametrize("engine", ["python", "arrow", "duckdb", "polars", "auto"])
    def test_every_engine_gives_the_same_report(
        self, capsys: pytest.CaptureFixture[str], engine: str
    ) -> None:
        """The report is the same whichever engine counts the records."""
        python = report_json(capsys, "--as-of", "2023-05-18", "--engine", "python")
        assert report_json(capsys, "--as-of", "2023-05-18", "--engine", engine) == python

    @pytest.mark.parametrize("engine", ["arrow", "duckdb"])
    def test_default_day_by_engine(self, capsys: pytest.CaptureFixture[str], engine: str) -> None:
        """Without --as-of a columnar engine finds the same last day with data."""
        data = report_json(capsys, "--engine", engine)
        assert data["as_of"] == "2023-05-31"

    def test_known_at_needs_python(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--known-at with a columnar engine is a one-line error, exit code 2."""
        code, _, err = run(
            capsys, "report", str(EXAMPLE), "--engine", "duckdb", "--known-at", "2023-05-18"
        )
        assert code == 2
        assert "--engine python" in err

    @pytest.mark.parametrize("as_of", [("--as-of", "2023-05-18"), ()])
    def test_known_at_with_arrow(
        self, capsys: pytest.CaptureFixture[str], as_of: tuple[str, ...]
    ) -> None:
        """--known-at with the arrow engine gives the python engine's report."""
        known = ("--known-at", "2023-05-10", *as_of)
        python = report_json(capsys, *known, "--engine", "python")
        assert report_json(capsys, *known, "--engine", "arrow") == python


class TestEnrollmentsOverride:
    @pytest.mark.parametrize("engine", ["python", "arrow", "duckdb", "auto"])
    def test_csv_elsewhere(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str
    ) -> None:
        """--enrollments counts another file with the folder's plan."""
        other = tmp_path / "export.csv"
        lines = (EXAMPLE / "enrollments.csv").read_text(encoding="utf-8").splitlines()
        other.write_text("\n".join(lines[:101]) + "\n", encoding="utf-8")
        data = report_json(
            capsys, "--as-of", "2023-05-31", "--enrollments", str(other), "--engine", engine
        )
        counted = data["total"]["actual"] + sum(data["excluded"].values())
        assert counted == 100

    def test_xlsx_needs_python(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A columnar engine refuses a workbook with a one-line error."""
        code, _, err = run(
            capsys,
            "report",
            str(EXAMPLE),
            "--enrollments",
            str(tmp_path / "x.xlsx"),
            "--engine",
            "duckdb",
        )
        assert code == 2
        assert "--engine python" in err

    def test_xlsx_round_trip(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, example: bc.CampaignBundle
    ) -> None:
        """An Excel export of the records gives the same report as the folder's CSV."""
        book = tmp_path / "records.xlsx"
        write_xlsx(record_rows(example.records, ids="full"), book)
        folder = report_json(capsys, "--as-of", "2023-05-18")
        excel = report_json(capsys, "--as-of", "2023-05-18", "--enrollments", str(book))
        assert excel["total"] == folder["total"]
        assert excel["districts"] == folder["districts"]

    def test_sheet_of_a_workbook(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, example: bc.CampaignBundle
    ) -> None:
        """--sheet picks the sheet of --enrollments; without --enrollments it is an error."""
        book = Workbook()
        notes = book.active
        assert notes is not None
        notes.title = "Notes"
        notes.append(["Exported for the May report"])
        data = book.create_sheet("Records")
        rows = list(record_rows(example.records, ids="full"))
        data.append(list(rows[0]))
        for row in rows:
            data.append(list(row.values()))
        path = tmp_path / "records.xlsx"
        book.save(path)
        code, _, err = run(capsys, "report", str(EXAMPLE), "--enrollments", str(path))
        assert code == 2
        assert "several_sheets" in err or "name the sheet" in err
        chosen = report_json(
            capsys, "--as-of", "2023-05-18", "--enrollments", str(path), "--sheet", "Records"
        )
        assert chosen["total"] == report_json(capsys, "--as-of", "2023-05-18")["total"]
        code, _, err = run(capsys, "report", str(EXAMPLE), "--sheet", "Records")
        assert (code, "give --enrollments too" in err) == (2, True)


class TestOutErrors:
    def test_out_is_a_directory(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--out naming a directory is a one-line error, exit code 2."""
        code, _, err = run(capsys, "report", str(EXAMPLE), "--out", str(tmp_path))
        assert code == 2
        assert "cannot write" in err


class TestScript:
    """`bhxh_campaign.cli.run`, the script: the whole output, the exit code, atexit run."""

    def script(self, *args: str, before: str = "") -> subprocess.CompletedProcess[str]:
        code = f"import sys\n{before}\nfrom bhxh_campaign.cli import run\nsys.argv[1:] = {args!r}\nrun()"
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )

    def test_whole_output_and_code(self) -> None:
        done = self.script("report", str(EXAMPLE), "--as-of", "2023-05-18", "--format", "json")
        assert done.returncode == 0
        assert json.loads(done.stdout)["total"]["actual"] == 1928

    def test_error_code(self) -> None:
        done = self.script("report", str(EXAMPLE), "--as-of", "2024-01-01")
        assert done.returncode == 2
        assert "outside the campaign" in done.stderr

    def test_atexit_functions_run(self) -> None:
        before = "import atexit\natexit.register(lambda: print('atexit ran', flush=True))"
        done = self.script("report", str(EXAMPLE), "--as-of", "2023-05-18", before=before)
        assert done.returncode == 0
        assert done.stdout.rstrip().endswith("atexit ran")

    def test_waits_for_a_running_thread(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from bhxh_campaign import cli  # noqa: PLC0415

        ended: list[int] = []
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # restored afterwards
        monkeypatch.setattr(cli, "main", lambda: 3)
        monkeypatch.setattr(os, "_exit", ended.append)
        monkeypatch.setattr(threading, "active_count", lambda: 2)
        run: Callable[[], object] = cli.run  # with os._exit replaced, it returns
        with pytest.raises(SystemExit) as exit_:
            run()
        assert (exit_.value.code, ended) == (3, [])
        monkeypatch.setattr(threading, "active_count", lambda: 1)
        monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: ended.append(-1))
        run()
        assert ended == [-1, 3]

    @pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
    def test_memory_tuned_before_pyarrow(self) -> None:
        code = (
            "import os\n"
            "os.environ.pop('ARROW_DEFAULT_MEMORY_POOL', None)\n"
            "from bhxh_campaign.cli import _tune_memory\n"
            "tuned = _tune_memory()\n"
            "import pyarrow\n"
            "print(tuned, pyarrow.default_memory_pool().backend_name)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert done.stdout.split() == ["True", "system"]
