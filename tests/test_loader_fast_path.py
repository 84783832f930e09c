"""Tests of `bhxh_campaign.io._fast`: the loader's fast path decides exactly as the slow path.

The fast path builds a record without attrs' checks, so it must never accept a row the
slow path refuses, nor build a different record. The differential tests load the same
file twice, with the fast path and without it, and compare the whole `LoadReport`: the
same records, the same rejected rows with the same code, line, field, value and messages.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign.io import _fast, iter_enrollments, load_enrollments
from bhxh_campaign.io.load_report import LoadReport
from bhxh_campaign.model import EnrollmentRecord

from .conftest import ROOT

UNITS = ("213", "215", "221", "07600")
HEADINGS: dict[str, tuple[str, ...]] = {
    "record_id": ("record_id", "Mã hồ sơ", "MA HO SO"),
    "participant_id": ("participant_id", "Mã số BHXH", "số CCCD"),
    "district_code": ("district_code", "Mã huyện"),
    "enrolled_on": ("enrolled_on", "Ngày tham gia"),
    "commune_code": ("commune_code", "Mã xã"),
    "payment_method": ("payment_method", "Phương thức đóng"),
    "recorded_on": ("recorded_on", "Ngày ghi nhận"),
    "cancelled_on": ("cancelled_on", "Ngày hủy"),
}
REQUIRED = ("record_id", "participant_id", "district_code", "enrolled_on")
OPTIONAL = ("commune_code", "payment_method", "recorded_on", "cancelled_on")
UNUSED = ("STT", "Họ và tên", "")

# Values each column takes: first those the fast path takes, then others (the slow path
# refuses them, or accepts them only after cleaning).
CELLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "record_id": (
        ("r1", "r2", "R-10", "BG-2023-000001", "9", "a b", "x'y", "r#1", 'r"'),
        ("á0", "r\u0301", "#r1", "'r1", "-", ""),
    ),
    "participant_id": (
        ("2400000001", "240000000003", "2400000002", "0000000000"),
        ("24000001", "24000000001", "２４００００００01", "2.4E+09", "24000000x1", "٢٤٠٠٠٠٠٠٠١"),
    ),
    "district_code": (
        ("213", "215", "221", "07600"),
        ("999", "21", "2210", "x", "٢٢١", "22 1"),
    ),
    "enrolled_on": (
        ("2023-05-18", "18/05/2023", "8/5/2023", "18-05-2023", "18.05.2023", "2023-05-01"),
        (
            "05/18/2023",
            "2023-02-30",
            "30/02/2023",
            "2023-05-18T20:00:00Z",
            "2023-05-18T10:00:00",
            "2023-05-18 00:00",
            "45000",
            "2023-5-8",
        ),
    ),
    "commune_code": (("07600", "12345"), ("7600", "x", "076000")),
    "payment_method": (
        ("monthly", "Monthly", "hằng tháng", "Hang thang", "một lần", "3 tháng"),
        ("weekly", "lump sum", "1"),
    ),
    "recorded_on": (("2023-05-18", "2023-05-20", "20/05/2023"), ("2023-05-17", "x")),
    "cancelled_on": (("2023-05-25", "25/05/2023"), ("2023-05-10", "2023-05-19")),
}

# What turns a value into one that takes the fast path's edges: white space and controls
# that `str.strip` removes, formula marks, NUL, mojibake, decomposed letters, line breaks.
MUTATIONS: tuple[Callable[[str], str], ...] = (
    lambda v: f" {v}",
    lambda v: f"{v} ",
    lambda v: f"{v}\t",
    lambda v: f"{v}\x1f",
    lambda v: f"\xa0{v}",
    lambda v: f"'{v}",
    lambda v: f"'={v}",
    lambda v: f"#{v}",
    lambda _: "#N/A",
    lambda v: f"{v}\x00",
    lambda v: f"{v}\x1b",
    lambda v: f"Ã¡{v}",
    lambda v: unicodedata.normalize("NFD", f"ấ{v}"),
    lambda v: f"{v}\n",
    lambda v: f"{v}\r\nx",
    lambda _: "",
    lambda _: "   ",
)


@st.composite
def cells(draw: st.DrawFn, field: str) -> str:
    """A cell of ``field``: usually one the fast path takes, sometimes not, or mutated."""
    good, other = CELLS[field]
    value = draw(st.sampled_from(good if draw(st.integers(0, 3)) else other))
    if field == "record_id" and not draw(st.integers(0, 3)):
        value = draw(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1))
    if draw(st.integers(0, 11)) == 0:
        value = draw(st.sampled_from(MUTATIONS))(value)
    if field in OPTIONAL and draw(st.integers(0, 3)) == 0:
        value = ""
    return value


@st.composite
def enrollment_rows(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header (aliases, optional and unused columns, any order) and up to 15 rows."""
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    unused = draw(st.lists(st.sampled_from(UNUSED), unique=True, max_size=2))
    fields = draw(st.permutations([*REQUIRED, *optional, *unused]))
    header = [draw(st.sampled_from(HEADINGS[f])) if f in HEADINGS else f for f in fields]
    rows = []
    for _ in range(draw(st.integers(0, 15))):
        row = [draw(cells(f)) if f in HEADINGS else "x\x00" for f in fields]
        shape = draw(st.sampled_from(["same"] * 10 + ["short", "extra", "blank", "commas"]))
        if shape == "short":
            row.pop()
        elif shape == "extra":
            row.append("zz")
        elif shape == "blank":
            row = []
        elif shape == "commas":
            row = [""] * len(row)
        rows.append(row)
    return header, rows


@contextlib.contextmanager
def slow_path_only() -> Iterator[None]:
    """Load with the slow path alone: no file has a fast path."""
    with mock.patch.object(_fast, "row_builder", return_value=None):
        yield


@contextlib.contextmanager
def counted() -> Iterator[list[int]]:
    """Count the records the fast path builds (the slow path builds the rest)."""
    built = [0]
    real = _fast.row_builder

    def builder(*args: Any, **kwargs: Any) -> _fast.RowBuilder | None:
        build = real(*args, **kwargs)
        if build is None:
            return None

        def counting(cells: Sequence[object]) -> EnrollmentRecord | None:
            record = build(cells)
            built[0] += record is not None
            return record

        return counting

    with mock.patch.object(_fast, "row_builder", builder):
        yield built


def both(source: object, **options: Any) -> tuple[LoadReport[EnrollmentRecord], ...]:
    """The report of the loader with its fast path, then without it."""
    fast = load_enrollments(source, **options)
    with slow_path_only():
        slow = load_enrollments(source, **options)
    return fast, slow


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, title: bool) -> Path:
    """Write the rows with the csv module (cells with line breaks or quotes are quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if title:
        writer.writerow(["DANH SÁCH NGƯỜI THAM GIA BHXH TỰ NGUYỆN"])
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def assert_same(fast: LoadReport[EnrollmentRecord], slow: LoadReport[EnrollmentRecord]) -> None:
    """The two reports are equal, field by field, and so are their records' types."""
    assert fast.rejected == slow.rejected
    assert fast.problems == slow.problems
    assert fast.records == slow.records
    for mine, theirs in zip(fast.records, slow.records, strict=True):
        assert attrs.astuple(mine, recurse=False) == attrs.astuple(theirs, recurse=False)
        assert [type(v) for v in attrs.astuple(mine, recurse=False)] == [
            type(v) for v in attrs.astuple(theirs, recurse=False)
        ]
    assert fast == slow


class TestSameReport:
    @given(
        enrollment_rows(),
        st.booleans(),
        st.sampled_from([None, UNITS]),
        st.booleans(),
    )
    def test_messy_csv(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        drawn: tuple[list[str], list[list[str]]],
        title: bool,
        districts: tuple[str, ...] | None,
        day_first: bool,
    ) -> None:
        """On messy CSV rows the fast path's report equals the slow path's, row for row."""
        header, rows = drawn
        path = write_csv(tmp_path_factory.mktemp("csv") / "e.csv", header, rows, title=title)
        assert_same(*both(path, districts=districts, day_first=day_first))

    @given(enrollment_rows(), st.sampled_from([None, UNITS]), st.data())
    def test_messy_json(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        drawn: tuple[list[str], list[list[str]]],
        districts: tuple[str, ...] | None,
        data: st.DataObject,
    ) -> None:
        """On JSON objects, whose values may be numbers, null or lists, too."""
        header, rows = drawn
        natives: st.SearchStrategy[object] = st.sampled_from(
            [221, 221.0, True, None, [], "221", 2400000001, 45000.5]
        )
        objects = []
        for row in rows:
            values: list[object] = list(row)
            for index in range(len(values)):
                if data.draw(st.integers(0, 9)) == 0:
                    values[index] = data.draw(natives)
            objects.append(dict(zip(header, values, strict=False)))
        path = tmp_path_factory.mktemp("json") / "e.json"
        path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
        assert_same(*both(path, districts=districts))

    @given(enrollment_rows(), st.sampled_from([None, UNITS]), st.booleans())
    def test_messy_dataframe(
        self,
        drawn: tuple[list[str], list[list[str]]],
        districts: tuple[str, ...] | None,
        numbers: bool,
    ) -> None:
        """On a pandas dataframe (text, or numbers where pandas reads them), too."""
        pd = pytest.importorskip("pandas")
        header, rows = drawn
        width = len(header)
        body = [(row + [""] * width)[:width] for row in rows]
        frame = pd.DataFrame(body, columns=header, dtype=object)
        for index in range(width) if numbers else ():
            with contextlib.suppress(ValueError, TypeError):
                frame.iloc[:, index] = pd.to_numeric(frame.iloc[:, index])
        assert_same(*both(frame, districts=districts))

    @given(enrollment_rows())
    def test_streamed(
        self, tmp_path_factory: pytest.TempPathFactory, drawn: tuple[list[str], list[list[str]]]
    ) -> None:
        """`iter_enrollments` yields the same items either way."""
        header, rows = drawn
        path = write_csv(tmp_path_factory.mktemp("csv") / "e.csv", header, rows, title=False)
        fast = list(iter_enrollments(path))
        with slow_path_only():
            slow = list(iter_enrollments(path))
        assert fast == slow

    @pytest.mark.parametrize(
        "path",
        sorted(
            p
            for p in (ROOT / "tests" / "fixtures").rglob("*")
            if p.suffix in {".csv", ".json", ".jsonl", ".xlsx"}
        )
        + sorted((ROOT / "examples").rglob("enrollments.*")),
        ids=lambda p: str(p.relative_to(ROOT)),
    )
    def test_fixtures_and_examples(self, path: Path) -> None:
        """Every fixture and example file gives the same report either way."""
        assert_same(*both(path))

    def test_small_memo(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A column with more texts than the memo holds still gives the same report."""
        monkeypatch.setattr(_fast, "MEMO_SIZE", 2)
        rows = [
            [f"r{n}", "2400000001", "221", f"{1 + n % 28:02d}/05/2023", "", "monthly"]
            for n in range(200)
        ]
        header = [*REQUIRED, "cancelled_on", "payment_method"]
        path = write_csv(tmp_path / "e.csv", header, rows, title=False)
        with counted() as built:
            fast, slow = both(path)
        assert built == [200]
        assert_same(fast, slow)


class TestTaken:
    def test_example_takes_the_fast_path(self) -> None:
        """Every row of the bundled example is built by the fast path."""
        path = ROOT / "examples" / "bac_giang_2023" / "enrollments.csv"
        with counted() as built:
            report = load_enrollments(path)
        assert built == [report.accepted] == [3091]

    def test_repeats_found_on_the_fast_path(self, tmp_path: Path) -> None:
        """A repeated record id built by the fast path is refused with the first line."""
        rows = [["r1", "2400000001", "221", "2023-05-18"]] * 3
        path = write_csv(tmp_path / "e.csv", list(REQUIRED), rows, title=False)
        with counted() as built:
            report = load_enrollments(path)
        assert built == [3]
        assert [(r.code, r.line, r.message) for r in report.rejected] == [
            ("duplicate_record_id", 3, "record_id 'r1' repeats line 2"),
            ("duplicate_record_id", 4, "record_id 'r1' repeats line 2"),
        ]

    def test_late_cancellation_checked(self, tmp_path: Path) -> None:
        """The fast path runs the checks across fields: a cancellation before the record."""
        rows = [
            ["r1", "2400000001", "221", "2023-05-18", "2023-05-20", "2023-05-19"],
            ["r2", "2400000002", "221", "2023-05-18", "2023-05-20", "2023-05-21"],
        ]
        header = [*REQUIRED, "recorded_on", "cancelled_on"]
        path = write_csv(tmp_path / "e.csv", header, rows, title=False)
        with counted() as built:
            report = load_enrollments(path)
        assert built == [1]
        assert [(r.code, r.line, r.field) for r in report.rejected] == [
            ("invalid_value", 2, "cancelled_on")
        ]
        assert [r.record_id for r in report.records] == ["r2"]


class TestGuard:
    def test_fields_are_those_of_the_model(self) -> None:
        """The fast path builds every field of `EnrollmentRecord`, in its order."""
        assert tuple(a.name for a in attrs.fields(EnrollmentRecord)) == _fast._FIELDS

    def test_validators_reviewed(self) -> None:
        """The model's validators are those the fast path was written for.

        If this fails, a validator changed: check which read another field (they belong
        in ``_fast._CROSS_FIELD``), then bring this list up to date.
        """

        def names(validator: object) -> list[str]:
            inner = getattr(validator, "_validators", None)
            if inner is not None:
                return [n for v in inner for n in names(v)]
            check = getattr(validator, "__qualname__", type(validator).__qualname__)
            return [check]

        found = {a.name: names(a.validator) for a in attrs.fields(EnrollmentRecord)}
        assert found == {
            "record_id": ["is_text"],
            "participant_id": ["_participant_id"],
            "district_code": ["is_text", "_record_unit"],
            "enrolled_on": ["is_date"],
            "commune_code": ["_optional_commune"],
            "payment_method": ["is_member.<locals>.check"],
            "recorded_on": ["is_optional_date", "_recorded_after_enrolled"],
            "cancelled_on": ["is_optional_date", "_cancelled_after_recorded"],
        }
