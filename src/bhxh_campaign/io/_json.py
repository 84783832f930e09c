"""Streamed JSON readers: a top-level array of objects (``.json``) and JSON Lines (``.jsonl``).

Both keep memory bounded by one item plus a chunk of text, however large the file. They
read it twice: the first pass checks the whole file and gathers the keys of every object
(the header is their union, in order of first appearance, so a key that only the last
object has still makes it a column, and an unknown one is still refused at once), the
second yields the rows. A problem with the whole file is therefore found before any row
is counted, exactly as if the file had been parsed at once.

An array is decoded with `json.JSONDecoder.raw_decode` over a sliding buffer fed by an
incremental UTF-8 decoder: an item cut by the end of a chunk is decoded again once more
text has arrived, so the items, their start lines and every error (code, line and
message) are those of `json.loads` on the whole text. JSON Lines are read line by line;
a line that is not valid JSON is a rejected row, not a problem with the whole file.
"""

from __future__ import annotations

import codecs
import io
import json
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Final, NamedTuple

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign.io._cells import NotFinite
from bhxh_campaign.io._pipeline import FileProblem, Raw
from bhxh_campaign.io._readers import EVERY, STEP, Meter, regular_file
from bhxh_campaign.io.load_report import shown

CHUNK: Final = 64 * 1024
"""Bytes read at a time."""
MAX_ITEM: Final = 16 * 1024 * 1024
"""The longest item of an array (in characters) or line of JSON Lines (in bytes)."""

_WHITESPACE: Final = " \t\r\n"
_SPACES: Final = re.compile(r"[ \t\r\n]*")
# An error this close to the end of the text read so far may come from the cut, not
# from the data: the longest token cut short is "-Infinity", the longest escape "\uXXXX".
_MARGIN: Final = 16


class _Refused(dict[str, object]):
    """An object refused while it was decoded: the key given twice (every key is kept)."""

    key: str = ""


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An object's keys and values, or a `_Refused` object when a key is given twice.

    ``json`` keeps the last of two equal keys without a word; here it is a refused row.
    """
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    refused = _Refused(value)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            refused.key = key
            break
        seen.add(key)
    return refused


def _float(text: str) -> object:
    """A JSON number with a fraction or exponent; past 1e308 (1e400) a `NotFinite`."""
    value = float(text)
    return value if math.isfinite(value) else NotFinite(text)


_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_float=_float, parse_constant=NotFinite
)
_NOT_UTF8: Final = "is not valid UTF-8"


def _open(source: Path | bytes) -> BinaryIO:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    regular_file(source)
    try:
        return source.open("rb")
    except FileNotFoundError:
        msg = "file not found"
        raise FileProblem(msg, "file_not_found") from None
    except IsADirectoryError:
        msg = "is a directory, not a file"
        raise FileProblem(msg, "unreadable_file") from None


def _size(file: BinaryIO) -> int:
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    return size


class _Text:
    """The text of a binary file, decoded chunk by chunk, with a cursor and line numbers.

    ``buf[pos:]`` is the text read but not consumed; ``line_of(i)`` is the physical line
    of ``buf[i]`` for any ``i`` at or after the last position asked about.
    """

    def __init__(self, file: BinaryIO, *, chunk_size: int, on_read: Callable[[int], None]):
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._file = file
        self._chunk = chunk_size
        self._on_read = on_read
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._read = 0
        self._newlines = 0  # b"\n" in the bytes decoded so far
        self._mark = 0
        self._mark_line = 1
        head = file.read(3)
        self._read = len(head)
        if head != codecs.BOM_UTF8:  # utf-8-sig: one byte-order mark at the start is skipped
            self._decode(head, start=0)

    def line_of(self, index: int) -> int:
        self._mark_line += self.buf.count("\n", self._mark, index)
        self._mark = index
        return self._mark_line

    def more(self, at_least: int = 0) -> bool:
        """Read more text (dropping what is consumed); False once the file is exhausted."""
        if self.eof:
            return False
        self.line_of(self.pos)
        self.buf = self.buf[self.pos :]
        self._mark = self.pos = 0
        data = self._file.read(max(self._chunk, at_least))
        start = self._read
        self._read += len(data)
        self._on_read(self._read)
        self._decode(data, start=start)
        if not data:
            self.eof = True
        return True

    def _decode(self, data: bytes, *, start: int) -> None:
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            # The bytes in error end where this chunk ends; bytes held over from the
            # last chunk (a character cut in two) hold no newline.
            at = start + len(data) - len(error.object) + error.start
            line = 1 + self._newlines + data[: max(0, at - start)].count(b"\n")
            raise FileProblem(_NOT_UTF8, "invalid_encoding", line) from None
        self._newlines += data.count(b"\n")
        self.buf += text

    def skip(self) -> str:
        """Move past JSON whitespace; the character then at the cursor ("" at the end)."""
        while True:
            # The pattern matches everywhere (maybe nothing), so match() is never None.
            self.pos = _SPACES.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def drain(self) -> None:
        """Decode the rest of the file, only to find bytes that are not UTF-8."""
        while self.more():
            self.buf = ""
            self._mark = self.pos = 0

    def problem(self, detail: str, code: str, line: int) -> FileProblem:
        """A problem with the file; bytes that are not UTF-8 anywhere in it come first."""
        self.drain()
        return FileProblem(detail, code, line)


def _item(text: _Text, line: int, max_item: int) -> object:
    """Decode the item at the cursor (on ``line``), reading more text while it may be cut."""
    while True:
        buf = text.buf
        try:
            item, end = _DECODER.raw_decode(buf, text.pos)
        except json.JSONDecodeError as error:
            cut = error.pos >= len(buf) - _MARGIN or error.msg.startswith("Unterminated string")
            if not cut or text.eof:
                detail = f"malformed JSON: {error.msg}"
                raise text.problem(detail, "malformed_json", text.line_of(error.pos)) from None
        except RecursionError:
            detail = "malformed JSON: nested too deeply"
            raise text.problem(detail, "malformed_json", line) from None
        except ValueError:  # a number past the digit limit of int()
            detail = "malformed JSON: a number has too many digits"
            raise text.problem(detail, "malformed_json", line) from None
        else:
            # A number cut short decodes as another one: "0." as 0, "1e+" as 1.
            if end + _MARGIN <= len(buf) or text.eof:
                text.pos = end
                return item
        if len(buf) - text.pos > max_item:
            detail = f"malformed JSON: an item runs past {max_item} characters"
            raise text.problem(detail, "malformed_json", line)
        text.more(at_least=len(buf) - text.pos)


def array_items(
    source: Path | bytes,
    *,
    chunk_size: int = CHUNK,
    max_item: int = MAX_ITEM,
    on_read: Callable[[int], None] = lambda _: None,
) -> Iterator[tuple[int, object]]:
    """The items of a top-level JSON array, each with the physical line where it starts.

    Raises `FileProblem` (``not_a_list``, ``malformed_json``, ``invalid_encoding``) with
    the line `json.loads` would blame. Text after the closing bracket is not read as
    JSON, but its bytes must be UTF-8, as they must for `json.loads`.
    """
    with _open(source) as file:
        text = _Text(file, chunk_size=chunk_size, on_read=on_read)
        char = text.skip()
        if char != "[":
            msg = "must be a JSON list of objects"
            raise text.problem(msg, "not_a_list", text.line_of(text.pos))
        text.pos += 1
        char = text.skip()
        while char not in {"", "]"}:
            line = text.line_of(text.pos)
            yield line, _item(text, line, max_item)
            char = text.skip()
            if char == ",":
                text.pos += 1
                char = text.skip()
                if char == "]":
                    msg = "malformed JSON: a comma before ']'"
                    raise text.problem(msg, "malformed_json", text.line_of(text.pos))
            elif char not in {"", "]"}:
                msg = "malformed JSON: expected ',' or ']'"
                raise text.problem(msg, "malformed_json", text.line_of(text.pos))
        if char == "":
            msg = "malformed JSON: the list is not closed"
            raise text.problem(msg, "malformed_json", text.line_of(text.pos))
        text.drain()


def _header(values: Iterator[object], schema_names: tuple[str, ...]) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for value in values:
        if isinstance(value, dict):
            keys.update(dict.fromkeys(value))
    return tuple(keys) if keys else schema_names


def _row(line: int, value: object, keys: tuple[str, ...], known: frozenset[str]) -> Raw:
    if not isinstance(value, dict):
        detail = f"must be a JSON object, got {type(value).__name__}"
        return Raw(line=line, cells=(), problem=("not_an_object", detail))
    if isinstance(value, _Refused):
        detail = "is given twice in the same object"
        return Raw(line=line, cells=(), problem=("duplicate_key", detail), field=shown(value.key))
    if not value.keys() <= known:
        msg = "changed while it was being read"
        raise FileProblem(msg, "unreadable_file")
    return Raw(line=line, cells=tuple(value.get(k) for k in keys))


def json_rows(
    source: Path | bytes,
    schema_names: tuple[str, ...],
    *,
    progress: ProgressCallback | None = None,
    chunk_size: int = CHUNK,
    max_item: int = MAX_ITEM,
    step: int = STEP,
) -> Iterator[Raw]:
    """The objects of a JSON array as rows, keys as the header, each with its start line.

    ``progress`` counts the bytes of both passes: its total is twice the file's size.
    """
    with _open(source) as file:
        size = _size(file)
    meter = Meter(progress, 2 * size, step)

    def items(offset: int) -> Iterator[tuple[int, object]]:
        return array_items(
            source,
            chunk_size=chunk_size,
            max_item=max_item,
            on_read=lambda done: meter.update(offset + done),
        )

    keys = _header((item for _, item in items(0)), schema_names)
    known = frozenset(keys)
    yield Raw(line=1, cells=keys)
    for line, item in items(size):
        yield _row(line, item, keys, known)
    meter.finish()


class _Bad(NamedTuple):
    """Why a line of JSON Lines has no value (json never decodes to a tuple)."""

    code: str
    detail: str


_BLANK: Final = _Bad("blank", "")


def _lines(
    source: Path | bytes, *, max_line: int, on_read: Callable[[int], None], every: int
) -> Iterator[tuple[int, bytes | None]]:
    """The physical lines of a file, numbered from 1; None for a line over ``max_line``."""
    with _open(source) as file:
        done = 0
        number = 0
        while line := file.readline(max_line + 1):
            number += 1
            done += len(line)
            if number % every == 0:
                on_read(done)
            if len(line) > max_line and not line.endswith(b"\n"):
                rest = line
                while rest and not rest.endswith(b"\n"):
                    rest = file.readline(CHUNK)
                    done += len(rest)
                yield number, None
            else:
                yield number, line[3:] if number == 1 and line.startswith(codecs.BOM_UTF8) else line


def _parse(line: bytes | None, max_line: int) -> object:
    """A line's JSON value, `_BLANK`, or a `_Bad` saying why it has none."""
    if line is None:
        return _Bad("malformed_json_line", f"malformed JSON: the line is over {max_line} bytes")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return _Bad("invalid_encoding", "has bytes that are not valid UTF-8")
    if not text.strip(_WHITESPACE):
        return _BLANK
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        detail = f"malformed JSON: {error.msg}, column {error.colno}"
    except RecursionError:
        detail = "malformed JSON: nested too deeply"
    except ValueError:  # a number past the digit limit of int()
        detail = "malformed JSON: a number has too many digits"
    return _Bad("malformed_json_line", detail)


def jsonl_rows(
    source: Path | bytes,
    schema_names: tuple[str, ...],
    *,
    progress: ProgressCallback | None = None,
    max_line: int = MAX_ITEM,
    step: int = STEP,
    every: int = EVERY,
) -> Iterator[Raw]:
    """The lines of a JSON Lines file as rows, keys as the header, each with its line.

    A blank line is a blank row; a line that is not JSON, not UTF-8 or over ``max_line``
    bytes is a rejected row. ``progress`` counts both passes, like `json_rows`.
    """
    with _open(source) as file:
        size = _size(file)
    meter = Meter(progress, 2 * size, step)

    def values(offset: int) -> Iterator[tuple[int, object]]:
        lines = _lines(
            source,
            max_line=max_line,
            on_read=lambda done: meter.update(offset + done),
            every=every,
        )
        for number, line in lines:
            yield number, _parse(line, max_line)

    keys = _header((value for _, value in values(0)), schema_names)
    known = frozenset(keys)
    yield Raw(line=1, cells=keys)
    for number, value in values(size):
        if value is _BLANK:
            yield Raw(line=number, cells=())
        elif isinstance(value, _Bad):
            yield Raw(line=number, cells=(), problem=(value.code, value.detail))
        else:
            yield _row(number, value, keys, known)
    meter.finish()
