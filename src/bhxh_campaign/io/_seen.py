"""`Seen`: the keys a loader has met, and the line of each, in bounded memory.

A dict of record ids costs some 140 bytes a row (the string, the line number, the slot),
which is most of the memory of a streamed 200 MB file. This table keeps a 96-bit digest
and the line in flat arrays instead (open addressing, linear probing), about 20 bytes a
slot. Two different keys share a digest with odds of about n²/2⁹⁷, which is nil for any
file.

Memory stays bounded however long the file: once the arrays hold ``memory_keys`` keys they
are spilled to a SQLite table in a private temporary file (deleted when the set is closed or
collected) and start again empty. The arrays go to disk as they are, cut in blocks of
`_BLOCK` slots (one row a block, not one a key: a spill of 786,432 keys takes some 50 ms,
not 2 s), and a key is looked up on disk the way it is in memory, from its slot onwards,
in each spilled table. That is done only if a bitmap of the spilled checks says the key
may be there, so the common case, a new key, rarely reads the disk.
"""

from __future__ import annotations

import weakref
from array import array
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Final, Self

from bhxh_campaign.errors import InvalidValueError

if TYPE_CHECKING:
    import sqlite3

_START: Final = 1 << 12
_WORD: Final = (1 << 64) - 1
_HALF_WORD: Final = (1 << 32) - 1
_BITS: Final = 64
# Fills a table of 2**20 slots (20 MiB) to three quarters, the most it holds before growing.
_MEMORY_KEYS: Final = 3 << 18
_FILTER_BITS_PER_KEY: Final = 64  # 8 MiB for the default; 5% false hits at 3.6M keys
# Lookups are random, so a bigger cache buys little: the B-tree's inner pages fit in this.
_CACHE_KIB: Final = 2048
_BLOCK: Final = 256
"""Slots a row of the spill table holds (5 KiB): one read finds most keys."""

_CREATE: Final = (
    "CREATE TABLE seen (shift INTEGER NOT NULL, block INTEGER NOT NULL, run INTEGER NOT NULL,"
    " digests BLOB NOT NULL, checks BLOB NOT NULL, lines BLOB NOT NULL,"
    " PRIMARY KEY (shift, block, run)) WITHOUT ROWID"
)
_INSERT: Final = "INSERT INTO seen VALUES (?, ?, ?, ?, ?, ?)"
_SELECT: Final = "SELECT run, digests, checks, lines FROM seen WHERE shift = ? AND block = ?"
_SELECT_RUN: Final = (
    "SELECT run, digests, checks, lines FROM seen WHERE shift = ? AND block = ? AND run = ?"
)
Block = tuple[int, bytes, bytes, bytes]


def _digest(key: str) -> tuple[int, int]:
    """The 64-bit digest (never 0, the empty slot) and 32-bit check of ``key``.

    Two evaluations of Python's string hash (SipHash-1-3, keyed by a secret drawn at start
    unless ``PYTHONHASHSEED`` is set) on different texts: ten times cheaper than a keyed
    BLAKE2b, and as good here, since a set lives in one process and its spill file dies
    with it.
    """
    return (hash(key) & _WORD) | 1, hash(key + "\x00") & _HALF_WORD


def _open() -> sqlite3.Connection:
    import sqlite3  # noqa: PLC0415 - only a set that spills needs it (1.5 ms to import)

    # An empty name is SQLite's private temporary database: a file in SQLite's temporary
    # directory (SQLITE_TMPDIR, TMPDIR, /var/tmp, /tmp), unlinked as soon as it is opened
    # on POSIX, so even a killed process leaves nothing behind. Pages beyond the cache go
    # to that file, not to memory (TEMP_STORE is not "memory" for a main database).
    connection = sqlite3.connect("", isolation_level=None, check_same_thread=False)
    for pragma in (
        "journal_mode = OFF",  # nothing to roll back to: the file dies with the set
        "synchronous = OFF",
        "locking_mode = EXCLUSIVE",  # no lock and cache check around every lookup
        f"cache_size = -{_CACHE_KIB}",
    ):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(_CREATE)
    return connection


class Seen:
    """A set of text keys that remembers the line where each was first seen.

    ``memory_keys`` (keyword-only) is how many keys the set holds in memory before it
    spills them to a temporary file; each costs about 35 bytes (the table and the bitmap
    of spilled keys), about 26 MiB for the default of 786,432, plus SQLite's 2 MiB page
    cache once spilled. ``0`` sends every key to disk at once. Lines are whole numbers from
    0 to 2⁶³ - 1. The file is removed by `close`, at the end of a ``with`` block, or when
    the set is collected.

    Examples:
        >>> seen = Seen()
        >>> seen.add("r1", 2), seen.add("r2", 3), seen.add("r1", 9)
        (None, None, 2)
        >>> len(seen)
        2
        >>> with Seen(memory_keys=1) as small:  # spills at once, to a temporary file
        ...     [small.add(key, line) for line, key in enumerate("abcab", start=2)]
        [None, None, None, 2, 3]
    """

    __slots__ = (
        "__weakref__",
        "_checks",
        "_closed",
        "_count",
        "_digests",
        "_filter",
        "_filter_mask",
        "_finalizer",
        "_limit",
        "_lines",
        "_mask",
        "_memory_keys",
        "_runs",
        "_select",
        "_shift",
        "_shifts",
        "_spilled",
        "_store",
    )

    _digest = staticmethod(_digest)

    def __init__(self, *, memory_keys: int = _MEMORY_KEYS) -> None:
        if memory_keys < 0:
            msg = f"memory_keys must be 0 or more, got {memory_keys!r}"
            raise InvalidValueError(msg, field="memory_keys")
        self._memory_keys = memory_keys
        self._closed = False
        self._count = 0
        self._spilled = 0
        self._runs = 0
        self._shifts: set[int] = set()  # the shifts of the tables spilled (one, in practice)
        self._store: sqlite3.Connection | None = None
        self._select: sqlite3.Cursor | None = None
        self._finalizer: weakref.finalize[[], Seen] | None = None
        self._filter = bytearray()
        self._filter_mask = 0
        size = 8
        while size < _START and memory_keys * 4 > (size - 1) * 3:
            size *= 2
        self._allocate(size)

    def _allocate(self, size: int) -> None:
        self._mask = size - 1
        self._limit = self._mask * 3 // 4  # keep the table at most three quarters full
        # The slot is the digest's top bits, so the slots run in digest order (but for a
        # few probed past the end) and a spill inserts into SQLite's B-tree nearly in order.
        self._shift = _BITS - (size.bit_length() - 1)
        self._digests = array("Q", bytes(8 * size))
        self._checks = array("I", bytes(array("I").itemsize * size))
        self._lines = array("Q", bytes(8 * size))

    def __len__(self) -> int:
        return self._count + self._spilled

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Forget every key and remove the temporary file; the set cannot be used after.

        Closing twice does nothing. A set is also closed when it is collected, and when
        writing to its file fails.

        Examples:
            >>> seen = Seen(memory_keys=0)
            >>> seen.add("r1", 2)
            >>> seen.close()
            >>> seen.add("r1", 3)
            Traceback (most recent call last):
            ...
            ValueError: the set of seen keys is closed
        """
        self._closed = True
        if self._finalizer is not None:
            self._finalizer()
        self._store = self._select = None
        self._filter = bytearray()
        self._allocate(8)
        self._count = self._spilled = self._runs = 0
        self._shifts = set()

    def add(self, key: str, line: int) -> int | None:
        """Remember ``key`` at ``line``; return the earlier line if it was seen before.

        Examples:
            >>> seen = Seen()
            >>> seen.add("BG-1", 2) is None
            True
            >>> seen.add("BG-1", 7)
            2
        """
        if self._closed:
            msg = "the set of seen keys is closed"
            raise ValueError(msg)
        digest, check = self._digest(key)
        digests, checks, mask = self._digests, self._checks, self._mask
        found = digest >> self._shift
        while slot := digests[found]:  # most keys are new: one step
            if slot == digest and checks[found] == check:
                return self._lines[found]
            found = (found + 1) & mask
        if self._select is not None and self._filter[(check & self._filter_mask) >> 3] & (
            1 << (check & 7)
        ):
            first = self._on_disk(digest, check)
            if first is not None:
                return first
        digests[found] = digest
        checks[found] = check
        self._lines[found] = line
        count = self._count = self._count + 1
        if count >= self._memory_keys:
            self._spill()
        elif count > self._limit:
            self._grow()
        return None

    def _grow(self) -> None:
        old = (self._digests, self._checks, self._lines)
        self._allocate((self._mask + 1) * 2)
        digests, checks, lines = self._digests, self._checks, self._lines
        mask, shift = self._mask, self._shift
        for digest, check, line in zip(*old, strict=True):
            if digest:  # keys are distinct: the first empty slot from home is the one
                index = digest >> shift
                while digests[index]:
                    index = (index + 1) & mask
                digests[index] = digest
                checks[index] = check
                lines[index] = line

    def _spill(self) -> None:
        """Move every key in memory to the file, and mark each in the bitmap."""
        if self._store is None:
            store = _open()
            self._finalizer = weakref.finalize(self, store.close)
            self._store, self._select = store, store.cursor()
            bits = 64
            while bits < self._memory_keys * _FILTER_BITS_PER_KEY and bits < 1 << 32:
                bits *= 2
            self._filter = bytearray(bits // 8)
            self._filter_mask = bits - 1
        try:
            self._store.execute("BEGIN")
            self._store.executemany(_INSERT, self._blocks())
            self._store.execute("COMMIT")
        except BaseException:
            # With no journal a transaction cannot be rolled back (a full disk, an
            # interrupt): what the file holds is unknown, so the set is spent.
            self.close()
            raise
        bitmap, mask = self._filter, self._filter_mask
        for check in self._checks:  # an empty slot marks bit 0: a false hit, no more
            bitmap[(check & mask) >> 3] |= 1 << (check & 7)
        self._shifts.add(self._shift)
        self._runs += 1
        self._spilled += self._count
        self._count = 0
        size = self._mask + 1
        self._digests = self._checks = self._lines = array("Q")  # free before reallocating
        self._allocate(size)

    def _blocks(self) -> Iterator[tuple[int, int, int, bytes, bytes, bytes]]:
        """The rows of the spill table for the arrays in memory; empty blocks are left out."""
        per = min(self._mask + 1, _BLOCK)
        digests, checks, lines = self._digests, self._checks, self._lines
        for block, start in enumerate(range(0, self._mask + 1, per)):
            part = digests[start : start + per]
            if part.count(0) < per:
                yield (
                    self._shift,
                    block,
                    self._runs,
                    part.tobytes(),
                    checks[start : start + per].tobytes(),
                    lines[start : start + per].tobytes(),
                )

    def _on_disk(self, digest: int, check: int) -> int | None:
        """The line of a spilled key, probing each spilled table from the key's slot."""
        assert self._select is not None
        for shift in self._shifts:
            size = 1 << (_BITS - shift)
            per = min(size, _BLOCK)
            block, offset = divmod(digest >> shift, per)
            for row in self._select.execute(_SELECT, (shift, block)).fetchall():
                line = self._probe_run(row, shift, block, offset, size // per, digest, check)
                if line is not None:
                    return line
        return None

    def _probe_run(  # noqa: PLR0917 - the state of one probe
        self,
        row: Block,
        shift: int,
        block: int,
        offset: int,
        blocks: int,
        digest: int,
        check: int,
    ) -> int | None:
        """Probe one spilled table from ``offset`` in ``block`` (its row given) to an empty slot."""
        assert self._select is not None
        run = row[0]
        for _ in range(blocks + 1):  # the first block again, from its start, once wrapped
            digests = array("Q", row[1])
            for index in range(offset, len(digests)):
                slot = digests[index]
                if not slot:
                    return None
                if slot == digest and array("I", row[2])[index] == check:
                    line: int = array("Q", row[3])[index]
                    return line
            block, offset = (block + 1) % blocks, 0  # the probe runs on into the next block
            found = self._select.execute(_SELECT_RUN, (shift, block, run)).fetchone()
            if found is None:
                return None  # a block left out is empty: its first slot ends the probe
            row = found
        return None  # pragma: no cover - a spilled table always has an empty slot
