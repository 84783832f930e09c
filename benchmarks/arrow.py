"""The arrow engine against the hand-written DuckDB SQL peer, CSV to report.

    python benchmarks/arrow.py --rows 1e6 --repeat 5
    python benchmarks/arrow.py --rows 1e7 --repeat 3

First checks, in a child process (so that its memory does not count in the runs'
peaks, which a forked child inherits), that `daily_counts_arrow` took its fast path on the
generated folder and gives exactly `daily_counts_duckdb`'s `DailyCounts` (grid and every
exclusion tally). Then runs ``ours-arrow`` (``daily_counts_for(engine="arrow")`` and
`campaign_report`), ``duckdb-sql`` (the peer, `peers.duckdb_peer`) and ``ours-duckdb``,
each run in a fresh interpreter, alternating in a rotated order each round (see
``run.py``), and prints median wall seconds, CPU seconds (user + system, every thread;
the steadier figure on a shared machine) and peak memory, with the ratios to the peer.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402
from generate import AS_OF, default_folder, generate  # noqa: E402

NAMES = ["ours-arrow", "duckdb-sql", "ours-duckdb"]


def check(folder: Path) -> None:
    """Fail unless the arrow engine's fast path gives DuckDB's DailyCounts on ``folder``."""
    from bhxh_campaign import load_plan  # noqa: PLC0415
    from bhxh_campaign.engines import _arrow, daily_counts_duckdb  # noqa: PLC0415

    plan = load_plan(folder)
    units = [d.code for d in plan.districts]
    path = folder / "enrollments.csv"

    def refuse(*args: object, **kwargs: object) -> None:
        msg = "the arrow engine left its fast path"
        raise SystemExit(msg)

    with mock.patch.object(_arrow, "_exact", refuse):
        arrow = _arrow.daily_counts_arrow(path, plan.campaign, as_of=AS_OF, units=units)
    duck = daily_counts_duckdb(path, plan.campaign, as_of=AS_OF, units=units)
    if arrow != duck:
        msg = "the arrow engine's DailyCounts differ from DuckDB's"
        raise SystemExit(msg)
    print(f"# equal to daily_counts_duckdb: {arrow.total():,} counted, excluded {arrow.excluded}")


def main() -> None:
    """Parse the command line, check, then run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--check", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check:
        check(args.check)
        return
    rows = int(args.rows)
    folder = default_folder(rows)
    if not (folder / "enrollments.csv").is_file():
        print(f"generating {rows:,} rows in {folder} ...", flush=True)
        generate(rows, folder, args.seed)
    subprocess.run([sys.executable, __file__, "--check", str(folder)], check=True)
    run.REFERENCE = "duckdb-sql"
    run.compare(rows, args.repeat, NAMES, args.seed)


if __name__ == "__main__":
    main()
