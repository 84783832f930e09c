"""Callback types shared by the loaders, the engines and the command line."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress"]

Progress = Callable[[int, int], None]
"""A progress callback ``progress(done, total)``: bytes read so far, and bytes to read."""
