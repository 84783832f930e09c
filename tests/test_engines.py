"""Tests of `bhxh_campaign.engines`: every engine gives the `DailyCounts` of the pure path."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bhxh_campaign import (
    Campaign,
    DailyCounts,
    EnrollmentRecord,
    InvalidValueError,
    LoadError,
    daily_counts,
)
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.engines import (
    AUTO_THRESHOLD,
    _choose,
    _common,
    _duckdb,
    _frame,
    auto_engine,
    daily_counts_duckdb,
    daily_counts_for,
    daily_counts_frame,
    daily_counts_records,
    last_data_day_for,
    records_file,
)
from bhxh_campaign.strategies import campaign_bundles

from .test_counting import as_grid, known_oracle, oracle

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bac_giang_2023"
BULLETIN_DAY = dt.date(2023, 5, 18)
HEADER = ("record_id", "participant_id", "district_code", "enrolled_on")
MAY = Campaign(
    id="may", name="May", scope="24", start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31)
)

Case = tuple[CampaignBundle, dt.date | None, list[str] | None]


@st.composite
def counted_bundles(draw: st.DrawFn) -> Case:
    """A bundle, an as-of day (None, inside, or after the campaign) and units (or None)."""
    bundle = draw(campaign_bundles())
    campaign = bundle.campaign
    as_of = draw(st.none() | st.dates(campaign.start, campaign.end + dt.timedelta(days=5)))
    units = draw(st.none() | st.just([d.code for d in bundle.districts]))
    return bundle, as_of, units


def columns(records: Iterable[EnrollmentRecord]) -> dict[str, list[str]]:
    """The four counted columns of the records, as text."""
    rows = [
        (r.record_id, r.participant_id, r.district_code, r.enrolled_on.isoformat()) for r in records
    ]
    return {name: [row[i] for row in rows] for i, name in enumerate(HEADER)}


def write_csv(path: Path, rows: Iterable[Iterable[str]]) -> Path:
    """Write a records CSV with the counted header."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def record_rows(records: Iterable[EnrollmentRecord]) -> list[tuple[str, str, str, str]]:
    """Records as CSV rows."""
    return [
        (r.record_id, r.participant_id, r.district_code, r.enrolled_on.isoformat()) for r in records
    ]


@contextmanager
def records_csv(records: Iterable[EnrollmentRecord]) -> Iterator[Path]:
    """A temporary CSV file holding the records."""
    with tempfile.TemporaryDirectory() as folder:
        yield write_csv(Path(folder) / "enrollments.csv", record_rows(records))


def frames(records: list[EnrollmentRecord]) -> dict[str, Any]:
    """The records as a frame of every backend narwhals serves here."""
    data = columns(records)
    schema = dict.fromkeys(HEADER, pl.String)
    return {
        "polars": pl.DataFrame(data, schema=schema),
        "polars-lazy": pl.DataFrame(data, schema=schema).lazy(),
        "pandas": pd.DataFrame(data, dtype="string"),
        "pyarrow": pa.table({name: pa.array(values, pa.string()) for name, values in data.items()}),
        "duckdb": duckdb.from_arrow(
            pa.table({name: pa.array(values, pa.string()) for name, values in data.items()})
        ),
    }


# Rows the folder loader refuses (an empty record id, a 9-digit or lettered participant id,
# a 2-digit unit code, a non-ISO or impossible day, no day): every engine refuses them too.
MALFORMED_ROWS = [
    ("", "0000000001", "001", "2023-05-02"),
    ("1", "000000001", "001", "2023-05-02"),
    ("1", "00000000x1", "001", "2023-05-02"),
    ("1", "0000000001", "01", "2023-05-02"),
    ("1", "0000000001", "001", "2023-5-2"),
    ("1", "0000000001", "001", "2023-02-30"),
    ("1", "0000000001", "001", ""),
]


class TestDailyCountsDuckdb:
    """`daily_counts_duckdb`: the pure rule, computed by DuckDB over a file or relation."""

    @given(counted_bundles())
    def test_csv_matches_python(self, case: Case) -> None:
        """On a CSV of the records, the DailyCounts equal the pure path's, tallies included."""
        bundle, as_of, units = case
        expected = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        with records_csv(bundle.records) as path:
            got = daily_counts_duckdb(path, bundle.campaign, as_of=as_of, units=units)
        assert got == expected

    @given(counted_bundles())
    def test_parquet_matches_python(self, case: Case) -> None:
        """On a Parquet file with a DATE column, the DailyCounts equal the pure path's."""
        bundle, as_of, units = case
        expected = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        data: dict[str, Any] = columns(bundle.records)
        data["enrolled_on"] = [r.enrolled_on for r in bundle.records]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "enrollments.parquet"
            pq.write_table(pa.table(data), path)
            got = daily_counts_duckdb(path, bundle.campaign, as_of=as_of, units=units)
        assert got == expected

    @given(counted_bundles(), st.data())
    def test_padded_cells_match_python(self, case: Case, data: st.DataObject) -> None:
        """Cells with surrounding space (which the loader strips) give the same counts.

        Padding sends the count off the fast path, to the exact query, which trims.
        """
        bundle, as_of, units = case
        expected = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        pads = st.sampled_from(["", " ", "  ", "\t"])
        rows = [
            tuple(data.draw(pads) + cell + data.draw(pads) for cell in row)
            for row in record_rows(bundle.records)
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = write_csv(Path(folder) / "enrollments.csv", rows)
            got = daily_counts_duckdb(path, bundle.campaign, as_of=as_of, units=units)
        assert got == expected

    def test_clean_input_takes_the_fast_path(
        self, example: CampaignBundle, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On clean input the exact (slower) query never runs."""

        def refuse(*args: object) -> str:
            raise AssertionError(args)

        monkeypatch.setattr(_duckdb, "_sql", refuse)
        units = [d.code for d in example.districts]
        got = daily_counts_duckdb(
            EXAMPLE / "enrollments.csv", example.campaign, as_of=BULLETIN_DAY, units=units
        )
        assert got == example.counts(BULLETIN_DAY)

    @pytest.mark.parametrize(
        ("row", "units"),
        [
            (("r 1", "0000000002", "001", "2023-05-02"), ["001"]),  # a space inside record_id
            (("Đ1", "0000000002", "001", "2023-05-02"), ["001"]),  # a record_id not ASCII
            (("r1", " 0000000002", "001", "2023-05-02"), ["001"]),  # a padded id
            (("r1", "0000000002", "001 ", "2023-05-02"), None),  # a padded code, no units
            (("r1", "0000000002", " 002", "2023-05-02"), ["001"]),  # a padded unknown code
            (("r1", "0000000002", "001", " 2023-05-02"), ["001"]),  # a padded day
        ],
    )
    def test_doubtful_cell_takes_the_exact_query(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        row: tuple[str, ...],
        units: list[str] | None,
    ) -> None:
        """A cell that is not plainly valid sends the count of a file to the exact path."""
        calls: list[object] = []
        exact = _common.exact_counts

        def spy(*args: Any, **kwargs: Any) -> DailyCounts:
            calls.append(args)
            return exact(*args, **kwargs)

        monkeypatch.setattr(_duckdb, "exact_counts", spy)
        path = write_csv(tmp_path / "r.csv", [("r0", "0000000001", "001", "2023-05-02"), row])
        got = daily_counts_duckdb(path, MAY, as_of=dt.date(2023, 5, 3), units=units)
        expected = daily_counts(
            [
                EnrollmentRecord("r0", "0000000001", "001", dt.date(2023, 5, 2)),
                EnrollmentRecord(row[0], row[1], row[2], dt.date(2023, 5, 2)),
            ],
            MAY,
            as_of=dt.date(2023, 5, 3),
            units=units,
        )
        assert len(calls) == 1
        assert got == expected

    @given(
        st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")),
        st.text(st.sampled_from([c for c in map(chr, range(0x3001)) if c.isspace()])),
    )
    def test_sql_strip_is_str_strip(self, text: str, pad: str) -> None:
        """The exact query strips every character `str.strip` strips, and no other."""
        with duckdb.connect() as connection:
            row = connection.execute(f"SELECT {_duckdb._strip('$1')}", [pad + text + pad])
            assert row.fetchall() == [((pad + text + pad).strip(),)]

    def test_relation_matches_python(self, example: CampaignBundle) -> None:
        """A DuckDB relation over the example's records gives the example's counts."""
        relation = duckdb.read_csv(str(EXAMPLE / "enrollments.csv"), all_varchar=True)
        units = [d.code for d in example.districts]
        got = daily_counts_duckdb(relation, example.campaign, as_of=BULLETIN_DAY, units=units)
        assert got == example.counts(BULLETIN_DAY)

    def test_bulletin_figures(self, example: CampaignBundle) -> None:
        """The example's CSV gives the bulletin's 1,928 and Yên Dũng's 318."""
        counts = daily_counts_duckdb(
            EXAMPLE / "enrollments.csv", example.campaign, as_of=BULLETIN_DAY
        )
        assert counts.total() == 1928
        assert counts.totals()["221"] == 318

    def test_leading_zeros_kept(self, tmp_path: Path) -> None:
        """Ids that differ only in leading zeros are different participants; codes keep zeros."""
        path = write_csv(
            tmp_path / "r.csv",
            [
                ("1", "0000000001", "001", "2023-05-02"),
                ("2", "000000000001", "001", "2023-05-02"),
                ("3", "0000000001", "002", "2023-05-03"),
            ],
        )
        counts = daily_counts_duckdb(path, MAY, units=["001", "002"])
        assert counts.totals() == {"001": 2, "002": 0}
        assert counts.excluded == {"repeat_participant": 1}

    def test_first_record_among_candidates_only(self, tmp_path: Path) -> None:
        """Excluded records never make the first record; ties go to the smaller record_id.

        One participant with a record before the start, one in an unknown district and one
        after the as-of day (all earlier or smaller than the counted one), then three
        candidates: the first is on 2 May with record_id "10" (before "7" as text).
        """
        path = write_csv(
            tmp_path / "r.csv",
            [
                ("1", "0000000001", "001", "2023-04-30"),
                ("3", "0000000001", "999", "2023-05-02"),
                ("2", "0000000001", "002", "2023-05-20"),
                ("7", "0000000001", "002", "2023-05-02"),
                ("6", "0000000001", "002", "2023-05-03"),
                ("10", "0000000001", "001", "2023-05-02"),
            ],
        )
        counts = daily_counts_duckdb(path, MAY, as_of=dt.date(2023, 5, 10), units=["001", "002"])
        assert counts.totals() == {"001": 1, "002": 0}
        assert counts.row("001")[1] == 1
        assert counts.excluded == {
            "before_start": 1,
            "unknown_district": 1,
            "after_as_of": 1,
            "repeat_participant": 2,
        }

    @pytest.mark.parametrize(
        "row",
        MALFORMED_ROWS,
    )
    def test_malformed_row_raises(self, tmp_path: Path, row: tuple[str, ...]) -> None:
        """A row the folder loader would refuse makes the count fail, naming its line."""
        path = write_csv(tmp_path / "r.csv", [("9", "0000000009", "001", "2023-05-02"), row])
        with pytest.raises(LoadError) as info:
            daily_counts_duckdb(path, MAY)
        assert (info.value.path, info.value.line) == (str(path), 3)

    def test_not_a_records_file_raises(self, tmp_path: Path) -> None:
        """A file that is neither CSV nor Parquet is refused."""
        path = tmp_path / "records.xlsx"
        path.write_bytes(b"")
        with pytest.raises(InvalidValueError, match=r"\.csv or \.parquet"):
            daily_counts_duckdb(path, MAY)

    def test_missing_file_raises(self, tmp_path: Path) -> None:
        """A file that does not exist is refused with its name."""
        with pytest.raises(InvalidValueError, match="no such file"):
            daily_counts_duckdb(tmp_path / "none.csv", MAY)

    def test_as_of_before_start_raises(self) -> None:
        """An as-of day before the campaign starts is refused, as by the pure path."""
        with pytest.raises(InvalidValueError, match="before the campaign starts"):
            daily_counts_duckdb(EXAMPLE / "enrollments.csv", MAY, as_of=dt.date(2023, 4, 1))

    def test_empty_file(self, tmp_path: Path) -> None:
        """A header-only file gives an all-zero grid over the units."""
        path = write_csv(tmp_path / "r.csv", [])
        counts = daily_counts_duckdb(path, MAY, as_of=dt.date(2023, 5, 2), units=["001"])
        assert counts == DailyCounts(start=MAY.start, end=dt.date(2023, 5, 2), grid={"001": [0, 0]})


class TestDailyCountsRecords:
    """`daily_counts_records`: the in-memory path, checked against the brute-force oracle.

    It is `daily_counts` under the engines' name; these tests compare it with the oracle
    of ``test_counting`` and with literal figures, never with `daily_counts` itself.
    """

    @given(counted_bundles(), st.data())
    def test_matches_oracle(self, case: Case, data: st.DataObject) -> None:
        """On any bundle, as-of day and units, in any order: the oracle's grid and tallies."""
        bundle, as_of, units = case
        records = data.draw(st.permutations(bundle.records), label="records")
        counts = daily_counts_records(records, bundle.campaign, as_of=as_of, units=units)
        grid, excluded = oracle(bundle.records, bundle.campaign, as_of, units)
        assert as_grid(counts) == grid
        assert counts.excluded == {reason: n for reason, n in excluded.items() if n}

    def test_as_of_before_start_raises(self) -> None:
        """An as-of day before the campaign starts is refused."""
        with pytest.raises(InvalidValueError, match="before the campaign starts"):
            daily_counts_records([], MAY, as_of=dt.date(2023, 4, 30))

    def test_every_exclusion(self) -> None:
        """One record of each exclusion is tallied under it, as by `daily_counts`."""
        day = dt.date(2023, 5, 10)
        records = [
            EnrollmentRecord(
                record_id=str(n), participant_id=pid, district_code=unit, enrolled_on=on
            )
            for n, (pid, unit, on) in enumerate(
                [
                    ("0000000001", "001", day),
                    ("0000000001", "001", day),
                    ("0000000002", "001", dt.date(2023, 4, 30)),
                    ("0000000003", "001", dt.date(2023, 6, 1)),
                    ("0000000004", "001", dt.date(2023, 5, 20)),
                    ("0000000005", "999", day),
                ]
            )
        ]
        got = daily_counts_records(records, MAY, as_of=dt.date(2023, 5, 15), units=["001"])
        assert got.totals() == {"001": 1}
        assert got.series("001")[day] == 1
        assert got.excluded == {
            "after_as_of": 1,
            "after_end": 1,
            "before_start": 1,
            "repeat_participant": 1,
            "unknown_district": 1,
        }

    @given(campaign_bundles(revisions=True))
    def test_cancelled_records_set_aside(self, bundle: CampaignBundle) -> None:
        """Cancelled records are set aside as `cancelled`, exactly as by `daily_counts`."""
        units = [d.code for d in bundle.districts]
        got = daily_counts_records(bundle.records, bundle.campaign, units=units)
        grid, excluded = known_oracle(bundle.records, bundle.campaign, None, units, None)
        assert as_grid(got) == grid
        assert got.excluded == {reason: n for reason, n in excluded.items() if n}
        cancelled = sum(
            r.cancelled_on is not None and bundle.campaign.contains(r.enrolled_on)
            for r in bundle.records
        )
        assert got.excluded.get("cancelled", 0) == cancelled


class TestAsDay:
    """`_common.as_day`: engines' day values to `datetime.date`."""

    def test_datetime_and_date(self) -> None:
        """A datetime gives its date; a date is kept."""
        assert _common.as_day(dt.datetime(2023, 5, 1, 13, tzinfo=dt.UTC)) == dt.date(2023, 5, 1)
        assert _common.as_day(dt.date(2023, 5, 1)) == dt.date(2023, 5, 1)

    def test_other_raises(self) -> None:
        """Anything else is a bug in an engine: TypeError."""
        with pytest.raises(TypeError, match="where a day was expected"):
            _common.as_day("2023-05-01")


class TestDailyCountsFrame:
    """`daily_counts_frame`: one narwhals implementation for every dataframe backend."""

    @given(counted_bundles())
    def test_every_backend_matches_python(self, case: Case) -> None:
        """polars, pandas, pyarrow and DuckDB frames all give the pure path's DailyCounts."""
        bundle, as_of, units = case
        expected = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        for name, frame in frames(list(bundle.records)).items():
            got = daily_counts_frame(frame, bundle.campaign, as_of=as_of, units=units)
            assert got == expected, name

    # narwhals warns that its Dask support will move to a separate package.
    @pytest.mark.dask
    @pytest.mark.filterwarnings("ignore:Dask support is moving:FutureWarning")
    @settings(max_examples=20)  # each Dask example computes several task graphs
    @given(counted_bundles(), st.integers(1, 4))
    def test_dask_matches_python(self, case: Case, partitions: int) -> None:
        """A Dask DataFrame, in any number of partitions, gives the pure path's DailyCounts."""
        bundle, as_of, units = case
        expected = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        frame = dd.from_pandas(  # type: ignore[no-untyped-call]
            pd.DataFrame(columns(bundle.records), dtype="string"), npartitions=partitions
        )
        got = daily_counts_frame(frame, bundle.campaign, as_of=as_of, units=units)
        assert got == expected
        days = [r.enrolled_on for r in bundle.records if bundle.campaign.contains(r.enrolled_on)]
        assert _frame.last_data_day_frame(frame, bundle.campaign) == max(days, default=None)

    def test_date_column(self, example: CampaignBundle) -> None:
        """A Date-typed enrolled_on column counts like its ISO text."""
        frame = pl.read_csv(EXAMPLE / "enrollments.csv", infer_schema=False).with_columns(
            pl.col("enrolled_on").str.to_date()
        )
        got = daily_counts_frame(frame, example.campaign, as_of=BULLETIN_DAY)
        assert got.total() == 1928

    def test_datetime_column_counts_its_day(self) -> None:
        """A datetime counts on its calendar day; an aware one on its day in Vietnam."""
        frame = pd.DataFrame(
            {
                "record_id": ["1", "2", "3"],
                "participant_id": ["0000000001", "0000000002", "0000000003"],
                "district_code": ["001", "001", "001"],
                "enrolled_on": pd.to_datetime(
                    ["2023-04-30 18:00", "2023-05-01 23:59", "2023-05-31 16:59"]
                ).tz_localize("UTC"),
            }
        )
        counts = daily_counts_frame(frame, MAY)
        # 2023-04-30 18:00 UTC is 01:00 on 1 May in Vietnam; 16:59 UTC on 31 May is 23:59.
        assert counts.series("001")[dt.date(2023, 5, 1)] == 1
        assert counts.series("001")[dt.date(2023, 5, 2)] == 1
        assert counts.series("001")[dt.date(2023, 5, 31)] == 1
        naive = pl.from_pandas(frame).with_columns(pl.col("enrolled_on").dt.replace_time_zone(None))
        counts = daily_counts_frame(naive, MAY)
        assert counts.total() == 2
        assert counts.excluded == {"before_start": 1}

    def test_missing_column_raises(self) -> None:
        """A frame without one of the four columns is refused, naming it."""
        frame = pl.DataFrame({"record_id": ["1"], "participant_id": ["0000000001"]})
        with pytest.raises(InvalidValueError, match="'district_code', 'enrolled_on'"):
            daily_counts_frame(frame, MAY)

    def test_malformed_row_raises(self) -> None:
        """A malformed participant id makes the count fail."""
        frame = pl.DataFrame(
            {
                "record_id": ["1"],
                "participant_id": ["12345"],
                "district_code": ["001"],
                "enrolled_on": ["2023-05-02"],
            }
        )
        with pytest.raises(InvalidValueError, match="1 row"):
            daily_counts_frame(frame, MAY)


class TestAutoEngine:
    """`auto_engine`: Python for small or in-memory data, a columnar engine for big files."""

    def test_bundle_is_python(self, example: CampaignBundle) -> None:
        """Records already in memory are counted in Python."""
        assert auto_engine(example) == "python"

    def test_small_folder_is_python(self) -> None:
        """The example's 170 kB of CSV is not worth importing DuckDB."""
        assert auto_engine(EXAMPLE) == "python"

    def test_big_file_without_pyarrow_is_duckdb(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pyarrow, a file over the threshold goes to DuckDB when it is installed."""
        monkeypatch.setattr(_choose, "AUTO_THRESHOLD", 1000)
        monkeypatch.setattr(_choose, "_installed", lambda name: name != "pyarrow")
        assert AUTO_THRESHOLD > 1000
        assert auto_engine(EXAMPLE) == "duckdb"

    def test_big_file_without_duckdb_is_polars(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pyarrow and DuckDB, a big file goes to polars."""
        monkeypatch.setattr(_choose, "AUTO_THRESHOLD", 1000)
        monkeypatch.setattr(_choose, "_installed", lambda name: name not in {"duckdb", "pyarrow"})
        assert auto_engine(EXAMPLE) == "polars"

    def test_parquet_without_engines_raises(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Parquet with neither DuckDB nor polars installed is refused, saying what to install."""
        monkeypatch.setattr(_choose, "_installed", lambda _name: False)
        with pytest.raises(InvalidValueError, match="needs DuckDB or polars"):
            auto_engine(tmp_path / "enrollments.parquet")


class TestRecordsFile:
    """`records_file`: where a folder keeps its records."""

    def test_parquet_preferred(self, tmp_path: Path) -> None:
        """A folder with enrollments.parquet is read from it."""
        (tmp_path / "enrollments.parquet").write_bytes(b"")
        assert records_file(tmp_path) == tmp_path / "enrollments.parquet"

    def test_csv_otherwise(self) -> None:
        """Otherwise enrollments.csv."""
        assert records_file(EXAMPLE) == EXAMPLE / "enrollments.csv"

    def test_file_as_is(self) -> None:
        """A file path is returned unchanged."""
        assert records_file(EXAMPLE / "x.csv") == EXAMPLE / "x.csv"


class TestDailyCountsFor:
    """`daily_counts_for`: the same DailyCounts whatever the engine."""

    @pytest.mark.parametrize("engine", ["python", "duckdb", "polars", "auto"])
    def test_engines_agree_on_example(self, example: CampaignBundle, engine: Any) -> None:
        """Every engine gives the example's counts."""
        units = [d.code for d in example.districts]
        got = daily_counts_for(
            EXAMPLE, example.campaign, engine=engine, as_of=BULLETIN_DAY, units=units
        )
        assert got == example.counts(BULLETIN_DAY)

    @pytest.mark.parametrize("engine", ["duckdb", "polars"])
    def test_parquet_folder(self, example: CampaignBundle, tmp_path: Path, engine: Any) -> None:
        """A folder holding enrollments.parquet is counted from it."""
        pq.write_table(pa.table(columns(example.records)), tmp_path / "enrollments.parquet")
        got = daily_counts_for(tmp_path, example.campaign, engine=engine, as_of=BULLETIN_DAY)
        assert got == daily_counts(example.records, example.campaign, as_of=BULLETIN_DAY)

    def test_bundle_counts_in_python(self, example: CampaignBundle) -> None:
        """A bundle is counted from its records, whatever engine is named."""
        got = daily_counts_for(example, example.campaign, engine="duckdb", as_of=BULLETIN_DAY)
        assert got == daily_counts(example.records, example.campaign, as_of=BULLETIN_DAY)

    def test_unknown_engine_raises(self, example: CampaignBundle) -> None:
        """An engine name not in the list is refused."""
        with pytest.raises(InvalidValueError, match="engine must be one of"):
            daily_counts_for(EXAMPLE, example.campaign, engine="spark")  # type: ignore[arg-type]

    @pytest.mark.parametrize(("engine", "extra"), [("duckdb", "duckdb"), ("polars", "polars")])
    def test_engine_not_installed_raises(
        self, monkeypatch: pytest.MonkeyPatch, engine: Any, extra: str
    ) -> None:
        """Asking for an engine that is not installed says which extra to install."""
        monkeypatch.setattr(_choose, "_installed", lambda _name: False)
        with pytest.raises(InvalidValueError, match=rf"bhxh-campaign\[{extra}\]"):
            daily_counts_for(EXAMPLE, MAY, engine=engine)

    def test_python_on_a_bare_file_raises(self, example: CampaignBundle) -> None:
        """The Python engine reads folders: a bare file is refused."""
        with pytest.raises(InvalidValueError, match="give its folder"):
            daily_counts_for(EXAMPLE / "enrollments.csv", example.campaign, engine="python")

    def test_polars_missing_file_raises(self, tmp_path: Path) -> None:
        """polars on a folder without records refuses, naming the file."""
        with pytest.raises(InvalidValueError, match="no such file"):
            daily_counts_for(tmp_path, MAY, engine="polars")


class TestLastDataDayFor:
    """`last_data_day_for`: the report's default day, without loading the records."""

    @pytest.mark.parametrize("engine", ["python", "duckdb", "polars", "auto"])
    def test_example(self, example: CampaignBundle, engine: Any) -> None:
        """Every engine finds the example's last day with data."""
        expected = example.last_data_day()
        assert last_data_day_for(EXAMPLE, example.campaign, engine=engine) == expected

    @given(campaign_bundles(), st.sampled_from(["duckdb", "polars"]))
    def test_matches_bundle(self, bundle: CampaignBundle, engine: Any) -> None:
        """On any bundle written to a folder, the engine's day is the bundle's, None included."""
        with records_csv(bundle.records) as path:
            got = last_data_day_for(path.parent, bundle.campaign, engine=engine)
        assert got == bundle.last_data_day()

    def test_pandas_frame_without_data_is_none(self) -> None:
        """A pandas frame with no record in the campaign gives None, not NaT."""
        frame = pd.DataFrame({"enrolled_on": ["2023-04-01"]}, dtype="string")
        assert _frame.last_data_day_frame(frame, MAY) is None

    def test_bundle(self, example: CampaignBundle) -> None:
        """A bundle answers from its records."""
        assert last_data_day_for(example, example.campaign) == dt.date(2023, 5, 31)

    def test_missing_file_raises(self, tmp_path: Path) -> None:
        """DuckDB on a folder without records refuses, naming the file."""
        with pytest.raises(InvalidValueError, match="no such file"):
            last_data_day_for(tmp_path, MAY, engine="duckdb")

    def test_unknown_engine_raises(self) -> None:
        """An engine name not in the list is refused."""
        with pytest.raises(InvalidValueError, match="engine must be one of"):
            last_data_day_for(EXAMPLE, MAY, engine="dask")  # type: ignore[arg-type]


class TestPublicNames:
    """`bhxh_campaign.engines.__all__`: sorted, and every name resolves."""

    def test_sorted_and_resolves(self) -> None:
        """The names are sorted, each is an attribute, and dir() lists exactly them."""
        from bhxh_campaign import engines  # noqa: PLC0415

        assert engines.__all__ == sorted(engines.__all__)
        assert all(hasattr(engines, name) for name in engines.__all__)
        assert dir(engines) == engines.__all__


class TestImportIsLazy:
    """Importing the library, engines included, imports no optional dependency."""

    def test_no_optional_import(self) -> None:
        """duckdb, polars, pandas, pyarrow, narwhals and pyspark stay unimported."""
        code = (
            "import sys, bhxh_campaign, bhxh_campaign.engines\n"
            "heavy = {'duckdb', 'polars', 'pandas', 'pyarrow', 'narwhals', 'pyspark'}\n"
            "print(sorted(heavy & set(sys.modules)))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"
