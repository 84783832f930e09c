"""A provincial office's export, as it arrives: loaded by ``validate`` and ``report`` as is.

The workbook (and its CSV twin) is built here with openpyxl: title rows above the header,
an "STT" column, names, birthdays, a unit-name column, day-first dates (as text and as
date cells), payment methods in Vietnamese, and a few bad rows. The expected figures come
from an oracle written over the generated rows in the plainest way, not from the library.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import shutil
from collections import Counter
from pathlib import Path

import attrs
import openpyxl
import pytest

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.engines import (
    AUTO_THRESHOLD,
    auto_engine,
    daily_counts_for,
    python_only_reason,
)

from .conftest import EXAMPLE

START = dt.date(2023, 5, 1)
AS_OF = dt.date(2023, 5, 18)
END = dt.date(2023, 5, 31)
UNITS = {
    "213": "Bắc Giang",
    "215": "Yên Thế",
    "216": "Tân Yên",
    "217": "Lạng Giang",
    "218": "Lục Nam",
    "219": "Lục Ngạn",
    "220": "Sơn Động",
    "221": "Yên Dũng",
    "222": "Việt Yên",
    "223": "Hiệp Hòa",
}
PAYMENTS = ["Hằng tháng", "3 tháng", "6 tháng", "12 tháng", "Một lần", "hang thang", "MỘT LẦN"]
TITLES = [
    ["BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG"],
    ["DANH SÁCH NGƯỜI THAM GIA BHXH TỰ NGUYỆN"],
    ["Từ ngày 01/05/2023 đến ngày 31/05/2023"],
    [],
]
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Mã số BHXH",
    "Mã hồ sơ",
    "Mã huyện",
    "Đơn vị",
    "Ngày tham gia",
    "Phương thức đóng",
    "Ghi chú",
]
HEADER_LINE = len(TITLES) + 1
UNUSED = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị", "Ghi chú"]


@attrs.frozen
class Row:
    """One row of the export, and what the loader must make of it."""

    number: int
    participant_id: str
    unit: str
    day: dt.date
    payment: str
    written: str  # the date as the office wrote it
    defect: str | None  # the error code the row must get, or None

    @property
    def line(self) -> int:
        return HEADER_LINE + self.number


def office_rows(count: int, *, seed: int, defects: bool = True) -> list[Row]:
    """The export's rows: mostly good, every 17th month-first, every 23rd without an id."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        day = START + dt.timedelta(days=rng.randrange(-3, 35))
        written = (
            f"{day.day:02d}/{day.month:02d}/{day.year}"
            if number % 2
            else f"{day.day}/{day.month}/{day.year}"
        )
        defect = None
        pid = f"24{number:08d}"
        if defects and number % 17 == 0:
            written, defect = "05/20/2023", "month_first_date"
        elif defects and number % 23 == 0:
            pid, defect = "", "missing_value"
        rows.append(
            Row(number, pid, rng.choice(sorted(UNITS)), day, rng.choice(PAYMENTS), written, defect)
        )
    return rows


def cells(row: Row, *, date_cell: bool) -> list[object]:
    """The row's cells; a good row's date is a date cell when ``date_cell``."""
    birthday = f"{1 + row.number % 28:02d}/0{1 + row.number % 9}/19{60 + row.number % 40}"
    day: object = row.written
    if date_cell and row.defect is None and row.number % 3 == 0:
        day = row.day
    return [
        row.number,
        f"Nguyễn Văn {row.number}",
        birthday,
        "Nam" if row.number % 2 else "Nữ",
        row.participant_id,
        f"HS-{row.number:05d}",
        row.unit,
        UNITS[row.unit],
        day,
        row.payment,
        "",
    ]


def write_xlsx(path: Path, rows: list[Row]) -> Path:
    """The office workbook: title rows, a blank row, the header, the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách"
    for title in TITLES:
        sheet.append(title)
    sheet.append(HEADER)
    for row in rows:
        sheet.append(cells(row, date_cell=True))
    book.save(path)
    return path


def write_csv(path: Path, rows: list[Row]) -> Path:
    """The workbook's CSV twin, as Excel saves it (UTF-8 with a byte-order mark)."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        for title in TITLES:
            writer.writerow(title + [""] * (len(HEADER) - len(title)) if title else [])
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(cells(row, date_cell=False))
    return path


def office_folder(tmp_path: Path, rows: list[Row], kind: str) -> Path:
    """A campaign folder of the example's plan, targets written "1.200", the export's records."""
    folder = tmp_path / f"office_{kind}"
    folder.mkdir()
    for name in ("campaign.toml", "districts.csv"):
        shutil.copy(EXAMPLE / name, folder / name)
    targets = "Mã đơn vị,Chỉ tiêu\n" + "".join(f'{code},"1.{code}"\n' for code in UNITS)
    (folder / "targets.csv").write_text(targets, encoding="utf-8")
    writer = write_xlsx if kind == "xlsx" else write_csv
    writer(folder / f"enrollments.{kind}", rows)
    return folder


def oracle_actual(rows: list[Row]) -> dict[str, int]:
    """Participants counted per unit as of AS_OF: good rows from START to AS_OF (ids unique)."""
    counted = Counter(r.unit for r in rows if r.defect is None and START <= r.day <= AS_OF)
    return {code: counted.get(code, 0) for code in UNITS}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
class TestOfficeExport:
    def test_validate_lists_exactly_the_bad_rows(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
    ) -> None:
        """validate reads the export as is: its header line, unused columns, exact bad rows."""
        rows = office_rows(120, seed=15)
        folder = office_folder(tmp_path, rows, kind)
        code, out, _ = run(capsys, "validate", str(folder), "--format", "json", "--lang", "en")
        assert code == 1
        files = {Path(f["file"]).name: f for f in json.loads(out)["files"]}
        records = files[f"enrollments.{kind}"]
        bad = [r for r in rows if r.defect is not None]
        assert (records["accepted"], records["rejected"]) == (len(rows) - len(bad), len(bad))
        assert records["rows_read"] == len(rows)
        assert records["header_line"] == HEADER_LINE
        assert records["ignored_columns"] == UNUSED
        fields = {"month_first_date": "enrolled_on", "missing_value": "participant_id"}
        assert [(e["line"], e["field"], e["code"]) for e in records["errors"]] == [
            (r.line, fields[r.defect], r.defect) for r in bad if r.defect
        ]
        assert files["targets.csv"]["accepted"] == len(UNITS)
        assert files["targets.csv"]["errors"] == []

    def test_text_output_names_title_rows_and_unused_columns(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
    ) -> None:
        """The text report says where the header is and lists the unused columns, once."""
        folder = office_folder(tmp_path, office_rows(30, seed=1, defects=False), kind)
        code, out, _ = run(capsys, "validate", str(folder), "--lang", "en")
        assert code == 0
        assert f"header on line {HEADER_LINE}, below {HEADER_LINE - 1} title lines" in out
        assert out.count("columns not used (not read): " + ", ".join(UNUSED)) == 1

    def test_report_counts_what_the_oracle_counts(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
    ) -> None:
        """A clean export: validate exits 0, and report's figures are the oracle's."""
        rows = office_rows(300, seed=20, defects=False)
        folder = office_folder(tmp_path, rows, kind)
        assert run(capsys, "validate", str(folder))[0] == 0
        code, out, _ = run(
            capsys, "report", str(folder), "--as-of", "18/05/2023", "--format", "json"
        )
        assert code == 0
        report = json.loads(out)
        actual = {d["code"]: d["actual"] for d in report["districts"]}
        assert actual == oracle_actual(rows)
        assert {d["code"]: d["target"] for d in report["districts"]} == {
            code: 1000 + int(code) for code in UNITS
        }
        reasons = {
            "before_start": sum(r.day < START for r in rows),
            "after_as_of": sum(AS_OF < r.day <= END for r in rows),
            "after_end": sum(r.day > END for r in rows),
        }
        assert report["excluded"] == {k: v for k, v in reasons.items() if v}

    def test_payment_methods_are_read(self, tmp_path: Path, kind: str) -> None:
        """Every Vietnamese payment method of the export becomes its code."""
        rows = office_rows(40, seed=3, defects=False)
        bundle = bc.load_campaign(office_folder(tmp_path, rows, kind))
        words = {
            "Hằng tháng": "monthly",
            "hang thang": "monthly",
            "3 tháng": "quarterly",
            "6 tháng": "semiannual",
            "12 tháng": "annual",
            "Một lần": "lump_sum_future",
            "MỘT LẦN": "lump_sum_future",
        }
        expected = [words[r.payment] for r in rows]
        assert [r.payment_method.value for r in bundle.records if r.payment_method] == expected

    def test_a_bad_row_stops_report_naming_line_and_field(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
    ) -> None:
        """report refuses the export with bad rows, naming the first one's line and field."""
        rows = office_rows(40, seed=4)
        folder = office_folder(tmp_path, rows, kind)
        code, _, err = run(capsys, "report", str(folder), "--as-of", "18/05/2023")
        first = next(r for r in rows if r.defect)
        assert code == 2
        assert f"line {first.line}" in err
        assert "field 'enrolled_on'" in err
        assert "[month_first_date]" in err


class TestEveryEngine:
    @pytest.mark.parametrize("kind", ["xlsx", "csv", "dayfirst"])
    def test_every_engine_gives_the_python_figures(
        self, tmp_path: Path, example: bc.CampaignBundle, kind: str
    ) -> None:
        """The columnar engines send office exports and day-first dates to the Python path."""
        rows = office_rows(200, seed=7, defects=False)
        if kind == "dayfirst":
            folder = tmp_path / "dayfirst"
            shutil.copytree(EXAMPLE, folder)
            text = (folder / "enrollments.csv").read_text(encoding="utf-8")
            lines = text.splitlines()
            swapped = [lines[0]]
            for line in lines[1:]:
                cells = line.split(",")
                year, month, date = cells[3].split("-")
                cells[3] = f"{date}/{month}/{year}"
                swapped.append(",".join(cells))
            (folder / "enrollments.csv").write_text("\n".join(swapped) + "\n", encoding="utf-8")
        else:
            folder = office_folder(tmp_path, rows, kind)
        assert python_only_reason(folder) is not None
        bundle = bc.load_campaign(folder)
        units = [u.code for u in bundle.districts]
        python = daily_counts_for(
            folder, bundle.campaign, engine="python", as_of=AS_OF, units=units
        )
        for engine in ("arrow", "duckdb", "polars", "auto"):
            counts = daily_counts_for(
                folder, bundle.campaign, engine=engine, as_of=AS_OF, units=units
            )
            assert counts == python, engine
        if kind == "dayfirst":
            assert python == example.counts(AS_OF)

    def test_the_report_command_agrees(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """report --engine duckdb on the office CSV prints what --engine python prints."""
        folder = office_folder(tmp_path, office_rows(60, seed=8, defects=False), "csv")
        outs = []
        for engine in ("python", "duckdb", "polars", "arrow"):
            code, out, _ = run(
                capsys, "report", str(folder), "--engine", engine, "--format", "json"
            )
            assert code == 0
            outs.append(out)
        assert len(set(outs)) == 1


class TestAutoOnBigFiles:
    def test_a_big_day_first_file_counts_as_python(self, tmp_path: Path) -> None:
        """auto sends a records file of 1 MiB or more to a columnar engine without reading
        it first; on day-first dates the engine's own checks leave it to the exact path,
        so the figures are the Python loader's, ISO or day-first."""
        folder = tmp_path / "big"
        shutil.copytree(EXAMPLE, folder)
        header = "record_id,participant_id,district_code,enrolled_on\n"
        rows = [
            (f"r{n:06d}", f"24{n:08d}", "221", START + dt.timedelta(days=n % 31))
            for n in range(33000)
        ]
        iso = header + "".join(f"{r},{p},{u},{d.isoformat()}\n" for r, p, u, d in rows)
        assert len(iso) >= AUTO_THRESHOLD
        (folder / "enrollments.csv").write_text(iso, encoding="utf-8")
        assert auto_engine(folder) != "python"
        plan = bc.load_plan(folder)
        units = [u.code for u in plan.districts]
        expected = daily_counts_for(folder, plan.campaign, units=units)
        assert expected.total() == sum(START <= d <= plan.campaign.end for *_, d in rows)
        day_first = header + "".join(f"{r},{p},{u},{d:%d/%m/%Y}\n" for r, p, u, d in rows)
        (folder / "enrollments.csv").write_text(day_first, encoding="utf-8")
        assert python_only_reason(folder) == "it has day-first dates"
        for engine in ("auto", "arrow", "duckdb", "polars", "python"):
            counts = daily_counts_for(folder, plan.campaign, engine=engine, units=units)
            assert counts == expected, engine
