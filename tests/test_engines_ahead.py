"""Tests of `bhxh_campaign.engines._ahead`: a records CSV read ahead of its count.

A read ahead may have parsed any number of the file's chunks when the count takes it:
the counts must not depend on how many, nor on whether it was taken at all.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign import LoadError, engines
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.cli import main
from bhxh_campaign.engines import (
    AUTO_THRESHOLD,
    ReadAhead,
    _ahead,
    _arrow_read,
    daily_counts_arrow,
    daily_counts_for,
    read_ahead,
)
from bhxh_campaign.engines._arrow_known import OPTIONAL
from bhxh_campaign.engines._arrow_read import DAY_COLUMNS, column_types, csv_layout

from .test_engines import MAY, Case, counted_bundles, record_rows
from .test_engines_arrow import csv_file, exact_calls, expected, write
from .test_engines_arrow_known import arrow as known_arrow
from .test_engines_arrow_known import expected as known_expected
from .test_engines_arrow_known import known_cases
from .test_engines_arrow_known import records_file as known_file

EXAMPLE = Path("examples/bac_giang_2023")


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 256 bytes: a file of a few hundred rows spans many."""
    monkeypatch.setattr(_arrow_read, "CHUNK", 256)


def started(path: Path, **kwargs: Any) -> ReadAhead:
    """A read ahead of ``path`` (the arrow engine's by default), which must start."""
    ahead = read_ahead(path, **{"engine": "arrow", **kwargs})
    assert ahead is not None
    return ahead


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[ReadAhead]:
    """Each read ahead whose chunks a count took (`ReadAhead.jobs` gave them)."""
    found: list[ReadAhead] = []
    jobs = ReadAhead.jobs

    def spy(self: ReadAhead, *args: Any) -> Any:
        result = jobs(self, *args)
        if result is not None:
            found.append(self)
        return result

    monkeypatch.setattr(ReadAhead, "jobs", spy)
    return found


def rows(n: int) -> list[tuple[str, ...]]:
    """``n`` plain rows, each of its own participant, on 2 May in unit 001."""
    return [(f"R{i:06d}", f"24{i:08d}", "001", "2023-05-02") for i in range(n)]


class TestSameCounts:
    @given(counted_bundles(), st.integers(0, 6))
    def test_any_number_of_chunks_ahead(self, case: Case, limit: int) -> None:
        """However many chunks were parsed ahead, the counts are `daily_counts`'s."""
        bundle, as_of, units = case
        with csv_file(record_rows(bundle.records)) as path:
            with started(path, chunks=limit) as ahead, exact_calls() as calls:
                got = daily_counts_arrow(
                    path, bundle.campaign, as_of=as_of, units=units, ahead=ahead
                )
            assert not calls
            assert not ahead._thread.is_alive()
        assert got == expected(case)

    @given(known_cases())
    def test_late_and_cancelled_records(self, case: tuple[CampaignBundle, dict[str, Any]]) -> None:
        """The as-known-on rule and the policies on chunks read ahead: exactly the same."""
        bundle, arguments = case
        with known_file(bundle.records, "csv") as path, started(path) as ahead:
            got = known_arrow(path, bundle, {**arguments, "ahead": ahead}, fast=True)
        assert got == known_expected(bundle, arguments)

    @pytest.mark.parametrize("limit", [0, 1, 50])
    def test_a_repeated_record_id_goes_exact(self, tmp_path: Path, limit: int) -> None:
        """A file the fast path cannot judge is counted exactly, read ahead or not."""
        path = write(
            tmp_path / "r.csv", [*rows(300), ("R000001", "2499999999", "001", "2023-05-03")]
        )
        with (
            started(path, chunks=limit) as ahead,
            exact_calls() as calls,
            pytest.raises(LoadError, match="R000001"),
        ):
            daily_counts_arrow(path, MAY, units=["001"], ahead=ahead)
        assert calls

    @pytest.mark.parametrize("limit", [0, 1, 50])
    def test_a_bad_day_in_a_chunk_read_ahead(self, tmp_path: Path, limit: int) -> None:
        """pyarrow's refusal in the read-ahead thread sends the file to the exact path."""
        path = write(tmp_path / "r.csv", [("R9", "2499999999", "001", "2023-02-30"), *rows(300)])
        with (
            started(path, chunks=limit) as ahead,
            exact_calls() as calls,
            pytest.raises(LoadError) as info,
        ):
            daily_counts_arrow(path, MAY, units=["001"], ahead=ahead)
        assert calls
        assert (info.value.line, info.value.field) == (2, "enrolled_on")


class TestOnlyItsFile:
    def test_another_file_is_read_itself(self, tmp_path: Path, taken: list[ReadAhead]) -> None:
        """A read ahead of another file is not used (and is closed): the counts are the file's."""
        mine = write(tmp_path / "a.csv", rows(300))
        other = write(tmp_path / "b.csv", rows(100))
        with started(mine) as ahead:
            got = daily_counts_arrow(other, MAY, units=["001"], ahead=ahead)
            assert not ahead._thread.is_alive()
        assert (got.total(), taken) == (100, [])

    def test_a_changed_file_is_read_again(self, tmp_path: Path, taken: list[ReadAhead]) -> None:
        """A file written again after its read ahead started is read as it is now."""
        path = write(tmp_path / "a.csv", rows(300))
        with started(path) as ahead:
            write(path, rows(299))
            got = daily_counts_arrow(path, MAY, units=["001"], ahead=ahead)
        assert (got.total(), taken) == (299, [])

    def test_taken_once(self, tmp_path: Path) -> None:
        """A second count of the file reads it itself, with the same result."""
        path = write(tmp_path / "a.csv", rows(300))
        with started(path) as ahead:
            first = daily_counts_arrow(path, MAY, units=["001"], ahead=ahead)
            second = daily_counts_arrow(path, MAY, units=["001"], ahead=ahead)
        assert first == second
        assert first.total() == 300

    def test_the_folder_engine_takes_it(self, taken: list[ReadAhead]) -> None:
        """`daily_counts_for` gives the read ahead to the arrow engine."""
        path = EXAMPLE / "enrollments.csv"
        with started(path) as ahead:
            got = daily_counts_for(EXAMPLE, MAY, engine="arrow", ahead=ahead)
        assert got == daily_counts_for(EXAMPLE, MAY, engine="python")
        assert taken == [ahead]

    def test_jobs_end_when_closed(self, tmp_path: Path) -> None:
        """Jobs taken, then the read ahead closed: the rest of them end, none hangs."""
        path = write(tmp_path / "a.csv", rows(300))
        ahead = started(path)
        jobs = ahead.jobs(path, ahead.names, ahead.start, ahead.types)
        assert jobs is not None
        assert next(jobs)()  # the first chunk's batches
        ahead.close()
        assert list(jobs) == []

    def test_a_file_not_plain_closes_it(self, tmp_path: Path, taken: list[ReadAhead]) -> None:
        """A column the fast path does not read: counted exactly, the read ahead closed."""
        header = ("record_id", "participant_id", "district_code", "enrolled_on", "note")
        path = write(tmp_path / "a.csv", [(*row, "x") for row in rows(300)], header)
        ahead = started(path)
        with exact_calls() as calls:
            got = daily_counts_arrow(path, MAY, units=["001"], ahead=ahead)
        assert (got.total(), taken, bool(calls)) == (300, [], True)
        assert not ahead._thread.is_alive()
        assert ahead._done.get_nowait() is None  # nothing parsed is held

    def test_close_twice(self, tmp_path: Path) -> None:
        """Closing stops the thread; closing again does nothing."""
        ahead = started(write(tmp_path / "a.csv", rows(300)))
        ahead.close()
        ahead.close()
        assert not ahead._thread.is_alive()


class TestWhenItStarts:
    @pytest.mark.parametrize("engine", ["python", "duckdb", "polars"])
    def test_other_engines(self, engine: str) -> None:
        """Only the arrow engine (asked for, or chosen by auto) reads ahead."""
        assert read_ahead(EXAMPLE / "enrollments.csv", engine=engine) is None

    def test_auto_from_the_threshold(self, tmp_path: Path) -> None:
        """auto: a file from `AUTO_THRESHOLD` bytes, as `auto_engine` chooses arrow."""
        small = EXAMPLE / "enrollments.csv"
        assert small.stat().st_size < AUTO_THRESHOLD
        assert read_ahead(small) is None
        path = write(tmp_path / "big.csv", rows(AUTO_THRESHOLD // 30))
        assert path.stat().st_size >= AUTO_THRESHOLD
        with started(path, engine="auto") as ahead:
            assert ahead.names == ["record_id", "participant_id", "district_code", "enrolled_on"]

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("r.parquet", b"PAR1"),
            ("r.json", b"[]"),
            ("r.csv", b"record_id\rparticipant_id\n1,2\n"),
            ("r.csv", b"\xff\xfe,a\n"),
        ],
    )
    def test_not_a_plain_csv(self, tmp_path: Path, name: str, data: bytes) -> None:
        """Not a CSV file, or a header the fast path would not read: no read ahead."""
        path = tmp_path / name
        path.write_bytes(data)
        assert read_ahead(path, engine="arrow") is None

    def test_no_file(self, tmp_path: Path) -> None:
        """A missing file: none (the count reports it)."""
        assert read_ahead(tmp_path / "enrollments.csv", engine="arrow") is None

    def test_unreadable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file that cannot be read: none (the count says why)."""

        def refuse(_: Path) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(_ahead, "csv_layout", refuse)
        assert read_ahead(EXAMPLE / "enrollments.csv", engine="arrow") is None

    def test_without_pyarrow(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pyarrow or numpy installed: none."""
        monkeypatch.setattr("importlib.util.find_spec", lambda _: None)
        assert read_ahead(EXAMPLE / "enrollments.csv", engine="arrow") is None

    def test_types_are_the_engines(self) -> None:
        """The days read ahead as dates are the engine's day columns."""
        assert {"enrolled_on", *OPTIONAL} == DAY_COLUMNS
        layout = csv_layout(EXAMPLE / "enrollments.csv")
        assert layout is not None
        with started(EXAMPLE / "enrollments.csv") as ahead:
            assert (ahead.names, ahead.start) == layout
            assert ahead.types == column_types(layout[0])


class TestCommand:
    def test_report_reads_ahead(
        self, capsys: pytest.CaptureFixture[str], taken: list[ReadAhead]
    ) -> None:
        """``report --engine arrow`` takes its read ahead, and prints the python report."""
        args = ["report", str(EXAMPLE), "--as-of", "2023-05-18", "--format", "json"]
        assert main([*args, "--engine", "arrow"]) == 0
        arrow = capsys.readouterr().out
        assert len(taken) == 1
        assert not taken[0]._thread.is_alive()
        assert main([*args, "--engine", "python"]) == 0
        assert capsys.readouterr().out == arrow
        assert len(taken) == 1

    def test_closed_when_another_engine_counts(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A read ahead the chosen engine does not take is closed.

        None starts with --skip-bad-rows, nor without --as-of (the last day is found first,
        in a pass of its own over the file).
        """
        made: list[ReadAhead] = []

        def spy(*args: Any, **kwargs: Any) -> ReadAhead | None:
            ahead = read_ahead(*args, **kwargs)
            made.extend([] if ahead is None else [ahead])
            return ahead

        monkeypatch.setattr(engines, "read_ahead", spy)
        folder = shutil.copytree(EXAMPLE, tmp_path / "folder")
        toml = folder / "campaign.toml"
        # Only the python engine reads with a folder's encoding, --enrollments too.
        toml.write_text('encoding = "utf-8"\n' + toml.read_text(encoding="utf-8"), "utf-8")
        args = ["report", str(folder), "--as-of", "2023-05-18", "--engine", "arrow"]
        assert main([*args, "--skip-bad-rows"]) == 0
        assert main(["report", str(folder), "--engine", "arrow"]) == 0  # no --as-of
        assert made == []
        capsys.readouterr()
        records = str(folder / "enrollments.csv")
        assert main([*args, "--enrollments", records, "--format", "json"]) == 0
        assert len(made) == 1
        assert made[0]._taken
        assert not made[0]._thread.is_alive()
        assert json.loads(capsys.readouterr().out)["total"]["actual"] == 1928


class TestLightImports:
    def test_the_command_imports_no_model(self) -> None:
        """Declaring ``report``'s arguments imports neither attrs nor pyarrow: the read
        ahead starts before the package's model and loaders are imported."""
        code = (
            "import sys, bhxh_campaign.cli, bhxh_campaign.commands.report\n"
            "import bhxh_campaign.engines._ahead\n"
            "print(sorted({'attrs', 'pyarrow', 'numpy', 'babel'} & set(sys.modules)))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"


def test_day_of_the_example() -> None:
    """The read ahead of the example, counted: the published 1,928 by 18 May."""
    path = EXAMPLE / "enrollments.csv"
    with started(path) as ahead:
        counts = daily_counts_arrow(path, MAY, as_of=dt.date(2023, 5, 18), ahead=ahead)
    assert counts.total() == 1928
