"""``report --skip-bad-rows``: the valid rows counted, each rejected row among the exclusions."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from bhxh_campaign.cli import main

from .conftest import EXAMPLE

HEADER = "record_id,participant_id,district_code,enrolled_on"
ROWS = (
    "r1,2400000001,221,2023-05-02",
    "r2,2400000002,223,2023-05-03",
    "r1,2400000003,221,2023-05-04",  # a repeated record id: line 4
    "r4,2400000004,221,2023-5-4",  # not an ISO date: line 5
    "r5,2400000002,221,2023-05-05",  # a repeat participant: counted apart, not rejected
)
ENGINES = ("python", "duckdb", "polars", "arrow", "auto")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The example campaign with five records, two of them rejected by the loader."""
    copy = tmp_path / "c"
    shutil.copytree(EXAMPLE, copy)
    (copy / "enrollments.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return copy


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


class TestStrict:
    @pytest.mark.parametrize("engine", ENGINES)
    def test_the_error_names_the_row_and_the_option(
        self, capsys: pytest.CaptureFixture[str], folder: Path, engine: str
    ) -> None:
        """Without the option, the first bad row is an error that says the option exists."""
        code, out, err = run(capsys, str(folder), "--as-of", "2023-05-18", "--engine", engine)
        assert (code, out) == (2, "")
        assert "enrollments.csv, line 4, field 'record_id'" in err
        assert "[duplicate_record_id]" in err
        assert "--skip-bad-rows" in err

    def test_a_bad_plan_file_has_no_hint(
        self, capsys: pytest.CaptureFixture[str], folder: Path
    ) -> None:
        """The hint is for records only: a bad targets.csv is not skipped by the option."""
        (folder / "targets.csv").write_text("unit_code,target\n221,x\n", encoding="utf-8")
        code, _, err = run(capsys, str(folder), "--as-of", "2023-05-18")
        assert code == 2
        assert "targets.csv" in err
        assert "--skip-bad-rows" not in err


class TestLenient:
    @pytest.mark.parametrize("engine", ENGINES)
    def test_json_lists_each_rejected_code(
        self, capsys: pytest.CaptureFixture[str], folder: Path, engine: str
    ) -> None:
        """Every engine counts the three valid rows and tallies the two rejected ones."""
        code, out, _ = run(
            capsys, str(folder), "--skip-bad-rows", "--engine", engine, "--format", "json"
        )
        assert code == 0
        report = json.loads(out)
        assert report["excluded"] == {
            "rejected:bad_date": 1,
            "rejected:duplicate_record_id": 1,
            "repeat_participant": 1,
        }
        assert report["as_of"] == "2023-05-05"  # the last day of a valid record
        # Nothing is dropped silently: counted + set aside = every data row.
        assert report["total"]["actual"] + sum(report["excluded"].values()) == len(ROWS)
        schema = json.loads(
            resources.files("bhxh_campaign").joinpath("data/report.schema.json").read_text()
        )
        jsonschema.validate(report, schema)

    @pytest.mark.parametrize(("lang", "words"), [("en", "rejected row"), ("vi", "dòng bị từ chối")])
    def test_text_notes_name_the_codes(
        self, capsys: pytest.CaptureFixture[str], folder: Path, lang: str, words: str
    ) -> None:
        """The bulletin's note of records not counted names each rejected row's code."""
        code, out, _ = run(
            capsys, str(folder), "--skip-bad-rows", "--as-of", "2023-05-18", "--lang", lang
        )
        assert code == 0
        assert f"{words} (bad_date): 1" in out
        assert f"{words} (duplicate_record_id): 1" in out

    def test_html_lists_them(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        """The page's table of records not counted has a row per rejected code."""
        code, out, _ = run(
            capsys, str(folder), "--skip-bad-rows", "--as-of", "2023-05-18", "--format", "html"
        )
        assert code == 0
        assert "rejected row (bad_date)" in out or "dòng bị từ chối (bad_date)" in out

    def test_a_bad_header_is_still_an_error(
        self, capsys: pytest.CaptureFixture[str], folder: Path
    ) -> None:
        """A problem with the whole file leaves no valid row: the option does not hide it."""
        rows = "record_id,participant_id,district_code\nr1,2400000001,221\n"  # no enrolled_on
        (folder / "enrollments.csv").write_text(rows, encoding="utf-8")
        code, _, err = run(capsys, str(folder), "--skip-bad-rows", "--as-of", "2023-05-18")
        assert code == 2
        assert "bad_header" in err

    def test_a_clean_folder_is_unchanged(self, capsys: pytest.CaptureFixture[str]) -> None:
        """On the example, which has no bad row, the option changes nothing."""
        plain = run(capsys, str(EXAMPLE), "--as-of", "2023-05-18", "--format", "json")
        lenient = run(
            capsys, str(EXAMPLE), "--as-of", "2023-05-18", "--format", "json", "--skip-bad-rows"
        )
        assert plain == lenient
