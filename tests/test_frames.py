"""Tests of `bhxh_campaign.frames`: the report's tables and daily counts as dataframes."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from fractions import Fraction
from typing import Any

import duckdb
import narwhals as nw
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.frames import BACKENDS, Table, counts_table, report_table
from bhxh_campaign.strategies import campaign_bundles, daily_counts_grids

from .conftest import ROOT

TABLES = ("units", "provinces", "total")


def rows_of(frame: Any) -> list[dict[str, Any]]:
    """A native frame's rows, as plain Python values (through narwhals)."""
    return nw.from_native(frame, eager_only=True).rows(named=True)  # type: ignore[no-any-return]


def plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with pandas' NaN (its null in a float column) turned into None, to compare."""
    return [
        {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
        for r in rows
    ]


class TestTable:
    def test_columns_of_one_length(self) -> None:
        """Columns of different lengths are refused."""
        with pytest.raises(bc.InvalidValueError, match="not of the same length"):
            Table("t", [("a", "int64"), ("b", "int64")], [(1, 2), (1,)])

    def test_one_name_per_column(self) -> None:
        """A column name given twice is refused, and so is a schema without its columns."""
        with pytest.raises(bc.InvalidValueError, match="a column name twice"):
            Table("t", [("a", "int64"), ("a", "int64")], [(1,), (2,)])
        with pytest.raises(bc.InvalidValueError, match="2 column names, 1 columns"):
            Table("t", [("a", "int64"), ("b", "int64")], [(1,)])

    def test_known_types_only(self) -> None:
        """A column type outside `ColumnType` is refused."""
        with pytest.raises(bc.InvalidValueError, match="type 'decimal'"):
            Table("t", [("a", "decimal")], [(1,)])  # type: ignore[list-item]

    def test_column_lookup(self) -> None:
        """`column` finds a column by name, and names the columns when it does not."""
        t = Table("t", [("a", "int64")], [(1, 2)])
        assert t.column("a") == (1, 2)
        with pytest.raises(bc.InvalidValueError, match="no column 'b' \\(columns: a\\)"):
            t.column("b")

    def test_empty_table_keeps_its_schema(self) -> None:
        """A table without rows has its columns and types in every backend."""
        t = Table("t", [("a", "int64"), ("d", "date")], [(), ()])
        assert len(t) == 0
        assert list(t) == []
        assert pl.DataFrame(t).schema == pl.Schema({"a": pl.Int64, "d": pl.Date})
        assert t.to_frame("polars").schema == pl.Schema({"a": pl.Int64, "d": pl.Date})
        assert t.to_frame("pyarrow").schema == pa.schema([("a", pa.int64()), ("d", pa.date32())])
        assert list(t.to_frame("pandas").columns) == ["a", "d"]

    def test_unknown_backend(self) -> None:
        """`to_frame` refuses a backend it does not build."""
        with pytest.raises(bc.InvalidValueError, match="backend must be one of"):
            Table("t", [], []).to_frame("dask")  # type: ignore[arg-type]

    def test_missing_library_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without narwhals or pyarrow, the error says which extra to install."""
        t = Table("t", [("a", "int64")], [(1,)])
        monkeypatch.setitem(sys.modules, "narwhals", None)
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        with pytest.raises(ModuleNotFoundError, match=r"pip install 'bhxh-campaign\[dataframes\]'"):
            t.to_frame("polars")
        with pytest.raises(ModuleNotFoundError, match=r"pip install 'bhxh-campaign\[arrow\]'"):
            pl.DataFrame(t)

    def test_pandas_integers_with_nulls_are_floats(self) -> None:
        """pandas has no null in int64: an int column with a null is float64 (NaN)."""
        t = Table("t", [("a", "int64"), ("b", "int64")], [(1, None), (1, 2)])
        df = t.to_frame("pandas")
        assert str(df["a"].dtype) == "float64"
        assert str(df["b"].dtype) == "int64"
        assert t.to_frame("polars")["a"].to_list() == [1, None]


class TestReportTables:
    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("name", TABLES)
    def test_to_frame_round_trips(
        self, example_report: bc.CampaignReport, backend: bc.frames.Backend, name: Any
    ) -> None:
        """Each table comes back from each backend's frame, value for value, typed alike."""
        table = example_report.table(name)
        frame = example_report.to_frame(backend, table=name)
        assert plain(rows_of(frame)) == list(table)
        assert nw.from_native(frame, eager_only=True).columns == list(table.names)

    @given(campaign_bundles(revisions=True), st.sampled_from(BACKENDS), st.sampled_from(TABLES))
    def test_any_report_round_trips(
        self, bundle: bc.CampaignBundle, backend: bc.frames.Backend, name: Any
    ) -> None:
        """Any report's tables (nulls, revisions, no unit done) come back from every backend."""
        report = bundle.report()
        assert plain(rows_of(report.to_frame(backend, table=name))) == list(report.table(name))

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_percent_is_a_float_column(
        self, example_report: bc.CampaignReport, backend: bc.frames.Backend
    ) -> None:
        """percent is float64 in every backend: a plot can use it."""
        frame = nw.from_native(example_report.to_frame(backend), eager_only=True)
        assert frame.schema["percent"] == nw.Float64
        assert frame.schema["actual"] == nw.Int64
        assert frame.schema["completed_on"] == nw.Date

    def test_exact_values_stay(self, example_report: bc.CampaignReport) -> None:
        """actual / target is each row's exact rate; percent its rounded figure."""
        df = example_report.to_frame("polars")
        for row, unit in zip(df.iter_rows(named=True), example_report.units, strict=True):
            assert Fraction(row["actual"], row["target"]) == unit.rate
            assert row["percent"] == float(unit.percent)
            assert row["rank"] == unit.rank_by_actual
            assert row["completed_on"] == unit.completed_on

    def test_bulletin_figures(self, example_report: bc.CampaignReport) -> None:
        """The bulletin's own figures of 18/05/2023, through pandas."""
        df = example_report.to_frame("pandas")
        total = example_report.to_frame("pandas", table="total")
        assert df.loc[df["code"] == "220", "percent"].item() == 112.67
        assert (total.loc[0, "actual"], total.loc[0, "target"], total.loc[0, "percent"]) == (
            1928,
            3285,
            58.69,
        )
        assert df["actual"].sum() == 1928

    def test_pandas_reads_the_capsule(self, example_report: bc.CampaignReport) -> None:
        """pd.DataFrame.from_arrow reads a table through the PyCapsule, percent numeric."""
        table = example_report.table()
        df = pd.DataFrame.from_arrow(table)  # type: ignore[attr-defined]  # pandas 3.0; no stub yet
        assert str(df["percent"].dtype) == "float64"
        assert df["percent"].tolist() == [float(u.percent) for u in example_report.units]
        assert df["code"].tolist() == [u.code for u in example_report.units]

    def test_pandas_constructor_reads_the_rows(self, example_report: bc.CampaignReport) -> None:
        """pd.DataFrame(table) reads its rows (pandas' constructor has no capsule path)."""
        df = pd.DataFrame(example_report.table())
        assert str(df["percent"].dtype) == "float64"
        assert str(df["actual"].dtype) == "int64"
        assert len(df) == len(example_report.units)

    def test_polars_and_duckdb_read_the_capsule(self, example_report: bc.CampaignReport) -> None:
        """pl.DataFrame(table) and DuckDB read a table directly, types kept."""
        table = example_report.table()
        df = pl.DataFrame(table)
        assert df.schema["percent"] == pl.Float64
        assert df.schema["completed_on"] == pl.Date
        assert df.rows(named=True) == list(table)
        con = duckdb.connect()
        con.register("league", table)
        assert con.sql("select sum(actual), max(percent) from league").fetchall() == [
            (1928, 112.67)
        ]

    def test_unknown_table(self, example_report: bc.CampaignReport) -> None:
        """A table name other than units, provinces or total is refused."""
        with pytest.raises(bc.InvalidValueError, match="table must be"):
            example_report.table("districts")  # type: ignore[arg-type]

    def test_reports_stack(self, example: bc.CampaignBundle) -> None:
        """Tables of several days stack into one frame, told apart by as_of."""
        days = [dt.date(2023, 5, d) for d in (10, 18)]
        frames = [example.report(day).to_frame("polars", table="total") for day in days]
        stacked = pl.concat(frames)
        assert stacked["as_of"].to_list() == days
        assert stacked["actual"].to_list() == [example.report(d).total.actual for d in days]

    @given(campaign_bundles(), st.sampled_from(TABLES))
    def test_columns_agree_with_the_rows(self, bundle: bc.CampaignBundle, name: Any) -> None:
        """Every table cell is its row's field, for any report."""
        report = bundle.report()
        table = report_table(
            name,
            as_of=report.as_of,
            units=report.units,
            provinces=report.provinces,
            total=report.total,
        )
        rows: Any = {"units": report.units, "provinces": report.provinces, "total": [report.total]}
        for cells, row in zip(table, rows[name], strict=True):
            assert cells["as_of"] == report.as_of
            assert cells["code"] == row.code
            assert (cells["actual"], cells["target"]) == (row.actual, row.target)
            assert cells["percent"] == float(row.percent)
            assert cells["remaining"] == row.pace.remaining
            required = row.pace.required_per_day
            assert cells["required_per_day"] == (None if required is None else float(required))
            assert cells["status"] == row.pace.status.value


class TestCountsTables:
    @given(daily_counts_grids())
    def test_long_is_every_unit_and_day(self, counts: bc.DailyCounts) -> None:
        """The long table is one row per unit and day, as a brute-force walk gives them."""
        oracle = [
            {"unit_code": unit, "day": day, "new": counts.series(unit)[day]}
            for unit in counts.units
            for day in counts.days
        ]
        assert list(counts.table("long")) == oracle
        assert counts.to_frame("polars").rows(named=True) == oracle

    @given(daily_counts_grids())
    def test_wide_is_every_day_with_a_column_per_unit(self, counts: bc.DailyCounts) -> None:
        """The wide table is one row per day, one column per unit, as a brute-force walk."""
        oracle = [
            {"day": day, **{unit: counts.series(unit)[day] for unit in counts.units}}
            for day in counts.days
        ]
        assert list(counts.table("wide")) == oracle
        assert rows_of(counts.to_frame("pandas", shape="wide")) == oracle
        assert pa.table(counts.table("wide")).to_pylist() == oracle

    @given(daily_counts_grids())
    def test_long_and_wide_hold_the_same_counts(self, counts: bc.DailyCounts) -> None:
        """Pivoting the long table gives the wide one; both add up to the total."""
        long = counts.to_frame("polars")
        assert long["new"].sum() == counts.total()
        wide = counts.to_frame("polars", shape="wide")
        assert sum(wide[unit].sum() for unit in counts.units) == counts.total()
        if counts.units:
            pivoted = long.pivot("unit_code", index="day", values="new").sort("day")
            assert pivoted.select(wide.columns).equals(wide)

    def test_unknown_shape(self) -> None:
        """A shape other than long or wide is refused."""
        with pytest.raises(bc.InvalidValueError, match="shape must be"):
            counts_table(dt.date(2023, 5, 1), dt.date(2023, 5, 1), [], "tall")  # type: ignore[arg-type]

    def test_duckdb_reads_the_counts(self, example: bc.CampaignBundle) -> None:
        """DuckDB reads the long table directly: a week's counts by SQL."""
        con = duckdb.connect()
        con.register("daily", example.counts(dt.date(2023, 5, 18)).table())
        week = con.sql("select sum(new) from daily where day between '2023-05-12' and '2023-05-18'")
        assert week.fetchall() == [(1074,)]


class TestCoreStaysLight:
    def test_tables_need_no_dataframe_library(self) -> None:
        """Building a table imports none of pandas, polars, pyarrow, narwhals or numpy."""
        code = (
            "import datetime as dt, sys\n"
            "import bhxh_campaign as bc\n"
            "r = bc.load_campaign('examples/bac_giang_2023').report(dt.date(2023, 5, 18))\n"
            "t = r.table(); list(t); r.table('total').to_dict()\n"
            "bc.load_campaign('examples/bac_giang_2023').counts().table('wide').to_dict()\n"
            "heavy = {'pandas', 'polars', 'pyarrow', 'narwhals', 'numpy'} & set(sys.modules)\n"
            "print(sorted(heavy))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"
