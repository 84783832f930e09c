"""Tests of `bhxh_campaign.io.loaders`: CSV, XLSX and JSON loaders and their reports."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

import bhxh_campaign as bc
from bhxh_campaign.io import (
    LoadReport,
    _json,
    _readers,
    iter_enrollments,
    load_districts,
    load_enrollments,
    load_targets,
)

from .conftest import EXAMPLE

FIXTURES = Path(__file__).parent / "fixtures" / "loaders"

HEADER = "record_id,participant_id,district_code,enrolled_on\n"


def write(tmp_path: Path, text: str, name: str = "e.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def workbook(tmp_path: Path, rows: list[list[Any]], *, epoch_1904: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    path = tmp_path / "e.xlsx"
    book.save(path)
    return path


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in marks if m in _TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONES))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def balanced(report: LoadReport[Any]) -> bool:
    return report.rows_read == report.accepted + len(report.rejected) + report.blank


def found(report: LoadReport[Any]) -> list[tuple[str, int | None, str | None]]:
    return [(e.code, e.line, e.field) for e in report.errors]


class TestLoadEnrollments:
    def test_example(self) -> None:
        """The bundled example loads with no rejected row."""
        report = load_enrollments(EXAMPLE / "enrollments.csv")
        assert report.ok
        assert balanced(report)
        assert report.records == bc.load_campaign(EXAMPLE).records

    def test_vietnamese_headers(self, tmp_path: Path) -> None:
        """Vietnamese and English aliases match after case, space and diacritic folding."""
        path = write(
            tmp_path,
            "MÃ HỒ SƠ ; Số CCCD ;ma_huyen; Ngày  tham gia\n".replace(";", ",")
            + "r1,024195012345,221,18/05/2023\n",
        )
        report = load_enrollments(path)
        assert report.ok
        assert report.records[0].participant_id == "024195012345"

    def test_header_errors_are_one(self, tmp_path: Path) -> None:
        """Unknown and missing columns are one error listing all of them."""
        path = write(tmp_path, "record_id,colour,size\nr1,x,y\n")
        report = load_enrollments(path)
        assert found(report) == [("bad_header", 1, None)]
        message = report.problems[0].message
        assert "missing 'participant_id', 'district_code', 'enrolled_on'" in message
        assert "unknown 'colour', 'size'" in message

    def test_optional_columns_follow_the_model(self, tmp_path: Path) -> None:
        """Every optional field of EnrollmentRecord is an optional column."""
        optional = [
            f.name for f in attrs.fields(bc.EnrollmentRecord) if f.default is not attrs.NOTHING
        ]
        line = "r1,2400000001,221,2023-05-01" + "," * len(optional)
        report = load_enrollments(
            write(tmp_path, HEADER.strip() + "," + ",".join(optional) + "\n" + line + "\n")
        )
        assert report.ok

    @pytest.mark.parametrize(
        ("cell", "day"),
        [
            ("2023-05-18", dt.date(2023, 5, 18)),
            ("18/05/2023", dt.date(2023, 5, 18)),
            ("1/5/2023", dt.date(2023, 5, 1)),
            ("05.01.2023", dt.date(2023, 1, 5)),
            ("2023-05-18T20:00:00+00:00", dt.date(2023, 5, 19)),
            ("2023-05-18T16:59:59Z", dt.date(2023, 5, 18)),
            ("2023-05-18 00:00:00", dt.date(2023, 5, 18)),
        ],
    )
    def test_dates(self, tmp_path: Path, cell: str, day: dt.date) -> None:
        """ISO, day-first and aware timestamps give the Vietnamese day; never month-first."""
        report = load_enrollments(write(tmp_path, HEADER + f"r1,2400000001,221,{cell}\n"))
        assert [r.enrolled_on for r in report.records] == [day]

    def test_month_first_is_not_guessed(self, tmp_path: Path) -> None:
        """05/13/2023 is refused as month-first, never read as 13 May."""
        report = load_enrollments(write(tmp_path, HEADER + "r1,2400000001,221,05/13/2023\n"))
        assert found(report) == [("month_first_date", 2, "enrolled_on")]
        assert "day-first (dd/mm/yyyy)" in report.rejected[0].message

    def test_iso_only(self, tmp_path: Path) -> None:
        """With day_first=False only ISO dates are read."""
        report = load_enrollments(
            write(tmp_path, HEADER + "r1,2400000001,221,18/05/2023\n"), day_first=False
        )
        assert found(report) == [("bad_date", 2, "enrolled_on")]

    def test_bom_and_crlf(self, tmp_path: Path) -> None:
        """A byte-order mark and CRLF line ends are accepted; lines stay physical."""
        path = tmp_path / "e.csv"
        path.write_bytes(
            b"\xef\xbb\xbf"
            + (HEADER + "r1,2400000001,221,2023-05-01\n\nr2,x,221,2023-05-01\n")
            .replace("\n", "\r\n")
            .encode()
        )
        report = load_enrollments(path)
        assert found(report) == [("id_not_digits", 4, "participant_id")]
        assert (report.accepted, report.blank) == (1, 1)

    def test_quoted_newline_keeps_start_line(self, tmp_path: Path) -> None:
        """A record spanning lines is reported at the line where it starts."""
        text = (
            HEADER
            + 'r1,2400000001,221,2023-05-01\n"r\n2",2400000002,221,2023-02-30\nr3,2400000003,221,x\n'
        )
        report = load_enrollments(write(tmp_path, text))
        assert found(report) == [
            ("impossible_date", 3, "enrolled_on"),
            ("bad_date", 5, "enrolled_on"),
        ]

    def test_windows_1258(self, tmp_path: Path) -> None:
        """A declared Windows-1258 file is decoded and normalised to NFC."""
        text = "code,name,kind,province_code\n221,Yên Dũng,huyen,24\n223,Hiệp Hòa,huyen,24\n"
        path = tmp_path / "d.csv"
        path.write_bytes(cp1258(text))
        report = load_districts(path, encoding="windows-1258")
        assert report.ok
        assert [d.name for d in report.records] == ["Yên Dũng", "Hiệp Hòa"]

    def test_cp1258_read_as_utf8(self, tmp_path: Path) -> None:
        """A Windows-1258 file read as UTF-8 gives invalid_encoding rows, not garbage."""
        text = "code,name,kind,province_code\n221,Yên Dũng,huyen,24\n215,Yen The,huyen,24\n"
        path = tmp_path / "d.csv"
        path.write_bytes(cp1258(text))
        report = load_districts(path)
        assert found(report) == [("invalid_encoding", 2, None)]
        assert report.rejected[0].message.startswith("has bytes that are not valid UTF-8; ")
        assert 'encoding = "cp1258" in campaign.toml' in report.rejected[0].message

    def test_utf8_declared_as_cp1258(self, tmp_path: Path) -> None:
        """UTF-8 read as Windows-1258 is detected as mojibake, with its line."""
        path = write(
            tmp_path, "code,name,kind,province_code\n221,Yên Dũng,huyen,24\n215,Yen The,huyen,24\n"
        )
        report = load_districts(path, encoding="cp1258")
        assert found(report) == [("mojibake", 2, "name")]

    def test_nfd_to_nfc(self, tmp_path: Path) -> None:
        """NFD names come back NFC."""
        path = write(
            tmp_path,
            unicodedata.normalize("NFD", "code,name,kind,province_code\n221,Yên Dũng,huyện,24\n"),
        )
        report = load_districts(path)
        assert report.records[0].name == unicodedata.normalize("NFC", "Yên Dũng")
        assert report.records[0].kind is bc.UnitKind.HUYEN

    def test_unknown_encoding(self, tmp_path: Path) -> None:
        """An unknown encoding name is a file problem."""
        report = load_enrollments(write(tmp_path, HEADER), encoding="klingon")
        assert found(report) == [("unknown_encoding", None, None)]

    def test_unknown_suffix(self, tmp_path: Path) -> None:
        """A file type the loaders do not read is a file problem."""
        report = load_enrollments(write(tmp_path, HEADER, name="e.parquet"))
        assert found(report) == [("unreadable_file", None, None)]

    def test_districts_given(self, tmp_path: Path) -> None:
        """With districts given, a record in another district is refused."""
        districts = load_districts(EXAMPLE / "districts.csv").records
        path = write(
            tmp_path, HEADER + "r1,2400000001,221,2023-05-01\nr2,2400000002,999,2023-05-01\n"
        )
        assert found(load_enrollments(path, districts=districts)) == [
            ("unknown_district", 3, "district_code")
        ]
        assert load_enrollments(path).ok

    def test_strict_names_file_line_field(self, tmp_path: Path) -> None:
        """Strict mode raises a LoadError naming file, line and field, id masked."""
        path = write(
            tmp_path, HEADER + "r1,2400000001,221,2023-05-01\nr2,24000000021,221,2023-05-01\n"
        )
        with pytest.raises(bc.LoadError, match=r"e\.csv, line 3, field 'participant_id'") as info:
            load_enrollments(path, strict=True)
        assert "24000000021" not in str(info.value)
        assert "*******0021" in str(info.value)

    def test_strict_missing_file(self, tmp_path: Path) -> None:
        """Strict mode raises for a missing file."""
        with pytest.raises(bc.LoadError, match="file not found"):
            load_enrollments(tmp_path / "none.csv", strict=True)

    def test_long_field_is_a_row_error(self, tmp_path: Path) -> None:
        """A field over the CSV size limit is a malformed row, and reading goes on."""
        text = HEADER + "r1," + "9" * (2 << 20) + ",221,2023-05-01\nr2,2400000002,221,2023-05-01\n"
        report = load_enrollments(write(tmp_path, text))
        assert [e.code for e in report.rejected] == ["malformed_csv"]
        assert balanced(report)


class TestLoadEnrollmentsXlsx:
    def test_cells_and_serials(self, tmp_path: Path) -> None:
        """Date cells, serials and text dates load; errors name the sheet cell."""
        rows: list[list[Any]] = [
            ["Mã hồ sơ", "Mã số BHXH", "Mã huyện", "Ngày tham gia", None],
            ["r1", "0241234567", "221", dt.date(2023, 5, 18)],
            ["r2", "0241234568", "221", 45064],
            ["r3", "0241234569", "221", "18/05/2023"],
            ["r4", 241234570, "221", dt.date(2023, 5, 18)],
            # Excel cells have no zone: a time of day is Vietnamese wall time.
            ["r5", "0241234571", "221", dt.datetime(2023, 5, 18, 23, 30)],  # noqa: DTZ001
            [None, None, None, None],
            ["r6", "0241234572", "221", 60],
            ["r7", "0241234573", "221", 1.09001e11],
        ]
        report = load_enrollments(workbook(tmp_path, rows))
        assert [r.enrolled_on for r in report.records] == [dt.date(2023, 5, 18)] * 4
        assert [(e.code, e.cell) for e in report.rejected] == [
            ("number_cell", "Data!B5"),
            ("excel_phantom_date", "Data!D8"),
            ("bad_date", "Data!D9"),
        ]
        assert balanced(report)
        assert report.blank == 1

    def test_1904_system(self, tmp_path: Path) -> None:
        """Serials of a 1904-system workbook count from 1904-01-01."""
        rows: list[list[Any]] = [
            ["record_id", "participant_id", "district_code", "enrolled_on"],
            ["r1", "2400000001", "221", 43602],
        ]
        report = load_enrollments(workbook(tmp_path, rows, epoch_1904=True))
        assert report.records[0].enrolled_on == dt.date(2023, 5, 18)

    def test_serials_before_phantom_day(self, tmp_path: Path) -> None:
        """Serials 59 and 61 are 28/02/1900 and 01/03/1900."""
        rows: list[list[Any]] = [
            ["record_id", "participant_id", "district_code", "enrolled_on"],
            ["r1", "2400000001", "221", 59],
            ["r2", "2400000002", "221", 61],
        ]
        report = load_enrollments(workbook(tmp_path, rows))
        assert [r.enrolled_on for r in report.records] == [
            dt.date(1900, 2, 28),
            dt.date(1900, 3, 1),
        ]

    def test_extra_filled_cell(self, tmp_path: Path) -> None:
        """A filled cell past the header is too many cells; empty ones are not."""
        rows: list[list[Any]] = [
            ["record_id", "participant_id", "district_code", "enrolled_on"],
            ["r1", "2400000001", "221", "2023-05-01", None, "x"],
        ]
        assert found(load_enrollments(workbook(tmp_path, rows))) == [("too_many_cells", 2, None)]


class TestLoadEnrollmentsJson:
    def test_lines_of_objects(self, tmp_path: Path) -> None:
        """Each object is reported at the line where it starts."""
        text = '[\n{"record_id": "r1", "participant_id": "2400000001", "district_code": "221", "enrolled_on": "2023-05-01"},\n\n{"record_id": "r2",\n "participant_id": "x", "district_code": "221", "enrolled_on": "2023-05-01"},\n{}\n]\n'
        report = load_enrollments(write(tmp_path, text, name="e.json"))
        assert found(report) == [("id_not_digits", 4, "participant_id")]
        assert (report.accepted, report.blank) == (1, 1)

    def test_empty_list(self, tmp_path: Path) -> None:
        """An empty list has no rows and no error."""
        report = load_enrollments(write(tmp_path, "[]", name="e.json"))
        assert report.ok
        assert report.rows_read == 0

    def test_unclosed_list(self, tmp_path: Path) -> None:
        """A list that is not closed is malformed JSON."""
        report = load_enrollments(write(tmp_path, '[{"record_id": "r1"}', name="e.json"))
        assert [e.code for e in report.problems] == ["malformed_json"]


class TestLoadTargets:
    def test_example(self) -> None:
        """The example's targets load."""
        report = load_targets(EXAMPLE / "targets.csv", campaign_id="bg")
        assert report.ok
        assert sum(t.value for t in report.records if t.is_district) == 3285

    def test_vietnamese_numbers_when_declared(self, tmp_path: Path) -> None:
        """'1.928' is read as 1928 only when declared; '1,928' never is."""
        path = write(tmp_path, 'Mã đơn vị,Chỉ tiêu\n24,"3.285"\n221,"1,928"\n', name="t.csv")
        report = load_targets(path, campaign_id="bg", vietnamese_numbers=True)
        assert [t.value for t in report.records] == [3285]
        assert found(report) == [("ambiguous_number", 3, "target")]
        plain = load_targets(path, campaign_id="bg")
        assert [e.code for e in plain.rejected] == ["ambiguous_number", "ambiguous_number"]

    def test_repeated_unit_and_measure(self, tmp_path: Path) -> None:
        """A unit may have one target per measure, not two of one measure."""
        path = write(
            tmp_path,
            "unit_code,target,measure\n221,10,new\n221,99,stock\n221,11,new\n",
            name="t.csv",
        )
        assert found(load_targets(path, campaign_id="bg")) == [("duplicate_unit", 4, "unit_code")]


class TestLoadDistricts:
    def test_example(self) -> None:
        """The example's districts load in file order."""
        report = load_districts(EXAMPLE / "districts.csv")
        assert [d.code for d in report.records][:2] == ["213", "215"]

    def test_number_code_refused(self, tmp_path: Path) -> None:
        """A district code stored as a number (leading zero lost) is refused."""
        path = write(
            tmp_path,
            '[{"code": 1, "name": "Ba Đình", "kind": "quan", "province_code": "01"}]',
            name="d.json",
        )
        assert found(load_districts(path)) == [("number_cell", 1, "code")]


class TestIterEnrollments:
    def test_streams_every_row(self, tmp_path: Path) -> None:
        """Records, rejected rows and blanks come one by one, in file order."""
        path = write(tmp_path, HEADER + "r1,2400000001,221,2023-05-01\n\nr2,x,221,2023-05-01\n")
        kinds = [type(item).__name__ for item in iter_enrollments(path)]
        assert kinds == ["EnrollmentRecord", "NoneType", "RejectedRow"]


class TestStrictLoadError:
    @pytest.mark.parametrize(
        ("fixture", "options"),
        [
            ("impossible_date.csv", {}),
            ("wrong_type.json", {}),
            ("malformed_json_line.jsonl", {}),
            ("unknown_district.csv", {"districts": ["221"]}),
            ("bad_header.csv", {}),
        ],
    )
    def test_code_line_and_field_of_the_first_error(
        self, fixture: str, options: dict[str, Any]
    ) -> None:
        """strict=True raises a LoadError with the code, line and field of the first error."""
        path = FIXTURES / fixture
        first = load_enrollments(path, **options).errors[0]
        with pytest.raises(bc.LoadError) as info:
            load_enrollments(path, strict=True, **options)
        assert (info.value.code, info.value.line, info.value.field) == (
            first.code,
            first.line,
            first.field,
        )
        assert info.value.path == str(path)

    def test_no_full_id_in_the_message(self, tmp_path: Path) -> None:
        """The error's message masks the participant id, as the rejected row does."""
        path = write(tmp_path, HEADER + "r1,24123456789,221,2023-05-01\n")
        with pytest.raises(bc.LoadError) as info:
            load_enrollments(path, strict=True)
        assert info.value.code == "id_wrong_length"
        assert "24123456789" not in str(info.value)
        assert "6789" in str(info.value)


def csv_of(tmp_path: Path, rows: int) -> Path:
    lines = [f"r{n},24{n:08d},221,2023-05-{1 + n % 28:02d}\n" for n in range(rows)]
    return write(tmp_path, HEADER + "".join(lines))


class Recorder:
    """A progress callback that keeps every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))

    def check(self, total: int) -> None:
        """Called, never backwards, never past the total, ending at (total, total)."""
        assert self.calls
        assert all(t == total for _, t in self.calls)
        done = [d for d, _ in self.calls]
        assert done == sorted(done)
        assert all(0 <= d <= total for d in done)
        assert self.calls[-1] == (total, total)


class TestProgress:
    @pytest.mark.slow  # writes and reads 40 000 rows
    def test_csv_large_file(self, tmp_path: Path) -> None:
        """A CSV over 1 MiB reports on the way, each MiB at most, then (size, size)."""
        path = csv_of(tmp_path, 40_000)
        size = path.stat().st_size
        assert size > 1024 * 1024
        recorder = Recorder()
        report = load_enrollments(path, progress=recorder)
        assert report.accepted == 40_000
        recorder.check(size)
        assert len(recorder.calls) == 2
        assert recorder.calls[0][0] >= 1024 * 1024

    def test_csv_small_steps(self, tmp_path: Path) -> None:
        """The reader looks at the position every `every` rows, reporting each `step` bytes."""
        path = csv_of(tmp_path, 3000)
        recorder = Recorder()
        rows = list(_readers.csv_rows(path, progress=recorder, step=1, every=100))
        assert len(rows) == 3001
        recorder.check(path.stat().st_size)
        assert len(recorder.calls) > path.stat().st_size // 8192

    @pytest.mark.parametrize("suffix", [".json", ".jsonl"])
    def test_json_counts_both_passes(self, tmp_path: Path, suffix: str) -> None:
        """JSON is read twice, so its total is twice the file's size."""
        record = '{"record_id": "r%d", "participant_id": "24%08d", "district_code": "221", "enrolled_on": "2023-05-01"}'
        objects = [record % (n, n) for n in range(2000)]
        text = "[\n" + ",\n".join(objects) + "\n]\n" if suffix == ".json" else "\n".join(objects)
        path = write(tmp_path, text, name=f"e{suffix}")
        recorder = Recorder()
        assert load_enrollments(path, progress=recorder).accepted == 2000
        recorder.check(2 * path.stat().st_size)

    def test_json_readers_small_steps(self, tmp_path: Path) -> None:
        """Both JSON readers report during both passes when the step is small."""
        path = write(tmp_path, "[" + ",".join(['{"a": 1}'] * 500) + "]", name="e.json")
        recorder = Recorder()
        list(_json.json_rows(path, ("a",), progress=recorder, chunk_size=100, step=1))
        recorder.check(2 * path.stat().st_size)
        assert len(recorder.calls) > 2 * path.stat().st_size // 100
        lines = write(tmp_path, '{"a": 1}\n' * 100, name="e.jsonl")
        recorder = Recorder()
        list(_json.jsonl_rows(lines, ("a",), progress=recorder, step=1, every=10))
        recorder.check(2 * lines.stat().st_size)
        assert len(recorder.calls) == 2 * 10 + 1

    def test_iter_enrollments(self, tmp_path: Path) -> None:
        """The streaming loader reports too, ending once the file is exhausted."""
        path = csv_of(tmp_path, 10)
        recorder = Recorder()
        rows = iter_enrollments(path, progress=recorder)
        next(rows)
        assert recorder.calls == []
        assert len(list(rows)) == 9
        recorder.check(path.stat().st_size)

    def test_not_called_for_workbooks(self, tmp_path: Path) -> None:
        """Workbooks are not reported on (documented)."""
        path = workbook(
            tmp_path, [list(HEADER.strip().split(",")), ["r1", "2400000001", "221", "2023-05-01"]]
        )
        recorder = Recorder()
        assert load_enrollments(path, progress=recorder).accepted == 1
        assert recorder.calls == []

    def test_not_finished_when_stopped_by_a_problem(self, tmp_path: Path) -> None:
        """A file stopped by a problem with its header is not reported as read."""
        recorder = Recorder()
        # more rows than the header search looks at: the problem stops the reading
        load_enrollments(write(tmp_path, "colour\n" + "red\n" * 40), progress=recorder)
        assert recorder.calls == []
