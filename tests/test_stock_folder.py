"""A campaign folder's ``stocks.csv``: read, checked, and set against the stock goal."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import bhxh_campaign as bc
from bhxh_campaign.io.check import check_campaign
from bhxh_campaign.io.folder import load_plan
from bhxh_campaign.render import bulletin

from .conftest import BULLETIN_DAY, EXAMPLE

EVE = dt.date(2023, 4, 30)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the 2023 example (its stock goal: 52,139 for province 24)."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "bg"))


def write(folder: Path, text: str, encoding: str = "utf-8") -> None:
    (folder / "stocks.csv").write_text(text, encoding=encoding)


def first_error(folder: Path) -> bc.LoadError:
    with pytest.raises(bc.LoadError) as raised:
        bc.load_campaign(folder)
    return raised.value


class TestRead:
    def test_no_file_no_baselines(self) -> None:
        """A folder without stocks.csv has no baselines and no report of it."""
        assert bc.load_campaign(EXAMPLE).baselines == ()
        assert "stocks.csv" not in bc.load_campaign(EXAMPLE, strict=False).reports

    def test_office_headings(self, folder: Path) -> None:
        """Vietnamese headings, a title row, 50.000 and a day-first date are read."""
        write(
            folder,
            "Số người tham gia BHXH tự nguyện\n"
            "Mã đơn vị,Số người đang tham gia,Tính đến ngày\n"
            '24,"50.000",30/04/2023\n24,51000,2023-05-10\n',
        )
        assert bc.load_campaign(folder).baselines == (
            bc.StockBaseline(unit_code="24", participants=50_000, on=EVE),
            bc.StockBaseline(unit_code="24", participants=51_000, on=dt.date(2023, 5, 10)),
        )
        assert load_plan(folder).baselines == bc.load_campaign(folder).baselines

    def test_columns_setting(self, folder: Path) -> None:
        """campaign.toml's [columns] may name a heading of stocks.csv."""
        toml = folder / "campaign.toml"
        toml.write_text(
            toml.read_text(encoding="utf-8") + '\n[columns]\n"Tổng số" = "participants"\n',
            encoding="utf-8",
        )
        write(folder, "unit_code,Tổng số,on\n24,50000,2023-04-30\n")
        assert bc.load_campaign(folder).baselines[0].participants == 50_000

    def test_folder_encoding(self, folder: Path) -> None:
        """The folder's encoding applies to stocks.csv too."""
        toml = folder / "campaign.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text('encoding = "utf-16"\n' + text, encoding="utf-8")
        for name in ("districts.csv", "targets.csv", "enrollments.csv"):
            path = folder / name
            path.write_text(path.read_text(encoding="utf-8-sig"), encoding="utf-16")
        write(folder, "Mã đơn vị,Số người,Ngày\n24,50000,30/04/2023\n", encoding="utf-16")
        assert bc.load_campaign(folder).baselines[0].on == EVE


class TestRefused:
    @pytest.mark.parametrize(
        ("text", "line", "field", "code", "words"),
        [
            ("221,5,2023-04-30", 2, "unit_code", "invalid_value", "has no stock goal"),
            ("24,5,2022-12-31", 2, "on", "invalid_value", "before the eve of the campaign"),
            ("24,5,2023-06-01", 2, "on", "invalid_value", "after the campaign's last day"),
            ("24,5,2023-04-30\n24,6,30/04/2023", 3, "unit_code", "duplicate_unit", "repeats"),
            ("24,năm mươi,2023-04-30", 2, "participants", "bad_number", "whole number"),
            ("24,-5,2023-04-30", 2, "participants", None, ""),
            ("24,5,05/18/2023", 2, "on", "month_first_date", "month-first"),
        ],
    )
    def test_bad_row(
        self, folder: Path, text: str, line: int, field: str, code: str | None, words: str
    ) -> None:
        """Each bad row names the file, its line and its field."""
        write(folder, f"unit_code,participants,on\n{text}\n")
        error = first_error(folder)
        assert Path(error.path).name == "stocks.csv"
        assert (error.line, error.field) == (line, field)
        if code is not None:
            assert error.code == code
        assert words in str(error)

    def test_missing_column(self, folder: Path) -> None:
        """A header without the day is refused as a bad header, on line 1."""
        write(folder, "unit_code,participants\n24,5\n")
        error = first_error(folder)
        assert (Path(error.path).name, error.line, error.code) == ("stocks.csv", 1, "bad_header")

    def test_check_campaign_lists_every_bad_row(self, folder: Path) -> None:
        """validate's check reads on past a bad row and keeps the good ones."""
        write(folder, "unit_code,participants,on\n221,5,2023-04-30\n24,5,2023-04-30\n")
        load = check_campaign(folder)
        report = load.reports["stocks.csv"]
        assert not load.ok
        assert [(r.line, r.field, r.code) for r in report.rejected] == [
            (2, "unit_code", "invalid_value")
        ]
        assert load.bundle.baselines == (bc.StockBaseline(unit_code="24", participants=5, on=EVE),)

    def test_stock_goal_of_targets_csv(self, folder: Path) -> None:
        """A stock goal given in targets.csv (measure stock) takes a stock too."""
        targets = folder / "targets.csv"
        targets.write_text(
            targets.read_text(encoding="utf-8-sig") + "221,9000,stock\n", encoding="utf-8"
        )
        write(folder, "unit_code,participants,on\n221,8000,2023-04-30\n")
        bundle = bc.load_campaign(folder)
        report = bundle.report(BULLETIN_DAY)
        positions = bc.stock_positions(report, bundle.counts(BULLETIN_DAY), bundle.baselines)
        assert (positions["221"].participants, positions["221"].goal) == (8318, 9000)


class TestCompared:
    def test_bulletin(self, folder: Path) -> None:
        """The bulletin compares the goal with the level of the folder's stocks.csv."""
        write(folder, "unit_code,participants,on\n24,50000,2023-04-30\n")
        bundle = bc.load_campaign(folder)
        report = bundle.report(BULLETIN_DAY)
        stocks = bc.stock_positions(report, bundle.counts(BULLETIN_DAY), bundle.baselines)
        assert "có 51.928 người đang tham gia" in bulletin(report, stocks=stocks)
