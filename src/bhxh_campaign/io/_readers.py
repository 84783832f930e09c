"""Readers: a file (or a dataframe) -> `Raw` rows, the header first.

CSV is streamed record by record from the open file (``newline=""``), so a 200 MB file
is never in memory at once. Bytes that are not valid in the declared encoding are kept as
surrogates by ``surrogateescape`` and refused row by row, with their line.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, cast

from bhxh_campaign.io._cells import native
from bhxh_campaign.io._engine import FileProblem, Raw

_SURROGATE: Final = re.compile("[\udc80-\udcff]")
_ZIP_MAX_BYTES: Final = 512 * 1024 * 1024
_ZIP_MAX_RATIO: Final = 100
_ZIP_RATIO_FLOOR: Final = 1024 * 1024  # small members compress well; only big ones count


def _open_text(path: Path, encoding: str) -> Any:
    try:
        codecs.lookup(encoding)
    except LookupError:
        msg = f"unknown encoding {encoding!r}"
        raise FileProblem(msg, "unreadable_file") from None
    try:
        return path.open(encoding=encoding, errors="surrogateescape", newline="")
    except FileNotFoundError:
        msg = "file not found"
        raise FileProblem(msg, "file_not_found") from None
    except IsADirectoryError:
        msg = "is a directory, not a file"
        raise FileProblem(msg, "unreadable_file") from None


def csv_rows(path: Path, *, encoding: str = "utf-8-sig") -> Iterator[Raw]:
    """The rows of a CSV file, each with the physical line where it starts.

    A cell over the csv module's field size limit (128 KiB unless the caller raised it)
    is a malformed row, so one runaway quote cannot pull the whole file into memory.
    """
    with _open_text(path, encoding) as file:
        label = "UTF-8" if codecs.lookup(encoding).name.startswith("utf") else encoding
        bad_bytes = f"has bytes that are not valid {label}"
        reader = csv.reader(file, strict=True)
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Raw(
                    line=start, cells=(), problem=("malformed_csv", f"malformed CSV: {error}")
                )
                start = reader.line_num + 1
                continue
            joined = "".join(cells)
            if not joined.isascii() and _SURROGATE.search(joined):
                yield Raw(line=start, cells=(), problem=("invalid_encoding", bad_bytes))
            elif start == 1:
                yield Raw(line=start, cells=tuple(c.strip().lstrip("\ufeff") for c in cells))
            else:
                yield Raw(line=start, cells=cells)
            start = reader.line_num + 1


def _check_archive(path: Path) -> None:
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
        msg = f"unpacks to {total} bytes, more than the {_ZIP_MAX_BYTES} allowed"
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
    epoch = 1904 if book.epoch == CALENDAR_MAC_1904 else 1900

    def rows() -> Iterator[Raw]:
        try:
            width = 0
            for number, cells in enumerate(book[name].iter_rows(values_only=True), start=1):
                if number == 1:
                    header = list(cells)
                    while header and (header[-1] is None or str(header[-1]).strip() == ""):
                        header.pop()
                    width = len(header)
                    yield Raw(
                        line=1, cells=tuple("" if c is None else str(c).strip() for c in header)
                    )
                else:
                    yield Raw(
                        line=number,
                        cells=tuple(cells)
                        if len(cells) > width
                        else tuple(cells) + (None,) * (width - len(cells)),
                    )
        finally:
            book.close()

    return name, epoch, rows()


def json_rows(path: Path, schema_names: tuple[str, ...]) -> Iterator[Raw]:  # noqa: PLR0912
    """The objects of a JSON list as rows, keys as the header, each with its start line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        msg = "file not found"
        raise FileProblem(msg, "file_not_found") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        msg = "is not valid UTF-8"
        raise FileProblem(msg, "invalid_encoding", line) from None
    decoder = json.JSONDecoder()
    items: list[tuple[int, object]] = []
    index = _skip(text, 0)
    if index >= len(text) or text[index] != "[":
        msg = "must be a JSON list of objects"
        raise FileProblem(msg, "not_a_list", _line(text, index))
    index = _skip(text, index + 1)
    line, position = 1, 0
    while index < len(text) and text[index] != "]":
        line += text.count("\n", position, index)
        position = index
        try:
            item, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            msg = f"malformed JSON: {error.msg}"
            raise FileProblem(msg, "malformed_json", error.lineno) from None
        items.append((line, item))
        index = _skip(text, index)
        if index < len(text) and text[index] == ",":
            index = _skip(text, index + 1)
        elif index < len(text) and text[index] != "]":
            msg = "malformed JSON: expected ',' or ']'"
            raise FileProblem(msg, "malformed_json", _line(text, index))
    if index >= len(text):
        msg = "malformed JSON: the list is not closed"
        raise FileProblem(msg, "malformed_json", _line(text, index))
    keys: list[str] = []
    for _, item in items:
        if isinstance(item, dict):
            keys.extend(k for k in item if k not in keys)
    if not keys:
        keys = list(schema_names)
    yield Raw(line=1, cells=tuple(keys))
    for line, item in items:
        if not isinstance(item, dict):
            yield Raw(
                line=line,
                cells=(),
                problem=("not_an_object", f"must be a JSON object, got {type(item).__name__}"),
            )
        else:
            yield Raw(line=line, cells=tuple(item.get(k) for k in keys))


def _line(text: str, index: int) -> int:
    return 1 + text.count("\n", 0, index)


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


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
