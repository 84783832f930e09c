"""The command line's stocks and standard input: ``stocks.csv`` and ``--enrollments -``."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.io.export import record_rows, write_xlsx

from .conftest import EXAMPLE

BASELINE = "unit_code,participants,on\n24,50000,2023-04-30\n"  # illustrative, not published


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = run(capsys, "report", *args, "--format", "json")
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the 2023 example with a stocks.csv: 50,000 at the end of 30 April."""
    copy = Path(shutil.copytree(EXAMPLE, tmp_path / "bg"))
    (copy / "stocks.csv").write_text(BASELINE, encoding="utf-8")
    return copy


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Standard input holding ``data``, as a pipe gives it."""
    stream = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stream)


class TestStockGoalAgainstAStock:
    def test_text(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """The bulletin sets the goal against the participants on the as-of day."""
        code, out, _ = run(capsys, "report", str(folder), "--as-of", "2023-05-18")
        assert code == 0
        assert (
            "Đến hết ngày 18/5/2023, toàn tỉnh có 51.928 người đang tham gia BHXH tự nguyện"
            " (tối đa, chưa trừ người dừng tham gia), đạt 99,60% mục tiêu 52.139 người tham gia."
        ) in out
        assert "3,70%" not in out

    def test_json(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """The JSON's stock goal holds the level on the as-of day, and no flow."""
        goal = as_json(capsys, str(folder), "--as-of", "2023-05-18")["stock_goals"][0]
        assert goal == {
            "unit_code": "24",
            "target": 52139,
            "stock": {
                "day": "2023-05-18",
                "baseline_on": "2023-04-30",
                "baseline": 50000,
                "added": 1928,
                "exited": 0,
                "exits_known": False,
                "participants": 51928,
                "percent": "99.60",
                "rate": "51928/52139",
                "reached": False,
            },
        }

    def test_html(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """The page says what the bulletin says."""
        code, out, _ = run(
            capsys, "report", str(folder), "--as-of", "2023-05-18", "--format", "html"
        )
        assert code == 0
        assert "đạt 99,60% mục tiêu 52.139 người tham gia" in out

    @pytest.mark.parametrize("engine", ["arrow", "duckdb", "polars"])
    def test_engines_agree(
        self, capsys: pytest.CaptureFixture[str], folder: Path, engine: str
    ) -> None:
        """The columnar engines, which read the plan only, give the same stock."""
        pytest.importorskip({"arrow": "pyarrow"}.get(engine, engine))
        python = as_json(capsys, str(folder), "--as-of", "2023-05-18", "--engine", "python")
        other = as_json(capsys, str(folder), "--as-of", "2023-05-18", "--engine", engine)
        assert other["stock_goals"] == python["stock_goals"]

    def test_latest_level_before_the_day(
        self, capsys: pytest.CaptureFixture[str], folder: Path
    ) -> None:
        """Of several levels, the latest one not after the as-of day is used."""
        (folder / "stocks.csv").write_text(
            BASELINE + "24,51000,2023-05-10\n24,60000,2023-05-25\n", encoding="utf-8"
        )
        stock = as_json(capsys, str(folder), "--as-of", "2023-05-18")["stock_goals"][0]["stock"]
        assert (stock["baseline_on"], stock["baseline"]) == ("2023-05-10", 51000)

    def test_no_level_yet(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """Before the first level, the goal is stated without a stock to compare it with."""
        (folder / "stocks.csv").write_text(
            "unit_code,participants,on\n24,51000,2023-05-20\n", encoding="utf-8"
        )
        assert (
            as_json(capsys, str(folder), "--as-of", "2023-05-18")["stock_goals"][0]["stock"] is None
        )
        code, out, _ = run(capsys, "report", str(folder), "--as-of", "2023-05-18", "--lang", "en")
        assert code == 0
        assert "52,139" in out
        assert "99.60" not in out

    def test_bad_row(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """A bad row of stocks.csv: one line naming file, line and field; exit code 2."""
        (folder / "stocks.csv").write_text(
            "unit_code,participants,on\n24,50000,2022-12-31\n", encoding="utf-8"
        )
        code, out, err = run(capsys, "report", str(folder))
        assert (code, out) == (2, "")
        assert "stocks.csv, line 2, field 'on': on 2022-12-31 is before the eve" in err
        assert err.count("\n") == 1

    def test_validate(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """validate reads stocks.csv with the folder's other files."""
        (folder / "stocks.csv").write_text(BASELINE + "221,5,2023-04-30\n", encoding="utf-8")
        code, out, _ = run(capsys, "validate", str(folder), "--lang", "en")
        assert code == 1
        assert "stocks.csv" in out
        assert "invalid_value" in out


class TestEnrollmentsFromStandardInput:
    def test_csv(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """CSV records piped in give the report of the same file named."""
        named = as_json(capsys, str(EXAMPLE), "--as-of", "2023-05-18")
        stdin(monkeypatch, (EXAMPLE / "enrollments.csv").read_bytes())
        piped = as_json(capsys, str(EXAMPLE), "--as-of", "2023-05-18", "--enrollments", "-")
        assert piped == named

    @pytest.mark.parametrize("engine", ["python", "arrow", "duckdb"])
    def test_csv_any_engine(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        engine: str,
    ) -> None:
        """Each engine counts the piped records."""
        if engine != "python":
            pytest.importorskip({"arrow": "pyarrow"}.get(engine, engine))
        stdin(monkeypatch, (EXAMPLE / "enrollments.csv").read_bytes())
        args = ("--as-of", "2023-05-18", "--enrollments", "-", "--engine", engine)
        assert as_json(capsys, str(EXAMPLE), *args)["total"]["actual"] == 1928

    def test_workbook(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
        example: bc.CampaignBundle,
    ) -> None:
        """A workbook piped in is known by its first bytes and read as one."""
        book = tmp_path / "records.xlsx"
        write_xlsx(record_rows(example.records, ids="full"), book)
        stdin(monkeypatch, book.read_bytes())
        data = as_json(capsys, str(EXAMPLE), "--as-of", "2023-05-18", "--enrollments", "-")
        assert data["total"]["actual"] == 1928

    def test_bad_row_named_stdin(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A bad row is named by its line of standard input, not by a temporary file."""
        stdin(
            monkeypatch,
            b"record_id,participant_id,district_code,enrolled_on\n"
            b"r1,2400000001,221,2023-05-02\nr2,24001,221,2023-05-03\n",
        )
        code, _, err = run(capsys, "report", str(EXAMPLE), "--enrollments", "-")
        assert code == 2
        assert err.startswith("bhxh-campaign: error: <stdin>, line 3, field 'participant_id':")
        assert "bhxh-campaign-" not in err
        assert "24001" not in err

    def test_skip_bad_rows(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """--skip-bad-rows counts the valid piped rows and tallies the rejected one."""
        stdin(
            monkeypatch,
            b"record_id,participant_id,district_code,enrolled_on\n"
            b"r1,2400000001,221,2023-05-02\nr2,24001,221,2023-05-03\n",
        )
        data = as_json(capsys, str(EXAMPLE), "--enrollments", "-", "--skip-bad-rows")
        assert data["total"]["actual"] == 1
        assert data["excluded"] == {"rejected:id_wrong_length": 1}

    def test_bad_header_named_stdin(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A problem with the whole input, with --skip-bad-rows, names <stdin> too."""
        stdin(monkeypatch, b"record,who,where\nr1,2400000001,221\n")
        code, _, err = run(capsys, "report", str(EXAMPLE), "--enrollments", "-", "--skip-bad-rows")
        assert code == 2
        assert err.startswith("bhxh-campaign: error: <stdin>, line 1: bad header")
        assert "bhxh-campaign-" not in err

    def test_broken_workbook_named_stdin(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Bytes that start like a workbook but are none: refused, named <stdin>."""
        stdin(monkeypatch, b"PK\x03\x04garbage")
        code, _, err = run(capsys, "report", str(EXAMPLE), "--enrollments", "-")
        assert code == 2
        assert err == (
            "bhxh-campaign: error: <stdin>: is not an Excel workbook (.xlsx) [unreadable_file]\n"
        )

    def test_other_files_keep_their_names(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        folder: Path,
    ) -> None:
        """An error of another file of the folder still names that file."""
        (folder / "stocks.csv").write_text(
            "unit_code,participants,on\n221,5,2023-04-30\n", encoding="utf-8"
        )
        stdin(monkeypatch, (EXAMPLE / "enrollments.csv").read_bytes())
        code, _, err = run(capsys, "report", str(folder), "--enrollments", "-")
        assert code == 2
        assert "stocks.csv, line 2, field 'unit_code'" in err

    def test_terminal_refused(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A terminal on standard input is refused at once, not waited on."""

        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        monkeypatch.setattr("sys.stdin", Terminal())
        code, out, err = run(capsys, "report", str(EXAMPLE), "--enrollments", "-")
        assert (code, out) == (2, "")
        assert "standard input is a terminal" in err


SHARE = re.compile(r"(?<![0-9])3[.,]70(?![0-9])")  # 1,928 new of the 52,139 goal


@pytest.mark.parametrize("fmt", ["text", "table", "markdown", "csv", "json", "html"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_format_sets_new_participants_against_the_goal(
    capsys: pytest.CaptureFixture[str], fmt: str, lang: str
) -> None:
    """No format shows the share of new participants in the stock goal (3.70%)."""
    args = ("--as-of", "2023-05-18", "--format", fmt, "--lang", lang)
    code, out, _ = run(capsys, "report", str(EXAMPLE), *args)
    assert code == 0
    assert SHARE.search(out) is None


def test_workbook_has_no_share(tmp_path: Path) -> None:
    """Nor does the workbook, cell by cell."""
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "r.xlsx"
    assert (
        main(
            [
                "report",
                str(EXAMPLE),
                "--as-of",
                "2023-05-18",
                "--format",
                "xlsx",
                "--out",
                str(path),
            ]
        )
        == 0
    )
    book = openpyxl.load_workbook(path)
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert 52139 not in cells
    assert not any(SHARE.search(str(v)) for v in cells if v is not None)
