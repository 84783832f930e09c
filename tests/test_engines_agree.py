"""Every engine makes the same decision on the same file: verdict, counts, tallies, lines.

A fixture per case the engines once decided differently, each with the exact outcome the
folder loader gives; then a differential property over generated messy files (slow).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bhxh_campaign import CampaignBundle
from bhxh_campaign.engines import Engine, _arrow, _choose, _duckdb, daily_counts_for
from bhxh_campaign.io.folder import load_plan

from .conftest import EXAMPLE
from .messy_files import ENGINES, messy_files, verdict, write_folder

HEADER = "record_id,participant_id,district_code,enrolled_on"
GOOD = ("r1,2400000001,221,2023-05-02", "r2,2400000002,223,2023-05-03")

# name -> (file text, the loader's error (line, field, code), or None and the total counted)
CASES: dict[str, tuple[str, tuple[int, str | None, str] | int]] = {
    "clean": (f"{HEADER}\n{GOOD[0]}\n{GOOD[1]}\n", 2),
    "repeated record id": (
        f"{HEADER}\n{GOOD[0]}\n{GOOD[1]}\nr1,2400000003,221,2023-05-04\n",
        (4, "record_id", "duplicate_record_id"),
    ),
    # A column no field uses is ignored, and listed in the load report (office exports).
    "unknown column": (f"{HEADER},note\n{GOOD[0]},x\n", 1),
    "missing column": (
        "record_id,participant_id,district_code\nr1,2400000001,221\n",
        (1, None, "bad_header"),
    ),
    "invalid payment_method": (
        f"{HEADER},payment_method\n{GOOD[0]},weekly\n",
        (2, "payment_method", "unknown_value"),
    ),
    "invalid commune_code": (
        f"{HEADER},commune_code\n{GOOD[0]},12\n",
        (2, "commune_code", "bad_code"),
    ),
    "NUL byte in a record id": (
        f"{HEADER}\n{GOOD[0]}\nr\x003,2400000003,221,2023-05-04\n",
        (3, "record_id", "nul_byte"),
    ),
    "mojibake in a record id": (
        f"{HEADER}\n{GOOD[0]}\nÃ¡3,2400000003,221,2023-05-04\n",
        (3, "record_id", "mojibake"),
    ),
    "a spreadsheet error as record id": (
        f"{HEADER}\n{GOOD[0]}\n#N/A,2400000003,221,2023-05-04\n",
        (3, "record_id", "formula_error"),
    ),
    "an extra cell": (
        f"{HEADER}\n{GOOD[0]}\nr3,2400000003,221,2023-05-04,zz\n",
        (3, None, "too_many_cells"),
    ),
    "a missing cell": (f"{HEADER}\n{GOOD[0]}\nr3,2400000003,221\n", (3, None, "too_few_cells")),
    "a short row before an optional column": (
        f"{HEADER},payment_method\n{GOOD[0]},monthly\n{GOOD[1]}\n",
        (3, None, "too_few_cells"),
    ),
    "a file of one short row (DuckDB skips it)": (
        f"{HEADER}\nr3,2400000003,221\n",
        (2, None, "too_few_cells"),
    ),
    "a blank line": (f"{HEADER}\n{GOOD[0]}\n\n{GOOD[1]}\n", 2),
    "a row of commas": (f"{HEADER}\n{GOOD[0]}\n,,,\n{GOOD[1]}\n", 2),
    "an aware timestamp (1 May in Vietnam)": (
        f"{HEADER}\n{GOOD[0]}\nr3,2400000003,221,2023-04-30T20:00:00Z\n",
        2,
    ),
    "cancelled_on": (f"{HEADER},cancelled_on\n{GOOD[0]},2023-05-03\n{GOOD[1]},\n", 1),
    "padded cells": (f"{HEADER}\n r1 ,2400000001, 221,2023-05-02 \n{GOOD[1]}\n", 2),
    "header aliases": (
        f"Mã hồ sơ,Mã số BHXH,Mã huyện,Ngày tham gia\n{GOOD[0]}\n{GOOD[1]}\n",
        2,
    ),
}


@pytest.fixture(scope="module")
def plan() -> CampaignBundle:
    return load_plan(EXAMPLE)


class TestFixtures:
    """One file per case: every engine gives the loader's exact outcome."""

    @pytest.mark.parametrize("name", list(CASES))
    def test_every_engine_agrees(self, tmp_path: Path, plan: CampaignBundle, name: str) -> None:
        """Verdict, counts, tallies and the error's file, line, field and code agree."""
        text, outcome = CASES[name]
        folder = write_folder(tmp_path / "c", ("csv", text))
        verdicts = {engine: verdict(folder, plan, engine) for engine in ENGINES}
        assert len(set(map(repr, verdicts.values()))) == 1, verdicts
        found = verdicts["python"]
        if isinstance(outcome, int):
            assert found[0] == "ok"
            assert found[2].total() == outcome
        else:
            assert found[0] == "LoadError"
            assert found[1:] == ("enrollments.csv", *outcome)

    def test_nfc_decides_a_tie(self, tmp_path: Path, plan: CampaignBundle) -> None:
        """ "á1" written decomposed sorts after "á0": the participant counts in 223."""
        text = f"{HEADER}\na\u03011,2400000001,221,2023-05-02\n\u00e10,2400000001,223,2023-05-02\n"
        folder = write_folder(tmp_path / "c", ("csv", text))
        units = [d.code for d in plan.districts]
        for engine in ENGINES:
            counts = daily_counts_for(folder, plan.campaign, engine=engine, units=units)
            assert (counts.total("221"), counts.total("223")) == (0, 1), engine

    def test_parquet_repeated_record_id_with_cancellations(
        self, tmp_path: Path, plan: CampaignBundle
    ) -> None:
        """A repeated record id in Parquet with `cancelled_on` (found by the slow test):
        the arrow engine's exact path read such a file without the loader's checks."""
        columns = {
            "record_id": ["00", "00"],
            "participant_id": ["2400000001", "2400000001"],
            "district_code": ["213", "213"],
            "enrolled_on": ["2023-04-30", "2023-04-30"],
            "cancelled_on": ["2023-05-03", "2023-05-03"],
        }
        folder = write_folder(tmp_path / "c", ("parquet", columns))
        verdicts = {engine: verdict(folder, plan, engine) for engine in ENGINES}
        assert len(set(map(repr, verdicts.values()))) == 1, verdicts
        assert verdicts["python"] == (
            "LoadError",
            "enrollments.parquet",
            3,
            "record_id",
            "duplicate_record_id",
        )

    def test_parquet_cancellations_and_aware_timestamps(
        self, tmp_path: Path, plan: CampaignBundle
    ) -> None:
        """Parquet: a cancelled record is set aside (and has no day), 20:00 UTC is 1 May."""
        columns = {
            "record_id": ["r1", "r2"],
            "participant_id": ["2400000001", "2400000002"],
            "district_code": ["221", "223"],
            "enrolled_on": [
                dt.datetime(2023, 4, 30, 20, tzinfo=dt.UTC),
                dt.datetime(2023, 5, 2, 1, tzinfo=dt.UTC),
            ],
            "cancelled_on": [None, "2023-05-03"],
        }
        folder = write_folder(tmp_path / "c", ("parquet", columns))
        verdicts = {engine: verdict(folder, plan, engine) for engine in ENGINES}
        assert len(set(map(repr, verdicts.values()))) == 1, verdicts
        _, last, counts = verdicts["python"]
        assert last == dt.date(2023, 5, 1)
        assert counts.series("221")[dt.date(2023, 5, 1)] == 1
        assert counts.excluded == {"cancelled": 1}


@pytest.mark.slow
class TestDifferential:
    """Generated messy files: zero disagreements between the engines."""

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(drawn=messy_files())
    def test_engines_agree(self, plan: CampaignBundle, drawn: tuple[str, object]) -> None:
        """Every installed engine gives the python engine's verdict on the same file."""
        with tempfile.TemporaryDirectory() as root:
            folder = write_folder(Path(root) / "c", drawn)  # type: ignore[arg-type]
            verdicts = {engine: verdict(folder, plan, engine) for engine in ENGINES}
        reference = repr(verdicts["python"])
        disagreements = [e for e, v in verdicts.items() if repr(v) != reference]
        assert not disagreements, verdicts


class TestFastPathKept:
    @pytest.mark.parametrize("engine", ["duckdb", "polars", "arrow"])
    def test_a_plain_file_never_takes_the_exact_path(
        self, monkeypatch: pytest.MonkeyPatch, plan: CampaignBundle, engine: Engine
    ) -> None:
        """The example's records (commune and payment columns included) stay on the fast path."""

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError

        for module in (_choose, _duckdb):
            monkeypatch.setattr(module, "exact_counts", refuse)
        monkeypatch.setattr(_arrow, "_exact", refuse)
        units = [d.code for d in plan.districts]
        day = dt.date(2023, 5, 18)
        counts = daily_counts_for(EXAMPLE, plan.campaign, engine=engine, as_of=day, units=units)
        assert counts.total() == 1928
