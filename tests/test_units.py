"""Tests of `bhxh_campaign.units`: Bắc Giang's units across the 2025 reforms, crosswalks."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.registry import unit_registry
from bhxh_campaign.strategies import (
    daily_counts_grids,
    district_codes,
    districts,
    province_codes,
)
from bhxh_campaign.units import (
    ProvincePeriod,
    UnitChange,
    UnitHistory,
    bac_giang_units,
    rekey,
    rekey_records,
    unit_history_from_dict,
)

D18 = dt.date(2023, 5, 18)
JAN_2025 = dt.date(2025, 1, 1)
JUL_2025 = dt.date(2025, 7, 1)
DAYS = st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 31))


class TestBundledData:
    """The bundled Bắc Giang units: the 2023 state and the two 2025 changes."""

    def test_2023_state(self, example: bc.CampaignBundle) -> None:
        """On 18/05/2023 there are the example's ten units, same codes, names and kinds."""
        units = bac_giang_units().districts_on(D18)
        assert [(d.code, d.name, d.kind) for d in units] == [
            (d.code, d.name, d.kind) for d in sorted(example.districts, key=lambda d: d.code)
        ]

    def test_january_2025(self) -> None:
        """From 01/01/2025 Yên Dũng (221) is gone and Bắc Giang city (213) has grown."""
        codes = [d.code for d in bac_giang_units().districts_on(JAN_2025)]
        assert codes == ["213", "215", "216", "217", "218", "219", "220", "222", "223"]
        assert [d.code for d in bac_giang_units().districts_on(JAN_2025 - dt.timedelta(1))][
            -3:
        ] == [
            "221",
            "222",
            "223",
        ]

    def test_july_2025(self) -> None:
        """From 01/07/2025 there are no districts, and code 24 is Bắc Ninh."""
        units = bac_giang_units()
        assert units.districts_on(JUL_2025) == ()
        assert units.province_on("24", JUL_2025 - dt.timedelta(1)).name == "Bắc Giang"
        assert units.province_on("24", JUL_2025).name == "Bắc Ninh"
        with pytest.raises(bc.UnknownUnitError, match="'27'"):
            units.province_on("27", JUL_2025)

    def test_sources_are_recorded(self) -> None:
        """The data carries its sources, Resolution 202/2025/QH15 among them."""
        assert any("202/2025/QH15" in s for s in bac_giang_units().sources)

    def test_crosswalk_to_2025(self) -> None:
        """2023 to 2025-01: 221 becomes 213, the rest keep their codes."""
        walk = bac_giang_units().crosswalk(D18, JAN_2025)
        assert walk["221"] == "213"
        assert all(new == old for old, new in walk.items() if old != "221")

    def test_crosswalk_to_two_tiers(self) -> None:
        """2023 to 2025-07: every district and both provinces become province 24."""
        walk = bac_giang_units().crosswalk(D18, JUL_2025)
        assert set(walk.values()) == {"24"}
        assert "27" in walk
        assert len(walk) == 12

    def test_crosswalk_runs_forward_only(self) -> None:
        """A crosswalk back in time is refused."""
        with pytest.raises(bc.InvalidValueError, match="forward in time"):
            bac_giang_units().crosswalk(JUL_2025, D18)

    @given(DAYS, DAYS, DAYS)
    def test_crosswalks_compose(self, a: dt.date, b: dt.date, c: dt.date) -> None:
        """Walking a to b then b to c is walking a to c."""
        a, b, c = sorted((a, b, c))
        units = bac_giang_units()
        first, second, whole = units.crosswalk(a, b), units.crosswalk(b, c), units.crosswalk(a, c)
        assert {code: second[mid] for code, mid in first.items()} == whole

    @given(DAYS, DAYS)
    def test_successors_exist(self, a: dt.date, b: dt.date) -> None:
        """Every unit's successor exists on the later day (as a district or a province)."""
        a, b = sorted((a, b))
        units = bac_giang_units()
        later = {d.code for d in units.districts_on(b)} | {
            p.province.code for p in units.provinces if p.is_valid_on(b)
        }
        assert set(units.crosswalk(a, b).values()) <= later


class TestRekey:
    """`rekey`: counts added up under another period's codes; totals never change."""

    def test_example_on_2025_units(self, example: bc.CampaignBundle) -> None:
        """The bulletin's counts on 2025-01 units: Bắc Giang city 205 + Yên Dũng 318 = 523."""
        counts = example.counts(D18)
        walk = bac_giang_units().crosswalk(D18, JAN_2025)
        moved = rekey(counts, walk)
        assert moved.totals()["213"] == 523
        assert "221" not in moved.units
        assert moved.total() == 1928
        assert moved.exclusions == counts.exclusions

    def test_example_on_two_tier_units(self, example: bc.CampaignBundle) -> None:
        """On 2025-07 units, the whole province is one row: Bắc Ninh (24), 1,928."""
        moved = rekey(example.counts(D18), bac_giang_units().crosswalk(D18, JUL_2025))
        assert moved.totals() == {"24": 1928}
        assert moved.series() == example.counts(D18).series()

    @given(daily_counts_grids(), st.data())
    def test_preserves_totals(self, counts: bc.DailyCounts, data: st.DataObject) -> None:
        """Any crosswalk keeps the total, every day's total, and adds rows as brute force does."""
        targets = st.sampled_from(["24", "213", "999"]) | district_codes()
        walk = {unit: data.draw(targets, label=unit) for unit in counts.units}
        moved = rekey(counts, walk)
        assert moved.total() == counts.total()
        assert moved.series() == counts.series()
        expected: dict[str, int] = {}
        for unit, total in counts.totals().items():
            expected[walk[unit]] = expected.get(walk[unit], 0) + total
        assert moved.totals() == expected
        assert (moved.start, moved.end, moved.exclusions) == (
            counts.start,
            counts.end,
            counts.exclusions,
        )

    @given(daily_counts_grids())
    def test_identity(self, counts: bc.DailyCounts) -> None:
        """The identity crosswalk changes nothing."""
        assert rekey(counts, {u: u for u in counts.units}) == counts

    def test_unknown_unit(self) -> None:
        """A unit missing from the crosswalk is an UnknownUnitError naming it."""
        counts = bc.DailyCounts(start=D18, end=D18, grid={"221": [1]})
        with pytest.raises(bc.UnknownUnitError, match="'221'"):
            rekey(counts, {})


class TestTypes:
    """`UnitChange`, `ProvincePeriod`, `UnitHistory` are validated values."""

    def test_change_normalises(self) -> None:
        """Codes are stripped and become a tuple; the history orders changes by day."""
        late = UnitChange(effective_on=JUL_2025, old_codes=[" 213 "], new_code="24")
        early = UnitChange(effective_on=JAN_2025, old_codes=["221"], new_code="213")
        assert late.old_codes == ("213",)
        assert UnitHistory(districts=[], changes=[late, early]).changes == (early, late)

    @pytest.mark.parametrize(
        ("old", "new"), [([], "213"), (["2213"], "213"), (["221"], "2"), (["2a1"], "213")]
    )
    def test_bad_change(self, old: list[str], new: str) -> None:
        """Empty or malformed codes are refused."""
        with pytest.raises(bc.InvalidValueError):
            UnitChange(effective_on=JAN_2025, old_codes=old, new_code=new)

    def test_values(self) -> None:
        """Histories pickle and hash by value."""
        units = bac_giang_units()
        copy = pickle.loads(pickle.dumps(units))
        assert copy == units
        assert hash(copy) == hash(units)

    def test_from_dict_rejects_non_tables(self) -> None:
        """A key that is not a list of tables is refused, naming it."""
        with pytest.raises(bc.InvalidValueError, match="changes"):
            unit_history_from_dict({"changes": {"a": 1}}, province_code="24")

    def test_province_period(self) -> None:
        """A province period is valid between its ends, both included."""
        p = ProvincePeriod(bc.Province(code="24", name="Bắc Giang"), None, dt.date(2025, 6, 30))
        assert p.is_valid_on(dt.date(1997, 1, 1))
        assert not p.is_valid_on(JUL_2025)


@st.composite
def validity(draw: st.DrawFn) -> dict[str, dt.date]:
    """Optional valid_from / valid_to keys, in order when both are given."""
    ends = sorted(draw(st.lists(DAYS, min_size=2, max_size=2)))
    keys = draw(st.sampled_from([(), ("valid_from",), ("valid_to",), ("valid_from", "valid_to")]))
    return {key: ends[0] if key == "valid_from" else ends[1] for key in keys}


@st.composite
def history_tables(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """Parsed TOML in the bundled file's layout: districts, provinces and changes tables."""
    data: dict[str, list[dict[str, Any]]] = {}
    if draw(st.booleans()):
        data["districts"] = [
            {"code": d.code, "name": d.name, "kind": d.kind.value, **draw(validity())}
            for d in draw(st.lists(districts(), max_size=4))
        ]
    if draw(st.booleans()):
        data["provinces"] = [
            {"code": draw(province_codes()), "name": d.name, **draw(validity())}
            for d in draw(st.lists(districts(), max_size=3))
        ]
    if draw(st.booleans()):
        changes = []
        for _ in range(draw(st.integers(0, 3))):
            change: dict[str, Any] = {
                "effective_on": draw(DAYS),
                "old_codes": draw(st.lists(district_codes(), min_size=1, max_size=3)),
                "new_code": draw(district_codes() | province_codes()),
            }
            if draw(st.booleans()):
                change["note"] = draw(st.sampled_from(["merged", "Sáp nhập"]))
            changes.append(change)
        data["changes"] = changes
    return data


class TestFromDictProperties:
    """`unit_history_from_dict` against a history built directly from the same values."""

    @given(
        history_tables(),
        province_codes(),
        st.lists(st.sampled_from(["GSO 2023", "Nghị quyết 202/2025/QH15"]), max_size=2),
    )
    def test_same_as_built_directly(
        self, data: dict[str, list[dict[str, Any]]], province: str, sources: list[str]
    ) -> None:
        """Each table row becomes the unit it describes, in the province given.

        The oracle builds every district, province period and change here from the row's
        values (absent validity ends open, an absent note empty), and the changes in
        order of day, then new code, then old codes.
        """
        got = unit_history_from_dict(data, province_code=province, sources=iter(sources))
        expected_districts = tuple(
            bc.District(
                code=row["code"],
                name=row["name"],
                kind=bc.UnitKind(row["kind"]),
                province_code=province,
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
            )
            for row in data.get("districts", [])
        )
        expected_provinces = tuple(
            ProvincePeriod(
                bc.Province(code=row["code"], name=row["name"]),
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
            )
            for row in data.get("provinces", [])
        )
        expected_changes = sorted(
            (
                UnitChange(
                    effective_on=row["effective_on"],
                    old_codes=tuple(row["old_codes"]),
                    new_code=row["new_code"],
                    note=row.get("note", ""),
                )
                for row in data.get("changes", [])
            ),
            key=lambda c: (c.effective_on, c.new_code, c.old_codes),
        )
        assert got.districts == expected_districts
        assert got.provinces == expected_provinces
        assert got.changes == tuple(expected_changes)
        assert got.sources == tuple(sources)
        assert all(d.province_code == province for d in got.districts)


def _old_bac_giang_communes() -> list[str]:
    day = dt.date(2025, 6, 30)
    reg = unit_registry()
    districts = [u.code for u in reg.units_on("24", day, level=bc.UnitLevel.DISTRICT)]
    assert districts, "the registry has Bắc Giang's districts on 2025-06-30"
    return sorted(
        u.code
        for u in reg.units_on("24", day, level=bc.UnitLevel.COMMUNE)
        if u.district_code in districts
    )


class TestRekeyRecords:
    """Re-keying pre-reform commune records to the communes that took them over."""

    @given(data=st.data())
    def test_preserves_the_province_total(self, data: st.DataObject) -> None:
        """Every re-keyed record lands in a commune of the new province, none lost."""
        reg = unit_registry()
        walk = reg.commune_crosswalk()
        old = data.draw(st.lists(st.sampled_from(_old_bac_giang_communes()), max_size=40))
        records = [
            bc.EnrollmentRecord(
                record_id=f"r{i}",
                participant_id=f"{2400000000 + i}",
                district_code=reg.unit(code, dt.date(2025, 6, 30)).district_code or "213",
                commune_code=code,
                enrolled_on=dt.date(2023, 5, 12),
            )
            for i, code in enumerate(old)
        ]
        moved = rekey_records(records, walk)
        after = dt.date(2025, 7, 1)
        provinces = [reg.unit(r.district_code, after).province_code for r in moved]
        # The oracle: count by hand, old commune -> its default successor.
        by_unit: dict[str, int] = {}
        for code in old:
            by_unit[walk[code]] = by_unit.get(walk[code], 0) + 1
        assert len(moved) == len(records)
        assert provinces == ["24"] * len(records)
        assert {u: sum(1 for r in moved if r.district_code == u) for u in by_unit} == by_unit
        assert all(r.commune_code is None for r in moved)
        assert [(r.record_id, r.enrolled_on) for r in moved] == [
            (r.record_id, r.enrolled_on) for r in records
        ]

    def test_a_record_without_commune_is_refused(self) -> None:
        """A record that names no commune cannot be placed, and says so."""
        record = bc.EnrollmentRecord(
            record_id="r1",
            participant_id="2412345678",
            district_code="221",
            enrolled_on=dt.date(2023, 5, 12),
        )
        with pytest.raises(bc.InvalidValueError, match="names no commune_code"):
            rekey_records([record], {})

    def test_an_unknown_commune_is_refused(self) -> None:
        """A commune missing from the crosswalk is an unknown unit."""
        record = bc.EnrollmentRecord(
            record_id="r1",
            participant_id="2412345678",
            district_code="221",
            commune_code="99999",
            enrolled_on=dt.date(2023, 5, 12),
        )
        with pytest.raises(bc.UnknownUnitError, match="'99999'"):
            rekey_records([record], {})
