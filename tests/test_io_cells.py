"""Tests of the loaders' cell parsers, header matching and file checks (private helpers)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bhxh_campaign as bc
from bhxh_campaign.io import LoadReport, _cells, _pipeline, _readers, load_enrollments, to_json
from bhxh_campaign.io._cells import Bad, Context

from .conftest import EXAMPLE

HEADER = "record_id,participant_id,district_code,enrolled_on\n"


def parse_error(parser: _cells.Parser, value: object, context: Context | None = None) -> str:
    with pytest.raises(Bad) as info:
        parser(value, context or Context())
    return info.value.code


class TestNative:
    def test_numpy_and_pandas_scalars(self) -> None:
        """numpy and pandas scalars become plain values; NaN, NaT and NA become None."""
        assert _cells.native(np.int64(5)) == 5
        assert type(_cells.native(np.int64(5))) is int
        assert _cells.native(np.float64("nan")) is None
        assert _cells.native(pd.NaT) is None
        assert _cells.native(pd.NA) is None
        assert _cells.native(pd.Timestamp("2023-05-18")) == dt.datetime(2023, 5, 18)  # noqa: DTZ001


class TestCleanText:
    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("Y\x00ên", "nul_byte"),
            ("Y\udcffên", "invalid_encoding"),
            ("YÃªn", "mojibake"),
            ("#VALUE!", "formula_error"),
        ],
    )
    def test_refused(self, text: str, code: str) -> None:
        """NUL bytes, undecodable bytes, mojibake and spreadsheet errors are refused."""
        with pytest.raises(Bad) as info:
            _cells.clean_text(text)
        assert info.value.code == code

    def test_nfc_and_unquote(self) -> None:
        """Text is stripped and NFC; one apostrophe before formula-like text goes (CSV only)."""
        assert _cells.clean_text(" Yê\u0300n ") == "Yền"
        assert _cells.clean_text("'=1") == "=1"
        assert _cells.clean_text("'=1", unquote=False) == "'=1"
        assert _cells.clean_text("'Ầ=1") == "'Ầ=1"


class TestParsers:
    def test_text(self) -> None:
        """Numbers become text; booleans and lists are refused."""
        assert _cells.text(5, Context()) == "5"
        assert _cells.text(5.0, Context()) == "5"
        assert _cells.text(5.5, Context()) == "5.5"
        assert parse_error(_cells.text, True) == "wrong_type"
        assert parse_error(_cells.text, [1]) == "wrong_type"

    def test_code(self) -> None:
        """Codes must be text."""
        assert parse_error(_cells.code, 221) == "number_cell"
        assert parse_error(_cells.code, True) == "wrong_type"
        assert parse_error(_cells.code, None) == "wrong_type"

    def test_date_types(self) -> None:
        """Dates pass, serials need a workbook, other types are refused."""
        assert _cells.date(dt.date(2023, 5, 18), Context()) == dt.date(2023, 5, 18)
        assert parse_error(_cells.date, 45064) == "bad_date"
        assert _cells.date(45064.75, Context(epoch=1900)) == dt.date(2023, 5, 18)
        assert parse_error(_cells.date, 0, Context(epoch=1900)) == "bad_date"
        assert parse_error(_cells.date, True) == "wrong_type"
        assert parse_error(_cells.date, "2023-02-30T10:00:00+07:00") == "impossible_date"

    def test_whole(self) -> None:
        """Whole numbers from ints, integral floats and digits; the rest is refused."""
        assert _cells.whole(285, Context()) == 285
        assert _cells.whole(285.0, Context()) == 285
        assert parse_error(_cells.whole, 285.5) == "bad_number"
        assert parse_error(_cells.whole, True) == "wrong_type"

    def test_member(self) -> None:
        """Enum members pass, values match after folding, labels in Vietnamese too."""
        parse = _cells.member_of(bc.UnitKind)
        assert parse(bc.UnitKind.QUAN, Context()) is bc.UnitKind.QUAN
        assert parse("Thành phố", Context()) is bc.UnitKind.THANH_PHO
        assert parse_error(parse, 3) == "unknown_value"


class TestModelCode:
    @pytest.mark.parametrize(
        ("message", "field", "code"),
        [
            ("kind must be one of 'a', got 'b'", "kind", "unknown_value"),
            ("value must be a whole number above zero, got 0", "value", "not_positive"),
            ("code must be 3 digits, got '1'", "code", "bad_code"),
            ("participant_id must be digits only", "participant_id", "invalid_value"),
        ],
    )
    def test_codes(self, message: str, field: str, code: str) -> None:
        """Model errors map to the closest error code."""
        assert _pipeline._model_code(bc.InvalidValueError(message, field=field)) == code


class TestHeader:
    def test_repeated_column(self, tmp_path: Path) -> None:
        """Two headers for one field are reported as repeated."""
        path = tmp_path / "e.csv"
        path.write_text(
            "record_id,Mã hồ sơ,participant_id,district_code,enrolled_on\n", encoding="utf-8"
        )
        report = load_enrollments(path)
        assert "repeated 'Mã hồ sơ'" in report.problems[0].message
        assert "lặp 'Mã hồ sơ'" in report.problems[0].message_vi

    def test_undecodable_header(self, tmp_path: Path) -> None:
        """Bad bytes in the header are a file problem on line 1."""
        path = tmp_path / "e.csv"
        path.write_bytes(b"record_id\xff,x\n")
        assert [(e.code, e.line) for e in load_enrollments(path).problems] == [
            ("invalid_encoding", 1)
        ]


class TestFiles:
    def test_directory(self, tmp_path: Path) -> None:
        """A directory named like a CSV file is unreadable."""
        (tmp_path / "e.csv").mkdir()
        assert [e.code for e in load_enrollments(tmp_path / "e.csv").problems] == [
            "unreadable_file"
        ]

    def test_missing_workbook(self, tmp_path: Path) -> None:
        """A missing workbook is file_not_found."""
        assert [e.code for e in load_enrollments(tmp_path / "e.xlsx").problems] == [
            "file_not_found"
        ]

    def test_zip_that_is_no_workbook(self, tmp_path: Path) -> None:
        """A zip archive without a workbook inside is unreadable."""
        path = tmp_path / "e.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
        assert [e.code for e in load_enrollments(path).problems] == ["unreadable_file"]

    def test_too_large_unpacked(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An archive that unpacks past the limit is refused before parsing."""
        monkeypatch.setattr(_readers, "_ZIP_MAX_BYTES", 10)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.xml", "x" * 100)
        path = tmp_path / "e.xlsx"
        path.write_bytes(buffer.getvalue())
        report = load_enrollments(path)
        assert [e.code for e in report.problems] == ["suspicious_archive"]
        assert "unpacks to 100 bytes" in report.problems[0].message


class TestLoadReport:
    def test_counts_must_balance(self) -> None:
        """A report whose counts do not add up cannot be built."""
        with pytest.raises(bc.InvalidValueError, match="rows_read"):
            LoadReport(path="x", records=(), rejected=(), rows_read=1, blank=0)
        with pytest.raises(bc.InvalidValueError, match="counts"):
            LoadReport(path="x", records=(), rejected=(), rows_read=0, blank=-1)

    def test_where(self) -> None:
        """A row with neither line nor cell is nowhere in particular."""
        report = load_enrollments(EXAMPLE / "missing.csv")
        assert report.problems[0].where == ""


class TestPlainValues:
    def test_json_of_enums_and_fractions(self) -> None:
        """Enums become their values, fractions their text, None null."""
        assert (
            to_json([{"k": bc.UnitKind.HUYEN, "f": Fraction(1, 3), "n": None}])
            == '[\n  {\n    "k": "huyen",\n    "f": "1/3",\n    "n": null\n  }\n]\n'
        )
