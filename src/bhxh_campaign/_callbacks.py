"""Callback types shared by the loaders, the engines and the command line."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ProgressCallback"]

ProgressCallback = Callable[[int, int], None]
"""A progress callback ``progress(done, total)``: bytes read so far, and bytes to read.

Not to be confused with `bhxh_campaign.report.Progress`, a report's progress to target.
"""
