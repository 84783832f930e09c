"""`with_rejected`: rejected rows tallied among the records not counted, by code."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.engines import with_rejected

DAY = dt.date(2023, 5, 1)
codes = st.lists(st.sampled_from(["bad_date", "nul_byte", "duplicate_record_id"]), max_size=20)


@given(codes, st.dictionaries(st.sampled_from(["before_start", "cancelled"]), st.integers(1, 9)))
def test_matches_a_counter(rejected: list[str], before: dict[str, int]) -> None:
    """Each code adds one to ``rejected:<code>``; the other tallies and the grid stay."""
    counts = DailyCounts(start=DAY, end=DAY, grid=(("221", (3,)),), exclusions=before)
    got = with_rejected(counts, rejected)
    oracle = dict(before)
    for code, n in Counter(rejected).items():
        oracle[f"rejected:{code}"] = n
    assert got.excluded == oracle
    assert got.grid == counts.grid
    assert got.total() == 3


def test_adds_to_an_existing_tally() -> None:
    """A code already tallied is added to, not replaced."""
    counts = DailyCounts(start=DAY, end=DAY, grid=(), exclusions={"rejected:bad_date": 2})
    assert with_rejected(counts, ["bad_date"]).excluded == {"rejected:bad_date": 3}
