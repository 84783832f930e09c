"""Each participant's first record, among the arrow engine's candidates, by sorts of keys.

A sort of the participant keys finds the repeated participants (about 1%); everyone
else's single record is counted with one `numpy.bincount`, and only the repeated
participants are sorted by day, their record ids compared as text only where two records
share a participant's first day. The candidates come in halves by participant, each
counted here by its own thread (numpy's sorts release the GIL).
"""

from __future__ import annotations

from typing import Any

from bhxh_campaign.engines._arrow_cells import arrow_array, distinct
from bhxh_campaign.engines._arrow_compute import call

__all__ = ["Half"]


class Half:
    """The candidates of half the participants: per batch, their keys, days, units, ids."""

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.days: list[Any] = []
        self.units: list[Any] = []
        self.rids: list[Any] = []

    def lists(self) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
        """The four lists, in one order."""
        return self.keys, self.days, self.units, self.rids

    def arrays(self, np: Any) -> tuple[Any, Any, Any]:
        """Keys, days and units as one array each; each batch's copy is freed."""
        found = tuple(
            np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            for parts in (self.keys, self.days, self.units)
        )
        self.keys, self.days, self.units = [], [], []
        return found

    def counts(self, np: Any, dense: Any, width: int, size: int) -> Any:
        """New participants per (dense unit, day) cell: each participant's first record."""
        keys, days, codes = self.arrays(np)
        if not len(keys):
            return np.zeros(size, dtype=np.int64)
        # Every record's cell, then the repeated participants' records taken out and
        # their first records put back (no filtering of the 99% that are single).
        cell = dense[codes] * width + days
        counts = np.bincount(cell, minlength=size)
        repeated = _repeated(np, keys)
        if len(repeated):
            rows = _member(np, keys, repeated)
            firsts = _firsts_of_repeated(np, rows, keys, days, codes=codes, record_ids=self.rids)
            counts -= np.bincount(cell[rows], minlength=size)
            counts += np.bincount(cell[np.array(firsts, dtype=np.int64)], minlength=size)
        return counts


def _firsts_of_repeated(
    np: Any, rows: Any, keys: Any, days: Any, *, codes: Any, record_ids: list[Any]
) -> list[int]:
    """The row of each repeated participant's first record: by day, record id, unit."""
    order = rows[np.lexsort((days[rows], keys[rows]))]
    key, day = keys[order], days[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    group = np.cumsum(np.r_[True, key[1:] != key[:-1]]) - 1
    on_first = day == day[starts][group]
    per_group = np.bincount(group[on_first], minlength=len(starts))
    alone = on_first & (per_group[group] == 1)
    firsts: list[int] = order[alone].tolist()
    tied = on_first & (per_group[group] > 1)
    if tied.any():
        import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415

        tied_rows = order[tied]
        rids = call("take", pa.chunked_array(record_ids), arrow_array(np, tied_rows)).to_pylist()
        best: dict[int, tuple[str, int, int]] = {}
        for g, rid, code, row in zip(
            group[tied].tolist(), rids, codes[tied_rows].tolist(), tied_rows.tolist(), strict=True
        ):
            mine = (rid, code, row)
            if g not in best or mine < best[g]:
                best[g] = mine
        firsts.extend(row for _, _, row in best.values())
    return firsts


def _repeated(np: Any, keys: Any) -> Any:
    """The keys that occur more than once, sorted (`distinct` of a sort: no `numpy.unique`).

    A sort of every key costs ~45 ns a key here (10 ms for 220,000). Instead each key is
    counted in a slot of a table of about four slots per key (by the top bits of the key
    times an odd constant): a key alone in its slot occurs once. Only the keys that share
    a slot (the repeated ones, and about a fifth of the others, by chance) are sorted. The
    table and its copies cost some 50 bytes a key against the sort's 8, at the end of the
    count, when the memory is at its peak: past ``_LARGE`` keys (files of several million
    rows, where the sort is a small share of the time) every key is sorted.
    """
    if len(keys) < _SMALL or len(keys) > _LARGE:
        candidates = keys
    else:
        bits = (4 * len(keys) - 1).bit_length()
        slot = _slots(np, keys, bits)
        candidates = keys[np.bincount(slot, minlength=1 << bits)[slot] > 1]
    ordered = np.sort(candidates)
    return distinct(np, ordered[1:][ordered[1:] == ordered[:-1]])


def _slots(np: Any, keys: Any, bits: int) -> Any:
    """Each key's slot among ``2**bits``: the top bits of the key times an odd constant."""
    slot = keys.astype(np.uint64)  # one copy, worked on in place
    slot *= np.uint64(_GOLDEN)
    slot >>= np.uint64(64 - bits)
    return slot.view(np.intp)  # below 2**bits: the same value as a signed index


_SMALL = 1 << 12  # fewer keys than this are sorted at once
_LARGE = 1 << 20  # more keys than this are sorted at once (see `_repeated`)
_SLOTS = 1 << 20  # a table of 1 MiB, which stays in cache, for ~1% of a million keys
_GOLDEN = 0x9E3779B97F4A7C15  # an odd constant: multiplying by it spreads keys over slots


def _member(np: Any, keys: Any, repeated: Any) -> Any:
    """The rows (in order) whose key is one of ``repeated`` (sorted, distinct).

    Each repeated key marks a slot of a small table of booleans (by the top bits of the
    key times an odd constant); a key whose slot is not marked is not repeated. Only the
    few keys whose slot is marked are looked up exactly, by a binary search.
    """
    bits = _SLOTS.bit_length() - 1
    table = np.zeros(_SLOTS, dtype=bool)
    table[_slots(np, repeated, bits)] = True
    maybe = np.flatnonzero(table[_slots(np, keys, bits)])
    found = keys[maybe]
    at = np.minimum(np.searchsorted(repeated, found), len(repeated) - 1)
    return maybe[repeated[at] == found]
