"""Columnar engines refuse what they cannot count faithfully, and never leak a row's text."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.engines import (
    Engine,
    auto_engine,
    daily_counts_duckdb,
    daily_counts_for,
    daily_counts_frame,
    last_data_day_for,
)
from bhxh_campaign.engines._duckdb import last_data_day_duckdb

from .conftest import EXAMPLE

HEADER = "record_id,participant_id,district_code,enrolled_on"


def folder_with(tmp_path: Path, text: str) -> Path:
    """A copy of the example whose enrollments.csv is ``text``."""
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLE, folder)
    (folder / "enrollments.csv").write_text(text, encoding="utf-8")
    return folder


class TestPythonOnlyColumns:
    def test_cancellations_go_to_python(self, tmp_path: Path, example: bc.CampaignBundle) -> None:
        """A file with cancelled_on is counted by python under auto, and exactly by the others."""
        text = f"{HEADER},cancelled_on\nr1,2400000001,221,2023-05-02,2023-05-03\nr2,2400000002,221,2023-05-02,\n"
        folder = folder_with(tmp_path, text)
        assert auto_engine(folder) == "python"
        units = [d.code for d in example.districts]
        counts = daily_counts_for(folder, example.campaign, engine="auto", units=units)
        assert (counts.total(), counts.excluded) == (1, {"cancelled": 1})
        engines: tuple[Engine, ...] = ("duckdb", "polars", "arrow")
        for engine in engines:
            counted = daily_counts_for(folder, example.campaign, engine=engine, units=units)
            assert counted == counts

    def test_header_aliases_need_python(self, tmp_path: Path, example: bc.CampaignBundle) -> None:
        """Vietnamese header aliases are read by the folder loader, whatever the engine."""
        text = "Mã hồ sơ,Mã số BHXH,Mã huyện,Ngày tham gia\nr1,2400000001,221,2023-05-02\n"
        folder = folder_with(tmp_path, text)
        assert auto_engine(folder) == "python"
        day = last_data_day_for(folder, example.campaign, engine="duckdb")
        assert day == dt.date(2023, 5, 2)


class TestEngineErrors:
    @pytest.mark.parametrize("engine", ["duckdb", "polars"])
    @pytest.mark.parametrize("bad", ['r2,{id},221,"2023-05-03', "r2,{id},221,2023-05-03,extra"])
    def test_no_row_text_in_errors(
        self, tmp_path: Path, example: bc.CampaignBundle, engine: Engine, bad: str
    ) -> None:
        """An engine's parse error becomes the loader's error, naming the line, not its text."""
        canary = "2419283746"
        text = f"{HEADER}\nr1,2400000001,221,2023-05-02\n{bad.format(id=canary)}\n"
        folder = folder_with(tmp_path, text)
        with pytest.raises(bc.LoadError) as info:
            daily_counts_for(folder, example.campaign, engine=engine, as_of=dt.date(2023, 5, 18))
        assert canary not in str(info.value)
        assert info.value.line == 3
        assert info.value.__cause__ is None

    @pytest.mark.parametrize("mistake", [NameError, AttributeError, AssertionError])
    def test_a_mistake_in_the_engine_is_not_hidden(
        self,
        monkeypatch: pytest.MonkeyPatch,
        example: bc.CampaignBundle,
        mistake: type[Exception],
    ) -> None:
        """A bug in a fast path fails loudly; it does not send every file to the exact path."""
        import bhxh_campaign.engines._choose as choose  # noqa: PLC0415

        def broken(*_args: object, **_kwargs: object) -> None:
            msg = "a mistake"
            raise mistake(msg)

        monkeypatch.setattr(choose, "daily_counts_duckdb", broken)
        with pytest.raises(mistake, match="a mistake"):
            daily_counts_for(EXAMPLE, example.campaign, engine="duckdb", as_of=dt.date(2023, 5, 18))

    def test_an_engine_failure_still_falls_back(
        self, monkeypatch: pytest.MonkeyPatch, example: bc.CampaignBundle
    ) -> None:
        """An engine library's own error sends the file to the exact path, which counts it."""
        import bhxh_campaign.engines._choose as choose  # noqa: PLC0415

        def failing(*_args: object, **_kwargs: object) -> None:
            msg = "cannot read"
            raise duckdb.IOException(msg)

        monkeypatch.setattr(choose, "daily_counts_duckdb", failing)
        day = dt.date(2023, 5, 18)
        counts = daily_counts_for(EXAMPLE, example.campaign, engine="duckdb", as_of=day)
        assert counts == bc.daily_counts(example.records, example.campaign, as_of=day)


CANCELLED = f"{HEADER},cancelled_on\nr1,2400000001,221,2023-05-02,2023-05-03\n"


class TestEnginesRefuseCancellations:
    """Cancellations are counted exactly in a file (by the loader), refused in a frame."""

    def test_csv_and_parquet_files(self, tmp_path: Path, example: bc.CampaignBundle) -> None:
        csv = tmp_path / "enrollments.csv"
        csv.write_text(CANCELLED, encoding="utf-8")
        parquet = tmp_path / "enrollments.parquet"
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{parquet}'")
        for path in (csv, parquet):
            counted = daily_counts_duckdb(path, example.campaign)
            assert (counted.total(), counted.excluded) == (0, {"cancelled": 1})
            with duckdb.connect() as connection:
                relation = connection.read_parquet(str(parquet))
                with pytest.raises(bc.InvalidValueError, match="cancelled_on"):
                    daily_counts_duckdb(relation, example.campaign)

    def test_a_folder_with_parquet(self, tmp_path: Path, example: bc.CampaignBundle) -> None:
        """auto sends Parquet to a columnar engine, which must not count the cancelled record."""
        expected = daily_counts_for(folder_with(tmp_path / "csv", CANCELLED), example.campaign)
        assert (expected.total(), expected.excluded) == (0, {"cancelled": 1})
        folder = folder_with(tmp_path, CANCELLED)
        csv = folder / "enrollments.csv"
        parquet = folder / "enrollments.parquet"
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{parquet}'")
        csv.unlink()
        # The Arrow engine where pyarrow is installed (the test extra has it), else DuckDB.
        assert auto_engine(folder) == "arrow"
        engines: tuple[Engine, ...] = ("auto", "arrow", "duckdb", "polars")
        for engine in engines:
            counted = daily_counts_for(folder, example.campaign, engine=engine)
            assert counted == expected

    def test_frames(self, example: bc.CampaignBundle) -> None:
        frame = pl.DataFrame(
            {
                "record_id": ["r1"],
                "participant_id": ["2400000001"],
                "district_code": ["221"],
                "enrolled_on": ["2023-05-02"],
                "recorded_on": ["2023-05-20"],
            }
        )
        with pytest.raises(bc.InvalidValueError, match="recorded_on"):
            daily_counts_frame(frame, example.campaign)
        counted = daily_counts_frame(frame.drop("recorded_on"), example.campaign)
        assert counted.total() == 1


class TestDirectCallsHideRowText:
    """The engines' own functions, called directly, never put a row's text in an error."""

    canary = "2419283746"

    def bad_file(self, tmp_path: Path) -> Path:
        path = tmp_path / "bad.csv"
        # Past DuckDB's sniffing sample (20,480 rows), a row with a fifth field is an error.
        good = "".join(f"r{i},{2400000000 + i},221,2023-05-02\n" for i in range(30_000))
        bad = f"x,{self.canary},221,2023-05-03,extra\n"
        path.write_text(f"{HEADER}\n{good}{bad}", encoding="utf-8")
        # DuckDB's own message quotes the line: what the engines must not pass on.
        with pytest.raises(duckdb.Error, match=self.canary), duckdb.connect() as connection:
            connection.execute(f"SELECT * FROM read_csv('{path}', all_varchar = true)").fetchall()
        return path

    def test_duckdb_functions(self, tmp_path: Path, example: bc.CampaignBundle) -> None:
        path = self.bad_file(tmp_path)
        calls = (
            lambda: daily_counts_duckdb(path, example.campaign),
            lambda: last_data_day_duckdb(path, example.campaign),
            lambda: daily_counts_duckdb(path, example.campaign, progress=lambda _d, _t: None),
        )
        for call in calls:
            with pytest.raises(bc.CampaignError) as info:
                call()
            assert self.canary not in str(info.value)
            assert "bad.csv" in str(info.value)
            assert info.value.__cause__ is None
            assert info.value.__context__ is None or info.value.__suppress_context__

    def test_duckdb_relation(self, tmp_path: Path, example: bc.CampaignBundle) -> None:
        path = self.bad_file(tmp_path)
        with duckdb.connect() as connection:
            relation = connection.sql(f"SELECT * FROM read_csv('{path}', all_varchar = true)")
            with pytest.raises(bc.InvalidValueError) as info:
                daily_counts_duckdb(relation, example.campaign)
        assert self.canary not in str(info.value)
        assert info.value.__suppress_context__


class TestTwoRecordsFiles:
    def test_csv_and_parquet_in_one_folder(
        self, tmp_path: Path, example: bc.CampaignBundle, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder with both records files is refused: engines would read different ones."""
        folder = folder_with(tmp_path, f"{HEADER}\nr1,2400000001,221,2023-05-02\n")
        csv = folder / "enrollments.csv"
        parquet = folder / "enrollments.parquet"
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{parquet}'")
        engines: tuple[Engine, ...] = ("auto", "python", "duckdb")
        for engine in engines:
            with pytest.raises(bc.InvalidValueError, match=r"both enrollments\.parquet"):
                daily_counts_for(folder, example.campaign, engine=engine)
            code = main(["report", str(folder), "--engine", engine])
            assert code == 2
            assert "both enrollments.parquet and enrollments.csv" in capsys.readouterr().err
        csv.unlink()
        assert daily_counts_for(folder, example.campaign).total() == 1
