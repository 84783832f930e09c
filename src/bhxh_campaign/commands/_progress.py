"""A progress bar on standard error, for the commands' long reads.

The bar is drawn by tqdm, and only when the stream is a terminal (never into a pipe, a
file or a test's captured output), only once a read has taken a second, and it clears
itself when done, so a quick report prints exactly what it printed before.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Never, TextIO

from bhxh_campaign._callbacks import ProgressCallback

__all__ = ["DELAY_SECONDS", "progress_bar"]

DELAY_SECONDS = 1.0
"""How long a read runs before its bar appears."""


@contextmanager
def progress_bar(
    label: str,
    *,
    stream: TextIO | None = None,
    delay: float = DELAY_SECONDS,
    refresh: float = 0.1,
) -> Iterator[ProgressCallback | None]:
    """A ``(done, total)`` callback that moves a bar on ``stream``, or None off a terminal.

    The callback may be called from any thread; its first call draws the bar (after
    ``delay``), and ``done`` never moves it back.

    Args:
        label: what is being read, shown before the bar.
        stream: where the bar is drawn (default: standard error).
        delay: seconds before the bar first appears.
        refresh: the least number of seconds between two redraws.

    Examples:
        >>> import io
        >>> with progress_bar("enrollments.csv", stream=io.StringIO()) as update:
        ...     update is None  # not a terminal: no bar
        True
    """
    out = sys.stderr if stream is None else stream
    if not out.isatty():
        yield None
        return
    from tqdm import tqdm  # noqa: PLC0415 - drawn only on a terminal

    bars: list[tqdm[Never]] = []  # a bar over no iterable
    lock = threading.Lock()

    def update(done: int, total: int) -> None:
        with lock:
            if not bars:  # the first call gives the size
                bars.append(
                    tqdm(
                        desc=label,
                        total=total,
                        unit="B",
                        unit_scale=True,
                        unit_divisor=1024,
                        file=out,
                        delay=delay,
                        mininterval=refresh,
                        miniters=1,  # calls come about ten times a second at most
                        leave=False,
                        dynamic_ncols=True,
                    )
                )
            bar = bars[0]
            bar.total = total
            if done > bar.n:
                bar.update(done - bar.n)

    try:
        yield update
    finally:
        for bar in bars:
            bar.close()
