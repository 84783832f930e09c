"""Columnar engines refuse what they cannot count faithfully, and never leak a row's text."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import bhxh_campaign as bc
from bhxh_campaign.engines import Engine, auto_engine, daily_counts_for, last_data_day_for

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
        """A file with cancelled_on is counted by python under auto, and refused by duckdb."""
        text = f"{HEADER},cancelled_on\nr1,2400000001,221,2023-05-02,2023-05-03\nr2,2400000002,221,2023-05-02,\n"
        folder = folder_with(tmp_path, text)
        assert auto_engine(folder) == "python"
        units = [d.code for d in example.districts]
        counts = daily_counts_for(folder, example.campaign, engine="auto", units=units)
        assert (counts.total(), counts.excluded) == (1, {"cancelled": 1})
        engines: tuple[Engine, ...] = ("duckdb", "polars")
        for engine in engines:
            with pytest.raises(bc.InvalidValueError, match="cancelled_on"):
                daily_counts_for(folder, example.campaign, engine=engine, units=units)

    def test_header_aliases_need_python(self, tmp_path: Path, example: bc.CampaignBundle) -> None:
        """Vietnamese header aliases are read by python; duckdb says why it cannot."""
        text = "Mã hồ sơ,Mã số BHXH,Mã huyện,Ngày tham gia\nr1,2400000001,221,2023-05-02\n"
        folder = folder_with(tmp_path, text)
        assert auto_engine(folder) == "python"
        with pytest.raises(bc.InvalidValueError, match="lacks the columns"):
            last_data_day_for(folder, example.campaign, engine="duckdb")


class TestEngineErrors:
    @pytest.mark.parametrize("engine", ["duckdb", "polars"])
    @pytest.mark.parametrize("bad", ['r2,{id},221,"2023-05-03', "r2,{id},221,2023-05-03,extra"])
    def test_no_row_text_in_errors(
        self, tmp_path: Path, example: bc.CampaignBundle, engine: Engine, bad: str
    ) -> None:
        """An engine's parse error becomes our error, without the offending line."""
        canary = "2419283746"
        text = f"{HEADER}\nr1,2400000001,221,2023-05-02\n{bad.format(id=canary)}\n"
        folder = folder_with(tmp_path, text)
        with pytest.raises(bc.InvalidValueError) as info:
            daily_counts_for(folder, example.campaign, engine=engine, as_of=dt.date(2023, 5, 18))
        assert canary not in str(info.value)
        assert info.value.__cause__ is None
