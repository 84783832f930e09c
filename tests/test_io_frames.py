"""Tests of the dataframe loaders: pandas, polars, pyarrow and DuckDB through narwhals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import bhxh_campaign as bc
from bhxh_campaign.io import load_enrollments, load_targets

DATA: dict[str, list[Any]] = {
    "Mã hồ sơ": ["r1", "r2", "r3", None],
    "Mã số BHXH": ["0241234567", "1.09001E+11", "0241234569", None],
    "Mã huyện": ["221", "221", "221", None],
    "Ngày tham gia": [dt.date(2023, 5, 18), dt.date(2023, 5, 19), None, None],
}
EXPECTED = [("id_scientific_notation", 3, "participant_id"), ("missing_value", 4, "enrolled_on")]


def frames() -> list[object]:
    return [pd.DataFrame(DATA), pl.DataFrame(DATA), pa.table(DATA)]


class TestLoadEnrollmentsFrames:
    @pytest.mark.parametrize("frame", frames(), ids=["pandas", "polars", "pyarrow"])
    def test_eager_frames(self, frame: object) -> None:
        """Each library's frame gives the same records and rejected rows."""
        report = load_enrollments(frame)
        assert [(e.code, e.line, e.field) for e in report.rejected] == EXPECTED
        assert [r.participant_id for r in report.records] == ["0241234567"]
        assert (report.rows_read, report.blank) == (4, 1)

    def test_duckdb_relation(self) -> None:
        """A DuckDB relation is read (collected) like a frame."""
        relation = duckdb.sql(
            "select 'r1' as record_id, '0241234567' as participant_id,"
            " '221' as district_code, timestamptz '2023-05-18 20:00:00+00' as enrolled_on"
        )
        report = load_enrollments(relation)
        assert [r.enrolled_on for r in report.records] == [dt.date(2023, 5, 19)]

    def test_pandas_timestamps_and_numbers(self) -> None:
        """Pandas timestamps give days; an integer id column is refused, not fixed."""
        frame = pd.DataFrame(
            {
                "record_id": ["r1", "r2"],
                "participant_id": [2412345678, 2412345679],
                "district_code": ["221", "221"],
                "enrolled_on": pd.to_datetime(pd.Series(["2023-05-18", None])),
            }
        )
        report = load_enrollments(frame)
        assert [e.code for e in report.rejected] == ["number_cell", "number_cell"]
        assert "2412345678" not in repr(report)

    def test_targets_from_polars(self) -> None:
        """Integer targets from a frame are whole numbers."""
        frame = pl.DataFrame({"unit_code": ["221", "24"], "target": [285, 3285]})
        report = load_targets(frame, campaign_id="bg")
        assert [t.value for t in report.records] == [285, 3285]
        assert report.records[0].measure is bc.Measure.NEW


class TestReadAsText:
    """A frame read without ``dtype=str`` has number cells: the error says how to read it."""

    def test_number_cells_of_a_frame_say_dtype_str(self, tmp_path: Any) -> None:
        """Every number_cell of a frame names dtype=str, in English and Vietnamese."""
        path = tmp_path / "enrollments.xlsx"
        pd.DataFrame(
            {
                "record_id": ["r1", "r2"],
                "participant_id": ["0241234567", "0241234568"],
                "district_code": ["221", "221"],
                "enrolled_on": ["2023-05-18", "2023-05-19"],
            }
        ).to_excel(path, index=False)
        report = load_enrollments(pd.read_excel(path))
        assert [e.code for e in report.rejected] == ["number_cell", "number_cell"]
        for row in report.rejected:
            assert "pd.read_excel(path, dtype=str)" in row.message
            assert "hãy đọc tệp với mọi cột ở dạng văn bản" in row.message_vi
            assert "241234567" not in row.message + row.message_vi  # the id stays masked
        read_as_text = load_enrollments(pd.read_excel(path, dtype=str))
        assert read_as_text.rejected == ()
        assert [r.participant_id for r in read_as_text.records] == ["0241234567", "0241234568"]

    def test_files_do_not_get_the_frame_hint(self, tmp_path: Any) -> None:
        """A workbook read by the loader itself gets the plain number_cell message."""
        path = tmp_path / "enrollments.xlsx"
        pd.DataFrame(
            {
                "record_id": ["r1"],
                "participant_id": [2412345678],
                "district_code": ["221"],
                "enrolled_on": ["2023-05-18"],
            }
        ).to_excel(path, index=False)
        (row,) = load_enrollments(path).rejected
        assert row.code == "number_cell"
        assert "dtype=str" not in row.message
