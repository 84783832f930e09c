"""Record ids on the arrow engine's fast path: each one plain, and each one once.

A record id is plain when the loader would read it as written: printable ASCII without
space (nothing to strip, nothing to normalise), and not starting with ``#`` (a
spreadsheet error value) or ``'`` (a neutralised formula). Whether every id of a file
occurs once is decided without hashing the text in a table (pyarrow's `count_distinct`
takes seconds at 10^7 rows) and without sorting every id:

- each id is mapped to a 64-bit value by one fixed function of its bytes, so two equal
  ids always have equal values, whatever batch or thread they come from;
- ids of the file's usual shape (a fixed prefix and a run of digits of fixed width, as
  ``R000463887``: the shape of the first id seen) map to the number their digits write,
  which is exact, and a small enough number marks one slot of a table of booleans; the
  table's marks, counted once at the end, must equal the ids marked;
- every other id maps to its bytes when it has at most 8 (exact too) or to a hash of
  them; those values are sorted at the end and must all differ.

Two different ids can only meet on a hash, which is as rare as a 64-bit collision, and
then the file merely goes to the exact path, which compares the text: the answer is
always exact, only the time can change.
"""

from __future__ import annotations

import threading
from typing import Any

from bhxh_campaign.engines._arrow_cells import DoubtfulError, distinct, value_offsets

# Bytes of a record id the fast path accepts: printable ASCII but space ('!' to '~').
_FIRST_PRINTABLE, _PRINTABLE_SPAN = 0x21, 0x7E - 0x21
_REFUSED_FIRST = (ord("#"), ord("'"))
_ZERO, _DIGITS = ord("0"), b"0123456789"
_MAX_WIDTH = 18  # digits that always fit a signed 64-bit integer
_MIN_TABLE = 1 << 20
# Odd 64-bit constants of splitmix64 / murmur3's finaliser.
_MIX = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)


class RecordIds:
    """Checks record ids batch by batch, and tells at the end whether any occurred twice.

    `values` is pure given the shape (fixed once, by the first id seen), so batches may
    be checked in several threads at once; `add` and `unique` belong to one thread.

    Args:
        np: the numpy module.
        rows: about how many rows the file has: the table of numbers holds at most four
            slots per row (1 MiB at least), so it stays small beside the file.
    """

    def __init__(self, np: Any, rows: int) -> None:
        self.np = np
        self.limit = max(_MIN_TABLE, 4 * rows)
        self.shape: tuple[bytes, int] | None = None
        self._lock = threading.Lock()
        self.table = np.zeros(0, dtype=bool)
        self.marked = 0
        self.others: list[Any] = []

    def values(self, rid: Any) -> tuple[Any, Any]:
        """Check a batch's record ids; their numbers within the table, and other values.

        Raises:
            DoubtfulError: an id is null, empty, not printable ASCII without space, or
                starts with ``#`` or ``'``.
        """
        np = self.np
        if rid.null_count:
            raise DoubtfulError
        offsets = value_offsets(np, rid)
        if not len(rid):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
        lengths = np.diff(offsets)
        if int(lengths.min()) == 0:
            raise DoubtfulError
        data = np.frombuffer(rid.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        if int((data - np.uint8(_FIRST_PRINTABLE)).max()) > _PRINTABLE_SPAN:
            raise DoubtfulError
        starts = offsets[:-1] - offsets[0]
        first = data[starts]
        if bool(((first == _REFUSED_FIRST[0]) | (first == _REFUSED_FIRST[1])).any()):
            raise DoubtfulError
        if self.shape is None:
            with self._lock:
                if self.shape is None:  # the first id seen, in any thread, sets the shape
                    first = data[: int(lengths[0])].tobytes()
                    prefix = first.rstrip(_DIGITS)
                    self.shape = (prefix, min(len(first) - len(prefix), _MAX_WIDTH + 1))
        numbers, shaped = self._numbers(data, starts, lengths)
        if numbers is None:
            numbers = np.zeros(0, dtype=np.int64)
            other = _hashes(np, data, starts, lengths)
        elif shaped is None:  # every id of the shape: the usual case
            other = np.zeros(0, dtype=np.uint64)
        else:
            rest = np.flatnonzero(~shaped)
            other = _hashes(np, data, starts[rest], lengths[rest])
        if len(numbers) and int(numbers.max()) >= self.limit:
            # Numbers past the table join the other values (mixed, so that they do not
            # land on the exact value of a short id).
            inside = numbers < self.limit
            other = np.concatenate([other, _mix(np, numbers[~inside].astype(np.uint64))])
            numbers = numbers[inside]
        return numbers, other

    def _numbers(self, data: Any, starts: Any, lengths: Any) -> tuple[Any, Any]:
        """The numbers of the ids of the file's shape, and which ids they are (None: all).

        (None, None) when the shape has no digits, or is too wide for 64 bits.
        """
        np = self.np
        assert self.shape is not None
        prefix, width = self.shape
        if not 1 <= width <= _MAX_WIDTH:
            return None, None
        size = len(prefix) + width
        same = lengths == size
        if bool(same.all()):
            rows = None
            grid = data.reshape(len(lengths), size)
        else:
            rows = np.flatnonzero(same)
            grid = data[starts[rows, None] + np.arange(size)]
        head = grid[:, : len(prefix)]
        tail = grid[:, len(prefix) :]
        marks = np.frombuffer(prefix, dtype=np.uint8)
        if rows is None and bool((head == marks).all()):
            # Every id has the prefix, whose digits are known: then every id is of the
            # shape when the batch's digits number those and ``width`` per id (one pass
            # over the contiguous bytes, not one per column).
            digits = int(np.count_nonzero((data - np.uint8(_ZERO)) < 10))
            if digits == len(grid) * (width + sum(c in _DIGITS for c in prefix)):
                return _decimal(np, tail), None
        fits = (head == marks).all(axis=1)
        fits &= ((tail - np.uint8(_ZERO)) < 10).all(axis=1)
        numbers = _decimal(np, tail[fits])
        shaped = np.zeros(len(lengths), dtype=bool)
        shaped[fits if rows is None else rows[fits]] = True
        return numbers, shaped

    def add(self, numbers: Any, other: Any) -> None:
        """Mark a batch's numbers in the table and keep its other values."""
        np = self.np
        if len(numbers):
            top = int(numbers.max())
            if top >= len(self.table):
                grown = np.zeros(min(self.limit, max(2 * len(self.table), top + 1)), dtype=bool)
                grown[: len(self.table)] = self.table
                self.table = grown
            self.table[numbers] = True
            self.marked += len(numbers)
        if len(other):
            self.others.append(other)

    def unique(self) -> bool:
        """Whether no two record ids added were equal (False on a rare hash collision)."""
        np = self.np
        if int(np.count_nonzero(self.table)) != self.marked:
            return False
        if not self.others:
            return True
        values = np.sort(np.concatenate(self.others))
        return not bool((values[1:] == values[:-1]).any())


def _decimal(np: Any, digits: Any) -> Any:
    """The numbers written by rows of ASCII digits (at most 18 a row), as int64."""
    number = np.zeros(len(digits), dtype=np.int64)
    for column in range(digits.shape[1]):
        number *= 10
        number += digits[:, column]
    # Each digit was added as its byte, '0' + d: take the zeros' part back once.
    zeros = sum(_ZERO * 10**k for k in range(digits.shape[1]))
    number -= zeros
    return number


def _mix(np: Any, values: Any) -> Any:
    """A 64-bit mix of each value (splitmix64's finaliser)."""
    mixed = values ^ (values >> np.uint64(30))
    mixed *= np.uint64(_MIX[1])
    mixed ^= mixed >> np.uint64(27)
    mixed *= np.uint64(_MIX[2])
    mixed ^= mixed >> np.uint64(31)
    return mixed


def _hashes(np: Any, data: Any, starts: Any, lengths: Any) -> Any:
    """A 64-bit value per id: its bytes when it has at most 8, else a hash of them."""
    values = np.zeros(len(starts), dtype=np.uint64)
    if not len(starts):
        return values
    for size in distinct(np, np.sort(lengths)).tolist():
        rows = np.flatnonzero(lengths == size)
        words = -(-size // 8)
        grid = np.zeros((len(rows), 8 * words), dtype=np.uint8)
        grid[:, :size] = data[starts[rows, None] + np.arange(size)]
        packed = grid.view("<u8")
        if words == 1:  # exact: no byte of an id is zero, so the padding tells lengths apart
            values[rows] = packed[:, 0]
            continue
        hashed = np.full(len(rows), (size * _MIX[0]) % (1 << 64), dtype=np.uint64)
        for word in range(words):
            hashed ^= packed[:, word]
            hashed = _mix(np, hashed)
        # A hash lands on an exact short id's value rarely; either way it is a false alarm.
        values[rows] = hashed | np.uint64(1 << 63)
    return values
