"""`bhxh-campaign init`: a commune-level folder from the registry, then every command on it."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.commands import init as init_command

START, END = dt.date(2026, 5, 1), dt.date(2026, 5, 31)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def init(capsys: pytest.CaptureFixture[str], folder: Path) -> str:
    code, out, _ = run(
        capsys,
        "init",
        str(folder),
        "--province",
        "24",
        "--level",
        "commune",
        "--start",
        START.isoformat(),
        "--end",
        END.isoformat(),
    )
    assert code == 0
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def fill(folder: Path) -> list[tuple[str, str, str, str]]:
    """Targets for every unit, and a few records; returns the records written."""
    units = [row["code"] for row in rows(folder / "units.csv")]
    targets = [("unit_code", "target", "measure")] + [(code, "3", "new") for code in units]
    with (folder / "targets.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(targets)
    records = [
        (
            f"r{i:03d}",
            f"{2400000000 + i}",
            units[i % 5],
            (START + dt.timedelta(days=i % 9)).isoformat(),
        )
        for i in range(40)
    ]
    with (folder / "enrollments.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(records)
    return records


class TestInit:
    def test_lists_the_province_units(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Bắc Ninh (24) has 99 communes and wards; the unit file has each, codes as text."""
        out = init(capsys, tmp_path / "bn-2026")
        lines = out.splitlines()
        assert lines[0].startswith(f"{tmp_path / 'bn-2026'}: 99 commune-level units")
        assert "  07210  Phường Bắc Giang" in lines
        units = rows(tmp_path / "bn-2026" / "units.csv")
        expected = bc.unit_registry().units_on("24", START, level=bc.UnitLevel.COMMUNE)
        assert [row["code"] for row in units] == [u.code for u in expected]
        assert len(units) == 99
        assert all(len(row["code"]) == 5 for row in units)

    def test_validate_says_what_is_left(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """On the fresh folder, validate names the missing targets and records, exit 1."""
        folder = tmp_path / "bn"
        init(capsys, folder)
        code, out, _ = run(capsys, "validate", str(folder), "--lang", "en")
        assert code == 1
        assert "Left to do:" in out
        assert "    missing_value: 99" in out  # one row per unit, counted by code first
        assert "enrollments.csv: no records yet" in out

    def test_refuses_a_folder_in_use(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder that has files is not overwritten."""
        (tmp_path / "x.txt").write_text("keep", encoding="utf-8")
        code, _, err = run(
            capsys,
            "init",
            str(tmp_path),
            "--province",
            "24",
            "--start",
            "2026-05-01",
            "--end",
            "2026-05-31",
        )
        assert code == 2
        assert "not an empty folder" in err
        assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "keep"

    def test_refuses_a_level_not_in_force(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A commune-level campaign in 2023 is refused before any file is written."""
        code, _, err = run(
            capsys,
            "init",
            str(tmp_path / "old"),
            "--province",
            "24",
            "--level",
            "commune",
            "--start",
            "2023-05-01",
            "--end",
            "2023-05-31",
        )
        assert code == 2
        assert "a commune-level campaign must run from 2025-07-01" in err
        assert not (tmp_path / "old").exists()

    def test_district_level_folder_before_the_reform(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Before 2025-07-01 the default level is districts, from the registry's old state."""
        out = init_days(capsys, tmp_path / "bg", "2025-05-01", "2025-05-31")
        units = rows(tmp_path / "bg" / "units.csv")
        assert {len(row["code"]) for row in units} == {3}
        assert "district-level units" in out


def init_days(capsys: pytest.CaptureFixture[str], folder: Path, start: str, end: str) -> str:
    code, out, _ = run(
        capsys, "init", str(folder), "--province", "24", "--start", start, "--end", end
    )
    assert code == 0
    return out


class TestFilledFolder:
    """After filling targets and records, every command works and codes stay text."""

    @pytest.fixture
    def folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
        folder = tmp_path / "bn-2026"
        init(capsys, folder)
        fill(folder)
        return folder

    def test_validate_passes(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Nothing is left to do: exit 0."""
        code, out, _ = run(capsys, "validate", str(folder))
        assert code == 0, out
        assert "Còn phải làm" not in out

    def test_report_formats(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Text, JSON, CSV, Markdown and HTML: the brute-force count, codes as text."""
        records = rows(folder / "enrollments.csv")
        as_of = dt.date(2026, 5, 5)
        oracle: dict[str, int] = {}
        for r in records:
            if START <= dt.date.fromisoformat(r["enrolled_on"]) <= as_of:
                oracle[r["district_code"]] = oracle.get(r["district_code"], 0) + 1
        base = ("report", str(folder), "--as-of", as_of.isoformat())
        code, out, _ = run(capsys, *base)
        assert code == 0
        assert "các xã, phường" in out
        code, out, _ = run(capsys, *base, "--format", "json")
        assert code == 0
        data = json.loads(out)
        assert data["level"] == "commune"
        got = {row["code"]: row["actual"] for row in data["districts"] if row["actual"]}
        assert got == oracle
        assert data["total"]["actual"] == sum(oracle.values())
        assert "07210" in {row["code"] for row in data["districts"]}
        code, out, _ = run(capsys, *base, "--format", "csv")
        assert code == 0
        assert out.splitlines()[0].split(",")[2] == "commune"
        assert any(line.split(",")[1] == "07210" for line in out.splitlines()[1:])
        for fmt in ("markdown", "table"):
            code, out, _ = run(capsys, *base, "--format", fmt)
            assert code == 0
            assert "07210" in out
        page = folder / "report.html"
        code, _, _ = run(capsys, *base, "--format", "html", "--out", str(page))
        assert code == 0
        assert "07210" in page.read_text(encoding="utf-8")

    def test_diff(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The diff between two days names commune codes."""
        code, out, _ = run(
            capsys,
            "diff",
            str(folder),
            "--from",
            "2026-05-03",
            "--to",
            "2026-05-06",
            "--lang",
            "en",
        )
        assert code == 0
        assert "of 99" in out

    def test_chart(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A chart of the commune campaign is drawn."""
        pytest.importorskip("matplotlib")
        out = folder / "c.png"
        code, _, err = run(capsys, "chart", str(folder), "--kind", "completion", "--out", str(out))
        assert code == 0, err
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_audit(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A bulletin's figures about communes are audited, codes as TOML strings."""
        report = bc.load_campaign(folder).report(dt.date(2026, 5, 5))
        top = report.units[0]
        published = folder / "published.toml"
        published.write_text(
            "\n".join(
                [
                    'source = "test"',
                    "published_on = 2026-05-06",
                    "as_of = 2026-05-05",
                    "complete = false",
                    "[total]",
                    'name = "Bắc Ninh"',
                    'code = "24"',
                    f"target = {report.total.target}",
                    f"count = {report.total.actual}",
                    f'percent = "{report.total.percent}"',
                    "[[units]]",
                    f'name = "{top.name}"',
                    f'code = "{top.code}"',
                    f"count = {top.actual}",
                    "rank = 1",
                    "",
                ]
            ),
            encoding="utf-8",
        )
        code, out, err = run(capsys, "audit", str(published))
        assert code == 0, out + err


class TestInitArguments:
    def test_a_bad_date_is_a_usage_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A month-first day is refused by the parser (1/5/2026 is day-first, 1 May)."""
        with pytest.raises(SystemExit) as exit_:
            main(
                [
                    "init",
                    str(tmp_path / "x"),
                    "--province",
                    "24",
                    "--start",
                    "05/13/2026",
                    "--end",
                    "2026-05-31",
                ]
            )
        assert exit_.value.code == 2
        assert "'05/13/2026', month-first (dates are day-first)" in capsys.readouterr().err

    def test_a_province_without_units_writes_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the registry has no unit for the days, nothing is written and the error says so."""
        monkeypatch.setattr(init_command, "_units", lambda _campaign: ())
        code, _, err = run(
            capsys,
            "init",
            str(tmp_path / "x"),
            "--province",
            "24",
            "--start",
            "2026-05-01",
            "--end",
            "2026-05-31",
        )
        assert code == 2
        assert "has no commune-level unit in force" in err
        assert not (tmp_path / "x").exists()
