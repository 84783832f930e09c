"""Tests of `bhxh_campaign.io.codes`: one fixture file per error code, and the docs table."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bhxh_campaign.io import (
    ERROR_CODES,
    LoadReport,
    load_campaign,
    load_districts,
    load_enrollments,
)
from bhxh_campaign.io import load_targets as _load_targets

from .conftest import ROOT
from .fixtures.loaders import make_fixtures

FIXTURES = Path(__file__).parent / "fixtures" / "loaders"
DOCS = ROOT / "docs" / "reference" / "error-codes.md"

Found = list[tuple[str, int | None, str | None]]


def load_targets(path: Path, **options: Any) -> LoadReport[Any]:
    return _load_targets(path, campaign_id="c", **options)


def load_folder_records(path: Path, *, strict: bool = False) -> LoadReport[Any]:
    """The records' report of a campaign folder (strict: its first error raised)."""
    if strict:
        load_campaign(path)
        pytest.fail("no error")
    return load_campaign(path, strict=False).reports["enrollments.csv"]


# code -> (fixture file, loader, options, exact (code, line, field) list, rows_read)
CASES: dict[str, tuple[str, Callable[..., LoadReport[Any]], dict[str, Any], Found, int]] = {
    "file_not_found": (
        "file_not_found.csv",
        load_enrollments,
        {},
        [("file_not_found", None, None)],
        0,
    ),
    "empty_file": ("empty_file.csv", load_enrollments, {}, [("empty_file", 1, None)], 0),
    "bad_header": ("bad_header.csv", load_enrollments, {}, [("bad_header", 1, None)], 0),
    "unreadable_file": (
        "unreadable_file.xlsx",
        load_enrollments,
        {},
        [("unreadable_file", None, None)],
        0,
    ),
    "suspicious_archive": (
        "suspicious_archive.xlsx",
        load_enrollments,
        {},
        [("suspicious_archive", None, None)],
        0,
    ),
    "unknown_sheet": (
        "unknown_sheet.xlsx",
        load_enrollments,
        {"sheet": "Nope"},
        [("unknown_sheet", None, None)],
        0,
    ),
    "several_sheets": (
        "several_sheets.xlsx",
        load_enrollments,
        {},
        [("several_sheets", None, None)],
        0,
    ),
    "malformed_json": (
        "malformed_json.json",
        load_enrollments,
        {},
        [("malformed_json", 3, None)],
        0,
    ),
    "not_a_list": ("not_a_list.json", load_enrollments, {}, [("not_a_list", 1, None)], 0),
    "invalid_encoding": (
        "invalid_encoding.csv",
        load_enrollments,
        {},
        [("invalid_encoding", 3, None)],
        3,
    ),
    "nul_byte": ("nul_byte.csv", load_enrollments, {}, [("nul_byte", 3, "district_code")], 3),
    "mojibake": ("mojibake.csv", load_districts, {}, [("mojibake", 3, "name")], 2),
    "malformed_csv": ("malformed_csv.csv", load_enrollments, {}, [("malformed_csv", 3, None)], 3),
    "malformed_json_line": (
        "malformed_json_line.jsonl",
        load_enrollments,
        {},
        [("malformed_json_line", 3, None)],
        4,
    ),
    "too_few_cells": ("too_few_cells.csv", load_enrollments, {}, [("too_few_cells", 3, None)], 2),
    "too_many_cells": (
        "too_many_cells.csv",
        load_enrollments,
        {},
        [("too_many_cells", 2, None)],
        2,
    ),
    "not_an_object": ("not_an_object.json", load_enrollments, {}, [("not_an_object", 3, None)], 2),
    "missing_value": (
        "missing_value.csv",
        load_enrollments,
        {},
        [("missing_value", 3, "participant_id")],
        2,
    ),
    "wrong_type": ("wrong_type.json", load_enrollments, {}, [("wrong_type", 2, "enrolled_on")], 1),
    "formula_error": (
        "formula_error.csv",
        load_enrollments,
        {},
        [("formula_error", 3, "enrolled_on")],
        2,
    ),
    "bad_date": ("bad_date.csv", load_enrollments, {}, [("bad_date", 2, "enrolled_on")], 2),
    "impossible_date": (
        "impossible_date.csv",
        load_enrollments,
        {},
        [("impossible_date", 2, "enrolled_on"), ("impossible_date", 3, "enrolled_on")],
        3,
    ),
    "naive_timestamp": (
        "naive_timestamp.csv",
        load_enrollments,
        {},
        [("naive_timestamp", 2, "enrolled_on")],
        2,
    ),
    "excel_phantom_date": (
        "excel_phantom_date.xlsx",
        load_enrollments,
        {},
        [("excel_phantom_date", 2, "enrolled_on")],
        2,
    ),
    "id_not_digits": (
        "id_not_digits.csv",
        load_enrollments,
        {},
        [("id_not_digits", 2, "participant_id")],
        2,
    ),
    "id_wrong_length": (
        "id_wrong_length.csv",
        load_enrollments,
        {},
        [("id_wrong_length", 2, "participant_id")],
        2,
    ),
    "id_scientific_notation": (
        "id_scientific_notation.csv",
        load_enrollments,
        {},
        [("id_scientific_notation", 2, "participant_id")],
        2,
    ),
    "number_cell": (
        "number_cell.json",
        load_enrollments,
        {},
        [("number_cell", 2, "participant_id")],
        1,
    ),
    "bad_code": ("bad_code.csv", load_enrollments, {}, [("bad_code", 3, "district_code")], 2),
    "unknown_district": (
        "unknown_district.csv",
        load_enrollments,
        {"districts": ["221"]},
        [("unknown_district", 3, "district_code")],
        2,
    ),
    "unknown_value": (
        "unknown_value.csv",
        load_enrollments,
        {},
        [("unknown_value", 2, "payment_method")],
        3,
    ),
    "bad_number": (
        "bad_number.csv",
        load_targets,
        {},
        [("bad_number", 2, "target"), ("bad_number", 3, "target")],
        3,
    ),
    "ambiguous_number": (
        "ambiguous_number.csv",
        load_targets,
        {},
        [("ambiguous_number", 2, "target"), ("ambiguous_number", 3, "target")],
        3,
    ),
    "not_positive": ("not_positive.csv", load_targets, {}, [("not_positive", 2, "target")], 2),
    "duplicate_record_id": (
        "duplicate_record_id.csv",
        load_enrollments,
        {},
        [("duplicate_record_id", 5, "record_id")],
        4,
    ),
    "duplicate_unit": (
        "duplicate_unit.csv",
        load_districts,
        {},
        [("duplicate_unit", 4, "code")],
        3,
    ),
    "invalid_value": (
        "invalid_value.csv",
        load_districts,
        {},
        [("invalid_value", 2, "valid_to")],
        1,
    ),
    "month_first_date": (
        "month_first_date.csv",
        load_enrollments,
        {},
        [("month_first_date", 2, "enrolled_on")],
        2,
    ),
    "misnamed_file": (
        "misnamed_file",
        load_folder_records,
        {},
        [("misnamed_file", None, None)],
        0,
    ),
}


# branch hostile: issue 15, no traceback whatever the input
CASES.update(
    {
        "not_a_regular_file": (
            "not_a_regular_file.csv",
            load_enrollments,
            {},
            [("not_a_regular_file", None, None)],
            0,
        ),
        "unknown_encoding": (
            "unknown_encoding.csv",
            load_enrollments,
            {"encoding": "rot13"},
            [("unknown_encoding", None, None)],
            0,
        ),
        "not_finite": (
            "not_finite.json",
            load_enrollments,
            {},
            [("not_finite", 3, "enrolled_on")],
            2,
        ),
        "duplicate_key": (
            "duplicate_key.jsonl",
            load_enrollments,
            {},
            [("duplicate_key", 2, "record_id")],
            2,
        ),
        "lone_surrogate": (
            "lone_surrogate.json",
            load_enrollments,
            {},
            [("lone_surrogate", 2, "payment_method")],
            1,
        ),
        "control_character": (
            "control_character.csv",
            load_districts,
            {},
            [("control_character", 3, "name")],
            2,
        ),
        "formula_without_value": (
            "formula_without_value.xlsx",
            load_enrollments,
            {},
            [("formula_without_value", 3, "payment_method")],
            2,
        ),
    }
)


class TestFixturePerCode:
    @pytest.mark.parametrize("code", sorted(CASES))
    def test_exact_errors(self, code: str) -> None:
        """The code's fixture gives exactly the expected (code, line, field) list and counts."""
        name, load, options, expected, rows_read = CASES[code]
        report = load(FIXTURES / name, **options)
        assert [(e.code, e.line, e.field) for e in report.errors] == expected
        assert report.rows_read == rows_read
        assert report.rows_read == report.accepted + len(report.rejected) + report.blank

    @pytest.mark.parametrize("code", sorted(CASES))
    def test_strict_raises_the_first(self, code: str) -> None:
        """In strict mode the first error is a LoadError with the same line, field and code."""
        name, load, options, expected, _ = CASES[code]
        first_code, line, field = expected[0]
        with pytest.raises(Exception, match=re.escape(f"[{first_code}]")) as info:
            load(FIXTURES / name, strict=True, **options)
        assert type(info.value).__name__ == "LoadError"
        assert getattr(info.value, "line", "?") == line
        assert getattr(info.value, "field", "?") == field
        assert getattr(info.value, "code", "?") == first_code

    def test_every_code_has_a_case(self) -> None:
        """Every documented code has a fixture case, and there are at least 25."""
        assert set(CASES) == set(ERROR_CODES)
        assert len(ERROR_CODES) >= 25

    def test_fixtures_match_their_script(self) -> None:
        """The committed text fixtures are what make_fixtures.py writes."""
        for name, data in make_fixtures.TEXT.items():
            assert (FIXTURES / name).read_bytes() == data, name

    def test_messages_in_both_languages(self) -> None:
        """Every rejected row has an English and a Vietnamese message."""
        for name, load, options, _, _ in CASES.values():
            for error in load(FIXTURES / name, **options).errors:
                assert error.message
                assert error.message_vi.startswith(f"{error.field}: " if error.field else "")
                assert ERROR_CODES[error.code].vi in error.message_vi


class TestErrorCodes:
    def test_codes_are_snake_case(self) -> None:
        """Codes are stable snake_case names with a scope."""
        for code, entry in ERROR_CODES.items():
            assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code)
            assert entry.code == code
            assert entry.scope in {"file", "row"}

    def test_docs_table(self) -> None:
        """The docs table lists every code, in order, in both languages."""
        rows = re.findall(
            r"^\| `([a-z_]+)` \| (\w+) \| (.+) \| (.+) \|$", DOCS.read_text("utf-8"), re.M
        )
        assert [r[0] for r in rows] == list(ERROR_CODES)
        for code, scope, en, vi in rows:
            entry = ERROR_CODES[code]
            assert (scope, en.replace("\\|", "|"), vi.replace("\\|", "|")) == (
                entry.scope,
                entry.en,
                entry.vi,
            )
