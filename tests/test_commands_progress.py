"""Tests of `bhxh_campaign.commands._progress` and the progress the engines report."""

from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign import load_campaign
from bhxh_campaign.commands import _progress
from bhxh_campaign.commands._progress import progress_bar
from bhxh_campaign.engines import _duckdb, daily_counts_for, last_data_day_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bac_giang_2023"


def _percent(done: int) -> str:
    """The start of tqdm's bar for ``done`` of 10,000 (tqdm formats it so)."""
    return f"{done * 100 / 10_000:3.0f}%"


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TestProgressBar:
    """`progress_bar`: a bar on a terminal only, that never moves back."""

    def test_no_bar_off_a_terminal(self) -> None:
        """Into a pipe or a file, there is no callback and nothing is written."""
        stream = io.StringIO()
        with progress_bar("records.csv", stream=stream, delay=0) as update:
            assert update is None
        assert stream.getvalue() == ""

    def test_bar_on_a_terminal(self) -> None:
        """On a terminal the bar shows the label and reaches 100%, then clears itself."""
        stream = Terminal()
        with progress_bar("records.csv", stream=stream, delay=0, refresh=0) as update:
            assert update is not None
            update(512, 2048)
            update(2048, 2048)
        text = stream.getvalue()
        assert "records.csv" in text
        assert "100%" in text

    def test_default_stream_is_stderr(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a stream, the bar goes to standard error (not a terminal under pytest)."""
        with progress_bar("records.csv") as update:
            assert update is None
        assert capsys.readouterr() == ("", "")

    def test_waits_for_the_delay(self) -> None:
        """A read shorter than the delay draws nothing."""
        stream = Terminal()
        with progress_bar("records.csv", stream=stream, delay=3600) as update:
            assert update is not None
            update(2048, 2048)
        assert "records.csv" not in stream.getvalue()

    @given(st.lists(st.integers(0, 10_000), min_size=1, max_size=20))
    def test_never_moves_back(self, done: list[int]) -> None:
        """Each redraw shows the largest ``done`` reported so far."""
        stream = Terminal()
        with progress_bar("r", stream=stream, delay=0, refresh=0) as update:
            assert update is not None
            drawn = []
            for value in done:
                update(value, 10_000)
                drawn.append(stream.getvalue().rsplit("\r", 1)[-1].split("|", 1)[0])
        assert drawn == [f"r: {_percent(max(done[: i + 1]))}" for i in range(len(done))]

    def test_default_delay_is_a_second(self) -> None:
        """Loads under a second show no bar."""
        assert _progress.DELAY_SECONDS == 1.0


class TestEngineProgress:
    """The DuckDB engine reports ``(bytes read, size)`` from another thread."""

    def calls(self, count: bool) -> list[tuple[int, int, str]]:
        """The progress calls of counting (or finding the last day of) the example."""
        bundle = load_campaign(EXAMPLE)
        seen: list[tuple[int, int, str]] = []

        def record(done: int, total: int) -> None:
            seen.append((done, total, threading.current_thread().name))

        if count:
            daily_counts_for(
                EXAMPLE,
                bundle.campaign,
                engine="duckdb",
                as_of=dt.date(2023, 5, 18),
                progress=record,
            )
        else:
            last_data_day_for(EXAMPLE, bundle.campaign, engine="duckdb", progress=record)
        return seen

    @pytest.mark.parametrize("count", [True, False])
    def test_ends_at_the_file_size(self, count: bool) -> None:
        """The last call is ``(size, size)``; no call is beyond the size."""
        size = (EXAMPLE / "enrollments.csv").stat().st_size
        seen = self.calls(count)
        assert seen[-1][:2] == (size, size)
        assert all(0 <= done <= total == size for done, total, _ in seen)

    def test_polls_while_the_query_runs(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """While DuckDB works, a watcher thread reports its estimate."""
        monkeypatch.setattr(_duckdb, "_POLL_SECONDS", 0.0)
        seen = self.calls(count=True)
        assert any(name == "bhxh-duckdb-progress" for *_, name in seen)

    def test_no_progress_no_watcher(self) -> None:
        """Without a callback, no watcher thread is started."""
        bundle = load_campaign(EXAMPLE)
        before = threading.active_count()
        daily_counts_for(EXAMPLE, bundle.campaign, engine="duckdb", as_of=dt.date(2023, 5, 18))
        assert threading.active_count() == before
