"""Input files read safely: only regular files, and TOML that cannot crash the parser.

A named pipe (FIFO) given as an input waits forever for a writer; a symlink to
``/dev/zero`` never ends. Both are refused before they are opened for reading.
`tomllib` raises `RecursionError` on arrays nested a few thousand levels deep and
`ValueError` on an integer over Python's digit limit (4,300 digits): `read_toml` turns
both into a `TomlError` naming the line and the key, as it does every other parse error.
"""

from __future__ import annotations

import re
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any, Final

__all__ = ["TomlError", "irregular", "key_line", "read_toml"]

_KINDS: Final = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_KEY: Final = re.compile(r"\s*\[*\s*([^=\[\]\s][^=\[\]]*?)\s*(?:=|\]|$)")
_AT_LINE: Final = re.compile(r"\(at line ([0-9]+), column [0-9]+\)")
_AT_END: Final = "(at end of document)"
_DEEP: Final = 100
"""How deep the nesting where a too-deeply-nested TOML document is said to fail."""


def irregular(path: Path) -> str | None:
    """Why ``path`` must not be read (it is not a regular file), or None.

    Symlinks are followed: a link to ``/dev/zero`` is a character device. A path that
    does not exist, or a folder, is left to the caller, which says so in its own words.

    Examples:
        >>> irregular(Path("/dev/zero")), irregular(Path("pyproject.toml"))
        ('is a character device, not a regular file', None)
    """
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    for test, kind in _KINDS:
        if test(mode):
            return f"is {kind}, not a regular file"
    return None


class TomlError(ValueError):
    """A TOML file that cannot be read: the problem, its line and key where known."""

    def __init__(self, detail: str, *, line: int | None = None, key: str | None = None) -> None:
        self.detail = detail
        self.line = line
        self.key = key
        super().__init__(detail)


def _key_on(text: str, line: int) -> str | None:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    match = _KEY.match(lines[line - 1])
    return match[1].strip() if match else None


def key_line(path: Path, key: str | None) -> int | None:
    """The first line of a TOML file that sets ``key`` (``key = ...``), or None.

    For errors found after parsing (a campaign's name, its dates), which `tomllib` no
    longer knows the line of.

    Examples:
        >>> key_line(Path("examples/bac_giang_2023/campaign.toml"), "end")
        5
    """
    if key is None or irregular(path) is not None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if "=" in line and _key_on(line, 1) == key:
            return number
    return None


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _deep_line(text: str) -> int:
    """The line where brackets and braces first nest `_DEEP` levels deep (strings ignored)."""
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > _DEEP:
                return _line_of(text, index)
        elif char in "]}":
            depth -= 1
    return 1


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document in ``path``.

    Raises:
        TomlError: the file is not a regular file, not UTF-8 or not TOML (also nested
            too deeply, or with an integer of too many digits), naming the line and key.
        OSError: the file cannot be read (not found, a folder, no permission).

    Examples:
        >>> read_toml(Path("examples/bac_giang_2023/campaign.toml"))["scope"]
        '24'
        >>> import tempfile
        >>> deep = Path(tempfile.mkdtemp()) / "deep.toml"
        >>> _ = deep.write_text("a = 1\\nx = " + "[" * 5000 + "]" * 5000)
        >>> try:
        ...     read_toml(deep)
        ... except TomlError as error:
        ...     print(error.line, error.key, error)
        2 x nested too deeply
    """
    reason = irregular(path)
    if reason is not None:
        raise TomlError(reason)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        detail = f"not valid UTF-8 (byte {data[error.start]:#04x})"
        key = _key_on(data.decode("utf-8", "replace"), line)
        raise TomlError(detail, line=line, key=key) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = _AT_LINE.search(str(error))
        where = int(at[1]) if at else None
        if _AT_END in str(error):  # the last line that has anything on it
            where = len(text.rstrip().splitlines()) or 1
        detail = _AT_LINE.sub("", str(error)).replace(_AT_END, "").strip()
        key = _key_on(text, where) if where else None
        msg = f"malformed TOML: {detail}"
        raise TomlError(msg, line=where, key=key) from None
    except RecursionError:
        line = _deep_line(text)
        msg = "nested too deeply"
        raise TomlError(msg, line=line, key=_key_on(text, line)) from None
    except ValueError:  # int() past sys.get_int_max_str_digits()
        limit = sys.get_int_max_str_digits()
        long = re.search(f"[0-9_]{{{limit + 1},}}", text)
        where = _line_of(text, long.start()) if long else None
        detail = f"an integer has more than {limit} digits"
        raise TomlError(detail, line=where, key=_key_on(text, where) if where else None) from None
