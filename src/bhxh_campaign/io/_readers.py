"""Readers: a file (or a dataframe) -> `Raw` rows, the header first.

CSV is streamed record by record from the open file (``newline=""``), so a 200 MB file
is never in memory at once. Bytes that are not valid in the declared encoding are kept as
surrogates by ``surrogateescape`` and refused row by row, with their line. JSON and JSON
Lines are streamed by `bhxh_campaign.io._json`.

Readers of files report their progress to an optional ``progress(done, total)`` callback
(bytes), through a `Meter`: at most once per `STEP` bytes, looked up every `EVERY` rows
(one ``tell()``, not one per row), and once at the end with ``(total, total)``.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, cast

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign._files import irregular
from bhxh_campaign.io._cells import UNSAVED_FORMULA, native
from bhxh_campaign.io._pipeline import ENCODING_HINT, FileProblem, Raw

_SURROGATE: Final = re.compile("[\udc80-\udcff]")
_ZIP_MAX_BYTES: Final = 512 * 1024 * 1024
_ZIP_MAX_RATIO: Final = 100
_ZIP_RATIO_FLOOR: Final = 1024 * 1024  # small members compress well; only big ones count

STEP: Final = 1024 * 1024
"""Progress is reported at most once per this many bytes."""
EVERY: Final = 4096
"""Rows read between two looks at the file's position."""


class Meter:
    """Reports progress to a callback: rarely, never backwards, and once at the end.

    Examples:
        >>> calls = []
        >>> meter = Meter(lambda done, total: calls.append((done, total)), 100, step=40)
        >>> for done in (10, 45, 50, 90, 130):
        ...     meter.update(done)
        >>> meter.finish()
        >>> calls
        [(45, 100), (90, 100), (100, 100), (100, 100)]
    """

    __slots__ = ("_last", "_progress", "_step", "_total")

    def __init__(self, progress: ProgressCallback | None, total: int, step: int = STEP) -> None:
        self._progress = progress
        self._total = total
        self._step = step
        self._last = 0

    def update(self, done: int) -> None:
        """Report ``done`` bytes if it is at least one step past the last report."""
        if self._progress is not None and done - self._last >= self._step:
            self._last = done
            self._progress(min(done, self._total), self._total)

    def finish(self) -> None:
        """Report that the whole file was read: ``(total, total)``."""
        if self._progress is not None:
            self._progress(self._total, self._total)


def regular_file(path: Path) -> None:
    """Refuse, before it is opened, a path that is not a regular file (a FIFO, a device).

    Opening a FIFO waits for a writer forever, and ``/dev/zero`` never ends.
    """
    reason = irregular(path)
    if reason is not None:
        raise FileProblem(reason, "not_a_regular_file")


def _text_encoding(encoding: str) -> None:
    """Refuse an encoding Python does not know, or one that is not for text (rot13)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        msg = f"unknown encoding {encoding!r}"
        raise FileProblem(msg, "unknown_encoding") from None
    if not getattr(info, "_is_text_encoding", True):
        msg = f"{encoding!r} is not a text encoding"
        raise FileProblem(msg, "unknown_encoding")


def _undecodable(encoding: str, error: UnicodeError) -> FileProblem:
    """A stream decoder that gave up on the whole file (UTF-16 without a byte-order mark)."""
    hint = ""
    if "BOM" in str(error):
        hint = "; name the byte order, e.g. utf-16-le or utf-16-be"
    msg = f"cannot be read as {encoding!r}: {error}{hint}"
    return FileProblem(msg, "unreadable_file", 1)


def _open_text(path: Path, encoding: str) -> Any:
    _text_encoding(encoding)
    regular_file(path)
    try:
        return path.open(encoding=encoding, errors="surrogateescape", newline="")
    except FileNotFoundError:
        msg = "file not found"
        raise FileProblem(msg, "file_not_found") from None
    except IsADirectoryError:
        msg = "is a directory, not a file"
        raise FileProblem(msg, "unreadable_file") from None


def csv_rows(
    path: Path,
    *,
    encoding: str = "utf-8-sig",
    progress: ProgressCallback | None = None,
    step: int = STEP,
    every: int = EVERY,
) -> Iterator[Raw]:
    """The rows of a CSV file, each with the physical line where it starts.

    A cell over the csv module's field size limit (128 KiB unless the caller raised it)
    is a malformed row, so one runaway quote cannot pull the whole file into memory.
    """
    with _open_text(path, encoding) as file:
        utf = codecs.lookup(encoding).name.startswith("utf")
        bad_bytes = f"has bytes that are not valid {'UTF-8' if utf else encoding}"
        if utf:
            bad_bytes += f"; {ENCODING_HINT}"
        meter = Meter(progress, os.fstat(file.fileno()).st_size, step)
        reader = csv.reader(file, strict=True)
        start = 1
        rows = 0
        while True:
            rows += 1
            if rows % every == 0:
                meter.update(file.buffer.tell())
            try:
                cells = next(reader)
            except UnicodeError as error:  # surrogateescape keeps bad bytes; this is worse
                raise _undecodable(encoding, error) from None
            except StopIteration:
                meter.finish()
                return
            except csv.Error as error:
                problem = ("malformed_csv", f"malformed CSV: {error}")
                yield Raw(line=start, cells=(), problem=problem, last=reader.line_num)
                start = reader.line_num + 1
                continue
            last = reader.line_num
            joined = "".join(cells)
            if not joined.isascii() and _SURROGATE.search(joined):
                problem = ("invalid_encoding", bad_bytes)
                yield Raw(line=start, cells=(), problem=problem, last=last)
            elif start == 1:
                yield Raw(line=start, cells=tuple(c.strip().lstrip("\ufeff") for c in cells))
            else:
                yield Raw(start, cells, None, None, last)  # positional: once a row, the cheapest
            start = last + 1


def _check_archive(path: Path) -> None:
    import zipfile  # noqa: PLC0415 - only workbooks need it; the CSV path stays lighter

    regular_file(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        msg = "file not found"
        raise FileProblem(msg, "file_not_found") from None
    except (zipfile.BadZipFile, OSError):
        msg = "is not an Excel workbook (.xlsx)"
        raise FileProblem(msg, "unreadable_file") from None
    with archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > _ZIP_MAX_BYTES:
        msg = f"unpacks to {total} bytes, more than the {_ZIP_MAX_BYTES} bytes allowed"
        raise FileProblem(msg, "suspicious_archive")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _ZIP_RATIO_FLOOR and ratio > _ZIP_MAX_RATIO:
            msg = f"member {member.filename!r} is compressed {ratio:.0f} to 1 (a zip bomb?)"
            raise FileProblem(msg, "suspicious_archive")


def xlsx_rows(path: Path, *, sheet: str | None = None) -> tuple[str, int, Iterator[Raw]]:
    """The sheet's name, its date system (1900 or 1904) and its rows, header first."""
    _check_archive(path)
    import defusedxml  # noqa: F401, PLC0415 - openpyxl parses with it when installed
    import openpyxl  # noqa: PLC0415 - an optional extra
    from openpyxl.utils.datetime import CALENDAR_MAC_1904  # noqa: PLC0415
    from openpyxl.xml import DEFUSEDXML  # noqa: PLC0415

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is imported just above
        msg = "openpyxl does not see defusedxml; refusing to parse untrusted XML"
        raise FileProblem(msg, "unreadable_file")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (data validation, styles); we read values.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on bad files
        msg = f"is not a readable workbook ({type(error).__name__})"
        raise FileProblem(msg, "unreadable_file") from None
    # Keep date cells as their serial numbers: openpyxl maps serials 59 and 60 to the
    # same day, and we must refuse 60 (29/02/1900, which never existed).
    book._date_formats = set()  # type: ignore[attr-defined]
    name = sheet if sheet is not None else book.sheetnames[0]
    if name not in book.sheetnames:
        book.close()
        msg = f"has no sheet {name!r}; it has {', '.join(map(repr, book.sheetnames))}"
        raise FileProblem(msg, "unknown_sheet")
    if sheet is None:
        others = [other for other in book.sheetnames[1:] if _has_data(book[other])]
        if others:
            book.close()
            msg = (
                f"has data on {len(others)} sheet(s) besides the first, {name!r}:"
                f" {', '.join(map(repr, others))}; name the sheet to read (sheet=...),"
                ' or for a campaign folder set sheet = "NAME" in its campaign.toml'
            )
            msg_vi = (
                f"có dữ liệu ở {len(others)} trang tính ngoài trang đầu {name!r}:"
                f" {', '.join(map(repr, others))}; hãy chỉ rõ trang cần đọc (sheet=...),"
                ' hoặc với thư mục chiến dịch, đặt sheet = "TÊN" trong campaign.toml'
            )
            raise FileProblem(msg, "several_sheets", detail_vi=msg_vi)
    epoch = 1904 if book.epoch == CALENDAR_MAC_1904 else 1900
    unsaved = _unsaved_formulas(path, getattr(book[name], "_worksheet_path", ""))

    def rows() -> Iterator[Raw]:
        # The header may be below title rows: the loop that reads the rows finds it.
        try:
            for number, cells in _sheet_rows(book[name]):
                row = _mark_unsaved(number, cells, unsaved) if unsaved else cells
                yield Raw(line=number, cells=tuple(row))
        finally:
            book.close()

    return name, epoch, rows()


_CELL_REF: Final = re.compile(r"([A-Z]+)([0-9]+)")


def _unsaved_formulas(path: Path, member: str) -> frozenset[tuple[int, int]]:
    """The cells (row, 0-based column) of a sheet that hold a formula with no saved value.

    openpyxl reads such a cell as empty; a workbook written by a program (not saved by
    Excel) has them. The sheet's XML is searched for ``<f>`` at all before it is parsed.
    """
    import zipfile  # noqa: PLC0415 - see _check_archive

    from defusedxml.ElementTree import iterparse  # noqa: PLC0415 - an optional extra

    with zipfile.ZipFile(path) as archive:
        if member not in archive.namelist():
            return frozenset()
        with archive.open(member) as stream:
            if not _has_formula(stream):
                return frozenset()
        found: set[tuple[int, int]] = set()
        with archive.open(member) as stream:
            try:
                for _, element in iterparse(stream):
                    tag = element.tag.rpartition("}")[2]
                    if tag == "c":
                        parts = {child.tag.rpartition("}")[2]: child for child in element}
                        value = parts.get("v")
                        ref = _CELL_REF.fullmatch(element.get("r", ""))
                        if "f" in parts and (value is None or not value.text) and ref:
                            column = sum((ord(c) - 64) * 26**i for i, c in enumerate(ref[1][::-1]))
                            found.add((int(ref[2]), column - 1))
                    if tag in {"c", "row"}:
                        element.clear()  # keep memory flat over a large sheet
            except Exception:  # noqa: BLE001, S110 - broken XML is reported when the rows are read
                pass
    return frozenset(found)


def _has_formula(stream: Any) -> bool:
    """Whether a sheet's XML has a formula element (``<f>``, or ``<x:f>`` with a prefix)."""
    tail = b""
    for chunk in iter(lambda: stream.read(STEP), b""):
        text = tail + chunk
        if b"<f" in text or b":f>" in text or b":f " in text:
            return True
        tail = chunk[-3:]  # a tag cut by the end of a chunk
    return False


def _mark_unsaved(
    number: int, cells: tuple[object, ...], unsaved: frozenset[tuple[int, int]]
) -> tuple[object, ...]:
    """The row's cells, with `UNSAVED_FORMULA` where a formula has no saved value."""
    return tuple(
        UNSAVED_FORMULA if cell is None and (number, index) in unsaved else cell
        for index, cell in enumerate(cells)
    )


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[object, ...]]]:
    """A sheet's rows, numbered; XML cut short or broken is a problem with the file."""
    number = 0
    try:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, cells
    except Exception as error:  # noqa: BLE001 - the XML parser and openpyxl raise many kinds
        msg = f"is not a readable workbook: its sheet stops after row {number} ({error})"
        raise FileProblem(msg, "unreadable_file", number + 1) from None


def _has_data(sheet: Any) -> bool:
    """Whether a worksheet has a cell that is not empty."""
    return any(
        cell is not None and str(cell).strip() != ""
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )


def frame_rows(frame: object) -> tuple[str, Iterator[Raw]]:
    """A description of a dataframe and its rows (pandas, polars, pyarrow, DuckDB) via narwhals."""
    import narwhals as nw  # noqa: PLC0415 - an optional extra

    wrapped = nw.from_native(cast("Any", frame), allow_series=False)
    if isinstance(wrapped, nw.LazyFrame):
        wrapped = wrapped.collect()
    eager: nw.DataFrame[Any] = wrapped
    described = f"<{type(frame).__module__}.{type(frame).__name__}>"

    def rows() -> Iterator[Raw]:
        yield Raw(line=1, cells=tuple(eager.columns))
        for number, row in enumerate(eager.iter_rows(named=False), start=2):
            yield Raw(line=number, cells=tuple(native(cell) for cell in row))

    return described, rows()


def parquet_rows(path: Path) -> Iterator[Raw]:
    """The rows of a Parquet file (read with pyarrow), the column names first."""
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:
        msg = "reading Parquet needs pyarrow: pip install 'bhxh-campaign[arrow]'"
        raise FileProblem(msg, "unreadable_file") from None
    if not path.is_file():
        msg = "file not found"
        raise FileProblem(msg, "file_not_found")
    try:
        table = pq.read_table(path)
    except Exception as error:  # noqa: BLE001 - pyarrow raises many kinds on bad files
        msg = f"is not a readable Parquet file ({type(error).__name__})"
        raise FileProblem(msg, "unreadable_file") from None
    yield Raw(line=1, cells=tuple(table.column_names))
    for number, row in enumerate(table.to_pylist(), start=2):
        yield Raw(line=number, cells=tuple(native(cell) for cell in row.values()))
