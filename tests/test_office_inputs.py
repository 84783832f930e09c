"""Office exports as they arrive: each input a provincial office sends, and its exact outcome."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import ClassVar

import openpyxl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.commands._args import iso_day
from bhxh_campaign.engines import daily_counts_for, python_only_reason
from bhxh_campaign.io import load_enrollments, load_targets
from bhxh_campaign.io.folder import parse_day

from .conftest import EXAMPLE
from .test_io_loaders import cp1258

HEADER = "record_id,participant_id,district_code,enrolled_on\n"


def copy_example(tmp_path: Path, records: str | None = None) -> Path:
    """A copy of the example folder, its enrollments.csv replaced by ``records``."""
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLE, folder)
    if records is not None:
        (folder / "enrollments.csv").write_text(records, encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def errors(out: str) -> list[tuple[int, str, str]]:
    """(line, field, code) of every error in validate's JSON output."""
    return [
        (e["line"], e["field"], e["code"])
        for entry in json.loads(out)["files"]
        for e in entry["errors"]
    ]


class TestDayFirstDates:
    @given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
    def test_day_first_is_read_day_first(self, day: dt.date) -> None:
        """dd/mm/yyyy and d/m/yyyy give the day; ISO too; the same on the command line."""
        for text in (
            f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
            f"{day.day}/{day.month}/{day.year:04d}",
            day.isoformat(),
        ):
            assert parse_day(text) == day
            assert iso_day(text) == day

    @given(st.integers(1, 12), st.integers(13, 31))
    def test_month_first_is_never_guessed(self, month: int, day: int) -> None:
        """A month-first date is refused, never read as another day."""
        text = f"{month:02d}/{day:02d}/2023"
        with pytest.raises(bc.InvalidValueError, match="month-first"):
            parse_day(text)
        with pytest.raises(argparse.ArgumentTypeError, match="month-first"):
            iso_day(text)

    def test_validate_file_and_folder_agree(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """validate FILE and validate FOLDER accept the same day-first records; report runs."""
        records = HEADER + "r1,2400000001,221,18/05/2023\nr2,2400000002,222,1/5/2023\n"
        folder = copy_example(tmp_path, records)
        code, out, _ = run(capsys, "validate", str(folder / "enrollments.csv"), "--format", "json")
        assert (code, json.loads(out)["files"][0]["accepted"]) == (0, 2)
        code, out, _ = run(capsys, "validate", str(folder), "--format", "json")
        assert code == 0
        code, out, _ = run(
            capsys, "report", str(folder), "--as-of", "18/05/2023", "--format", "json"
        )
        assert code == 0
        assert json.loads(out)["total"]["actual"] == 2

    def test_month_first_is_the_same_error_everywhere(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """05/18/2023 is month_first_date at line 3, field enrolled_on: validate FILE and
        FOLDER exit 1, report exits 2 naming the line and the field."""
        records = HEADER + "r1,2400000001,221,18/05/2023\nr2,2400000002,222,05/18/2023\n"
        folder = copy_example(tmp_path, records)
        expected = [(3, "enrolled_on", "month_first_date")]
        code, out, _ = run(capsys, "validate", str(folder / "enrollments.csv"), "--format", "json")
        assert (code, errors(out)) == (1, expected)
        code, out, _ = run(capsys, "validate", str(folder), "--format", "json")
        assert (code, errors(out)) == (1, expected)
        code, _, err = run(capsys, "report", str(folder))
        assert code == 2
        assert "line 3, field 'enrolled_on'" in err
        assert "[month_first_date]" in err

    def test_report_enrollments_option_reads_day_first(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """report FOLDER --enrollments FILE accepts the day-first file that validate FILE does."""
        records = tmp_path / "office.csv"
        records.write_text(HEADER + "r1,2400000001,221,18/05/2023\n", encoding="utf-8")
        code, out, _ = run(
            capsys, "report", str(EXAMPLE), "--enrollments", str(records), "--format", "json"
        )
        assert code == 0
        assert json.loads(out)["total"]["actual"] == 1

    @pytest.mark.parametrize("option", ["--as-of", "--known-at"])
    def test_command_line_days(self, capsys: pytest.CaptureFixture[str], option: str) -> None:
        """--as-of and --known-at take 18/05/2023 as they take 2023-05-18."""
        extra = ["--as-of", "2023-05-18"] if option == "--known-at" else []
        day_first = run(capsys, "report", str(EXAMPLE), *extra, option, "18/05/2023")
        iso = run(capsys, "report", str(EXAMPLE), *extra, option, "2023-05-18")
        assert day_first[0] == iso[0] == 0
        assert day_first[1] == iso[1]

    def test_month_first_on_the_command_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--as-of 05/18/2023 is a usage error, exit code 2, saying it is month-first."""
        with pytest.raises(SystemExit) as exit_:
            main(["report", str(EXAMPLE), "--as-of", "05/18/2023"])
        assert exit_.value.code == 2
        assert "month-first (dates are day-first)" in capsys.readouterr().err

    def test_diff_and_init_days(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """diff --from/--to and init --start/--end read day-first days."""
        code, out, _ = run(
            capsys, "diff", str(EXAMPLE), "--from", "17/05/2023", "--to", "18/05/2023"
        )
        assert code == 0
        assert (
            out
            == run(capsys, "diff", str(EXAMPLE), "--from", "2023-05-17", "--to", "2023-05-18")[1]
        )
        folder = tmp_path / "new"
        code, _, _ = run(
            capsys,
            "init",
            str(folder),
            "--province",
            "24",
            "--start",
            "1/5/2026",
            "--end",
            "31/05/2026",
        )
        assert code == 0
        assert "start = 2026-05-01" in (folder / "campaign.toml").read_text(encoding="utf-8")


TITLED = (
    "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG,,,,,\n"
    "DANH SÁCH NGƯỜI THAM GIA,,,,,\n"
    ",,,,,\n"
    "STT,Họ và tên,Mã hồ sơ,Mã số BHXH,Mã huyện,Ngày tham gia\n"
    "1,Nguyễn Văn A,r1,2400000001,221,18/05/2023\n"
    "2,Trần Thị B,r2,24000000,221,18/05/2023\n"
)


class TestTitleRowsAndUnusedColumns:
    def test_csv(self, tmp_path: Path) -> None:
        """Title rows are skipped, unused columns listed once, errors on physical lines."""
        path = tmp_path / "e.csv"
        path.write_text(TITLED, encoding="utf-8")
        report = load_enrollments(path)
        assert (report.header_line, report.ignored) == (4, ("STT", "Họ và tên"))
        assert (report.accepted, report.rows_read) == (1, 2)
        assert [(e.code, e.line, e.field) for e in report.errors] == [
            ("id_wrong_length", 6, "participant_id")
        ]

    def test_xlsx(self, tmp_path: Path) -> None:
        """A workbook's title rows and unused columns: the cell of the error is right."""
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for line in TITLED.splitlines():
            sheet.append(
                [int(c) if c.isdigit() and len(c) < 3 else c or None for c in line.split(",")]
            )
        book.save(tmp_path / "e.xlsx")
        report = load_enrollments(tmp_path / "e.xlsx")
        assert (report.header_line, report.ignored) == (4, ("STT", "Họ và tên"))
        assert [(e.code, e.line, e.field, e.cell) for e in report.errors] == [
            ("id_wrong_length", 6, "participant_id", "Sheet!D6")
        ]

    def test_no_header_in_sight(self, tmp_path: Path) -> None:
        """Without a header in the first rows, the first row's error lists what is missing."""
        path = tmp_path / "e.csv"
        path.write_text("BÁO CÁO\nSTT,Họ và tên\n1,A\n", encoding="utf-8")
        report = load_enrollments(path)
        assert [(e.code, e.line) for e in report.errors] == [("bad_header", 1)]
        assert "missing 'record_id'" in report.errors[0].message


class TestColumnMapping:
    OFFICE = "Số sổ,Số thẻ,Huyện,Ngày\nr1,2400000001,221,18/05/2023\n"
    MAPPING: ClassVar[dict[str, str]] = {
        "Số sổ": "record_id",
        "Số thẻ": "participant_id",
        "Huyện": "district_code",
        "Ngày": "enrolled_on",
    }

    def test_load_enrollments(self, tmp_path: Path) -> None:
        """columns= maps headings no alias knows; without it the header is refused."""
        path = tmp_path / "e.csv"
        path.write_text(self.OFFICE, encoding="utf-8")
        assert load_enrollments(path, columns=self.MAPPING).accepted == 1
        assert [e.code for e in load_enrollments(path).errors] == ["bad_header"]

    def test_an_unknown_field(self, tmp_path: Path) -> None:
        """A mapping to a field the file does not have is an InvalidValueError on 'columns'."""
        path = tmp_path / "e.csv"
        path.write_text(self.OFFICE, encoding="utf-8")
        with pytest.raises(bc.InvalidValueError, match="'colour', not a field") as info:
            load_enrollments(path, columns={"Số sổ": "colour"})
        assert info.value.field == "columns"

    def test_campaign_toml(self, tmp_path: Path) -> None:
        """A folder's [columns] table maps its files' headings."""
        folder = copy_example(tmp_path, self.OFFICE)
        table = "".join(f'"{header}" = "{field}"\n' for header, field in self.MAPPING.items())
        text = (folder / "campaign.toml").read_text(encoding="utf-8")
        (folder / "campaign.toml").write_text(
            text.replace("[[stock_goals]]", "[columns]\n" + table + "\n[[stock_goals]]"),
            encoding="utf-8",
        )
        assert len(bc.load_campaign(folder).records) == 1

    def test_campaign_toml_unknown_field(self, tmp_path: Path) -> None:
        """[columns] naming no field of any file is a LoadError on campaign.toml's 'columns'."""
        folder = copy_example(tmp_path)
        text = (folder / "campaign.toml").read_text(encoding="utf-8")
        (folder / "campaign.toml").write_text(
            text.replace("[[stock_goals]]", '[columns]\n"X" = "colour"\n\n[[stock_goals]]'),
            encoding="utf-8",
        )
        with pytest.raises(bc.LoadError, match=re.escape("campaign.toml, field 'columns'")):
            bc.load_campaign(folder)

    def test_validate_option(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """validate --column, repeatable; a bad one is a usage error (exit 2)."""
        path = tmp_path / "e.csv"
        path.write_text(self.OFFICE, encoding="utf-8")
        columns = [arg for h, f in self.MAPPING.items() for arg in ("--column", f"{h}={f}")]
        assert run(capsys, "validate", str(path), *columns)[0] == 0
        code, _, err = run(capsys, "validate", str(path), "--column", "Số sổ=colour")
        assert code == 2
        assert "--column: columns maps to 'colour'" in err
        with pytest.raises(SystemExit) as exit_:
            main(["validate", str(path), "--column", "no equals sign"])
        assert exit_.value.code == 2


class TestVietnameseValues:
    @pytest.mark.parametrize(
        ("written", "code"),
        [
            ("Hằng tháng", "monthly"),
            ("hang thang", "monthly"),
            ("HẰNG THÁNG", "monthly"),
            ("3 tháng", "quarterly"),
            ("6 Tháng", "semiannual"),
            ("12 thang", "annual"),
            ("Một lần", "lump_sum_future"),
            ("mot lan", "lump_sum_future"),
            ("Một lần cho những năm còn thiếu", "lump_sum_past"),
            ("annual", "annual"),
        ],
    )
    def test_payment_methods(self, tmp_path: Path, written: str, code: str) -> None:
        """An office's payment method, with or without diacritics, in any case, is its code."""
        path = tmp_path / "e.csv"
        path.write_text(
            HEADER.replace("\n", ",payment_method\n") + f"r1,2400000001,221,2023-05-18,{written}\n",
            encoding="utf-8",
        )
        report = load_enrollments(path)
        assert [r.payment_method.value for r in report.records if r.payment_method] == [code]

    def test_unknown_payment(self, tmp_path: Path) -> None:
        """A payment method that is none of them is unknown_value, line 2, payment_method."""
        path = tmp_path / "e.csv"
        path.write_text(
            HEADER.replace("\n", ",payment_method\n") + "r1,2400000001,221,2023-05-18,2 tháng\n",
            encoding="utf-8",
        )
        assert [(e.code, e.line, e.field) for e in load_enrollments(path).errors] == [
            ("unknown_value", 2, "payment_method")
        ]

    def test_targets_with_thousands_in_a_folder(self, tmp_path: Path) -> None:
        """A folder's targets.csv reads "4.800" as 4800 (a lone file still asks)."""
        folder = copy_example(tmp_path)
        text = (folder / "targets.csv").read_text(encoding="utf-8")
        (folder / "targets.csv").write_text(text.replace("213,400,", '213,"4.800",'), "utf-8")
        values = {t.unit_code: t.value for t in bc.load_campaign(folder).targets}
        assert values["213"] == 4800
        lone = load_targets(folder / "targets.csv", campaign_id="c")
        assert [(e.code, e.line, e.field) for e in lone.errors] == [
            ("ambiguous_number", 2, "target")
        ]

    def test_validate_reads_targets_as_the_folder_does(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """validate targets.csv accepts "4.800" as the folder does; "4,800" is ambiguous."""
        path = tmp_path / "targets.csv"
        path.write_text('unit_code,target\n221,"4.800"\n222,"4,800"\n', encoding="utf-8")
        code, out, _ = run(capsys, "validate", str(path), "--format", "json")
        assert (code, errors(out)) == (1, [(3, "target", "ambiguous_number")])


class TestEncodingAndFileTypes:
    def test_cp1258_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """encoding = "cp1258" reads a Windows-1258 folder; without it validate hints at it."""
        folder = copy_example(tmp_path)
        for name in ("districts.csv", "targets.csv", "enrollments.csv"):
            text = (folder / name).read_text(encoding="utf-8")
            (folder / name).write_bytes(cp1258(text))
        code, out, _ = run(capsys, "validate", str(folder), "--format", "json", "--lang", "en")
        assert code == 1
        bad = json.loads(out)["files"][0]["errors"]
        assert bad[0]["code"] == "invalid_encoding"
        assert 'set encoding = "cp1258" in campaign.toml' in bad[0]["message"]
        code, out, _ = run(capsys, "validate", str(folder), "--format", "json", "--lang", "vi")
        vi = json.loads(out)["files"][0]["errors"][0]["message"]
        assert 'đặt encoding = "cp1258" trong campaign.toml' in vi
        toml = folder / "campaign.toml"
        toml.write_text('encoding = "cp1258"\n' + toml.read_text(encoding="utf-8"), "utf-8")
        assert run(capsys, "validate", str(folder))[0] == 0
        assert bc.load_campaign(folder).districts[0].name == "Bắc Giang"

    @pytest.mark.parametrize("engine", ["auto", "arrow", "python"])
    def test_report_enrollments_reads_with_the_folder_settings(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
    ) -> None:
        """report FOLDER --enrollments FILE reads FILE with the folder's encoding and [columns]."""
        folder = copy_example(tmp_path)
        toml = folder / "campaign.toml"
        settings = 'encoding = "cp1258"\n[columns]\n"Số định danh" = "participant_id"\n'
        text = toml.read_text(encoding="utf-8")
        for name in ("districts.csv", "targets.csv"):
            (folder / name).write_bytes(cp1258((folder / name).read_text(encoding="utf-8")))
        toml.write_text(text.replace("[[stock_goals]]", settings + "[[stock_goals]]", 1), "utf-8")
        assert "[columns]" in toml.read_text(encoding="utf-8")
        records = tmp_path / "office.csv"
        header = "record_id,Số định danh,district_code,enrolled_on\n"
        records.write_bytes(cp1258(header + "r1,2400000001,221,18/05/2023\n"))
        code, out, err = run(
            capsys,
            "report",
            str(folder),
            "--enrollments",
            str(records),
            "--format",
            "json",
            "--engine",
            engine,
        )
        assert (code, err) == (0, "")
        assert json.loads(out)["total"]["actual"] == 1

    def test_unknown_encoding(self, tmp_path: Path) -> None:
        """An encoding that does not exist is a LoadError on campaign.toml's 'encoding'."""
        folder = copy_example(tmp_path)
        toml = folder / "campaign.toml"
        toml.write_text('encoding = "rot13x"\n' + toml.read_text(encoding="utf-8"), "utf-8")
        with pytest.raises(bc.LoadError, match="field 'encoding'"):
            bc.load_campaign(folder)

    @pytest.mark.parametrize("suffix", ["xlsx", "json", "jsonl", "parquet"])
    def test_records_of_another_type(self, tmp_path: Path, suffix: str) -> None:
        """enrollments.xlsx, .json, .jsonl or .parquet in a folder is read like the CSV."""
        folder = copy_example(tmp_path)
        rows = load_enrollments(folder / "enrollments.csv").records[:50]
        (folder / "enrollments.csv").unlink()
        names = ("record_id", "participant_id", "district_code", "enrolled_on")
        table = [[getattr(r, n) for n in names] for r in rows]
        path = folder / f"enrollments.{suffix}"
        if suffix == "xlsx":
            book = openpyxl.Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.append(list(names))
            for row in table:
                sheet.append([*row[:3], row[3].strftime("%d/%m/%Y")])
            book.save(path)
        elif suffix == "parquet":
            pq.write_table(
                pa.table({n: [row[i] for row in table] for i, n in enumerate(names)}), path
            )
        else:
            dicts = [dict(zip(names, [*row[:3], row[3].isoformat()], strict=True)) for row in table]
            text = (
                json.dumps(dicts)
                if suffix == "json"
                else "".join(json.dumps(d) + "\n" for d in dicts)
            )
            path.write_text(text, encoding="utf-8")
        read = bc.load_campaign(folder).records
        assert [[getattr(r, n) for n in names] for r in read] == table

    def test_a_workbook_sheet_named_in_campaign_toml(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """enrollments.xlsx with data on two sheets: campaign.toml's sheet says which."""
        folder = copy_example(tmp_path)
        rows = load_enrollments(folder / "enrollments.csv").records[-20:]  # in the campaign
        (folder / "enrollments.csv").unlink()
        names = ("record_id", "participant_id", "district_code", "enrolled_on")
        book = openpyxl.Workbook()
        notes = book.active
        assert notes is not None
        notes.title = "Ghi chú"
        notes.append(["Danh sách kèm theo"])
        listed = book.create_sheet("Danh sách")
        listed.append(list(names))
        for r in rows:
            listed.append(
                [r.record_id, r.participant_id, r.district_code, r.enrolled_on.isoformat()]
            )
        book.save(folder / "enrollments.xlsx")
        with pytest.raises(bc.LoadError, match=re.escape('sheet = "NAME" in its campaign.toml')):
            bc.load_campaign(folder)
        code, out, _ = run(capsys, "validate", str(folder))
        assert code == 1
        assert 'sheet = "TÊN"' in out
        toml = folder / "campaign.toml"
        toml.write_text('sheet = "Danh sách"\n' + toml.read_text(encoding="utf-8"), "utf-8")
        read = [tuple(getattr(r, n) for n in names) for r in bc.load_campaign(folder).records]
        assert read == [tuple(getattr(r, n) for n in names) for r in rows]
        assert run(capsys, "validate", str(folder))[0] == 0

    def test_two_records_files(self, tmp_path: Path) -> None:
        """A folder with enrollments.csv and enrollments.xlsx is refused: keep one."""
        folder = copy_example(tmp_path)
        shutil.copy(folder / "enrollments.csv", folder / "enrollments.jsonl")
        with pytest.raises(
            bc.LoadError, match=re.escape("has both enrollments.csv and enrollments.jsonl")
        ):
            bc.load_campaign(folder)

    @pytest.mark.parametrize("name", ["Enrollments.CSV", "enrollments.xls", "enrollments (1).csv"])
    def test_a_misnamed_records_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
    ) -> None:
        """A records file under another name is refused with the names to use."""
        folder = copy_example(tmp_path)
        (folder / "enrollments.csv").rename(folder / name)
        with pytest.raises(bc.LoadError, match=r"is not read: name the records file") as info:
            bc.load_campaign(folder)
        assert info.value.code == "misnamed_file"
        assert "enrollments.xlsx" in str(info.value)
        code, out, _ = run(capsys, "validate", str(folder), "--format", "json")
        assert code == 1
        assert ("misnamed_file") in [e[2] for e in errors(out)]


class TestTitleRowsProperty:
    @given(
        titles=st.lists(
            st.sampled_from(["BÁO CÁO", "Ngày 18/05/2023", "", "BHXH TỈNH"]), max_size=5
        ),
        unused=st.lists(st.sampled_from(["STT", "Họ và tên", "Ghi chú", "Giới tính"]), unique=True),
        positions=st.lists(st.integers(0, 4), min_size=4, max_size=4),
        bad=st.sets(st.integers(0, 5)),
    )
    def test_lines_and_records_are_those_of_the_plain_file(
        self, titles: list[str], unused: list[str], positions: list[int], bad: set[int]
    ) -> None:
        """Title rows and unused columns change no record, and shift every error's line by
        exactly the number of title rows (the oracle: the same file without them)."""
        names = ["record_id", "participant_id", "district_code", "enrolled_on"]
        rows = [
            [f"r{n}", f"24{n:08d}" if n not in bad else "24", "221", f"{1 + n}/05/2023"]
            for n in range(6)
        ]
        header, data = list(names), [list(r) for r in rows]
        for name, at in zip(unused, positions, strict=False):
            header.insert(at, name)
            for row in data:
                row.insert(at, "x")
        plain = "\n".join(",".join(r) for r in [names, *rows]) + "\n"
        office = (
            "".join(f"{t}\n" for t in titles)
            + "\n".join(",".join(r) for r in [header, *data])
            + "\n"
        )
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "plain.csv").write_text(plain, encoding="utf-8")
            (Path(folder) / "office.csv").write_text(office, encoding="utf-8")
            expected = load_enrollments(Path(folder) / "plain.csv")
            report = load_enrollments(Path(folder) / "office.csv")
        shift = len(titles)
        assert report.records == expected.records
        assert report.header_line == 1 + shift
        assert report.ignored == tuple(n for n in header if n not in names)
        assert [(e.code, e.line, e.field) for e in report.errors] == [
            (e.code, (e.line or 0) + shift, e.field) for e in expected.errors
        ]


class TestEdges:
    def test_an_empty_day(self) -> None:
        """An empty day is refused by name."""
        with pytest.raises(bc.InvalidValueError, match="as_of must not be empty"):
            parse_day("", "as_of")

    @pytest.mark.parametrize(
        ("old", "new", "match"),
        [
            ("start = 2023-05-01", "start = 5", "start must be a date"),
            ("[[stock_goals]]", "columns = 3\n[[stock_goals]]", "columns must be a table"),
            ("[[stock_goals]]", "encoding = 1\n[[stock_goals]]", "encoding must name"),
            ("[[stock_goals]]", 'encoding = "rot13"\n[[stock_goals]]', "encoding must name"),
            ("[[stock_goals]]", 'sheet = ""\n[[stock_goals]]', "sheet must name"),
            ("[[stock_goals]]", "sheet = 2\n[[stock_goals]]", "sheet must name"),
        ],
    )
    def test_bad_settings(self, tmp_path: Path, old: str, new: str, match: str) -> None:
        """A bad date, [columns] or encoding in campaign.toml is a LoadError naming it."""
        folder = copy_example(tmp_path)
        toml = folder / "campaign.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(old, new), "utf-8")
        with pytest.raises(bc.LoadError, match=match):
            bc.load_campaign(folder)

    def test_stock_goal_with_thousands(self, tmp_path: Path) -> None:
        """A stock goal written "52.139" is 52139, as targets.csv reads it."""
        folder = copy_example(tmp_path)
        toml = folder / "campaign.toml"
        text = toml.read_text(encoding="utf-8").replace("target = 52139", 'target = "52.139"')
        toml.write_text(text, "utf-8")
        stocks = [
            t.value for t in bc.load_campaign(folder).targets if t.measure is bc.Measure.STOCK
        ]
        assert stocks == [52139]

    def test_no_records_file(self, tmp_path: Path) -> None:
        """A folder with no records file at all: enrollments.csv is not found."""
        folder = copy_example(tmp_path)
        (folder / "enrollments.csv").unlink()
        with pytest.raises(bc.LoadError, match=r"\[file_not_found\]") as info:
            bc.load_campaign(folder)
        assert info.value.code == "file_not_found"

    def test_a_broken_parquet_file(self, tmp_path: Path) -> None:
        """A .parquet file that is not Parquet is unreadable_file; a missing one not found."""
        path = tmp_path / "e.parquet"
        path.write_bytes(b"PAR1 not really")
        assert [e.code for e in load_enrollments(path).errors] == ["unreadable_file"]
        assert [e.code for e in load_enrollments(tmp_path / "no.parquet").errors] == [
            "file_not_found"
        ]


class TestEnginesOnCanonicalOfficeValues:
    @pytest.mark.parametrize("case", ["payment", "cp1258", "not-utf8"])
    def test_every_engine_gives_the_python_figures(
        self, tmp_path: Path, example: bc.CampaignBundle, case: str
    ) -> None:
        """Canonical columns but Vietnamese payment methods, or an encoding: python counts."""
        folder = copy_example(tmp_path)
        records = folder / "enrollments.csv"
        text = records.read_text(encoding="utf-8")
        if case == "payment":
            text = text.replace(",annual\n", ",12 tháng\n").replace(",monthly\n", ",Hằng tháng\n")
            records.write_text(text, encoding="utf-8")
        elif case == "cp1258":  # ASCII records, but the folder says how to read them
            toml = folder / "campaign.toml"
            toml.write_text('encoding = "cp1258"\n' + toml.read_text(encoding="utf-8"), "utf-8")
        else:  # a Windows-1258 header, and no encoding set
            records.write_bytes(cp1258("Mã hồ sơ" + text[len("record_id") :]))
        reason = python_only_reason(folder)
        assert reason is not None
        if case == "not-utf8":
            assert reason == "its header is not UTF-8 CSV"
            return
        units = [u.code for u in example.districts]
        python = daily_counts_for(folder, example.campaign, engine="python", units=units)
        for engine in ("arrow", "duckdb", "polars"):
            counts = daily_counts_for(folder, example.campaign, engine=engine, units=units)
            assert counts == python, engine
        assert python == example.counts(example.campaign.end)
