"""Tests for `bhxh_campaign._privacy`: masking and pseudonyms, one definition for all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign.io
from bhxh_campaign import _privacy, _validators
from bhxh_campaign._privacy import mask_digits, mask_id, masked_repr, pseudonym
from bhxh_campaign.io import export
from bhxh_campaign.io.load_report import shown


class TestMaskId:
    @given(st.text(min_size=5))
    def test_long_values_keep_last_four(self, value: str) -> None:
        """Above four characters: same length, last four kept, the rest '*'."""
        masked = mask_id(value)
        assert len(masked) == len(value)
        assert masked[-4:] == value[-4:]
        assert masked[:-4] == "*" * (len(value) - 4)

    @given(st.text(max_size=4))
    def test_short_values_are_masked_whole(self, value: str) -> None:
        """Four characters or fewer are entirely masked."""
        assert mask_id(value) == "*" * len(value)

    @given(st.text(alphabet="0123456789", min_size=5, max_size=20))
    def test_never_shows_the_whole_id(self, value: str) -> None:
        """The masked form never contains the whole identifier."""
        assert value not in mask_id(value)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2412345678", "******5678"),
            ("024195012345", "********2345"),
            ("12345", "*2345"),
            ("1234", "****"),
            ("", ""),
        ],
    )
    def test_examples(self, value: str, expected: str) -> None:
        """Known identifiers mask as published."""
        assert mask_id(value) == expected

    def test_masked_repr_quotes_the_mask(self) -> None:
        """masked_repr gives a quoted, masked text, also for a non-text value."""
        assert masked_repr("0241234567") == "'******4567'"
        assert masked_repr(2412345678) == "'******5678'"


class TestMaskDigits:
    @given(st.text(alphabet="0123456789", min_size=8, max_size=20), st.text(max_size=5))
    def test_long_runs_are_masked(self, digits: str, around: str) -> None:
        """A run of eight digits or more is masked as an id; text around it is kept."""
        prefix = around.rstrip("0123456789") + " "
        assert mask_digits(prefix + digits) == prefix + mask_id(digits)

    @given(st.text(alphabet="0123456789 ,.", max_size=30))
    def test_short_numbers_stay(self, text: str) -> None:
        """Numbers of up to seven digits (codes, counts, years) are not touched."""
        if all(len(part) < 8 for part in text.replace(",", " ").replace(".", " ").split()):
            assert mask_digits(text) == text

    def test_messages_mask_the_same_way(self) -> None:
        """The loaders' shown values use this masking."""
        assert shown("BG 024195012345 x") == mask_digits("BG 024195012345 x")
        assert shown("024195012345", personal=True) == mask_id("024195012345")


class TestOneDefinition:
    def test_reexports_are_the_same_objects(self) -> None:
        """The validators, the exports and `bhxh_campaign.io` give this module's functions."""
        assert _validators.mask_id is _privacy.mask_id
        assert _validators.masked_repr is _privacy.masked_repr
        assert export.pseudonym is bhxh_campaign.io.pseudonym is pseudonym

    def test_pseudonym_refuses_a_short_key(self) -> None:
        """A key under 16 bytes is refused."""
        with pytest.raises(ValueError, match="at least 16 bytes"):
            pseudonym("0241234567", key=b"short")
