"""The first day a running total reaches a target: the one search behind completion dates.

`bhxh_campaign.metrics.completion_dates` uses it on the series it has checked, and
`bhxh_campaign.report` on the rows of a `DailyCounts` grid (checked when the grid was
built) and their roll-ups, so both find the same day, and the report checks no count twice.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

__all__ = ["reached_at"]

BLOCK = 32
"""Days per block: blocks are added up by the C-level `sum`, and only the block where the
running total crosses the target is accumulated day by day."""


def reached_at(counts: Sequence[int], target: int) -> int | None:
    """The first index at which the running total of ``counts`` reaches ``target``, or None.

    The counts must be whole numbers of at least 0 and ``target`` at least 1 (not checked
    here): the running total then never goes down, so the index is where a bisection of
    the running totals lands, and it is the index of a count above 0.

    Examples:
        >>> reached_at([100, 0, 69], 150), reached_at([100, 0, 69], 170)
        (2, None)
        >>> reached_at([1] * 100, 40)  # in the second block
        39
    """
    before = 0
    for at in range(0, len(counts), BLOCK):
        block = counts[at : at + BLOCK]
        total = before + sum(block)
        if total >= target:
            return at + bisect_left(list(accumulate(block)), target - before)
        before = total
    return None
