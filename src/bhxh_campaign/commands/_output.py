"""Where a command's output goes: a file, or standard output (``-`` or no option)."""

from __future__ import annotations

import sys
from pathlib import Path

from bhxh_campaign.commands import CommandError

__all__ = ["STDIO", "write_output"]

STDIO = "-"
"""The path that names standard output (and, where a file is read, standard input)."""


def write_output(content: str | bytes, out: Path | None, *, option: str = "--out") -> None:
    """Write ``content`` to the file ``out``, or to standard output for None or ``-``.

    Text is written as UTF-8. Bytes (a workbook, an image) are refused to a terminal, where
    they would only garble the screen.

    Raises:
        CommandError: the file's folder does not exist, the file cannot be written, or
            bytes would go to a terminal.

    Examples:
        >>> write_output("1,221,Yên Dũng\\n", None)
        1,221,Yên Dũng
    """
    if out is None or str(out) == STDIO:
        if isinstance(content, str):
            sys.stdout.write(content)
            return
        buffer = getattr(sys.stdout, "buffer", None)  # a stand-in (a StringIO) has none
        if sys.stdout.isatty() or buffer is None:
            msg = f"a binary file is not shown on a terminal: give {option} FILE, or redirect"
            raise CommandError(msg)
        sys.stdout.flush()
        buffer.write(content)
        return
    if not out.parent.is_dir():
        msg = f"{option} {str(out)!r}: the folder {str(out.parent)!r} does not exist"
        raise CommandError(msg)
    try:
        if isinstance(content, str):
            out.write_text(content, encoding="utf-8")
        else:
            out.write_bytes(content)
    except OSError as error:
        msg = f"{option} {str(out)!r}: cannot write ({error.strerror or type(error).__name__})"
        raise CommandError(msg) from None
