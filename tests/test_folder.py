"""Tests of `bhxh_campaign.io.folder`: reading a campaign folder, and its errors."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import bhxh_campaign as bc
from bhxh_campaign.io.folder import load_plan

from .conftest import EXAMPLE


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the example folder."""
    target = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, target)
    return target


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestLoadCampaign:
    def test_example(self, example: bc.CampaignBundle) -> None:
        """The example loads every row of every file."""
        rows = len((EXAMPLE / "enrollments.csv").read_text(encoding="utf-8").splitlines()) - 1
        assert len(example.records) == rows
        assert len(example.districts) == 10
        assert {t.measure for t in example.targets} == {bc.Measure.NEW, bc.Measure.STOCK}
        assert example.campaign.scope == "24"

    def test_bom_and_blank_lines(self, folder: Path) -> None:
        """A UTF-8 byte-order mark and blank lines are accepted."""
        path = folder / "districts.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes() + b"\n\n")
        assert len(bc.load_campaign(folder).districts) == 10

    def test_leading_zeros_kept(self, folder: Path) -> None:
        """Participant ids keep their leading zeros."""
        ids = [r.participant_id for r in bc.load_campaign(folder).records]
        assert any(pid.startswith("0") for pid in ids)
        assert all(len(pid) in (10, 12) for pid in ids)

    @pytest.mark.parametrize(
        ("file", "old", "new", "where"),
        [
            ("enrollments.csv", "2023-05-01", "2023-02-31", "line"),
            ("enrollments.csv", "2023-05-01", "05/13/2023", "field 'enrolled_on'"),
            ("districts.csv", "huyen", "xa", "field 'kind'"),
            ("targets.csv", "285", "0", "field 'target'"),
            ("targets.csv", "285", "2.85e2", "field 'target'"),
            ("districts.csv", "221,", "2210,", "field 'code'"),
        ],
    )
    def test_bad_values_name_file_line_field(
        self, folder: Path, file: str, old: str, new: str, where: str
    ) -> None:
        """A bad value is a LoadError naming the file, the line and the field."""
        rewrite(folder / file, old, new)
        with pytest.raises(bc.LoadError, match=file) as info:
            bc.load_campaign(folder)
        assert info.value.line is not None
        assert info.value.line > 1
        assert where in str(info.value)

    def test_repeated_record_id(self, folder: Path) -> None:
        """A record_id seen earlier is refused, naming both lines."""
        path = folder / "enrollments.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
        with pytest.raises(bc.LoadError, match="repeats line 2") as info:
            bc.load_campaign(folder)
        assert info.value.line == len(lines) + 1
        assert info.value.field == "record_id"

    def test_wrong_cell_count(self, folder: Path) -> None:
        """A row with too many cells is refused."""
        rewrite(folder / "districts.csv", "Yên Dũng,", "Yên Dũng,extra,")
        with pytest.raises(bc.LoadError, match="cells"):
            bc.load_campaign(folder)

    def test_header_problems_listed_together(self, folder: Path) -> None:
        """Missing and unknown columns are one error listing all of them."""
        rewrite(folder / "targets.csv", "unit_code,target", "unit,target,colour")
        with pytest.raises(bc.LoadError, match="missing 'unit_code'; unknown 'unit', 'colour'"):
            bc.load_campaign(folder)

    def test_not_utf8(self, folder: Path) -> None:
        """Bytes that are not UTF-8 are refused with their line."""
        path = folder / "districts.csv"
        path.write_bytes(path.read_bytes().replace("Yên".encode(), "Y\xean".encode("cp1258")))
        with pytest.raises(bc.LoadError, match="not valid UTF-8"):
            bc.load_campaign(folder)

    def test_nul_byte(self, folder: Path) -> None:
        """A NUL byte is refused with its line."""
        rewrite(folder / "districts.csv", "Sơn Động", "Sơn\x00Động")
        with pytest.raises(bc.LoadError, match="NUL"):
            bc.load_campaign(folder)

    @pytest.mark.parametrize(
        ("old", "new", "match"),
        [
            ('scope = "24"', 'scope = "2"', "scope"),
            ('id = "bac-giang-2023-peak-month"\n', "", "missing key 'id'"),
            ("end = 2023-05-31", "end = 2023-04-30", "end must not be before start"),
            ("end = 2023-05-31", "end = 2023-05-31\ncolour = 1", "unknown keys 'colour'"),
            ("end = 2023-05-31", "end = [", "malformed TOML"),
        ],
    )
    def test_campaign_toml(self, folder: Path, old: str, new: str, match: str) -> None:
        """Errors in campaign.toml name the file and the problem."""
        rewrite(folder / "campaign.toml", old, new)
        with pytest.raises(bc.LoadError, match=match):
            bc.load_campaign(folder)

    def test_missing_file(self, folder: Path) -> None:
        """A missing file is named."""
        (folder / "targets.csv").unlink()
        with pytest.raises(bc.LoadError, match=r"targets\.csv: file not found"):
            bc.load_campaign(folder)


class TestLoadCampaignNotStrict:
    def test_example_reports(self, example: bc.CampaignBundle) -> None:
        """strict=False gives the same bundle and a clean report per file."""
        load = bc.load_campaign(EXAMPLE, strict=False)
        assert load.ok
        assert load.bundle == example
        for report in load.reports.values():
            assert report.rows_read == report.accepted + len(report.rejected) + report.blank

    def test_bad_rows_reported_not_raised(self, folder: Path) -> None:
        """Bad rows are reported with line and field; the rest of the folder loads."""
        rewrite(folder / "enrollments.csv", "2023-05-01", "2023-02-31")
        rewrite(folder / "districts.csv", "huyen", "xa")
        load = bc.load_campaign(folder, strict=False)
        assert not load.ok
        enrollments = load.reports["enrollments.csv"]
        assert [(e.code, e.field) for e in enrollments.rejected] == [
            ("impossible_date", "enrolled_on")
        ]
        assert len(load.bundle.records) == len(bc.load_campaign(EXAMPLE).records) - 1
        assert [(e.code, e.line, e.field) for e in load.reports["districts.csv"].rejected] == [
            ("invalid_value", 3, "kind")
        ]
        assert len(load.bundle.districts) == 9

    def test_header_aliases(self, folder: Path) -> None:
        """A folder's CSV headers may use the Vietnamese aliases."""
        rewrite(folder / "districts.csv", "code,name,kind,province_code", "Mã,Tên,Loại,Mã tỉnh")
        assert len(bc.load_campaign(folder).districts) == 10

    def test_missing_file_still_raises(self, folder: Path) -> None:
        """A missing campaign.toml raises even when not strict, with the code file_not_found."""
        (folder / "campaign.toml").unlink()
        with pytest.raises(bc.LoadError, match="file not found") as info:
            bc.load_campaign(folder, strict=False)
        assert info.value.code == "file_not_found"


class TestNoFolder:
    def test_not_a_directory(self, tmp_path: Path) -> None:
        """A path that is not a folder is a LoadError for both folder loaders."""
        with pytest.raises(bc.LoadError, match="not a campaign folder"):
            bc.load_campaign(tmp_path / "nowhere")
        with pytest.raises(bc.LoadError, match="not a campaign folder"):
            load_plan(tmp_path / "nowhere")


class TestLoadErrorCode:
    def test_bad_row_has_its_code(self, folder: Path) -> None:
        """In strict mode the error carries the rejected row's code, line and field."""
        rewrite(folder / "enrollments.csv", "2023-05-01", "2023-02-31")
        first = bc.load_campaign(folder, strict=False).reports["enrollments.csv"].rejected[0]
        with pytest.raises(bc.LoadError) as info:
            bc.load_campaign(folder)
        assert (info.value.code, info.value.line, info.value.field) == (
            "impossible_date",
            first.line,
            "enrolled_on",
        )

    def test_toml_problems_have_no_code(self, folder: Path) -> None:
        """A malformed campaign.toml has no loader code."""
        rewrite(folder / "campaign.toml", "end = 2023-05-31", "end = [")
        with pytest.raises(bc.LoadError) as info:
            bc.load_campaign(folder)
        assert info.value.code is None


class TestProgress:
    @pytest.mark.parametrize("strict", [True, False])
    def test_enrollments_are_reported(self, strict: bool) -> None:
        """load_campaign reports reading enrollments.csv, ending at (size, size)."""
        calls: list[tuple[int, int]] = []
        bc.load_campaign(EXAMPLE, strict=strict, progress=lambda *call: calls.append(call))
        size = (EXAMPLE / "enrollments.csv").stat().st_size
        assert calls == [(size, size)]


class TestCampaignToml:
    @pytest.mark.parametrize(
        ("old", "new", "match"),
        [
            ("start = 2023-05-01", 'start = "2023-05-01"', None),
            ("start = 2023-05-01", 'start = "01/05/2023"', None),
            ("start = 2023-05-01", 'start = "1/5/2023"', None),
            ("start = 2023-05-01", 'start = "05/13/2023"', "month-first"),
            ("start = 2023-05-01", 'start = "2023-02-31"', "not a day of the calendar"),
            ("start = 2023-05-01", 'start = "1 May 2023"', "must be an ISO date"),
            ("start = 2023-05-01", 'start = ""', "must not be empty"),
            ("target = 52139", 'target = "52139"', None),
            ("target = 52139", 'target = "5e4"', "whole number"),
            ("[[stock_goals]]", "stock_goals = 3\n[[provinces]]", "array of tables"),
        ],
    )
    def test_values(self, folder: Path, old: str, new: str, match: str | None) -> None:
        """campaign.toml dates and numbers may be strings of the right form; others fail."""
        rewrite(folder / "campaign.toml", old, new)
        if match is None:
            bundle = bc.load_campaign(folder)
            assert bundle.campaign.start == dt.date(2023, 5, 1)
            stocks = [t.value for t in bundle.targets if t.measure is bc.Measure.STOCK]
            assert stocks == [52139]
        else:
            with pytest.raises(bc.LoadError, match=match):
                bc.load_campaign(folder)


class TestCampaignTomlUnreadable:
    def test_not_utf8(self, folder: Path) -> None:
        """A campaign.toml that is not UTF-8 is a LoadError naming the file."""
        (folder / "campaign.toml").write_bytes(b'id = "x\xff"\n')
        match = r"campaign\.toml, line 1, field 'id': not valid UTF-8"
        with pytest.raises(bc.LoadError, match=match):
            bc.load_campaign(folder)

    def test_a_directory(self, folder: Path) -> None:
        """A campaign.toml that is a directory is a LoadError naming the file."""
        (folder / "campaign.toml").unlink()
        (folder / "campaign.toml").mkdir()
        with pytest.raises(bc.LoadError, match=r"campaign\.toml: cannot be read"):
            bc.load_campaign(folder)

    def test_revised_targets(self, folder: Path) -> None:
        """A unit may have an original and a supplemented target from a later day."""
        path = folder / "targets.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0] + ",version,effective_from"
        rows = [line + ",original," for line in lines[1:]]
        rows.append("221,300,new,supplemented,2023-05-15")
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        bundle = bc.load_campaign(folder)
        report = bundle.report(dt.date(2023, 5, 18))
        row = report.district("221")
        assert (row.target, row.original_target) == (300, 285)
