"""Tests of `bhxh_campaign.io.export`: safe CSV/XLSX/JSON/Markdown and round trips."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import hmac
import io
import json
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.io import (
    district_rows,
    load_districts,
    load_enrollments,
    neutralise,
    pseudonym,
    record_rows,
    records_from_json,
    records_to_json,
    safe_path,
    to_csv,
    to_json,
    to_markdown,
    write_csv,
    write_xlsx,
)
from bhxh_campaign.io._cells import clean_text, mojibake
from bhxh_campaign.render import report_table
from bhxh_campaign.render.columns import COLUMNS
from bhxh_campaign.strategies import campaign_bundles, enrollment_records

KEY = b"a secret of 16+ bytes"


def records() -> list[bc.EnrollmentRecord]:
    return [
        bc.EnrollmentRecord(
            record_id='=HYPERLINK("http://x")',
            participant_id="0241234567",
            district_code="001",
            enrolled_on=dt.date(2023, 5, 18),
            commune_code="00001",
            payment_method="annual",
        ),
        bc.EnrollmentRecord(
            record_id="+1-2",
            participant_id="024195012345",
            district_code="221",
            enrolled_on=dt.date(2023, 5, 1),
        ),
        bc.EnrollmentRecord(
            record_id="@me",
            participant_id="2400000003",
            district_code="221",
            enrolled_on=dt.date(2023, 5, 2),
        ),
        bc.EnrollmentRecord(
            record_id="-5",
            participant_id="2400000004",
            district_code="221",
            enrolled_on=dt.date(2023, 5, 3),
        ),
        bc.EnrollmentRecord(
            record_id="'=x",
            participant_id="2400000005",
            district_code="221",
            enrolled_on=dt.date(2023, 5, 4),
        ),
    ]


class TestNeutralise:
    @pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=1"])
    def test_formula_like_is_prefixed(self, text: str) -> None:
        """Formula-like text gets one apostrophe."""
        assert neutralise(text) == "'" + text

    @given(st.text())
    def test_loader_undoes_it(self, text: str) -> None:
        """The CSV loader's cell cleaning gives back any text the loaders accept."""
        text = unicodedata.normalize("NFC", text.strip())
        if "\x00" in text or any("\udc80" <= c <= "\udcff" for c in text) or mojibake(text):
            return
        if text in {
            "#N/A",
            "#VALUE!",
            "#REF!",
            "#DIV/0!",
            "#NUM!",
            "#NAME?",
            "#NULL!",
            "#SPILL!",
            "#CALC!",
        }:
            return
        assert clean_text(neutralise(text)) == text


class TestRecordRows:
    def test_masked_by_default(self) -> None:
        """Participant ids are masked unless asked for."""
        rows = record_rows(records())
        assert rows[0]["participant_id"] == "******4567"
        assert "0241234567" not in to_csv(rows) + to_json(rows) + to_markdown(rows)

    def test_full_ids_when_asked(self) -> None:
        """ids='full' exports the raw ids."""
        assert record_rows(records(), ids="full")[1]["participant_id"] == "024195012345"

    def test_pseudonym_column(self) -> None:
        """ids='pseudonym' replaces the id column by a keyed pseudonym."""
        row = record_rows(records(), ids="pseudonym", key=KEY)[0]
        assert "participant_id" not in row
        assert row["participant_key"] == pseudonym("0241234567", key=KEY)

    def test_bad_options(self) -> None:
        """Unknown id modes and a pseudonym without a key are refused."""
        with pytest.raises(bc.InvalidValueError):
            record_rows(records(), ids="raw")  # type: ignore[arg-type]
        with pytest.raises(bc.InvalidValueError):
            record_rows(records(), ids="pseudonym")


class TestPseudonym:
    def test_keyed(self) -> None:
        """Another key gives another pseudonym; the id is not in it."""
        one = pseudonym("0241234567", key=KEY)
        assert one != pseudonym("0241234567", key=b"another key, 16 bytes")
        assert "0241234567" not in one

    def test_short_key_refused(self) -> None:
        """Keys under 16 bytes are refused."""
        with pytest.raises(bc.InvalidValueError, match="16 bytes"):
            pseudonym("0241234567", key=b"short")


class TestRoundTrip:
    def test_csv(self, tmp_path: Path) -> None:
        """load -> CSV -> load gives equal records: formula-like text, leading zeros."""
        path = tmp_path / "e.csv"
        write_csv(record_rows(records(), ids="full"), path)
        report = load_enrollments(path)
        assert report.ok
        assert list(report.records) == records()

    def test_xlsx(self, tmp_path: Path) -> None:
        """load -> XLSX -> load gives equal records; text cells are never formulas."""
        path = tmp_path / "e.xlsx"
        write_xlsx(record_rows(records(), ids="full"), path)
        report = load_enrollments(path)
        assert report.ok
        assert list(report.records) == records()
        sheet = openpyxl.load_workbook(path)["data"]
        assert sheet["A2"].data_type == "s"
        assert sheet["A2"].value == '=HYPERLINK("http://x")'

    def test_json(self, tmp_path: Path) -> None:
        """load -> JSON -> load gives equal records."""
        path = tmp_path / "e.json"
        path.write_text(to_json(record_rows(records(), ids="full")), encoding="utf-8")
        assert list(load_enrollments(path).records) == records()

    def test_records_json_file_and_json_lines(self, tmp_path: Path) -> None:
        """records_to_json written to .json, or as JSON Lines, loads back equal records."""
        text = records_to_json(records(), ids="full")
        path = tmp_path / "e.json"
        path.write_text(text, encoding="utf-8")
        lines = tmp_path / "e.jsonl"
        lines.write_text(
            "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in json.loads(text)),
            encoding="utf-8",
        )
        assert list(load_enrollments(path).records) == records()
        assert list(load_enrollments(lines).records) == records()

    def test_nfc_names(self, tmp_path: Path) -> None:
        """District names written from NFD input come back NFC, in every format."""
        name = unicodedata.normalize("NFD", "Yên Dũng")
        rows = [{"code": "221", "name": name, "kind": "huyen", "province_code": "24"}]
        for suffix in (".csv", ".xlsx"):
            path = tmp_path / f"d{suffix}"
            (write_csv if suffix == ".csv" else write_xlsx)(rows, path)
            assert load_districts(path).records[0].name == unicodedata.normalize("NFC", name)


unique_records = st.lists(
    enrollment_records(revisions=True), max_size=8, unique_by=lambda r: r.record_id
)


class TestRecordsToJson:
    @given(unique_records, st.sampled_from(["masked", "full", "pseudonym"]))
    def test_same_text_as_rows(self, recs: list[bc.EnrollmentRecord], ids: str) -> None:
        """records_to_json is the text of to_json(record_rows(...)), for every id mode."""
        mode: Any = ids
        assert records_to_json(recs, ids=mode, key=KEY) == to_json(
            record_rows(recs, ids=mode, key=KEY)
        )

    def test_schema(self) -> None:
        """One object per record, the model's fields in order, ISO days, values of enums."""
        data = json.loads(records_to_json(records()))
        assert list(data[0]) == [f.name for f in attrs.fields(bc.EnrollmentRecord)]
        assert data[0]["enrolled_on"] == "2023-05-18"
        assert data[0]["payment_method"] == "annual"
        assert data[1]["payment_method"] is None
        assert [d["participant_id"] for d in data[:2]] == ["******4567", "********2345"]

    def test_ids(self) -> None:
        """Ids are masked by default, raw when asked, or replaced by a keyed pseudonym."""
        masked = records_to_json(records())
        assert "0241234567" not in masked
        assert "024195012345" in records_to_json(records(), ids="full")
        keyed = json.loads(records_to_json(records(), ids="pseudonym", key=KEY))
        assert [list(d)[1] for d in keyed] == ["participant_key"] * len(keyed)
        assert keyed[0]["participant_key"] == pseudonym("0241234567", key=KEY)

    def test_bad_options(self) -> None:
        """Unknown id modes, a missing key and a short one are refused, even for no records."""
        with pytest.raises(bc.InvalidValueError, match="ids must be"):
            records_to_json([], ids="raw")  # type: ignore[arg-type]
        with pytest.raises(bc.InvalidValueError, match="needs a key"):
            records_to_json([], ids="pseudonym")
        with pytest.raises(bc.InvalidValueError, match="16 bytes"):
            records_to_json([], ids="pseudonym", key=b"short")


class TestRecordsFromJson:
    @given(unique_records)
    def test_round_trip(self, recs: list[bc.EnrollmentRecord]) -> None:
        """records -> JSON (full ids) -> records gives equal records, in order."""
        report = records_from_json(records_to_json(recs, ids="full"))
        assert report.ok
        assert list(report.records) == recs

    def test_goes_through_the_loader(self) -> None:
        """Masked ids and bad values are rejected rows with the loader's codes and lines."""
        text = records_to_json(records())
        report = records_from_json(text.encode("utf-8"), districts=["221"])
        assert report.path == "<json>"
        assert report.accepted == 0
        assert [(e.code, e.line, e.field) for e in report.rejected][:2] == [
            ("id_not_digits", 2, "participant_id"),
            ("id_not_digits", 12, "participant_id"),
        ]
        with pytest.raises(bc.LoadError) as info:
            records_from_json(text, strict=True)
        assert (info.value.code, info.value.line) == ("id_not_digits", 2)

    def test_not_json(self) -> None:
        """Text that is not a JSON list is a problem with the whole text."""
        report = records_from_json('{"record_id": "r1"}')
        assert [(e.code, e.line) for e in report.problems] == [("not_a_list", 1)]


class TestDistrictRows:
    def test_numbers_stay_numbers(self, example_report: bc.CampaignReport, tmp_path: Path) -> None:
        """In XLSX, counts and percents are numbers; names are text."""
        path = tmp_path / "r.xlsx"
        write_xlsx(district_rows(example_report), path)
        sheet = openpyxl.load_workbook(path)["data"]
        assert sheet["C2"].value == "Yên Dũng"
        assert sheet["D2"].value == 318
        assert sheet["F2"].value == 111.58
        assert sheet["F2"].data_type == sheet["G2"].data_type == "n"

    def test_json_and_markdown(self, example_report: bc.CampaignReport) -> None:
        """JSON keeps percents exact as strings; Markdown has one line per district."""
        rows = district_rows(example_report)
        data = json.loads(to_json(rows))
        assert data[0]["percent"] == "111.58"
        assert rows[0]["percent"] == Decimal("111.58")
        assert len(to_markdown(rows).splitlines()) == len(rows) + 2


class TestPlainCells:
    def test_enums_fractions_and_none(self) -> None:
        """CSV and Markdown cells show enums as values, fractions as text, None as empty."""
        row = {"k": bc.UnitKind.HUYEN, "f": Fraction(1, 3), "n": None}
        assert to_csv([row]) == "k,f,n\nhuyen,1/3,\n"
        assert to_markdown([row]).splitlines()[2] == "| huyen | 1/3 |  |"


class TestToMarkdown:
    def test_escapes(self) -> None:
        """Pipes, backslashes and line breaks cannot break the table."""
        text = to_markdown([{"a": "x|y\\", "b": "1\r\n2\n3"}])
        assert text.splitlines()[2] == "| x\\|y\\\\ | 1<br>2<br>3 |"


class TestSafePath:
    @pytest.mark.parametrize("name", ["../../etc/passwd", "/abs", "..", "a/../../b", "C:\\x"])
    def test_stays_inside(self, tmp_path: Path, name: str) -> None:
        """Paths built from unit names stay inside the folder."""
        path = safe_path(tmp_path, name, ".csv")
        assert path.resolve().parent == tmp_path.resolve()


class TestSafePathProperties:
    @given(st.text(max_size=40), st.sampled_from([".csv", ".xlsx", ".json", ".md"]))
    def test_any_name_stays_inside(self, name: str, suffix: str) -> None:
        """Whatever the unit's name, the path is a plain file directly inside the folder.

        The oracle is the definition: resolving the path gives the folder as its parent,
        the file name has no separator and keeps the suffix.
        """
        folder = Path("out")
        path = safe_path(folder, name, suffix)
        assert path.parent == folder
        assert path.resolve().parent == folder.resolve()
        assert path.name.endswith(suffix)
        assert "/" not in path.name
        assert "\\" not in path.name
        assert path.name not in {".", ".."}


class TestPseudonymProperties:
    @given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
    def test_a_keyed_function_of_the_id(self, one: str, other: str) -> None:
        """Equal ids give equal pseudonyms and different ids different ones.

        The oracle is HMAC-SHA-256 computed here, truncated to 32 hex digits.
        """
        expected = hmac.new(KEY, one.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        assert pseudonym(one, key=KEY) == expected
        assert (pseudonym(one, key=KEY) == pseudonym(other, key=KEY)) == (one == other)
        assert len(expected) == 32


# Column names as code gives them: plain words, Vietnamese letters, CSV's comma and quote.
EXPORT_COLUMNS = st.sampled_from(["code", "name", "n", "Tên đơn vị", "a b", "x,y", 'q"t'])
FORMULA_LIKE = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''=", "'-"]),
    st.text(max_size=8),
)
EXPORT_VALUES = st.one_of(
    st.none(),
    st.text(max_size=12),
    FORMULA_LIKE,
    st.integers(-(10**12), 10**12),
    st.floats(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.fractions(),
    st.dates(),
    st.sampled_from(bc.UnitKind),
    st.booleans(),
)


def first_seen_columns(rows: list[dict[str, object]]) -> list[str]:
    """Every column of the rows, in the order it first appears."""
    return list(dict.fromkeys(name for row in rows for name in row))


def shown(value: object) -> str:
    """The text a cell shows: None empty, days ISO, enums their values, fractions n/d."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Fraction):
        n, d = value.numerator, value.denominator
        return f"{n}/{d}" if d != 1 else str(n)
    return str(value)


class TestToMarkdownProperties:
    @given(
        st.lists(
            st.dictionaries(EXPORT_COLUMNS, EXPORT_VALUES, min_size=1, max_size=4),
            min_size=1,
            max_size=5,
        )
    )
    def test_one_line_per_row_and_cells_escaped(self, rows: list[dict[str, object]]) -> None:
        """A header, a separator and one line per row, every cell's text recoverable.

        Each line is read back by splitting at unescaped pipes and undoing backslash
        escapes; a cell gives back its text with each line break written ``<br>``.
        """
        columns = first_seen_columns(rows)

        def cells(line: str) -> list[str]:
            pieces, current, chars = [], "", iter(line)
            for char in chars:
                if char == "\\":
                    current += next(chars)
                elif char == "|":
                    pieces.append(current)
                    current = ""
                else:
                    current += char
            pieces.append(current)
            assert pieces[0] == pieces[-1] == ""
            middle = pieces[1:-1]
            assert all(p.startswith(" ") and p.endswith(" ") and len(p) >= 2 for p in middle)
            return [p[1:-1] for p in middle]

        def text(value: object) -> str:
            plain = shown(value)
            return plain.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")

        out = to_markdown(rows)
        assert out.endswith("\n")
        lines = out[:-1].split("\n")
        assert len(lines) == len(rows) + 2
        assert not any("\r" in line for line in lines)
        assert cells(lines[0]) == columns
        assert lines[1] == "|" + "---|" * len(columns)
        assert [cells(line) for line in lines[2:]] == [
            [text(row.get(name)) for name in columns] for row in rows
        ]


class TestDistrictRowsProperties:
    @given(campaign_bundles())
    def test_one_row_per_district_with_its_fields(self, bundle: bc.CampaignBundle) -> None:
        """One row per district of the report, in its order, keyed by the table's columns.

        The oracle reads each `DistrictProgress` with attrs: a column that shows a field
        holds that field's own value (``percent``: the rounded `Decimal`).
        """
        report = bundle.report()
        rows = district_rows(report)
        assert len(rows) == len(report.districts)
        for district, row in zip(report.districts, rows, strict=True):
            fields = attrs.asdict(district, recurse=False)
            assert list(row) == [column.name(report) for column in COLUMNS]
            for column in COLUMNS:
                if column.field is not None:
                    assert row[column.name(report)] == fields[column.field]

    @given(campaign_bundles())
    def test_same_csv_as_the_table(self, bundle: bc.CampaignBundle) -> None:
        """With its total row, the export's CSV is the CSV table (without notes), byte for byte."""
        report = bundle.report()
        table = report_table(report, "csv", notes=False)
        assert to_csv(district_rows(report, total=True)) == table


export_rows = st.lists(st.dictionaries(EXPORT_COLUMNS, EXPORT_VALUES, max_size=4), max_size=5)


def written_as_text(value: object) -> bool:
    """Whether the exporter writes the value as text (neutralised), not as a number."""
    if isinstance(value, enum.Enum):
        return isinstance(value.value, str)
    return value is None or isinstance(value, str | dt.date | Fraction)


class TestToCsvProperties:
    @given(export_rows)
    def test_parses_back_to_the_neutralised_cells(self, rows: list[dict[str, object]]) -> None:
        """Parsed with the stdlib reader: a header, then each row's cells in column order.

        The oracle is the documented rule, written here: None is empty, days ISO, enums
        their values, fractions ``n/d``; text whose first character after any leading
        apostrophes is ``= + - @``, a tab or a carriage return gets one more apostrophe,
        while numbers are written as they are.
        """
        columns = first_seen_columns(rows)

        def safe(text: str) -> str:
            return "'" + text if re.match(r"'*[=+\-@\t\r]", text) else text

        def cell(value: object) -> str:
            return safe(shown(value)) if written_as_text(value) else shown(value)

        header = [safe(name) for name in columns]
        expected = [header] + [[cell(row.get(name)) for name in columns] for row in rows]
        assert list(csv.reader(io.StringIO(to_csv(rows), newline=""))) == expected
