"""Where the time of the CSV-to-report path goes, step by step, in one fresh process.

    python benchmarks/steps.py --rows 1e6 --repeat 3
    python benchmarks/steps.py --rows 1e6 --repeat 3 --queries

Each round is its own interpreter (so every import is paid again), timing: the library
imports the report needs, `import duckdb`, `load_plan`, counting with the DuckDB engine,
and `campaign_report`. With ``--queries``, the SQL alone instead, alternating in one
process: the engine's fast query, the same query without its per-row checks of the
participant and record ids (what the peer does not do), and the DuckDB SQL peer's whole
query.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import AS_OF, default_folder, generate  # noqa: E402

_CHILD = """
import datetime as dt, sys, time
t0 = time.perf_counter()
from bhxh_campaign import campaign_report, load_plan
from bhxh_campaign.engines import daily_counts_for
t1 = time.perf_counter()
plan = load_plan(sys.argv[1])
t2 = time.perf_counter()
import duckdb
t3 = time.perf_counter()
units = [d.code for d in plan.districts]
as_of = dt.date.fromisoformat(sys.argv[2])
counts = daily_counts_for(sys.argv[1], plan.campaign, engine="duckdb", as_of=as_of, units=units)
t4 = time.perf_counter()
campaign_report(plan.campaign, plan.districts, plan.targets, counts, provinces=plan.provinces)
t5 = time.perf_counter()
print(f"{t1 - t0:.3f} {t3 - t2:.3f} {t2 - t1:.3f} {t4 - t3:.3f} {t5 - t4:.3f} {t5 - t0:.3f}")
"""

STEPS = ("imports", "import duckdb", "load_plan", "counting", "campaign_report", "total")


_ID_CHECKS = re.compile(r"count\(\*\) FILTER \(\s*WHERE rid IS NULL.*?\) AS doubtful", re.S)


def queries(folder: Path, repeat: int) -> None:
    """Time the three queries, alternating, and print wall seconds per round."""
    import time  # noqa: PLC0415

    import duckdb  # noqa: PLC0415
    import peers  # noqa: PLC0415

    from bhxh_campaign import load_plan  # noqa: PLC0415
    from bhxh_campaign.engines import _duckdb  # noqa: PLC0415

    plan = load_plan(folder)
    units = sorted(d.code for d in plan.districts)
    source = _duckdb._source(folder / "enrollments.csv")
    fast = _duckdb._fast_sql(plan.campaign, AS_OF, units).replace("{source}", source)
    unchecked = _ID_CHECKS.sub("0 AS doubtful", fast)
    if unchecked == fast:
        msg = "the fast query's id checks were not found: update _ID_CHECKS"
        raise SystemExit(msg)
    parameters = peers.sql_parameters(folder, AS_OF)
    runs = {
        "fast query": (fast, None),
        "without id checks": (unchecked, None),
        "duckdb-sql peer": (peers._SQL, parameters),
    }
    print(" | ".join(runs))
    for _ in range(repeat):
        seconds = []
        for sql, bound in runs.values():
            with duckdb.connect() as connection:
                started = time.perf_counter()
                connection.execute(sql, bound).fetchall()
                seconds.append(time.perf_counter() - started)
        print(" | ".join(f"{value:.3f}" for value in seconds))


def main() -> None:
    """Parse the command line, run the rounds and print one line of seconds per round."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--queries", action="store_true", help="time the SQL queries alone")
    args = parser.parse_args()
    folder = default_folder(int(args.rows))
    if not (folder / "enrollments.csv").is_file():
        generate(int(args.rows), folder, args.seed)
    if args.queries:
        queries(folder, args.repeat)
        return
    print(" | ".join(STEPS))
    for _ in range(args.repeat):
        command = [sys.executable, "-c", _CHILD, str(folder), AS_OF.isoformat()]
        line = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        print(" | ".join(line.split()))


if __name__ == "__main__":
    main()
