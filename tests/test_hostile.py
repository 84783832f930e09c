"""Hostile inputs (issue 15): no traceback, whatever the input; nothing misbehaves quietly.

Each case builds its input in ``tmp_path`` and asserts the exact outcome: the error code,
the line and the field, the exit code, and a one-line error without a traceback. Inputs
that could hang (a FIFO, ``/dev/zero``) run in a child process with a timeout.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign._files import TomlError, irregular, key_line, read_toml
from bhxh_campaign._privacy import mask_digits
from bhxh_campaign.cli import main
from bhxh_campaign.io import load_districts, load_enrollments, load_targets
from bhxh_campaign.io._json import jsonl_rows
from bhxh_campaign.io._readers import STEP, _has_formula
from bhxh_campaign.model import MAX_CAMPAIGN_DAYS

from .conftest import EXAMPLE, ROOT

HEADER = "record_id,participant_id,district_code,enrolled_on\n"
GOOD = '"record_id": "r1", "participant_id": "2400000001", "district_code": "221"'


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process: exit code, stdout, stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, *parts: str) -> None:
    """stderr is one line, an error naming every part, and no traceback."""
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert err.startswith("bhxh-campaign: error: ")
    for part in parts:
        assert part in err, (part, err)


def found(report: Any) -> list[tuple[str, int | None, str | None]]:
    return [(e.code, e.line, e.field) for e in report.errors]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the example campaign folder."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "campaign"))


def child(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a child process that must finish in 60 s (a hang fails)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "bhxh_campaign.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


class TestJsonNumbers:
    @pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400"])
    @pytest.mark.parametrize("suffix", [".json", ".jsonl"])
    def test_not_finite_date(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, token: str, suffix: str
    ) -> None:
        """NaN, Infinity or 1e400 as a date is a rejected row naming its line and field."""
        item = "{" + GOOD + f', "enrolled_on": {token}' + "}"
        text = f"[\n{item}\n]\n" if suffix == ".json" else f"\n{item}\n"
        path = tmp_path / f"e{suffix}"
        path.write_text(text)
        assert found(load_enrollments(path)) == [("not_finite", 2, "enrolled_on")]
        with pytest.raises(bc.LoadError) as info:
            load_enrollments(path, strict=True)
        assert (info.value.line, info.value.field, info.value.code) == (
            2,
            "enrolled_on",
            "not_finite",
        )
        code, out, err = run(capsys, "validate", str(path), "--lang", "en")
        assert (code, err) == (1, "")
        assert "line 2 [enrolled_on] not_finite: enrolled_on must be a finite number" in out

    def test_report_enrollments(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """report --enrollments with NaN as a date: exit 2, one line, its line and field."""
        path = tmp_path / "e.json"
        path.write_text("[\n{" + GOOD + ', "enrolled_on": NaN}\n]\n')
        code, _, err = run(
            capsys, "report", str(EXAMPLE), "--enrollments", str(path), "--as-of", "2023-05-18"
        )
        assert code == 2
        one_line_error(err, "e.json, line 2, field 'enrolled_on'", "NaN", "[not_finite]")

    def test_nan_record_id(self, tmp_path: Path) -> None:
        """NaN as a record id is refused, not read as the text 'nan'."""
        path = tmp_path / "e.jsonl"
        item = '{"record_id": NaN, "participant_id": "2400000001", "district_code": "221"'
        path.write_text(item + ', "enrolled_on": "2023-05-01"}\n')
        assert found(load_enrollments(path)) == [("not_finite", 1, "record_id")]


class TestHugeIntegers:
    DIGITS = "9" * 5000

    def test_targets_csv(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """A 5,000-digit target is a bad number on its line: report exits 2 in one line."""
        (folder / "targets.csv").write_text(f"unit_code,target,measure\n213,{self.DIGITS},new\n")
        code, _, err = run(capsys, "report", str(folder), "--as-of", "2023-05-18")
        assert code == 2
        one_line_error(err, "targets.csv, line 2, field 'target'", "[bad_number]")
        report = load_targets(folder / "targets.csv", campaign_id="c")
        assert found(report) == [("bad_number", 2, "target")]

    def test_sixteen_digits(self, tmp_path: Path) -> None:
        """More than MAX_DIGITS digits is refused; fifteen are read."""
        path = tmp_path / "targets.csv"
        path.write_text("unit_code,target\n221,1234567890123456\n222,123456789012345\n")
        report = load_targets(path, campaign_id="c")
        assert found(report) == [("bad_number", 2, "target")]
        assert [t.value for t in report.records] == [123456789012345]

    def test_stock_goal(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """A 5,000-digit stock goal in campaign.toml: one line naming file, line and key."""
        toml = folder / "campaign.toml"
        toml.write_text(toml.read_text().replace("target = 52139", f"target = {self.DIGITS}"))
        for command in (["report", "--as-of", "2023-05-18"], ["validate"]):
            code, _, err = run(capsys, command[0], str(folder), *command[1:])
            assert code == 2
            one_line_error(err, "campaign.toml, line 9, field 'target'", "4300 digits")

    def test_audit_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A 5,000-digit figure in an audit file: exit 2, one line naming line and key."""
        path = tmp_path / "published.toml"
        path.write_text(f'[total]\nname = "X"\ntarget = {self.DIGITS}\n')
        code, _, err = run(capsys, "audit", str(path))
        assert code == 2
        one_line_error(err, "published.toml, line 3, field 'target'", "4300 digits")

    def test_under_the_parser_limit(
        self, capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
    ) -> None:
        """4,000 digits parse as TOML, then are refused, not rendered (Babel raised)."""
        toml = folder / "campaign.toml"
        toml.write_text(toml.read_text().replace("target = 52139", "target = " + "9" * 4000))
        code, _, err = run(capsys, "report", str(folder), "--as-of", "2023-05-18")
        assert code == 2
        one_line_error(err, "campaign.toml, line 9, field 'target'", "at most 15 digits")
        path = tmp_path / "published.toml"
        path.write_text('[total]\nname = "X"\ntarget = ' + "9" * 4000 + "\n")
        code, _, err = run(capsys, "audit", str(path))
        assert code == 2
        one_line_error(err, "published.toml: total: target must have at most 15 digits")

    def test_json_numbers(self, tmp_path: Path) -> None:
        """A JSON target of 1e300 or 10**20 is refused, not read as a huge whole number."""
        path = tmp_path / "targets.jsonl"
        path.write_text(
            '{"unit_code": "221", "target": 1e300}\n{"unit_code": "222", "target": '
            "1" + "0" * 20 + "}\n"
        )
        assert found(load_targets(path, campaign_id="c")) == [
            ("bad_number", 1, "target"),
            ("bad_number", 2, "target"),
        ]


class TestDeepToml:
    @pytest.mark.parametrize("depth", [3000, 5000])
    def test_campaign_toml(
        self, capsys: pytest.CaptureFixture[str], folder: Path, depth: int
    ) -> None:
        """TOML nested thousands deep in campaign.toml: exit 2, one line, its line and key."""
        toml = folder / "campaign.toml"
        lines = len(toml.read_text().splitlines())
        with toml.open("a") as file:
            file.write("deep = " + "[" * depth + "]" * depth + "\n")
        code, _, err = run(capsys, "report", str(folder), "--as-of", "2023-05-18")
        assert code == 2
        one_line_error(err, f"campaign.toml, line {lines + 1}, field 'deep'", "nested too deeply")

    @pytest.mark.parametrize("depth", [3000, 5000])
    def test_audit_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, depth: int
    ) -> None:
        """TOML nested thousands deep in an audit file: exit 2, one line."""
        path = tmp_path / "published.toml"
        path.write_text('source = "x"\nunits = ' + "[" * depth + "]" * depth + "\n")
        code, _, err = run(capsys, "audit", str(path))
        assert code == 2
        one_line_error(err, "published.toml, line 2, field 'units'", "nested too deeply")


def workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - an optional extra

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestWorkbooks:
    def test_sheet_cut_in_half(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A sheet whose XML stops halfway: exit 2, one line naming the file and the line."""
        header: list[object] = ["record_id", "participant_id", "district_code", "enrolled_on"]
        rows = [header] + [[f"r{n}", f"24{n:08d}", "221", "2023-05-02"] for n in range(200)]
        source = zipfile.ZipFile(io.BytesIO(workbook(rows)))
        path = tmp_path / "cut.xlsx"
        with zipfile.ZipFile(path, "w") as out:
            for member in source.infolist():
                data = source.read(member.filename)
                if member.filename == "xl/worksheets/sheet1.xml":
                    data = data[: len(data) // 2]
                out.writestr(member, data)
        report = load_enrollments(path)
        assert [(e.code, e.field) for e in report.errors] == [("unreadable_file", None)]
        line = report.errors[0].line
        assert line is not None
        assert 2 < line < 200
        code, _, err = run(capsys, "validate", str(path))
        assert code == 2
        one_line_error(err, f"cut.xlsx, line {line}:", "[unreadable_file]")

    def test_formula_without_value(self, tmp_path: Path) -> None:
        """A formula never calculated is its own code, not an empty cell."""
        path = tmp_path / "e.xlsx"
        path.write_bytes(
            workbook(
                [
                    ["record_id", "participant_id", "district_code", "enrolled_on"],
                    ["r1", "2400000001", "221", "2023-05-01"],
                    ["r2", "2400000002", '="2"&"21"', "2023-05-02"],
                ]
            )
        )
        report = load_enrollments(path)
        assert found(report) == [("formula_without_value", 3, "district_code")]
        assert report.errors[0].cell == "Sheet!C3"
        assert report.accepted == 1


class TestEncodings:
    def test_utf16_without_bom(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--encoding utf-16 on a file without a byte-order mark: exit 2, one line."""
        path = tmp_path / "f.csv"
        path.write_text(HEADER + "r1,2400000001,221,2023-05-01\n")
        code, _, err = run(capsys, "validate", str(path), "--encoding", "utf-16")
        assert code == 2
        one_line_error(err, "f.csv, line 1:", "utf-16-le", "[unreadable_file]")

    @pytest.mark.parametrize("encoding", ["rot13", "klingon"])
    def test_unknown_encoding(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str
    ) -> None:
        """An encoding that is not for text, or does not exist: exit 2, not 1."""
        path = tmp_path / "f.csv"
        path.write_text(HEADER)
        code, _, err = run(capsys, "validate", str(path), "--encoding", encoding)
        assert code == 2
        one_line_error(err, "f.csv:", repr(encoding), "[unknown_encoding]")

    def test_unknown_encoding_json(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """With --format json the document is written, its error listed, and the exit is 2."""
        path = tmp_path / "f.csv"
        path.write_text(HEADER)
        code, out, err = run(
            capsys, "validate", str(path), "--encoding", "rot13", "--format", "json"
        )
        assert (code, err) == (2, "")
        (entry,) = json.loads(out)["files"]
        assert [e["code"] for e in entry["errors"]] == ["unknown_encoding"]

    def test_unknown_file_type(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A file type the loaders cannot read exits 2, not 1 ('rows rejected')."""
        path = tmp_path / "f.pdf"
        path.write_text(HEADER)
        code, _, err = run(capsys, "validate", str(path))
        assert code == 2
        one_line_error(err, "f.pdf:", "[unreadable_file]")


class TestUnbalancedQuote:
    def test_span_of_lines(self, tmp_path: Path) -> None:
        """One open quote swallows 4,129 lines into one row, and the row says so."""
        rows = [f"r{n},24{n:08d},221,2023-05-02" for n in range(3, 4133)]
        path = tmp_path / "e.csv"
        path.write_text(HEADER + "r1,2400000001,221,2023-05-01\n" + 'r2,"2400000002,221\n')
        with path.open("a") as file:
            file.write("\n".join(rows) + "\n")
        report = load_enrollments(path)
        assert found(report) == [("malformed_csv", 3, None)]
        error = report.errors[0]
        assert "runs from line 3 to line 4133" in error.message
        assert "từ dòng 3 đến dòng 4133" in error.message_vi
        assert (report.rows_read, report.accepted) == (2, 1)

    def test_vietnamese_message_without_quotes(self, tmp_path: Path) -> None:
        """A malformed row with no quote at all is not blamed on quote marks."""
        path = tmp_path / "e.csv"
        path.write_text(HEADER + "r1,2400000001,221," + "x" * 200_000 + "\n")
        report = load_enrollments(path)
        assert found(report) == [("malformed_csv", 2, None)]
        assert "ngoặc" not in report.errors[0].message_vi
        assert "quot" not in report.errors[0].message


class TestNotRegularFiles:
    def test_fifo(self, tmp_path: Path) -> None:
        """A FIFO as an input file is refused at once (validate, report, audit)."""
        fifo = tmp_path / "e.csv"
        os.mkfifo(fifo)
        done = child("validate", str(fifo))
        assert done.returncode == 2
        one_line_error(done.stderr, "e.csv:", "named pipe (FIFO)", "[not_a_regular_file]")
        audit = tmp_path / "published.toml"
        os.mkfifo(audit)
        done = child("audit", str(audit))
        assert done.returncode == 2
        one_line_error(done.stderr, "published.toml", "named pipe (FIFO)")

    def test_fifo_campaign_toml(self, tmp_path: Path) -> None:
        """A FIFO campaign.toml is refused at once."""
        folder = Path(shutil.copytree(EXAMPLE, tmp_path / "campaign"))
        (folder / "campaign.toml").unlink()
        os.mkfifo(folder / "campaign.toml")
        done = child("report", str(folder), "--as-of", "2023-05-18")
        assert done.returncode == 2
        one_line_error(done.stderr, "campaign.toml: is a named pipe (FIFO), not a regular file")

    def test_fifo_records_every_engine(self, tmp_path: Path) -> None:
        """A FIFO enrollments.csv is refused before any engine (or auto's sniffing) opens it."""
        folder = Path(shutil.copytree(EXAMPLE, tmp_path / "campaign"))
        (folder / "enrollments.csv").unlink()
        os.mkfifo(folder / "enrollments.csv")
        for engine in ("auto", "duckdb"):
            done = child("report", str(folder), "--as-of", "2023-05-18", "--engine", engine)
            assert done.returncode == 2
            one_line_error(done.stderr, "enrollments.csv: is a named pipe (FIFO)")

    @pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".xlsx"])
    def test_symlink_to_dev_zero(self, tmp_path: Path, suffix: str) -> None:
        """A symlink to /dev/zero is a character device, refused before it is read."""
        link = tmp_path / f"e{suffix}"
        link.symlink_to("/dev/zero")
        done = child("validate", str(link))
        assert done.returncode == 2
        one_line_error(done.stderr, f"e{suffix}:", "character device", "[not_a_regular_file]")


class TestCampaignLength:
    def campaign(self, end: dt.date) -> bc.Campaign:
        return bc.Campaign(id="c", name="C", scope="24", start=dt.date(2026, 1, 1), end=end)

    def test_bound(self) -> None:
        """MAX_CAMPAIGN_DAYS days are allowed, one more is refused on the field end."""
        last = dt.date(2026, 1, 1) + dt.timedelta(days=MAX_CAMPAIGN_DAYS - 1)
        assert self.campaign(last).days == MAX_CAMPAIGN_DAYS == 1096
        with pytest.raises(bc.InvalidValueError, match="at most 1096 days") as info:
            self.campaign(last + dt.timedelta(days=1))
        assert info.value.field == "end"

    def test_year_1_to_9999(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """A campaign from year 1 to 9999 is refused at once, naming campaign.toml's line."""
        toml = folder / "campaign.toml"
        text = toml.read_text().replace("start = 2023-05-01", "start = 0001-01-01")
        toml.write_text(text.replace("end = 2023-05-31", "end = 9999-12-31"))
        code, _, err = run(capsys, "report", str(folder), "--as-of", "2023-05-18")
        assert code == 2
        one_line_error(err, "campaign.toml, line 5, field 'end'", "at most 1096 days")

    def test_longest_page_is_small(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """The page of a three-year campaign stays small (the renderers are linear)."""
        toml = folder / "campaign.toml"
        text = toml.read_text().replace("start = 2023-05-01", "start = 2022-01-01")
        toml.write_text(text.replace("end = 2023-05-31", "end = 2024-12-31"))
        code, out, _ = run(
            capsys, "report", str(folder), "--as-of", "2024-12-31", "--format", "html"
        )
        assert code == 0
        assert len(out.encode()) < 200_000


CONTROLS = ["\x1b[31m", "\x07", "\x0c", "\ufffe", "\u202e", "\n"]


class TestControlCharacters:
    @pytest.mark.parametrize("control", CONTROLS)
    def test_unit_name(self, tmp_path: Path, control: str) -> None:
        """A control character in a unit name is refused on its line, field name."""
        path = tmp_path / "units.csv"
        path.write_text(
            "code,name,kind,province_code\n221,Yên Dũng,huyen,24\n"
            f'222,"Việt{control}Yên",huyen,24\n',
            newline="",
        )
        report = load_districts(path)
        assert found(report) == [("control_character", 3, "name")]
        assert "\x1b" not in report.errors[0].message + report.errors[0].message_vi

    @pytest.mark.parametrize("control", CONTROLS)
    def test_campaign_name(
        self, capsys: pytest.CaptureFixture[str], folder: Path, control: str
    ) -> None:
        """A control character in the campaign's name: exit 2, naming its line and field."""
        toml = folder / "campaign.toml"
        escaped = json.dumps(f"Tháng{control}5", ensure_ascii=True)
        lines = toml.read_text().splitlines()
        lines[1] = f"name = {escaped}"
        toml.write_text("\n".join(lines) + "\n")
        code, _, err = run(capsys, "report", str(folder), "--as-of", "2023-05-18")
        assert code == 2
        one_line_error(err, "campaign.toml, line 2, field 'name'", "control character")
        assert "\x1b" not in err

    def test_province_name(self) -> None:
        """A province's name is checked the same way."""
        with pytest.raises(bc.InvalidValueError, match="control character") as info:
            bc.Province(code="24", name="Bắc\u202eGiang")
        assert info.value.field == "name"


class TestJsonReader:
    def test_trailing_comma(self, tmp_path: Path) -> None:
        """A comma before the closing bracket is malformed JSON, on its line."""
        path = tmp_path / "e.json"
        path.write_text("[\n{" + GOOD + ', "enrolled_on": "2023-05-01"},\n]\n')
        assert found(load_enrollments(path)) == [("malformed_json", 3, None)]

    def test_duplicate_key(self, tmp_path: Path) -> None:
        """A key given twice is refused, not 'the last one wins'."""
        path = tmp_path / "e.json"
        item = "{" + GOOD + ', "enrolled_on": "2023-05-01", "district_code": "222"}'
        path.write_text(f"[\n{item}\n]\n")
        assert found(load_enrollments(path)) == [("duplicate_key", 2, "district_code")]

    def test_lone_surrogate(self, tmp_path: Path) -> None:
        """A lone surrogate escape is refused on its line and field."""
        path = tmp_path / "e.jsonl"
        path.write_text(
            '{"record_id": "r\\udc00", "participant_id": "2400000001",'
            ' "district_code": "221", "enrolled_on": "2023-05-01"}\n'
        )
        assert found(load_enrollments(path)) == [("lone_surrogate", 1, "record_id")]


class TestMessages:
    def test_field_named_once(self, tmp_path: Path) -> None:
        """A model error names its column once: no 'district_code district_code'."""
        path = tmp_path / "e.csv"
        path.write_text(
            HEADER.replace("\n", ",recorded_on\n")
            + "r1,2400000001,21,2023-05-01,\nr2,2400000002,221,2023-05-02,2023-05-01\n"
        )
        errors = load_enrollments(path).errors
        assert [e.message.split(" must ")[0] for e in errors] == ["district_code", "recorded_on"]

    def test_target_column_not_value(self, tmp_path: Path) -> None:
        """A target's model error names the column, target, never the attribute 'value'."""
        path = tmp_path / "targets.csv"
        path.write_text("unit_code,target\n221,0\n")
        (error,) = load_targets(path, campaign_id="c").errors
        assert (error.code, error.line, error.field) == ("not_positive", 2, "target")
        assert error.message == "target must be a whole number above zero, got 0"

    def test_counts_not_masked(self) -> None:
        """Byte counts are not masked as ids; ids still are."""
        text = "unpacks to 600012892 bytes, more than the 536870912 bytes allowed; id 2434731865"
        assert mask_digits(text) == (
            "unpacks to 600012892 bytes, more than the 536870912 bytes allowed; id ******1865"
        )

    def test_one_figure_disagrees(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """One disagreeing figure: '1 figure disagrees' (plural agreement via the catalog)."""
        path = tmp_path / "p.toml"
        path.write_text('[total]\nname = "X"\ncount = 10\ntarget = 20\npercent = "60.00"\n')
        code, out, _ = run(capsys, "audit", str(path), "--lang", "en")
        assert code == 1
        assert out.splitlines()[0] == f"{path}: 1 figure disagrees:"


_OUTSIDE = {"\u061c", "\u200e", "\u200f"} | {chr(c) for c in range(0x202A, 0x202F)}
_OUTSIDE |= {chr(c) for c in range(0x2066, 0x206A)} | {chr(c) for c in range(0xFDD0, 0xFDF0)}


def refused_by_hand(text: str) -> bool:
    """The oracle: a character no name may hold, found the plainest way."""
    return any(
        unicodedata.category(c) in {"Cc", "Cs", "Zl", "Zp"}
        or c in _OUTSIDE
        or c in {"\ufffe", "\uffff"}
        for c in text
    )


class TestPlainTextProperty:
    @given(st.text(st.characters(codec=None), min_size=1, max_size=12))
    def test_agrees_with_oracle(self, name: str) -> None:
        """A unit name is refused exactly when it holds a character the oracle refuses."""
        name = unicodedata.normalize("NFC", name).strip()
        assume(name)
        if refused_by_hand(name):
            with pytest.raises(bc.InvalidValueError, match="control character") as info:
                bc.Province(code="24", name=name)
            assert info.value.field == "name"
        else:
            assert bc.Province(code="24", name=name).name == name

    @given(st.lists(st.sampled_from(["a", "b", "c", "record_id"]), min_size=1, max_size=6))
    def test_duplicate_keys(self, keys: list[str]) -> None:
        """A JSON Lines object is refused exactly when a key repeats, naming the first repeat."""
        line = "{" + ", ".join(f'"{k}": "{i}"' for i, k in enumerate(keys)) + "}"
        rows = list(jsonl_rows(line.encode() + b"\n", ("a",)))[1:]
        repeats = [k for i, k in enumerate(keys) if k in keys[:i]]
        if repeats:
            assert [(r.problem and r.problem[0], r.field) for r in rows] == [
                ("duplicate_key", repeats[0])
            ]
        else:
            assert rows[0].problem is None


class TestFiles:
    def test_irregular(self, tmp_path: Path) -> None:
        """A missing path and a folder are left to the caller; a FIFO is named."""
        assert irregular(tmp_path / "missing.csv") is None
        assert irregular(tmp_path) is None
        os.mkfifo(tmp_path / "p")
        assert irregular(tmp_path / "p") == "is a named pipe (FIFO), not a regular file"

    def test_malformed_toml(self, tmp_path: Path) -> None:
        """tomllib's own errors keep their line, and name the key on it."""
        path = tmp_path / "c.toml"
        path.write_text('id = "x"\nname = [\n')
        with pytest.raises(TomlError) as info:
            read_toml(path)
        assert (info.value.line, info.value.key) == (2, "name")
        assert str(info.value) == "malformed TOML: Invalid value"
        path.write_text("id = 1\nid = 2\n")
        with pytest.raises(TomlError) as info:
            read_toml(path)
        assert (info.value.line, info.value.key) == (2, "id")
        path.write_bytes(b'id = "x"\nname = "a\xff"\n')
        with pytest.raises(TomlError, match="not valid UTF-8") as info:
            read_toml(path)
        assert (info.value.line, info.value.key) == (2, "name")

    def test_key_line(self, tmp_path: Path) -> None:
        """The first line setting a key; None for no key, a missing file or one not set."""
        path = tmp_path / "c.toml"
        path.write_text('[[provinces]]\ncode = "24"\nname = "Bắc Giang"\n')
        assert key_line(path, "name") == 3
        assert key_line(path, "end") is None
        assert key_line(path, None) is None
        assert key_line(tmp_path / "missing.toml", "name") is None

    def test_formula_tag_cut_by_a_chunk(self) -> None:
        """A formula tag split by the end of a read chunk is still found."""
        data = b" " * (STEP - 1) + b"<f>A1</f>"
        assert _has_formula(io.BytesIO(data))
        assert not _has_formula(io.BytesIO(b" " * (STEP + 10) + b"<v>1</v>"))
