"""Units at their level: `Unit`, `District`, `Commune`, and a campaign's unit checks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign._layout import inputs, unit_file_of
from bhxh_campaign.admin import Unit
from bhxh_campaign.model import check_campaign_units
from bhxh_campaign.strategies import campaigns, unit_levels, units

EXAMPLE = Path(__file__).parent.parent / "examples" / "bac_giang_2023"
MAY_2026 = bc.Campaign(
    id="bn", name="Tháng 5", scope="24", start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31)
)


class TestUnit:
    def test_is_abstract(self) -> None:
        """The base type has no level: a District or a Commune is built instead."""
        with pytest.raises(TypeError, match="Unit is abstract"):
            Unit(code="221", name="X", kind="huyen", province_code="24")

    @given(unit_levels().flatmap(units))
    def test_unit_type_round_trip(self, unit: bc.Unit) -> None:
        """A unit is of its type's level, and unit_type gives that type back."""
        assert type(unit) is bc.unit_type(unit.level)
        assert unit.level.matches(unit.code)
        assert unit.kind.level is unit.level

    def test_province_code_is_two_digits(self) -> None:
        """A unit's province code has two ASCII digits."""
        with pytest.raises(bc.InvalidValueError, match="province_code must be 2 digits"):
            bc.Commune(code="07210", name="X", kind="xa", province_code="241")


class TestTarget:
    def test_level_of_its_unit(self) -> None:
        """A target knows its unit's level; a province's has none."""
        commune = bc.Target(unit_code="07210", campaign_id="c", value=5)
        province = bc.Target(unit_code="24", campaign_id="c", value=5)
        assert (commune.level, commune.is_province, commune.is_district) == (
            bc.UnitLevel.COMMUNE,
            False,
            False,
        )
        assert (province.level, province.is_province) == (None, True)


class TestCampaignUnits:
    def test_a_unit_of_the_other_level_is_refused(self) -> None:
        """A commune campaign cannot hold a district, and says which unit."""
        district = bc.District(code="221", name="Yên Dũng", kind="huyen", province_code="24")
        with pytest.raises(bc.InvalidValueError, match=r"unit '221' .* is a district"):
            check_campaign_units(MAY_2026, [district])

    def test_a_unit_not_in_force_is_refused(self) -> None:
        """A unit that ended before the campaign's last day is refused, naming the day."""
        ward = bc.Commune(
            code="07210",
            name="Bắc Giang",
            kind="phuong",
            province_code="24",
            valid_to=dt.date(2026, 5, 15),
        )
        with pytest.raises(bc.InvalidValueError, match="did not exist on 2026-05-31"):
            check_campaign_units(MAY_2026, [ward])

    @given(campaigns(), st.data())
    def test_units_of_its_level_pass(self, campaign: bc.Campaign, data: st.DataObject) -> None:
        """Any campaign accepts open-ended units of its own level, unchanged."""
        drawn = data.draw(st.lists(units(campaign.level), max_size=4))
        assert check_campaign_units(campaign, drawn) == tuple(drawn)

    def test_counting_refuses_units_of_the_other_level(self) -> None:
        """daily_counts' unit list must be of the campaign's level."""
        with pytest.raises(bc.InvalidValueError, match="unit '221' is not a commune code"):
            bc.daily_counts([], MAY_2026, units=["221"])


class TestFolderUnitFile:
    def test_both_unit_files_are_refused(self, tmp_path: Path) -> None:
        """units.csv and districts.csv together: which one is meant is not guessed."""
        folder = tmp_path / "c"
        shutil.copytree(EXAMPLE, folder)
        shutil.copy(folder / "districts.csv", folder / "units.csv")
        with pytest.raises(bc.LoadError, match=r"has both units\.csv and districts\.csv"):
            unit_file_of(folder)
        with pytest.raises(bc.LoadError, match="has both"):
            bc.load_campaign(folder)

    def test_inputs_name_the_unit_file(self) -> None:
        """The files a report is computed from include the folder's own unit file."""
        assert [p.name for p in inputs(EXAMPLE)] == [
            "campaign.toml",
            "districts.csv",
            "targets.csv",
            "enrollments.csv",
        ]

    def test_a_commune_in_a_district_campaign_is_refused_by_line(self, tmp_path: Path) -> None:
        """A 2023 folder with a commune row: the row is refused, naming line and field."""
        folder = tmp_path / "c"
        shutil.copytree(EXAMPLE, folder)
        with (folder / "districts.csv").open("a", encoding="utf-8") as file:
            file.write("07210,Bắc Giang,phuong,24\n")
        load = bc.load_campaign(folder, strict=False)
        rejected = load.reports["districts.csv"].rejected
        assert [(r.line, r.field) for r in rejected] == [(12, "code")]

    def test_a_unit_not_in_force_is_a_load_error(self, tmp_path: Path) -> None:
        """A unit file whose unit ended before the campaign: a LoadError naming the file."""
        folder = tmp_path / "c"
        shutil.copytree(EXAMPLE, folder)
        text = (folder / "districts.csv").read_text(encoding="utf-8")
        text = text.replace("code,name,kind,province_code", "code,name,kind,province_code,valid_to")
        lines = text.splitlines()
        lines = [
            lines[0],
            *(
                f"{line},2023-05-20" if i == 1 else f"{line},"
                for i, line in enumerate(lines[1:], 1)
            ),
        ]
        (folder / "districts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(bc.LoadError, match=r"districts\.csv.*did not exist on 2023-05-31"):
            bc.load_campaign(folder)


class TestLevelWords:
    @pytest.mark.parametrize("level", list(bc.UnitLevel))
    def test_headers_in_both_languages(self, level: bc.UnitLevel) -> None:
        """Each level has its own column headings in both languages."""
        assert level.header_vi.startswith("Đơn vị cấp")
        assert level.header_en in {"District", "Commune or ward"}
