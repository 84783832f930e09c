"""Tests of `bhxh_campaign.io._seen`: the table of keys a loader has seen, spilled to disk."""

from __future__ import annotations

import functools
import gc
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io import _pipeline, _seen, load_enrollments
from bhxh_campaign.io._seen import Seen

from .conftest import EXAMPLE

# Digests chosen to collide: in the top bits (the slot), in the low bits, at the sign bit
# SQLite stores them across (2**63), and at both ends of the unsigned range.
_DIGESTS = (1, 3, (1 << 63) - 1, 1 << 63 | 1, 1 << 63 | 3, (1 << 64) - 1)


class CollidingSeen(Seen):
    """A `Seen` whose keys ``k0``, ``k1``, ... share a handful of digests and checks."""

    __slots__ = ()

    @staticmethod
    def _digest(key: str) -> tuple[int, int]:
        number = int(key[1:])
        # Keys with one digest differ in their check, so the pair stays one-to-one; keys
        # with one check differ in their digest, so the bitmap of spilled keys misleads.
        return _DIGESTS[number % len(_DIGESTS)], number // len(_DIGESTS)


def first_lines(adds: list[tuple[str, int]]) -> list[int | None]:
    """The oracle: what each add answers, from a plain dict of first lines."""
    first: dict[str, int] = {}
    answers = []
    for key, line in adds:
        answers.append(first.get(key))
        first.setdefault(key, line)
    return answers


lines = st.integers(0, (1 << 63) - 1)


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


class TestSpilled:
    @given(
        st.lists(st.tuples(st.text(max_size=4), lines), max_size=200),
        st.integers(0, 8),
    )
    def test_agrees_with_a_dict(self, adds: list[tuple[str, int]], memory_keys: int) -> None:
        """With a tiny memory, add() and len() still answer like a dict of first lines."""
        with Seen(memory_keys=memory_keys) as seen:
            assert [seen.add(key, line) for key, line in adds] == first_lines(adds)
            assert len(seen) == len({key for key, _ in adds})

    @given(
        st.lists(st.tuples(st.integers(0, 60).map("k{}".format), lines), max_size=200),
        st.integers(0, 8),
    )
    def test_colliding_digests(self, adds: list[tuple[str, int]], memory_keys: int) -> None:
        """Keys that share a slot, a digest or a bit of the bitmap stay apart, on disk too."""
        with CollidingSeen(memory_keys=memory_keys) as seen:
            assert [seen.add(key, line) for key, line in adds] == first_lines(adds)
            assert len(seen) == len({key for key, _ in adds})

    @given(
        st.lists(st.tuples(st.integers(0, 60).map("k{}".format), lines), max_size=200),
        st.integers(0, 40),
        st.booleans(),
    )
    @example([(f"k{n}", n) for n in range(61)] * 2, 12, True)  # chains of 20 slots, from 0
    def test_probes_across_blocks(
        self, adds: list[tuple[str, int]], memory_keys: int, colliding: bool
    ) -> None:
        """With blocks of 4 slots, a probe on disk runs on into the next blocks, and wraps."""
        kind = CollidingSeen if colliding else Seen
        with mock.patch.object(_seen, "_BLOCK", 4), kind(memory_keys=memory_keys) as seen:
            assert [seen.add(key, line) for key, line in adds] == first_lines(adds)
            assert len(seen) == len({key for key, _ in adds})

    def test_failed_spill_closes(self) -> None:
        """A spill that fails (a full disk) cannot be rolled back, so the set closes."""

        class FailingSeen(Seen):
            __slots__ = ()

            def _blocks(self) -> Iterator[tuple[int, int, int, bytes, bytes, bytes]]:
                rows = super()._blocks()
                yield next(rows)
                msg = "no space left on device"
                raise OSError(msg)

        seen = FailingSeen(memory_keys=2)
        assert seen.add("r1", 1) is None
        with pytest.raises(OSError, match="no space"):
            seen.add("r2", 2)
        with pytest.raises(ValueError, match="closed"):
            seen.add("r1", 3)

    def test_memory_is_bounded(self) -> None:
        """The table never outgrows its threshold, however many keys arrive."""
        with Seen(memory_keys=16) as seen:
            for n in range(5_000):
                assert seen.add(f"r{n}", n) is None
            assert seen._mask + 1 <= 32
            assert [seen.add(f"r{n}", 0) for n in range(0, 5_000, 7)] == list(range(0, 5_000, 7))
            assert len(seen) == 5_000

    def test_stays_in_memory_below_the_threshold(self) -> None:
        """No temporary file is opened until the threshold is reached."""
        seen = Seen(memory_keys=100)
        for n in range(99):
            seen.add(f"r{n}", n)
        assert seen._store is None
        seen.add("r99", 99)
        assert seen._store is not None

    def test_collected_set_closes_its_file(self) -> None:
        """A set that is dropped closes its temporary database (SQLite then deletes it)."""
        seen = Seen(memory_keys=0)
        seen.add("r1", 1)
        store = seen._store
        assert store is not None
        del seen
        gc.collect()
        with pytest.raises(sqlite3.ProgrammingError):
            store.execute("SELECT 1")

    def test_close(self) -> None:
        """close() closes the database, may be repeated, and the set refuses use after."""
        seen = Seen(memory_keys=0)
        seen.add("r1", 1)
        store = seen._store
        assert store is not None
        seen.close()
        seen.close()
        with pytest.raises(sqlite3.ProgrammingError):
            store.execute("SELECT 1")
        with pytest.raises(ValueError, match="closed"):
            seen.add("r1", 2)
        assert len(seen) == 0

    def test_negative_memory_refused(self) -> None:
        """A negative threshold is refused, naming the argument."""
        with pytest.raises(InvalidValueError, match="memory_keys") as error:
            Seen(memory_keys=-1)
        assert error.value.field == "memory_keys"

    def test_loader_reports_the_same_repeats(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A loader whose seen ids spill to disk names the same earlier lines."""
        rows = (EXAMPLE / "enrollments.csv").read_text(encoding="utf-8").splitlines()
        repeats = [rows[n] for n in (1, 2, 500, 3_000, 1)]
        path = tmp_path / "e.csv"
        path.write_text("\n".join([*rows, *repeats]) + "\n", encoding="utf-8")
        expected = load_enrollments(path)
        monkeypatch.setattr(_pipeline, "Seen", functools.partial(Seen, memory_keys=7))
        spilled = load_enrollments(path)
        assert spilled.errors == expected.errors
        assert [e.line for e in spilled.errors] == [len(rows) + n for n in range(1, 6)]
        assert [e.code for e in spilled.errors] == ["duplicate_record_id"] * 5
        assert [e.message.rsplit(" ", 1)[1] for e in spilled.errors] == [
            "2",
            "3",
            "501",
            "3001",
            "2",
        ]
        assert spilled.records == expected.records
