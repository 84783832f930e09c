"""Tests of ``bhxh-campaign validate``: text and JSON reports and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bhxh_campaign.cli import main

from .conftest import EXAMPLE

HEADER = "record_id,participant_id,district_code,enrolled_on\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestValidate:
    def test_example_folder(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The example folder validates with exit code 0 and every file listed."""
        code, out, _ = run(capsys, "validate", str(EXAMPLE), "--format", "json")
        assert code == 0
        files = json.loads(out)["files"]
        assert [Path(f["file"]).name for f in files] == [
            "districts.csv",
            "targets.csv",
            "enrollments.csv",
        ]
        assert all(f["errors"] == [] and f["rejected"] == 0 for f in files)

    def test_json_shape(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Rejected rows give exit code 1 and the documented JSON shape."""
        path = tmp_path / "enrollments.csv"
        path.write_text(
            HEADER + "r1,2412345678,221,31/02/2023\n\nr2,2412345679,221,2023-05-01\n",
            encoding="utf-8",
        )
        code, out, _ = run(capsys, "validate", str(path), "--format", "json", "--lang", "en")
        assert code == 1
        data: dict[str, Any] = json.loads(out)
        assert data == {
            "files": [
                {
                    "file": str(path),
                    "rows_read": 3,
                    "accepted": 1,
                    "rejected": 1,
                    "blank": 1,
                    "header_line": 1,
                    "ignored_columns": [],
                    "summary": {"impossible_date": 1},
                    "errors": [
                        {
                            "line": 2,
                            "field": "enrolled_on",
                            "code": "impossible_date",
                            "value": "31/02/2023",
                            "message": "enrolled_on is not a day of the calendar, '31/02/2023'",
                        }
                    ],
                    "omitted": 0,
                }
            ]
        }

    def test_text_in_vietnamese(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """The text report counts rows and lists errors with masked ids."""
        path = tmp_path / "e.csv"
        path.write_text(HEADER + "r1,24123456789,221,2023-05-01\n", encoding="utf-8")
        code, out, _ = run(capsys, "validate", str(path))
        assert code == 1
        assert "1 dòng, 0 nhận, 1 loại, 0 trống" in out
        assert "dòng 2 [participant_id] id_wrong_length" in out
        assert "24123456789" not in out

    @pytest.mark.parametrize(("name", "kind"), [("my_targets.csv", None), ("x.csv", "targets")])
    def test_kind(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, kind: str | None
    ) -> None:
        """The kind comes from --kind or the file name."""
        path = tmp_path / name
        shutil.copy(EXAMPLE / "targets.csv", path)
        args = ["validate", str(path)] + (["--kind", kind] if kind else [])
        assert run(capsys, *args)[0] == 0

    def test_districts_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A districts file is recognised by its name."""
        assert run(capsys, "validate", str(EXAMPLE / "districts.csv"))[0] == 0

    def test_header_problem(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A bad header is an error with exit code 1, listed without a line number."""
        path = tmp_path / "e.csv"
        path.write_text("colour\nred\n", encoding="utf-8")
        code, out, _ = run(capsys, "validate", str(path), "--lang", "en")
        assert code == 1
        assert "line 1 bad_header" in out

    def test_missing_path(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A path that does not exist is exit code 2."""
        code, _, err = run(capsys, "validate", str(tmp_path / "none"))
        assert code == 2
        assert "no such file or folder" in err

    def test_broken_campaign_toml(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A folder whose campaign.toml is broken cannot be checked: exit code 2."""
        folder = tmp_path / "c"
        shutil.copytree(EXAMPLE, folder)
        (folder / "campaign.toml").write_text("id = [", encoding="utf-8")
        assert run(capsys, "validate", str(folder))[0] == 2


class TestEncodingOption:
    def test_refused_for_a_folder(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--encoding with a folder is a one-line error, not silently ignored."""
        code, _, err = run(capsys, "validate", str(EXAMPLE), "--encoding", "cp1258")
        assert code == 2
        assert "--encoding, --sheet and --level apply to one file" in err


class TestSheetOption:
    BOOK = Path(__file__).parent / "fixtures" / "loaders" / "several_sheets.xlsx"

    def test_several_sheets_need_a_name(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A workbook with data on two sheets is refused until --sheet names one."""
        code, out, _ = run(capsys, "validate", str(self.BOOK), "--format", "json")
        assert code == 1
        assert "several_sheets" in out
        code, out, _ = run(
            capsys, "validate", str(self.BOOK), "--sheet", "Tháng 6", "--format", "json"
        )
        assert code == 0
        assert json.loads(out)["files"][0]["accepted"] == 1

    def test_refused_for_a_folder(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--sheet with a folder is a one-line error."""
        code, _, err = run(capsys, "validate", str(EXAMPLE), "--sheet", "Data")
        assert code == 2
        assert "--sheet and --level apply to one file" in err


class TestLevel:
    def test_commune_headings_name_the_unit(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With --level commune, an office export's "Mã xã" is the unit column."""
        path = tmp_path / "office.csv"
        path.write_text(
            "Mã hồ sơ,Mã số BHXH,Mã xã,Ngày tham gia\nr1,2412345678,07210,18/05/2026\n",
            encoding="utf-8",
        )
        assert main(["validate", str(path), "--level", "commune", "--format", "json"]) == 0
        files = json.loads(capsys.readouterr().out)["files"]
        assert files[0]["accepted"] == 1
        assert main(["validate", str(path), "--format", "json"]) == 1
        errors = json.loads(capsys.readouterr().out)["files"][0]["errors"]
        assert [e["code"] for e in errors] == ["bad_header"]

    def test_a_unit_file_is_recognised_by_name(self, capsys: pytest.CaptureFixture[str]) -> None:
        """units.csv is read as a unit file, five-digit codes and commune kinds."""
        assert main(["validate", "examples/bac_ninh_2026/units.csv", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["files"][0]["accepted"] == 99

    def test_level_is_for_one_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A folder's level comes from its campaign.toml, not from --level."""
        assert main(["validate", "examples/bac_ninh_2026", "--level", "commune"]) == 2
        assert "--level apply to one file" in capsys.readouterr().err
