"""Reading a records CSV for the arrow engine: byte chunks cut at line ends, parsed apart.

pyarrow's streaming CSV reader parses on one core. A file read in chunks of a few MiB,
each cut just after its last line feed and parsed on its own by a worker thread
(`pyarrow.csv.read_csv` releases the GIL, and so do the numpy checks that follow),
keeps both cores busy while holding only the chunks in flight. The reader is asked not
to allow line breaks inside quoted cells, so it ends a row at every line break whatever
the quotes: a cut after a line feed is then where it would end a row anyway, and any
quoted line break makes some chunk fail to parse (a short row), which sends the whole
file to the exact path.
"""

from __future__ import annotations

import csv
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 1 << 22  # 4 MiB of text: about 110,000 rows of a plain records file
WORKERS = 2
DAY_COLUMNS: Final = frozenset({"enrolled_on", "recorded_on", "cancelled_on"})
"""The columns of days, read as dates; every other column is read as text."""


def column_types(names: list[str]) -> dict[str, Any]:
    """The pyarrow type each column is read as: a date for `DAY_COLUMNS`, else text.

    Examples:
        >>> column_types(["record_id", "enrolled_on"])
        {'record_id': DataType(string), 'enrolled_on': DataType(date32[day])}
    """
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415 - optional dependency

    return {name: pa.date32() if name in DAY_COLUMNS else pa.string() for name in names}


def csv_layout(path: Path) -> tuple[list[str], int] | None:
    """The CSV file's column names as written, and the offset of its first data line.

    None when the header is not one plain line (a quoted line break, a lone carriage
    return, bytes that are not UTF-8): the exact path reads such a file.

    Examples:
        >>> csv_layout(Path("examples/bac_giang_2023/enrollments.csv"))[0][:2]
        ['record_id', 'participant_id']
    """
    with path.open("rb") as file:
        line = file.readline(1 << 20)
    if line and not line.endswith(b"\n") and len(line) == 1 << 20:
        return None
    text = line.removesuffix(b"\n").removesuffix(b"\r")
    if b"\r" in text or b"\n" in text:
        return None
    try:
        names = next(csv.reader([text.decode("utf-8-sig")], strict=True), [])
    except (UnicodeDecodeError, csv.Error):
        return None
    return names, len(line)


def csv_chunks(path: Path, start: int, size: int | None = None) -> Generator[bytes, None, None]:
    """The file's bytes from ``start``, in chunks of about ``size`` that end after a line feed.

    A chunk is read with one ``pread`` from where the last one ended, so nothing is copied
    twice; a line longer than ``size`` gets a chunk of its own, as long as it needs.
    ``size`` defaults to `CHUNK` (read when called, so a test can make chunks small).

    Examples:
        >>> chunks = csv_chunks(Path("examples/bac_giang_2023/enrollments.csv"), 0, 4096)
        >>> first = next(chunks)
        >>> len(first) <= 4096, first.endswith(b"\\n")
        (True, True)
    """
    size = size or CHUNK
    fd = os.open(path, os.O_RDONLY)
    try:
        offset, want = start, size
        while True:
            data = os.pread(fd, want, offset)
            if len(data) < want:  # the end of the file
                if data:
                    yield data
                return
            cut = data.rfind(b"\n") + 1
            if not cut:
                want *= 2
                continue
            yield data if cut == len(data) else data[:cut]
            offset, want = offset + cut, size
    finally:
        os.close(fd)


def csv_parser(names: list[str], types: dict[str, Any]) -> Callable[[bytes], list[Any]]:
    """A function that parses one chunk of data lines into record batches.

    ``names`` are the file's columns as written; only those of ``types`` are read, as the
    type given (text stays text, never null; an empty day cell is null).

    Examples:
        >>> import pyarrow as pa
        >>> parse = csv_parser(["a", "b"], {"b": pa.date32()})
        >>> parse(b"x,2023-05-02\\ny,\\n")[0].column(0).to_pylist()
        [datetime.date(2023, 5, 2), None]
    """
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]  # noqa: PLC0415

    parse = pacsv.ParseOptions(newlines_in_values=False)
    convert = pacsv.ConvertOptions(
        # Every text cell read is checked byte by byte afterwards (printable ASCII record
        # ids, digits, the payment codes): checking UTF-8 first would cost a third more.
        check_utf8=False,
        column_types=types,
        include_columns=list(types),
        null_values=[""],  # only in day columns (text is never null): an empty day
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )

    def batches(chunk: bytes) -> list[Any]:
        read = pacsv.ReadOptions(
            column_names=names, use_threads=False, block_size=max(len(chunk), 1 << 16) + 1
        )
        table = pacsv.read_csv(
            pa.py_buffer(chunk), read_options=read, parse_options=parse, convert_options=convert
        )
        found: list[Any] = table.to_batches()
        return found

    return batches


def in_threads(
    work: Callable[[T], R], items: Iterable[T], workers: int = WORKERS
) -> Generator[R, None, None]:
    """``work`` of each item, in order, computed by ``workers`` threads a few items ahead.

    At most ``2 * workers`` items are in flight, so memory stays flat. An exception of
    ``work`` is raised here, and the items not yet started are dropped.

    Examples:
        >>> list(in_threads(lambda n: n * n, range(5)))
        [0, 1, 4, 9, 16]
    """
    if workers <= 1:
        yield from map(work, items)
        return
    pending: deque[Future[R]] = deque()
    pool = ThreadPoolExecutor(workers, thread_name_prefix="bhxh-arrow")
    try:
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
