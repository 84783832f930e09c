"""`Seen`: the keys a loader has met, and the line of each, in about 24 bytes a key.

A dict of record ids costs some 140 bytes a row (the string, the line number, the slot),
which is most of the memory of a streamed 200 MB file. This table keeps a 96-bit keyed
digest and the line in flat arrays instead (open addressing, linear probing). Two
different keys share a digest with odds of about n²/2⁹⁷, which is nil for any file.
"""

from __future__ import annotations

import hashlib
from array import array
from typing import Final

_START: Final = 1 << 12
_SALT: Final = b"bhxh_campaign.seen"


class Seen:
    """A set of text keys that remembers the line where each was first seen.

    Examples:
        >>> seen = Seen()
        >>> seen.add("r1", 2), seen.add("r2", 3), seen.add("r1", 9)
        (None, None, 2)
        >>> len(seen)
        2
    """

    __slots__ = ("_checks", "_count", "_digests", "_lines", "_mask")

    def __init__(self) -> None:
        self._count = 0
        self._allocate(_START)

    def _allocate(self, size: int) -> None:
        self._mask = size - 1
        self._digests = array("Q", bytes(8 * size))
        self._checks = array("I", bytes(array("I").itemsize * size))
        self._lines = array("Q", bytes(8 * size))

    def __len__(self) -> int:
        return self._count

    def add(self, key: str, line: int) -> int | None:
        """Remember ``key`` at ``line``; return the earlier line if it was seen before."""
        raw = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12, key=_SALT)
        value = int.from_bytes(raw.digest(), "little")
        digest = (value & 0xFFFFFFFFFFFFFFFF) | 1  # never 0, the empty slot
        check = value >> 64
        found = self._probe(digest, check)
        if self._digests[found]:
            return self._lines[found]
        self._digests[found] = digest
        self._checks[found] = check
        self._lines[found] = line
        self._count += 1
        if self._count * 4 > self._mask * 3:  # keep the table at most three quarters full
            self._grow()
        return None

    def _probe(self, digest: int, check: int) -> int:
        digests, checks, mask = self._digests, self._checks, self._mask
        index = digest & mask
        while digests[index] and (digests[index] != digest or checks[index] != check):
            index = (index + 1) & mask
        return index

    def _grow(self) -> None:
        old = (self._digests, self._checks, self._lines)
        self._allocate((self._mask + 1) * 2)
        for digest, check, line in zip(*old, strict=True):
            if digest:
                index = self._probe(digest, check)
                self._digests[index] = digest
                self._checks[index] = check
                self._lines[index] = line
