"""Benchmark: load a ~200 MB enrollments CSV in bounded memory.

Generates the file once (in /tmp), then reads it with `iter_enrollments` (streamed: one
row at a time) or `load_enrollments` (a `LoadReport` holding every record), and prints
rows per second and the peak resident memory of the process.

    python benchmarks/load_csv.py [--mb 200] [--mode stream|report]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

from bhxh_campaign.io import iter_enrollments, load_enrollments

DISTRICTS = ("213", "215", "216", "217", "218", "219", "220", "221", "222", "223")
METHODS = ("monthly", "quarterly", "semiannual", "annual", "")


def generate(path: Path, megabytes: int) -> int:
    """Write a synthetic enrollments CSV of about ``megabytes`` MB; return its row count."""
    rng = random.Random(2023)
    target = megabytes * 1024 * 1024
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("Mã hồ sơ,Mã số BHXH,Mã huyện,Ngày tham gia,Mã xã,Phương thức đóng\n")
        written = 0
        while written < target:
            lines = []
            for _ in range(10_000):
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


def main() -> None:
    """Generate if needed, load, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--mode", choices=("stream", "report"), default="stream")
    parser.add_argument("--path", type=Path, default=None)
    args = parser.parse_args()
    path = args.path or Path(f"/tmp/bhxh_enrollments_{args.mb}mb.csv")
    if not path.exists():
        started = time.perf_counter()
        rows = generate(path, args.mb)
        print(
            f"generated {path} ({path.stat().st_size / 1e6:.0f} MB, {rows} rows)"
            f" in {time.perf_counter() - started:.1f} s"
        )
    print(f"peak RSS before loading: {peak_rss_mb():.0f} MB")
    started = time.perf_counter()
    if args.mode == "stream":
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
    elapsed = time.perf_counter() - started
    total = accepted + rejected + blank
    print(
        f"mode={args.mode}: {total} rows ({accepted} accepted, {rejected} rejected,"
        f" {blank} blank) in {elapsed:.1f} s"
    )
    print(f"{total / elapsed:,.0f} rows/s, {path.stat().st_size / 1e6 / elapsed:.1f} MB/s")
    print(f"peak RSS: {peak_rss_mb():.0f} MB (file: {path.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
