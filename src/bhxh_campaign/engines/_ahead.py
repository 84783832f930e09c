"""Reading a large records CSV ahead of its count, while the caller imports and loads.

A report spends its first tenth of a second or more on one core, importing the package
and loading the plan, and only then can count the records. `read_ahead` imports pyarrow
and starts a thread that reads and parses the file's first chunks meanwhile
(`csv_chunks`, `csv_parser`: pyarrow parses without the GIL, on the idle core); the
arrow engine's count takes them (`ReadAhead.jobs`) and parses the rest itself. A read
ahead changes when a chunk is parsed, never how: the engine uses it only for the same
file, unchanged, read with the same columns and types, and checks every row as before.

This module imports only the standard library (pyarrow when a read ahead starts), so a
command can start one before it imports anything else.
"""

from __future__ import annotations

import functools
import importlib.util
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

from bhxh_campaign.engines._arrow_read import column_types, csv_chunks, csv_layout, csv_parser

__all__ = ["AHEAD_CHUNKS", "AUTO_THRESHOLD", "ReadAhead", "read_ahead"]

AUTO_THRESHOLD: Final = 1 << 20
"""Records files from this size (1 MiB, about 25,000 rows of CSV) go to a columnar engine:
below it, importing one costs more than it saves."""

AHEAD_CHUNKS: Final = 6
"""The most chunks parsed ahead (24 MiB of text, about 660,000 rows of a plain records
file): the parsed batches wait in memory for the count, which takes them first."""

Job = Callable[[], list[Any]]
"""One chunk's record batches: parsed already, or parsed when called."""


def _identity(path: Path) -> tuple[int, int, int, int]:
    """What tells a file apart, and tells whether it changed: device, inode, size, mtime.

    A file rewritten in place to the same size within one tick of the file system's clock
    would pass for unchanged: a records file is not rewritten while it is being counted.
    """
    stat = path.stat()
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def _parsed(batches: list[Any]) -> list[Any]:
    return batches


def _raise(error: Exception) -> list[Any]:
    raise error


class ReadAhead:
    """A records CSV whose first chunks a thread reads and parses while the caller works.

    Made by `read_ahead`; give it to `bhxh_campaign.engines.daily_counts_for` (or the
    arrow engine's functions) as ``ahead``, and close it when done (it is a context
    manager; the arrow engine also closes it when its count ends, taken or not). Closing
    stops the thread and drops what it parsed.
    """

    def __init__(self, path: Path, names: list[str], start: int, *, chunks: int) -> None:
        self.path = path
        self.names = names
        self.start = start
        self.types = column_types(names)
        self._identity = _identity(path)
        self._chunks = csv_chunks(path, start)
        self._parse = csv_parser(names, self.types)
        self._done: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._taken = False
        self._thread = threading.Thread(
            target=self._run, args=(chunks,), name="bhxh-read-ahead", daemon=True
        )
        self._thread.start()

    def _run(self, limit: int) -> None:
        """Parse chunks until ``limit``, the end of the file or `jobs` asks to stop."""
        try:
            for _ in range(limit):
                if self._stop.is_set():
                    break
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._done.put(functools.partial(_parsed, self._parse(chunk)))
        except Exception as error:  # noqa: BLE001 - raised by the count, as its own parse would
            self._done.put(functools.partial(_raise, error))
        finally:
            self._done.put(None)

    def jobs(
        self, path: Path, names: list[str], start: int, types: dict[str, Any]
    ) -> Iterator[Job] | None:
        """The file's chunks for a count: the parsed ones first, then the rest, to parse.

        None, and the read ahead is closed, unless ``path`` is the file read ahead,
        unchanged, and ``names``, ``start`` and ``types`` are how it is read. Can be taken
        once.
        """
        same = (
            not self._taken
            and (names, start, types) == (self.names, self.start, self.types)
            and _identity(path) == self._identity
        )
        if not same:
            self.close()
            return None
        self._taken = True
        return self._take()

    def _take(self) -> Iterator[Job]:
        self._stop.set()
        while (job := self._done.get()) is not None:
            yield job
        for chunk in self._chunks:  # none left once closed
            yield functools.partial(self._parse, chunk)

    def close(self) -> None:
        """Stop the thread (after the chunk it is parsing) and drop what it parsed.

        The jobs not yet taken end there. Close from the thread that counts, once the
        count is done or abandoned (the arrow engine closes it when its count ends).
        """
        self._stop.set()
        self._taken = True
        self._thread.join()
        self._chunks.close()
        while not self._done.empty():
            self._done.get()
        self._done.put(None)  # the end, for jobs taken and resumed after closing

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def read_ahead(
    path: str | Path, *, engine: str = "auto", chunks: int = AHEAD_CHUNKS
) -> ReadAhead | None:
    """Start reading a records CSV that the arrow engine will count; None if it will not.

    With ``engine="auto"``, a ``.csv`` file of at least `AUTO_THRESHOLD` bytes (what
    `auto_engine` sends to the arrow engine); with ``"arrow"``, any ``.csv`` file. None
    for other engines and files, when pyarrow or numpy is not installed, when the file
    cannot be read, or when its header is not one plain line. The engine may still find
    the file not plain, and count it by the exact path: the read ahead is then only closed.

    Args:
        path: the records file.
        engine: the engine asked for (``auto``, ``arrow``; any other gives None).
        chunks: the most chunks to parse ahead (see `AHEAD_CHUNKS`).

    Examples:
        >>> read_ahead("examples/bac_giang_2023/enrollments.csv") is None  # 170 kB
        True
        >>> with read_ahead("examples/bac_giang_2023/enrollments.csv", engine="arrow") as ahead:
        ...     ahead.names[:2]
        ['record_id', 'participant_id']
    """
    file = Path(path)
    if engine not in {"auto", "arrow"} or file.suffix.lower() != ".csv":
        return None
    if not all(importlib.util.find_spec(name) for name in ("pyarrow", "numpy")):
        return None
    try:
        if not file.is_file() or (engine == "auto" and file.stat().st_size < AUTO_THRESHOLD):
            return None
        layout = csv_layout(file)
        return None if layout is None else ReadAhead(file, *layout, chunks=chunks)
    except OSError:  # the count reads the file itself, and says why it cannot
        return None
