"""Where the arrow engine's time goes: the read alone, the read and the checks, the count.

    python benchmarks/arrow_floor.py --rows 1e7 --repeat 3

Each variant runs in a fresh interpreter (imports included, measured from outside:
wall, CPU of every thread, peak memory), alternating in a rotated order each round:

- ``imports``: import numpy, pyarrow, pyarrow.csv and pyarrow.compute, nothing else;
- ``scan``: read the columns with the engine's reader (byte chunks parsed by two worker
  threads, ``enrolled_on`` parsed as a date), and do nothing with them;
- ``checks``: the scan, plus every per-row check and conversion of the fast path
  (record ids plain and their values for the uniqueness check, participant ids and unit
  codes digits of the right lengths turned into integers, days into offsets), in the
  workers, keeping nothing;
- ``count``: `daily_counts_arrow` whole (the checks, the candidates kept as integers,
  the sort that finds repeated participants, the grid);
- ``count-known``: the same on the ``_known`` copy of the folder (``recorded_on`` and
  ``cancelled_on``, made by ``benchmarks/cli.py --known``) with ``known_at``.

The as-of day is ``generate.AS_OF`` (25 May), as in ``floor.py``, so the two compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import AS_OF  # noqa: E402 - the as-of day of floor.py, for comparison

VARIANTS = ("imports", "scan", "checks", "count", "count-known")


def child(variant: str, folder: Path) -> None:
    """Run one variant in this interpreter."""
    import numpy as np  # noqa: PLC0415
    import pyarrow  # noqa: PLC0415
    import pyarrow.compute  # noqa: PLC0415
    import pyarrow.csv  # noqa: F401, PLC0415

    if variant == "imports":
        return
    from bhxh_campaign import load_plan  # noqa: PLC0415
    from bhxh_campaign.engines import _arrow, _arrow_cells  # noqa: PLC0415
    from bhxh_campaign.engines._arrow_ids import RecordIds  # noqa: PLC0415
    from bhxh_campaign.engines._arrow_read import in_threads  # noqa: PLC0415

    path = folder / "enrollments.csv"
    if variant in {"scan", "checks"}:
        source = _arrow._csv_source(path)
        assert source is not None
        parse, chunks, rows, _ = source
        ids = RecordIds(np, rows)

        def work(chunk: bytes) -> None:
            for batch in parse(chunk):
                if variant == "checks":
                    rid, pid, unit, day = (batch.column(name) for name in _arrow.COLUMNS)
                    ids.values(rid)
                    _arrow_cells.participant_keys(np, pid)
                    _arrow_cells.unit_values(np, unit)
                    _arrow_cells.day_offsets(np, day)

        for _ in in_threads(work, chunks):
            pass
        return
    plan = load_plan(folder)
    known = AS_OF if variant == "count-known" else None
    units = [d.code for d in plan.districts]
    _arrow.daily_counts_arrow(path, plan.campaign, as_of=AS_OF, units=units, known_at=known)


def spawn(variant: str, folder: Path) -> tuple[float, float, float]:
    """One run of a variant: wall seconds, CPU seconds, peak MiB."""
    target = folder.with_name(folder.name + "_known") if variant == "count-known" else folder
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", variant, "--folder", str(target)], env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        msg = f"{variant} failed"
        raise SystemExit(msg)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    """Parse the command line, run the rounds, print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder)
        return
    from generate import default_folder  # noqa: PLC0415

    # Written by a child, as cli.py does: a parent that had just written the data would
    # pass its resident size on to every child's peak memory (ru_maxrss).
    rows = str(int(args.rows))
    prepare = [sys.executable, str(HERE / "cli.py"), "--rows", rows, "--known", "--prepare"]
    subprocess.run(prepare, check=True)
    folder = default_folder(int(args.rows))
    print(f"# {int(args.rows):,} rows, load average {os.getloadavg()[0]:.2f} at start")
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in VARIANTS}
    for round_ in range(args.repeat):
        order = VARIANTS[round_ % len(VARIANTS) :] + VARIANTS[: round_ % len(VARIANTS)]
        for name in order:
            runs[name].append(spawn(name, folder))
    print(f"# load average {os.getloadavg()[0]:.2f} at the end")
    print("| variant | wall (s) | CPU (s) | peak (MiB) |")
    print("|---|---:|---:|---:|")
    for name in VARIANTS:
        wall, cpu, peak = (statistics.median(run[i] for run in runs[name]) for i in range(3))
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
