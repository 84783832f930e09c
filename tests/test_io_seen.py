"""Tests of `bhxh_campaign.io._seen`: the compact table of keys a loader has seen."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign.io._seen import Seen


class TestSeen:
    @given(st.lists(st.text(max_size=6), max_size=300))
    def test_agrees_with_a_dict(self, keys: list[str]) -> None:
        """add() answers like a dict of first lines, through every growth of the table."""
        seen = Seen()
        oracle: dict[str, int] = {}
        for line, key in enumerate(keys, start=2):
            assert seen.add(key, line) == oracle.get(key)
            oracle.setdefault(key, line)
        assert len(seen) == len(oracle)

    def test_many_keys(self) -> None:
        """Ten thousand distinct keys are all new, then all repeats with their lines."""
        seen = Seen()
        assert all(seen.add(f"r{n}", n) is None for n in range(10_000))
        assert all(seen.add(f"r{n}", 0) == n for n in range(10_000))
        assert seen.add("\udcff", 1) is None
