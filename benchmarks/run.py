"""Run the benchmarks side by side and print the table.

    python benchmarks/run.py --rows 1e6 --repeat 3            # CSV to report, all contenders
    python benchmarks/run.py --rows 1e7 --repeat 3 --skip ours-python,pandas
    python benchmarks/run.py --micro                          # in-memory, report and CLI

Each run of a contender is its own subprocess (a fresh interpreter, its own peak memory,
read with ``os.wait4``); the contenders alternate, in a rotated order each round, so a
burst of load on a shared machine hits them alike. Wall time is measured inside the
child around the work, imports of the engine included. Every contender's report is
checked equal to ours before its figures are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import AS_OF, default_folder, generate  # noqa: E402
from peers import CONTENDERS  # noqa: E402

REFERENCE = "ours-duckdb"


def child(name: str, folder: Path, as_of: dt.date, out: Path) -> None:
    """Run one contender once (in this process) and write its report and wall time."""
    started = time.perf_counter()
    report = CONTENDERS[name](folder, as_of)
    seconds = time.perf_counter() - started
    out.write_text(json.dumps({"seconds": seconds, "report": report}), encoding="utf-8")


def spawn(name: str, folder: Path, as_of: dt.date) -> tuple[float, float, float, object]:
    """Run a contender in a subprocess: its wall seconds, CPU seconds, peak MiB and report.

    The CPU seconds (user + system, all threads, interpreter start-up included) are the
    steadier figure on a shared machine, where wall time also counts waiting for a core.
    """
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out.json"
        command = [
            sys.executable,
            __file__,
            "--child",
            name,
            "--folder",
            str(folder),
            "--as-of",
            as_of.isoformat(),
            "--out",
            str(out),
        ]
        process = subprocess.Popen(command)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            msg = f"{name} failed with exit code {process.returncode}"
            raise SystemExit(msg)
        data = json.loads(out.read_text(encoding="utf-8"))
    cpu = usage.ru_utime + usage.ru_stime
    return data["seconds"], cpu, usage.ru_maxrss / 1024, data["report"]


def machine() -> str:
    """A line saying what this machine is."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory} RAM, Python {sys.version.split()[0]},"
        f" load average {load:.2f} at start"
    )


def versions() -> str:
    """The versions of the engines."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    found = []
    for name in ("duckdb", "polars", "pandas", "narwhals"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def compare(rows: int, repeat: int, names: list[str], seed: int) -> None:
    """Generate (if needed) and run the CSV-to-report comparison."""
    folder = default_folder(rows)
    if not (folder / "enrollments.csv").is_file():
        print(f"generating {rows:,} rows in {folder} ...", flush=True)
        generate(rows, folder, seed)
    size = (folder / "enrollments.csv").stat().st_size / 1024 / 1024
    print(f"# {rows:,} rows ({size:.0f} MiB of CSV), as of {AS_OF}, {repeat} rounds")
    print(f"# {machine()}")
    print(f"# {versions()}", flush=True)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    memory: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    reports: dict[str, object] = {}
    for round_ in range(repeat):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            wall, used, peak, report = spawn(name, folder, AS_OF)
            seconds[name].append(wall)
            cpu[name].append(used)
            memory[name].append(peak)
            reports.setdefault(name, report)
            print(
                f"  round {round_ + 1}: {name:<12} {wall:7.2f} s wall {used:7.2f} s CPU"
                f" {peak:8.0f} MiB",
                flush=True,
            )
    reference = REFERENCE if REFERENCE in names else names[0]
    for name in names:
        if reports[name] != reports[reference]:
            msg = f"{name}'s report differs from {reference}'s"
            raise SystemExit(msg)
    print(f"all {len(names)} reports are equal")
    base_s = statistics.median(seconds[reference])
    base_c = statistics.median(cpu[reference])
    base_m = statistics.median(memory[reference])
    print(
        "| contender | median wall (s) | median CPU (s) | peak memory (MiB) |"
        f" wall / {reference} | CPU / {reference} | memory / {reference} |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        s = statistics.median(seconds[name])
        c = statistics.median(cpu[name])
        m = statistics.median(memory[name])
        print(
            f"| {name} | {s:.2f} | {c:.2f} | {m:.0f} | {s / base_s:.2f} | {c / base_c:.2f}"
            f" | {m / base_m:.2f} |"
        )


def micro(rows: int) -> None:
    """In-memory counting, report from ready counts, and the command on the example."""
    import micro as micro_benchmarks  # noqa: PLC0415

    micro_benchmarks.main(rows)


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description="bhxh_campaign benchmarks")
    parser.add_argument(
        "--rows", type=float, help="records (default: 1e5, or 1e6 in memory with --micro)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="comma-separated contenders to run")
    parser.add_argument("--skip", default="", help="comma-separated contenders to leave out")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--micro", action="store_true", help="run the in-memory benchmarks")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.as_of, args.out)
        return
    if args.micro:
        micro(int(args.rows or 1e6))
        return
    names = args.only.split(",") if args.only else list(CONTENDERS)
    names = [name for name in names if name not in args.skip.split(",")]
    unknown = [name for name in names if name not in CONTENDERS]
    if unknown:
        msg = f"unknown contenders {unknown}; choose from {list(CONTENDERS)}"
        raise SystemExit(msg)
    compare(int(args.rows or 1e5), args.repeat, names, args.seed)


if __name__ == "__main__":
    main()
