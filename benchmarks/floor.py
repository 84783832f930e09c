"""How close the engine's query is to the floor: SQL variants over one CSV, side by side.

    python benchmarks/floor.py --rows 1e7 --repeat 3
    python benchmarks/floor.py --rows 1e6 --repeat 5 --only scan,checks,peer,ours

Each variant is one DuckDB query over a national folder's ``enrollments.csv`` (made by
``generate.py``), written out first, then run in its own fresh interpreter that only
imports duckdb, connects and runs it (so the library's own imports are not counted); the
variants alternate, in a rotated order each round.
Printed per variant: median wall seconds (inside the child, ``import duckdb`` included),
CPU seconds and peak memory (``os.wait4``), and the ratios to the DuckDB SQL peer.

- ``scan``: the four columns read as text and counted; nothing else. The floor of any
  approach that parses the CSV.
- ``checks``: the scan, plus the engine's checks of every row (participant id, record id
  and district code patterns; the day written YYYY-MM-DD and a real date), counted in one
  ungrouped aggregate. What refusing malformed rows costs, which the peers do not do.
- ``peer``: the DuckDB SQL peer's whole report query (``peers._SQL``), unvalidated.
- ``peer-tuned``: the same with DuckDB's build-side optimizer off (see `_BUILD_ON_UNITS`),
  which an analyst who knew would switch off.
- ``ours``: the engine's fast query, exactly as `daily_counts_duckdb` runs it.
- ``ours-exact``: the engine's exact query, which runs when a cell is doubtful.
- ``int-keys``: each participant's first (day, district) kept as one integer per
  participant id (itself an integer), no checks and no tallies. NOT exact: two records of
  one participant on the same day in two districts are a tie that only the record ids
  break, and this keeps no record id. The least memory a per-participant table can take.
- ``int-keys+rid``: the same, keeping the record ids of the two candidates for a tie
  (``arg_min(record_id, ...)`` twice), which is what breaking ties between two records
  needs.

After the table: how many participants' first day has records in two districts (ties
that only the record ids break), from ``int-keys`` run once in this process.
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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import AS_OF, default_folder, generate  # noqa: E402

if TYPE_CHECKING:
    from bhxh_campaign import Campaign

Query = tuple[str, dict[str, object] | None]

_TEXT = (
    "read_csv({csv}, header = true, auto_detect = false, delim = ',', quote = '\"',"
    " escape = '\"', columns = {{'record_id': 'VARCHAR', 'participant_id': 'VARCHAR',"
    " 'district_code': 'VARCHAR', 'enrolled_on': 'VARCHAR'}})"
)

_SCAN = """
SELECT count(record_id), count(participant_id), count(district_code), count(enrolled_on)
FROM {source}
"""

_CHECKS = """
SELECT count(*) FILTER (
    WHERE record_id IS NULL
        OR NOT regexp_full_match(record_id, '[!-~]+')
        OR NOT coalesce(regexp_full_match(participant_id, '[0-9]{{10}}(?:[0-9]{{2}})?'), false)
        OR NOT coalesce(regexp_full_match(district_code, '[0-9]{{3}}'), false)
        OR NOT coalesce(regexp_full_match(enrolled_on, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}'), false)
        OR TRY_CAST(enrolled_on AS DATE) IS NULL
)
FROM {source}
"""

# The unit's index is its three-digit code, the day a count of days: one BIGINT, a, orders
# a participant's records by (day, district), and b by (day, district descending), so a
# participant's records on its first day lie in one district exactly when a and b name
# the same one; otherwise only the record ids can break the tie.
_INT_KEYS = """
WITH candidates AS (
    SELECT CAST('1' || participant_id AS BIGINT) AS k, record_id,
        (CAST(enrolled_on AS DATE) - DATE '2000-01-01') * 1024
            + CAST(district_code AS INTEGER) AS du
    FROM {source}
    WHERE enrolled_on BETWEEN '{start}' AND '{last}'
        AND district_code IN (SELECT * FROM (VALUES {units}))
), firsts AS (
    SELECT min(du) AS a, min(du + 1023 - 2 * (du % 1024)) AS b{rid}
    FROM candidates GROUP BY k
)
SELECT a // 1024 AS day, {unit} AS unit,
    count(*) FILTER (WHERE a % 1024 <> 1023 - b % 1024) AS ties, count(*) AS n
FROM firsts GROUP BY ALL
"""

# DuckDB estimates a CSV file at a few dozen rows, so it builds the hash table of
# ``district_code IN (SELECT ...)`` on the file's side (millions of rows: about 0.9 s and
# 500 MiB more at 10^7) unless this optimizer is off; the peer's query pays that too.
_BUILD_ON_UNITS = "SET disabled_optimizers = 'build_side_probe_side';"

# For a tie between two records, the district of the smaller record id (of the lower
# district when the ids are equal).
_RID = ", arg_min(record_id, du) AS r1, arg_min(record_id, du + 1023 - 2 * (du % 1024)) AS r2"
_RID_UNIT = (
    "CASE WHEN a % 1024 = 1023 - b % 1024 OR r1 <= r2 THEN a % 1024 ELSE 1023 - b % 1024 END"
)


def _plan(folder: Path) -> tuple[Campaign, dt.date, list[str]]:
    """The campaign, the last day counted, and the district codes."""
    from bhxh_campaign import load_plan  # noqa: PLC0415

    plan = load_plan(folder)
    return plan.campaign, min(AS_OF, plan.campaign.end), sorted(d.code for d in plan.districts)


def _int_keys(folder: Path, *, rid: bool) -> Query:
    campaign, last, units = _plan(folder)
    rows = ", ".join(f"('{unit}')" for unit in units)
    sql = _BUILD_ON_UNITS + _INT_KEYS.format(
        source=_TEXT.format(csv=f"'{folder / 'enrollments.csv'}'"),
        start=campaign.start.isoformat(),
        last=last.isoformat(),
        units=rows,
        rid=_RID if rid else "",
        unit=_RID_UNIT if rid else "a % 1024",
    )
    return sql, None


def _engine(folder: Path, *, exact: bool) -> Query:
    from bhxh_campaign.engines import _duckdb  # noqa: PLC0415

    campaign, last, units = _plan(folder)
    build = _duckdb._sql if exact else _duckdb._fast_sql
    source = _duckdb._source(folder / "enrollments.csv")
    return build(campaign, last, units).replace("{source}", source), None


def _peer(folder: Path, *, tuned: bool = False) -> Query:
    import peers  # noqa: PLC0415

    return (_BUILD_ON_UNITS if tuned else "") + peers._SQL, peers.sql_parameters(folder, AS_OF)


def _text(template: str) -> Callable[[Path], Query]:
    def build(folder: Path) -> Query:
        source = _TEXT.format(csv=f"'{folder / 'enrollments.csv'}'")
        return template.format(source=source), None

    return build


VARIANTS: dict[str, Callable[[Path], Query]] = {
    "scan": _text(_SCAN),
    "checks": _text(_CHECKS),
    "peer": _peer,
    "peer-tuned": lambda folder: _peer(folder, tuned=True),
    "ours": lambda folder: _engine(folder, exact=False),
    "ours-exact": lambda folder: _engine(folder, exact=True),
    "int-keys": lambda folder: _int_keys(folder, rid=False),
    "int-keys+rid": lambda folder: _int_keys(folder, rid=True),
}
REFERENCE = "peer"


def child(query: Path) -> None:
    """Time ``import duckdb``, connecting and running the query saved in ``query``."""
    saved = json.loads(query.read_text(encoding="utf-8"))
    started = time.perf_counter()
    import duckdb  # noqa: PLC0415

    with duckdb.connect() as connection:
        connection.execute("SET enable_progress_bar = false")
        if saved["sql"].startswith(_BUILD_ON_UNITS):
            connection.execute(_BUILD_ON_UNITS)
        connection.execute(saved["sql"].removeprefix(_BUILD_ON_UNITS), saved["parameters"])
        connection.fetchall()
    print(f"{time.perf_counter() - started:.6f}")


def spawn(query: Path) -> tuple[float, float, float]:
    """Run one saved query in a fresh interpreter: wall seconds, CPU seconds, peak MiB."""
    command = [sys.executable, __file__, "--child", str(query)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        msg = f"{query.stem} failed"
        raise SystemExit(msg)
    return float(out), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def ties(folder: Path) -> int:
    """How many participants have records in two districts on their first day."""
    import duckdb  # noqa: PLC0415

    sql, _ = _int_keys(folder, rid=False)
    with duckdb.connect() as connection:
        connection.execute(_BUILD_ON_UNITS)
        rows = connection.execute(sql.removeprefix(_BUILD_ON_UNITS)).fetchall()
    return sum(row[2] for row in rows)


def main() -> None:
    """Parse the command line, run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--only", help="comma-separated variants to run")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    names = args.only.split(",") if args.only else list(VARIANTS)
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        msg = f"unknown variants {unknown}; choose from {list(VARIANTS)}"
        raise SystemExit(msg)
    folder = default_folder(int(args.rows))
    if not (folder / "enrollments.csv").is_file():
        generate(int(args.rows), folder, args.seed)
    print(f"# {int(args.rows):,} rows, {args.repeat} rounds, load average {os.getloadavg()[0]:.2f}")
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as scratch:
        queries = {}
        for name in names:
            sql, parameters = VARIANTS[name](folder)
            queries[name] = Path(scratch) / f"{name}.json"
            queries[name].write_text(
                json.dumps({"sql": sql, "parameters": parameters}, default=str), encoding="utf-8"
            )
        for round_ in range(args.repeat):
            for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                runs[name].append(spawn(queries[name]))
    medians = {
        name: tuple(statistics.median(run[i] for run in runs[name]) for i in range(3))
        for name in names
    }
    base = medians.get(REFERENCE, medians[names[0]])
    print("| variant | wall (s) | CPU (s) | peak memory (MiB) | wall / peer | memory / peer |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (wall, cpu, peak) in medians.items():
        print(
            f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {wall / base[0]:.2f}"
            f" | {peak / base[2]:.2f} |"
        )
    print(f"participants with records in two districts on their first day: {ties(folder):,}")


if __name__ == "__main__":
    main()
