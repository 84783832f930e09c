"""The administrative levels: one definition, read by every layer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign.levels import (
    REFORM_DAY,
    UnitKind,
    UnitLevel,
    any_unit_pattern,
    is_province_code,
)

SOURCE = Path(__file__).parent.parent / "src" / "bhxh_campaign"

# A unit-code length written as a literal: a digits() validator with a number, a regex
# quantifier of 3 or 5 digits (not a thousands group such as "\.[0-9]{3}"), a length
# compared with 3 or 5, or a code formatted to 3 or 5 places.
_LITERALS = (
    re.compile(r"(?<![\w])digits\(\(?[0-9]"),
    re.compile(r"(?<![.,\\])\[0-9\]\{[35]\}"),
    re.compile(r"\\d\{[35]\}"),
    re.compile(r"len\([^)]*\)\s*(?:==|!=|<=|>=|<|>)\s*[35]\b"),
    re.compile(r"len\([^)]*\)\s*(?:not\s+)?in\s*\(\s*[235]\s*,"),
    re.compile(r":0[35]d\}"),
)


class TestOneDefinition:
    def test_no_literal_code_length_outside_levels(self) -> None:
        """No module but levels.py spells a unit code's length; each reads UnitLevel."""
        found = []
        for path in sorted(SOURCE.rglob("*.py")):
            if path.name == "levels.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if any(p.search(line) for p in _LITERALS):
                    found.append(f"{path.relative_to(SOURCE)}:{number}: {line.strip()}")
        assert found == []

    @pytest.mark.parametrize(
        ("line", "flagged"),
        [
            ("code: str = field(validator=digits(3))", True),
            ("regexp_full_match(unit, '[0-9]{5}')", True),
            ("if len(unit) == 3 and unit not in units:", True),
            ('f"{n:05d}"', True),
            (r'_DOTTED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")', False),
            ("length = campaign.level.code_length", False),
        ],
    )
    def test_the_lint_catches_a_literal(self, line: str, flagged: bool) -> None:
        """The lint above flags a literal length, and not a thousands group."""
        assert any(p.search(line) for p in _LITERALS) is flagged


class TestUnitLevel:
    def test_levels_partition_the_kinds(self) -> None:
        """Every kind belongs to exactly one level; commune kinds are xã, phường, đặc khu."""
        assert {k.level for k in UnitKind} == set(UnitLevel)
        assert UnitLevel.COMMUNE.kinds == {UnitKind.XA, UnitKind.PHUONG, UnitKind.DAC_KHU}
        assert UnitLevel.DISTRICT.kinds == {
            UnitKind.HUYEN,
            UnitKind.QUAN,
            UnitKind.THI_XA,
            UnitKind.THANH_PHO,
        }

    def test_the_reform_splits_the_calendar(self) -> None:
        """Districts end the day before the reform; communes start on it."""
        before = REFORM_DAY - dt.timedelta(days=1)
        assert UnitLevel.DISTRICT.is_valid_on(before)
        assert not UnitLevel.DISTRICT.is_valid_on(REFORM_DAY)
        assert UnitLevel.COMMUNE.is_valid_on(REFORM_DAY)
        assert not UnitLevel.COMMUNE.is_valid_on(before)
        assert UnitLevel.on(before) is UnitLevel.DISTRICT
        assert UnitLevel.on(REFORM_DAY) is UnitLevel.COMMUNE

    def test_words(self) -> None:
        """Each level's words, as bulletins write them."""
        assert UnitLevel.DISTRICT.label_vi == "huyện"
        assert UnitLevel.DISTRICT.plural_vi == "các huyện, thị xã, thành phố"
        assert UnitLevel.COMMUNE.label_vi == "xã"
        assert UnitLevel.COMMUNE.plural_vi == "các xã, phường"

    @given(st.text(alphabet="0123456789", max_size=7) | st.text(max_size=7))
    def test_of_code_agrees_with_a_plain_oracle(self, code: str) -> None:
        """of_code finds the level whose length the ASCII-digit code has, else None."""
        plain = code.isascii() and code.isdigit()
        expected = {3: UnitLevel.DISTRICT, 5: UnitLevel.COMMUNE}.get(len(code)) if plain else None
        assert UnitLevel.of_code(code) is expected
        assert (re.fullmatch(any_unit_pattern(), code) is not None) is (expected is not None)
        assert is_province_code(code) is (plain and len(code) == 2)

    @given(st.sampled_from(UnitKind))
    def test_kind_from_its_label(self, kind: UnitKind) -> None:
        """A kind is found again from its Vietnamese word, in any case."""
        assert UnitKind.from_label(kind.label_vi.upper()) is kind

    def test_unknown_label(self) -> None:
        """An unknown word is refused."""
        with pytest.raises(ValueError, match="no unit kind"):
            UnitKind.from_label("làng")
