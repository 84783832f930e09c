"""Micro-benchmark: the cost of one `Seen.add`, in memory and spilled to disk.

Adds ``--keys`` distinct record ids (all new), then looks every tenth one up again (all
repeats), with the table held in memory (``memory_keys`` above the key count) and with the
default threshold (spilled to SQLite). Each case runs in a fresh subprocess so its peak
resident memory is its own.

    python benchmarks/seen.py [--keys 3640000] [--memory-keys 65536 ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def child(keys: int, memory_keys: int | None) -> dict[str, float]:
    """Time the adds in this process; return microseconds per add and peak RSS in MB."""
    from bhxh_campaign.io._seen import Seen  # noqa: PLC0415 - after the RSS baseline

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seen = Seen() if memory_keys is None else Seen(memory_keys=memory_keys)
    ids = (f"BG-2023-{n:09d}" for n in range(keys))
    started = time.perf_counter()
    for line, key in enumerate(ids, start=2):
        seen.add(key, line)
    new = (time.perf_counter() - started) / keys * 1e6
    started = time.perf_counter()
    for n in range(0, keys, 10):
        seen.add(f"BG-2023-{n:09d}", 0)
    repeat = (time.perf_counter() - started) / len(range(0, keys, 10)) * 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"new_us": new, "repeat_us": repeat, "base_mb": before, "peak_mb": peak}


def main() -> None:
    """Run each case in a subprocess and print one row per case."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=3_640_000)
    parser.add_argument("--memory-keys", type=int, nargs="*", default=[1 << 16])
    parser.add_argument("--child", type=str, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        threshold = None if args.child == "default" else int(args.child)
        print(json.dumps(child(args.keys, threshold)))
        return
    cases = {"in memory": str(2 * args.keys), "default": "default"}
    cases |= {f"memory_keys={n:,}": str(n) for n in args.memory_keys}
    print(f"{args.keys:,} distinct keys, then every tenth again")
    print(f"{'case':<24}{'new µs/add':>12}{'repeat µs/add':>15}{'RSS growth MB':>15}")
    for name, case in cases.items():
        command = [sys.executable, __file__, "--keys", str(args.keys), "--child", case]
        result = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
        print(
            f"{name:<24}{result['new_us']:>12.2f}{result['repeat_us']:>15.2f}"
            f"{result['peak_mb'] - result['base_mb']:>15.0f}"
        )


if __name__ == "__main__":
    main()
