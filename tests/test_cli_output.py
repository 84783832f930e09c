"""Tests of the command line's conventions: ``--version``, exit codes in ``--help``, ``-``
for standard output, ``--format xlsx``, the CSV's byte-order mark and a full disk."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs
import pytest
from openpyxl import load_workbook

import bhxh_campaign as bc
from bhxh_campaign.cli import EXIT_CODES, main
from bhxh_campaign.render.columns import COLUMNS
from bhxh_campaign.render.xlsx import report_xlsx

from .conftest import EXAMPLE, ROOT

DAY = ("--as-of", "2023-05-18")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def command(
    *args: str, stdout: int | IO[Any] = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    """``python -m bhxh_campaign ARGS`` in a child process, from the worktree's sources."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "bhxh_campaign", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
        env=env,
        cwd=ROOT,
    )


class TestVersionAndHelp:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the package's version on standard output, exit 0."""
        with pytest.raises(SystemExit) as exit_info:
            main(["--version"])
        assert exit_info.value.code == 0
        assert capsys.readouterr().out == f"bhxh-campaign {bc.__version__}\n"

    @pytest.mark.parametrize("args", [[], ["report"], ["audit"], ["diff"], ["validate"]])
    def test_exit_codes_in_help(self, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
        """Every --help ends with the three exit codes."""
        with pytest.raises(SystemExit):
            main([*args, "--help"])
        out = capsys.readouterr().out
        assert out.rstrip().endswith(EXIT_CODES.rstrip())
        for code in ("0  done", "1  done, with findings", "2  could not run"):
            assert code in out


class TestCsvBom:
    def test_csv_starts_with_a_bom(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The CSV starts with U+FEFF, so Excel reads UTF-8 ("Thanh Hóa", "Yên Dũng")."""
        code, out, _ = run(capsys, "report", str(EXAMPLE), *DAY, "--format", "csv")
        assert code == 0
        assert out.startswith("\ufeffrank,code,district,")
        assert out.count("\ufeff") == 1

    def test_no_bom(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--no-bom leaves it out; the rest is the same."""
        _, with_bom, _ = run(capsys, "report", str(EXAMPLE), *DAY, "--format", "csv")
        _, without, _ = run(capsys, "report", str(EXAMPLE), *DAY, "--format", "csv", "--no-bom")
        assert without == with_bom.removeprefix("\ufeff")

    def test_bom_bytes_in_a_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Written to a file, the CSV starts with EF BB BF and reads back with utf-8-sig."""
        out = tmp_path / "r.csv"
        code, _, _ = run(capsys, "report", str(EXAMPLE), *DAY, "--format", "csv", "--out", str(out))
        assert code == 0
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfrank,")
        assert "Yên Dũng" in data.decode("utf-8-sig")

    @pytest.mark.parametrize("fmt", ["text", "table", "markdown", "json"])
    def test_only_csv_has_one(self, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
        """No other format starts with a BOM."""
        _, out, _ = run(capsys, "report", str(EXAMPLE), *DAY, "--format", fmt)
        assert not out.startswith("\ufeff")


class TestXlsx:
    @pytest.fixture
    def sheet(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> object:
        out = tmp_path / "r.xlsx"
        code, stdout, _ = run(
            capsys, "report", str(EXAMPLE), *DAY, "--format", "xlsx", "--output", str(out)
        )
        assert (code, stdout) == (0, "")
        return load_workbook(out).active

    def test_numbers_are_numbers(self, sheet: object) -> None:
        """Counts and ranks are numbers; percents are numbers with a percent format."""
        rows = list(sheet.iter_rows(min_row=2, max_row=12))  # type: ignore[attr-defined]
        first = rows[0]
        assert [c.value for c in first[:5]] == [1, "221", "Yên Dũng", 318, 285]
        assert first[5].value == pytest.approx(1.1158)
        assert first[5].number_format == "0.00%"
        expected = ["n", "s", "s", "n", "n", "n", "n", "d", "n", "n", "n", "n"]
        assert [c.data_type for c in first] == expected
        # Yên Dũng completed its plan: no pace; a unit still short has both pace cells.
        assert (first[10].value, first[11].value) == (None, None)
        short = [r for r in rows if r[3].value < r[4].value]
        assert short
        assert all(isinstance(r[10].value, int) and r[11].data_type == "d" for r in short)
        for row in rows:
            for cell, column in zip(row, COLUMNS, strict=True):
                if column.numeric and cell.value is not None:
                    assert isinstance(cell.value, (int, float)), (column.key, cell.value)

    def test_total_row(self, sheet: object) -> None:
        """Row 12 is the total row: Toàn tỉnh, 1,928 of 3,285, 58.69% (F1-F4), in bold."""
        total = [c.value for c in sheet[12]]  # type: ignore[index]
        assert total[1:5] == ["24", "Toàn tỉnh", 1928, 3285]
        assert Decimal(str(total[5])) == Decimal("0.5869")
        assert total[8] == 1074
        assert sheet["C12"].font.bold  # type: ignore[index]

    def test_headings_from_the_registry(self, sheet: object) -> None:
        """Row 1 holds the registry's Vietnamese headings."""
        report = bc.load_campaign(EXAMPLE).report(dt.date(2023, 5, 18))
        assert tuple(c.value for c in sheet[1]) == tuple(  # type: ignore[index]
            c.heading(report, "vi") for c in COLUMNS
        )

    def test_no_formula(self, sheet: object) -> None:
        """No cell of the workbook is a formula."""
        for row in sheet.iter_rows():  # type: ignore[attr-defined]
            for cell in row:
                assert cell.data_type != "f"

    def test_formula_text_stays_text(self, example_report: bc.CampaignReport) -> None:
        """A unit named like a formula is a text cell, written as it is."""
        rows = list(example_report.districts)
        for i, text in enumerate(["=1+2", "+SUM(A1)", "-3", "@x"]):
            rows[i] = attrs.evolve(rows[i], name=text)
        report = attrs.evolve(example_report, districts=rows)
        sheet = load_workbook(io.BytesIO(report_xlsx(report, lang="en"))).active
        assert sheet is not None
        names = [sheet.cell(row=r, column=3) for r in range(2, 6)]
        assert [(c.value, c.data_type) for c in names] == [
            ("=1+2", "s"), ("+SUM(A1)", "s"), ("-3", "s"), ("@x", "s")
        ]  # fmt: skip

    def test_english_headings_and_notes(self, example_report: bc.CampaignReport) -> None:
        """--lang en: English headings and total name; the notes follow the table."""
        sheet = load_workbook(io.BytesIO(report_xlsx(example_report, lang="en"))).active
        assert sheet is not None
        assert (sheet["A1"].value, sheet["C12"].value) == ("Rank", "Total")
        assert sheet["A14"].value == "Notes"
        assert "1,163" in str(sheet["A15"].value)

    def test_without_openpyxl(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Without openpyxl: one line naming the extra to install, exit 2, no file."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        out = tmp_path / "r.xlsx"
        code, _, err = run(
            capsys, "report", str(EXAMPLE), *DAY, "--format", "xlsx", "--out", str(out)
        )
        assert code == 2
        assert "pip install 'bhxh-campaign[excel]'" in err
        assert not out.exists()

    def test_refused_to_a_terminal(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without --out, a workbook is not written to a terminal: exit 2, one line."""
        monkeypatch.setattr("sys.stdout.isatty", lambda: True)
        code, out, err = run(capsys, "report", str(EXAMPLE), *DAY, "--format", "xlsx")
        assert (code, out) == (2, "")
        assert err.startswith("bhxh-campaign: error: a binary file is not shown on a terminal")

    def test_to_a_pipe(self) -> None:
        """Standard output that is not a terminal gets the workbook's bytes."""
        result = command("report", str(EXAMPLE), *DAY, "--format", "xlsx", "--out", "-")
        assert result.returncode == 0
        assert result.stdout.startswith(b"PK")
        sheet = load_workbook(io.BytesIO(result.stdout)).active
        assert sheet is not None
        assert sheet["D12"].value == 1928


class TestStandardOutput:
    def test_dash_is_standard_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--out - writes to standard output, as no --out does."""
        _, dash, _ = run(capsys, "report", str(EXAMPLE), *DAY, "--out", "-")
        _, plain, _ = run(capsys, "report", str(EXAMPLE), *DAY)
        assert dash == plain != ""

    def test_chart_to_standard_output(self) -> None:
        """chart --out - --format svg writes the image to standard output."""
        pytest.importorskip("matplotlib")
        result = command(
            "chart", str(EXAMPLE), *DAY, "--kind", "completion", "--out", "-", "--format", "svg"
        )
        assert result.returncode == 0
        assert b"<svg" in result.stdout[:500]

    def test_chart_dash_needs_a_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """chart --out - without --format: exit 2."""
        code, _, err = run(capsys, "chart", str(EXAMPLE), "--kind", "daily", "--out", "-")
        assert code == 2
        assert "--format png or svg" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
class TestFullDisk:
    @pytest.mark.parametrize("fmt", ["text", "csv", "json", "xlsx"])
    def test_one_line_exit_2(self, fmt: str) -> None:
        """report > /dev/full: one line on standard error, exit 2, no traceback."""
        with Path("/dev/full").open("wb") as full:
            result = command("report", str(EXAMPLE), *DAY, "--format", fmt, stdout=full)
        err = result.stderr.decode()
        assert result.returncode == 2
        assert err == "bhxh-campaign: error: cannot write the output: No space left on device\n"

    def test_out_to_a_full_disk(self) -> None:
        """--out /dev/full: one line naming the file, exit 2."""
        result = command("report", str(EXAMPLE), *DAY, "--out", "/dev/full")
        assert result.returncode == 2
        assert result.stderr.decode().splitlines() == [
            "bhxh-campaign: error: --out '/dev/full': cannot write (No space left on device)"
        ]


class TestFileErrors:
    def test_an_uncaught_file_error_is_one_line(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file error no command words itself: one line naming the file, exit 2."""

        def refuse(args: object) -> int:
            raise PermissionError(13, "Permission denied", "enrollments.csv")

        monkeypatch.setattr("bhxh_campaign.commands.report.run", refuse)
        code, out, err = run(capsys, "report", str(EXAMPLE))
        assert (code, out) == (2, "")
        assert err == "bhxh-campaign: error: 'enrollments.csv': Permission denied\n"
