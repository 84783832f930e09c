"""Benchmark: load enrollments CSVs of growing size in bounded memory.

Generates each file once (in /tmp), then reads it in a fresh subprocess, so each size has
its own peak resident memory, with `iter_enrollments` (streamed: one row at a time) or
`load_enrollments` (a `LoadReport` holding every record). Prints one row a file: rows,
wall and CPU seconds, rows per second and peak RSS. Streamed, the peak should not grow
with the file: the loader remembers the record ids it has seen in a table that spills to
a temporary file past ``memory_keys`` keys (see `bhxh_campaign.io._seen`).

    python benchmarks/load_csv.py [--mb 50 200 400] [--rows N] [--mode stream|report]
                                  [--memory-keys N] [--path FILE]

``--rows 1e6`` writes a file of exactly that many data rows instead of one per ``--mb``.

``--memory-keys`` overrides the spill threshold (a huge value keeps every id in memory,
as the loader did before it could spill). The load average is printed before and after,
since a busy machine slows the wall-clock figures.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

DISTRICTS = ("213", "215", "216", "217", "218", "219", "220", "221", "222", "223")
METHODS = ("monthly", "quarterly", "semiannual", "annual", "")


def generate(path: Path, megabytes: int, *, rows_wanted: int | None = None) -> int:
    """Write a synthetic enrollments CSV of about ``megabytes`` MB; return its row count.

    With ``rows_wanted``, write exactly that many data rows instead.
    """
    rng = random.Random(2023)
    target = megabytes * 1024 * 1024
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("Mã hồ sơ,Mã số BHXH,Mã huyện,Ngày tham gia,Mã xã,Phương thức đóng\n")
        written = 0
        while (written < target) if rows_wanted is None else (rows < rows_wanted):
            lines = []
            batch = 10_000 if rows_wanted is None else min(10_000, rows_wanted - rows)
            for _ in range(batch):
                rows += 1
                pid = (
                    f"24{rng.randrange(10**8):08d}"
                    if rows % 7
                    else f"0241{rng.randrange(10**8):08d}"
                )
                day = (
                    f"{rng.randrange(1, 29):02d}/05/2023"
                    if rows % 3
                    else f"2023-05-{rng.randrange(1, 29):02d}"
                )
                lines.append(
                    f"BG-2023-{rows:09d},{pid},{rng.choice(DISTRICTS)},{day},"
                    f"07{rng.randrange(1000):03d},{rng.choice(METHODS)}\n"
                )
            chunk = "".join(lines)
            file.write(chunk)
            written += len(chunk.encode())
    return rows


def peak_rss_mb() -> float:
    """The process's peak resident set size, in MB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def child(path: Path, mode: str, memory_keys: int | None) -> dict[str, float]:
    """Load ``path`` in this process; return the counts, seconds and peak RSS."""
    from bhxh_campaign.io import _pipeline, iter_enrollments, load_enrollments  # noqa: PLC0415
    from bhxh_campaign.io._seen import Seen  # noqa: PLC0415

    if memory_keys is not None:
        # The loader has no option for it: swap the class its rows are checked with.
        vars(_pipeline)["Seen"] = functools.partial(Seen, memory_keys=memory_keys)
    before = peak_rss_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    if mode == "stream":
        accepted = rejected = blank = 0
        for item in iter_enrollments(path):
            if item is None:
                blank += 1
            elif type(item).__name__ == "RejectedRow":
                rejected += 1
            else:
                accepted += 1
    else:
        report = load_enrollments(path)
        accepted, rejected, blank = report.accepted, len(report.rejected), report.blank
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "rows": accepted + rejected + blank,
        "rejected": rejected,
        "before_mb": before,
        "peak_mb": peak_rss_mb(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def main() -> None:
    """Generate if needed, load each file in a subprocess, print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, nargs="+", default=[50, 200, 400])
    parser.add_argument("--rows", type=float, default=None, help="rows in one file, e.g. 1e6")
    parser.add_argument("--mode", choices=("stream", "report"), default="stream")
    parser.add_argument("--memory-keys", type=int, default=None)
    parser.add_argument("--path", type=Path, default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.path, args.mode, args.memory_keys)))
        return
    rows_wanted = None if args.rows is None else int(args.rows)
    if args.path:
        paths = [args.path]
    elif rows_wanted is not None:
        paths = [Path(f"/tmp/bhxh_enrollments_{rows_wanted}rows.csv")]
    else:
        paths = [Path(f"/tmp/bhxh_enrollments_{mb}mb.csv") for mb in args.mb]
    for path, megabytes in zip(paths, args.mb, strict=False):
        if not path.exists():
            started = time.perf_counter()
            rows = generate(path, megabytes, rows_wanted=rows_wanted)
            print(
                f"generated {path} ({path.stat().st_size / 1e6:.0f} MB, {rows} rows)"
                f" in {time.perf_counter() - started:.1f} s"
            )
    threshold = "default" if args.memory_keys is None else f"{args.memory_keys:,}"
    print(f"mode={args.mode}, memory_keys={threshold}, {os.cpu_count()} CPUs")
    print(f"load average before: {load_average()}")
    print(
        f"{'file MB':>8}{'rows':>11}{'wall s':>8}{'CPU s':>8}{'rows/s':>9}"
        f"{'RSS before MB':>15}{'peak RSS MB':>13}"
    )
    for path in paths:
        command = [sys.executable, __file__, "--child", "--mode", args.mode, "--path", str(path)]
        if args.memory_keys is not None:
            command += ["--memory-keys", str(args.memory_keys)]
        result = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
        print(
            f"{path.stat().st_size / 1e6:>8.0f}{result['rows']:>11,.0f}"
            f"{result['seconds']:>8.1f}{result['cpu']:>8.1f}"
            f"{result['rows'] / result['seconds']:>9,.0f}"
            f"{result['before_mb']:>15.0f}{result['peak_mb']:>13.0f}",
            flush=True,
        )
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
