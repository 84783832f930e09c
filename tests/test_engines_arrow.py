"""Tests of the arrow engine: `daily_counts_arrow` gives the `DailyCounts` of the pure path."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bhxh_campaign import Campaign, EnrollmentRecord, InvalidValueError, LoadError, daily_counts
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.engines import (
    _arrow,
    _choose,
    auto_engine,
    daily_counts_arrow,
    daily_counts_for,
    last_data_day_for,
)
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.strategies import campaign_bundles

from .test_engines import (
    EXAMPLE,
    HEADER,
    MALFORMED_ROWS,
    MAY,
    Case,
    counted_bundles,
    record_rows,
)

Row = Sequence[str]


def write(path: Path, rows: Sequence[Row], header: Sequence[str] = HEADER) -> Path:
    """Write a CSV file with ``header`` and ``rows``, as the csv module quotes them."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@contextmanager
def csv_file(rows: Sequence[Row], header: Sequence[str] = HEADER) -> Iterator[Path]:
    """A temporary records CSV."""
    with tempfile.TemporaryDirectory() as folder:
        yield write(Path(folder) / "enrollments.csv", rows, header)


@contextmanager
def exact_calls() -> Iterator[list[object]]:
    """Record each call of the exact path (the fast path could not judge the file)."""
    calls: list[object] = []
    exact = _arrow._exact

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return exact(*args, **kwargs)

    with mock.patch.object(_arrow, "_exact", spy):
        yield calls


def arrow_counts(path: Path, case: Case, *, fast: bool | None) -> Any:
    """The arrow engine's count of ``path``, checking whether it took the fast path."""
    bundle, as_of, units = case
    with exact_calls() as calls:
        got = daily_counts_arrow(path, bundle.campaign, as_of=as_of, units=units)
    if fast is not None:
        assert (not calls) is fast
    return got


def expected(case: Case, records: Sequence[EnrollmentRecord] | None = None) -> Any:
    """What `daily_counts` gives on the case's records (or on ``records``)."""
    bundle, as_of, units = case
    chosen = bundle.records if records is None else records
    return daily_counts(chosen, bundle.campaign, as_of=as_of, units=units)


# Record ids of any printable ASCII form but space (which the loader would strip), and not
# starting with # or ' (a spreadsheet error value, a neutralised formula: the exact path).
_RECORD_IDS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1).filter(
    lambda text: text[0] not in "#'"
)


@st.composite
def tied_records(draw: st.DrawFn) -> tuple[Case, list[EnrollmentRecord]]:
    """A counted bundle whose records get new ids, plus copies on the same day elsewhere.

    The copies tie with a participant's record on its day, in another of the campaign's
    units, so only the record ids (drawn of unequal lengths: "9" sorts after "10") decide
    where the participant counts.
    """
    case = draw(counted_bundles())
    bundle = case[0]
    codes = [d.code for d in bundle.districts]
    drawn = draw(st.lists(st.sampled_from(bundle.records), max_size=8)) if bundle.records else []
    copies = [attrs.evolve(r, district_code=draw(st.sampled_from(codes))) for r in drawn]
    records = [*bundle.records, *copies]
    ids = draw(st.lists(_RECORD_IDS, min_size=len(records), max_size=len(records), unique=True))
    renamed = [attrs.evolve(r, record_id=i) for r, i in zip(records, ids, strict=True)]
    return case, renamed


class TestFastPath:
    """Plain files are counted by pyarrow and numpy alone, exactly as by `daily_counts`."""

    @given(counted_bundles())
    def test_csv_matches_python(self, case: Case) -> None:
        """On a CSV of the records (district or commune level), the DailyCounts are equal."""
        with csv_file(record_rows(case[0].records)) as path:
            assert arrow_counts(path, case, fast=True) == expected(case)

    @given(tied_records())
    def test_ties_between_record_ids_of_unequal_length(
        self, drawn: tuple[Case, list[EnrollmentRecord]]
    ) -> None:
        """Records of a participant on one day are ordered by record id as text."""
        case, records = drawn
        with csv_file(record_rows(records)) as path:
            assert arrow_counts(path, case, fast=True) == expected(case, records)

    @given(counted_bundles(), st.booleans())
    def test_parquet_matches_python(self, case: Case, text_days: bool) -> None:
        """On a Parquet file, with enrolled_on a DATE or ISO text, the DailyCounts are equal."""
        rows = record_rows(case[0].records)
        data: dict[str, Any] = {name: [row[i] for row in rows] for i, name in enumerate(HEADER)}
        if not text_days:
            data["enrolled_on"] = [r.enrolled_on for r in case[0].records]
        schema = pa.schema(
            [(name, pa.string()) for name in HEADER[:3]]
            + [("enrolled_on", pa.string() if text_days else pa.date32())]
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "enrollments.parquet"
            pq.write_table(pa.table(data, schema=schema), path)
            assert arrow_counts(path, case, fast=True) == expected(case)

    @given(counted_bundles(), st.data())
    def test_padded_days_stay_fast(self, case: Case, data: st.DataObject) -> None:
        """Spaces around a day, which pyarrow and the loader both strip, change nothing."""
        pads = st.sampled_from(["", " ", "  "])
        rows = [
            (*row[:3], data.draw(pads) + row[3] + data.draw(pads))
            for row in record_rows(case[0].records)
        ]
        with csv_file(rows) as path:
            assert arrow_counts(path, case, fast=True) == expected(case)

    def test_ignored_columns_stay_fast(self, example: CampaignBundle) -> None:
        """The example's commune_code and payment_method columns are read past."""
        units = [d.code for d in example.districts]
        day = dt.date(2023, 5, 18)
        with exact_calls() as calls:
            got = daily_counts_arrow(
                EXAMPLE / "enrollments.csv", example.campaign, as_of=day, units=units
            )
        assert not calls
        assert got == example.counts(day)
        assert got.total() == 1928

    def test_twelve_digit_ids_never_meet_ten_digit_ones(self, tmp_path: Path) -> None:
        """'0000000001' and '000000000001' are two participants (one key each)."""
        path = write(
            tmp_path / "r.csv",
            [
                ("1", "0000000001", "001", "2023-05-02"),
                ("2", "000000000001", "001", "2023-05-02"),
                ("3", "1000000000", "001", "2023-05-02"),
                ("4", "001000000000", "001", "2023-05-02"),
            ],
        )
        counts = daily_counts_arrow(path, MAY, units=["001"])
        assert counts.totals() == {"001": 4}
        assert counts.excluded == {}

    def test_empty_file(self, tmp_path: Path) -> None:
        """A header-only file gives an all-zero grid over the units."""
        path = write(tmp_path / "r.csv", [])
        counts = daily_counts_arrow(path, MAY, as_of=dt.date(2023, 5, 2), units=["001"])
        assert counts.grid == (("001", (0, 0)),)


# Files the fast path cannot judge, each with its records as the loader reads them.
_PADDED = [("r1", " 0000000002", "001", "2023-05-02")]
_DOUBTFUL: dict[str, tuple[Sequence[str], Sequence[Row]]] = {
    "record id not ASCII": (HEADER, [("Đ1", "0000000002", "001", "2023-05-02")]),
    "space inside a record id": (HEADER, [("r 1", "0000000002", "001", "2023-05-02")]),
    "padded record id": (HEADER, [(" r1", "0000000002", "001", "2023-05-02")]),
    "padded participant id": (HEADER, _PADDED),
    "padded unit code": (HEADER, [("r1", "0000000002", "001 ", "2023-05-02")]),
    "carriage return in a record id": (HEADER, [("r\r1", "0000000002", "001", "2023-05-02")]),
    "newline in a record id": (HEADER, [("r\n1", "0000000002", "001", "2023-05-02")]),
    "a payment method not written as its code": (
        (*HEADER, "payment_method"),
        [("r1", "0000000002", "001", "2023-05-02", "Monthly")],
    ),
    "padded column name": (
        (" record_id", *HEADER[1:]),
        [("r1", "0000000002", "001", "2023-05-02")],
    ),
}


class TestFallback:
    """What the fast path cannot judge is counted exactly, or refused, as elsewhere."""

    @pytest.mark.parametrize("name", list(_DOUBTFUL))
    def test_doubtful_file_takes_the_exact_path(self, tmp_path: Path, name: str) -> None:
        """A cell or column the fast path cannot judge sends the file to the exact path."""
        header, rows = _DOUBTFUL[name]
        first = ("r0", "0000000001", "001", "2023-05-02")
        path = write(tmp_path / "r.csv", [first + tuple(rows[0][4:]), *rows], header)
        records = [
            EnrollmentRecord(row[0].strip(), row[1].strip(), row[2].strip(), dt.date(2023, 5, 2))
            for row in [first, *rows]
        ]
        case: Case = (
            CampaignBundle(campaign=MAY, districts=(), targets=(), records=()),
            dt.date(2023, 5, 3),
            ["001"],
        )
        assert arrow_counts(path, case, fast=False) == expected(case, records)

    @settings(max_examples=40)
    @given(counted_bundles(), st.data())
    def test_padded_cells_match_python(self, case: Case, data: st.DataObject) -> None:
        """Cells with surrounding space (stripped by the loader) give the same counts."""
        pads = st.sampled_from(["", " ", "\t"])
        rows = [
            tuple(data.draw(pads) + cell + data.draw(pads) for cell in row)
            for row in record_rows(case[0].records)
        ]
        with csv_file(rows) as path:
            assert arrow_counts(path, case, fast=None) == expected(case)

    @settings(max_examples=40)
    @given(counted_bundles(), st.sampled_from(["Đ", "ư", "é"]))
    def test_unicode_record_ids_match_python(self, case: Case, letter: str) -> None:
        """Record ids beyond ASCII are compared by the exact path, which normalises them."""
        records = [attrs.evolve(r, record_id=letter + r.record_id) for r in case[0].records]
        with csv_file(record_rows(records)) as path:
            got = arrow_counts(path, case, fast=None if not records else False)
        assert got == expected(case, records)

    def test_without_duckdb_the_loader_counts(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without DuckDB, the folder loader and `daily_counts` count a doubtful file."""
        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *a: None if name == "duckdb" else real(name, *a),
        )
        path = write(tmp_path / "r.csv", [("Đ1", "0000000002", "001", " 2023-05-02")])
        counts = daily_counts_arrow(path, MAY, units=["001"])
        assert counts.totals() == {"001": 1}

    @pytest.mark.parametrize(
        "row",
        MALFORMED_ROWS,
    )
    def test_malformed_row_raises(self, tmp_path: Path, row: tuple[str, ...]) -> None:
        """A row the folder loader would refuse makes the count fail, naming its line."""
        path = write(tmp_path / "r.csv", [("9", "0000000009", "001", "2023-05-02"), row])
        with pytest.raises(LoadError) as info:
            daily_counts_arrow(path, MAY)
        assert info.value.line == 3

    @pytest.mark.parametrize("column", ["cancelled_on", "recorded_on"])
    def test_cancellations_counted(self, tmp_path: Path, column: str) -> None:
        """A file with cancellations or late records is counted, no longer refused."""
        path = write(
            tmp_path / "r.csv", [("1", "0000000001", "001", "2023-05-02", "")], (*HEADER, column)
        )
        assert daily_counts_arrow(path, MAY).totals() == {"001": 1}

    def test_not_a_records_file_raises(self, tmp_path: Path) -> None:
        """A file that is neither CSV nor Parquet is refused."""
        path = tmp_path / "records.xlsx"
        path.write_bytes(b"")
        with pytest.raises(InvalidValueError, match=r"\.csv or \.parquet"):
            daily_counts_arrow(path, MAY)

    def test_missing_file_raises(self, tmp_path: Path) -> None:
        """A file that does not exist is refused with its name."""
        with pytest.raises(InvalidValueError, match="no such file"):
            daily_counts_arrow(tmp_path / "none.csv", MAY)

    def test_unit_of_another_level_raises(self, tmp_path: Path) -> None:
        """Units of another level than the campaign's are refused, as by `daily_counts`."""
        path = write(tmp_path / "r.csv", [])
        commune = "0" * UnitLevel.COMMUNE.code_length
        with pytest.raises(InvalidValueError, match="campaign cannot count it"):
            daily_counts_arrow(path, MAY, units=[commune])


class TestChoosing:
    """`auto` picks the arrow engine for big files; `daily_counts_for` runs it."""

    def test_big_file_is_arrow(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file over the threshold goes to the arrow engine when pyarrow is installed."""
        monkeypatch.setattr(_choose, "AUTO_THRESHOLD", 1000)
        assert auto_engine(EXAMPLE) == "arrow"

    def test_parquet_is_arrow(self, tmp_path: Path) -> None:
        """Any Parquet file goes to the arrow engine."""
        assert auto_engine(tmp_path / "enrollments.parquet") == "arrow"

    def test_counts_for_example(self, example: CampaignBundle) -> None:
        """`daily_counts_for(engine="arrow")` gives the example's counts and last day."""
        day = dt.date(2023, 5, 18)
        units = [d.code for d in example.districts]
        got = daily_counts_for(EXAMPLE, example.campaign, engine="arrow", as_of=day, units=units)
        assert got == example.counts(day)
        last = last_data_day_for(EXAMPLE, example.campaign, engine="arrow")
        assert last == example.last_data_day()

    @given(campaign_bundles())
    def test_last_data_day_matches_bundle(self, bundle: CampaignBundle) -> None:
        """On any bundle written to a folder, the arrow engine's last day is the bundle's."""
        with csv_file(record_rows(bundle.records)) as path:
            got = last_data_day_for(path.parent, bundle.campaign, engine="arrow")
        assert got == bundle.last_data_day()

    def test_not_installed_raises(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Asking for the arrow engine without pyarrow says which extra to install."""
        monkeypatch.setattr(_choose, "_installed", lambda _name: False)
        with pytest.raises(InvalidValueError, match=r"bhxh-campaign\[arrow\]"):
            daily_counts_for(EXAMPLE, MAY, engine="arrow")

    def test_campaign_is_campaign(self) -> None:
        """The MAY campaign of these tests is a district-level campaign."""
        assert isinstance(MAY, Campaign)
        assert MAY.level is UnitLevel.DISTRICT
