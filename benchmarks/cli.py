"""The command line against the hand-written DuckDB SQL peer, in one alternating run.

    python benchmarks/cli.py --rows 1e6 --repeat 5
    python benchmarks/cli.py --rows 1e7 --repeat 3 --known

Runs, each in a fresh interpreter and alternating in a rotated order each round:

- ``cli``: ``bhxh-campaign report FOLDER --as-of 2023-05-18 --format json`` (``python -m
  bhxh_campaign.cli``, engine ``auto``, so the arrow engine at these sizes);
- ``duckdb-sql``: the peer (`peers.duckdb_peer`), in an interpreter that imports only it;
- with ``--known``, ``cli-known``: the same command with ``--known-at 2023-05-18`` on a copy
  of the folder whose records file has ``recorded_on`` (30% of records, 0-10 days late)
  and ``cancelled_on`` (2%, 0-10 days after) columns.

Wall time, CPU time (user + system, every thread) and peak memory are measured from
outside each child, interpreter start-up and imports included: that is what a user
waits for. The package's bytecode is compiled first and the children may read it (as
an installed package's is), whatever ``PYTHONDONTWRITEBYTECODE`` says. The district
figures of the command's JSON (code, new participants, target, percent, both ranks,
completion day, window count) are checked equal to the peer's before the table, and the
known-at run's figures are checked against ``daily_counts`` on the loaded records at
1e6 rows or fewer. The load average is printed: report ratios, not seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
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

AS_OF = dt.date(2023, 5, 18)
PEER = "duckdb-sql"
LATE_SHARE, CANCELLED_SHARE, MAX_DELAY = 0.30, 0.02, 10


def folder_of(rows: int) -> Path:
    """The generated national folder of ``rows`` rows (see ``generate.py``)."""
    from generate import default_folder, generate  # noqa: PLC0415

    folder = default_folder(rows)
    if not (folder / "enrollments.csv").is_file():
        print(f"generating {rows:,} rows in {folder} ...", flush=True)
        generate(rows, folder)
    return folder


def known_folder(folder: Path) -> Path:
    """A copy of ``folder`` whose records have ``recorded_on`` and ``cancelled_on`` columns."""
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pacsv  # noqa: PLC0415

    target = folder.with_name(folder.name + "_known")
    records = target / "enrollments.csv"
    if records.is_file():
        return target
    print(f"writing {target} ...", flush=True)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("campaign.toml", "districts.csv", "targets.csv"):
        (target / name).write_bytes((folder / name).read_bytes())
    rng = np.random.default_rng(2023)
    text = dict.fromkeys(("record_id", "participant_id", "district_code"), pa.string())
    options = pacsv.ConvertOptions(column_types={**text, "enrolled_on": pa.date32()})
    reader = pacsv.open_csv(folder / "enrollments.csv", convert_options=options)
    partial = records.with_suffix(".partial")
    schema = reader.schema.append(pa.field("recorded_on", pa.date32()))
    schema = schema.append(pa.field("cancelled_on", pa.date32()))
    plain = pacsv.WriteOptions(quoting_style="none")
    with pacsv.CSVWriter(partial, schema, write_options=plain) as writer:
        for batch in reader:
            n = batch.num_rows
            day = batch.column("enrolled_on").cast(pa.int32()).to_numpy()
            late = rng.random(n) < LATE_SHARE
            recorded = day + rng.integers(0, MAX_DELAY + 1, n)
            known = np.where(late, recorded, day)
            cancelled = rng.random(n) < CANCELLED_SHARE
            gone = known + rng.integers(0, MAX_DELAY + 1, n)
            columns = [
                *batch.columns,
                pa.array(recorded.astype(np.int32), mask=~late).cast(pa.date32()),
                pa.array(gone.astype(np.int32), mask=~cancelled).cast(pa.date32()),
            ]
            writer.write_batch(pa.record_batch(columns, schema=schema))
    partial.rename(records)
    return target


def commands(folder: Path, known: Path | None, out: Path) -> dict[str, list[str]]:
    """The command line of each contender, writing its report to ``out``."""
    report = [sys.executable, "-m", "bhxh_campaign.cli", "report"]
    tail = ["--as-of", AS_OF.isoformat(), "--format", "json", "--out", str(out)]
    found = {
        "cli": [*report, str(folder), *tail],
        PEER: [sys.executable, __file__, "--peer", str(folder), "--out", str(out)],
    }
    if known is not None:
        found["cli-known"] = [*report, str(known), *tail, "--known-at", AS_OF.isoformat()]
    return found


def spawn(command: list[str]) -> tuple[float, float, float]:
    """Run one child: wall seconds, CPU seconds and peak MiB, measured from outside."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        msg = f"{command[:4]} failed"
        raise SystemExit(msg)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def districts_of_json(path: Path) -> list[list[object]]:
    """The district figures of the command's JSON report, in the peer's shape."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return sorted(
        [
            d["code"],
            d["actual"],
            d["target"],
            d["completion_percent"],
            d["rank_by_actual"],
            d["rank_by_completion"],
            d["completed_on"],
            d["window_count"],
        ]
        for d in data["districts"]
    )


def peer_child(folder: Path, out: Path) -> None:
    """Run the peer in this (fresh) interpreter and write its district figures."""
    from peers import duckdb_peer  # noqa: PLC0415 - imports only the standard library

    districts, _, _ = duckdb_peer(folder, AS_OF)
    out.write_text(json.dumps({"districts": [list(d) for d in districts]}), encoding="utf-8")


def check_known(folder: Path, out: Path) -> None:
    """Fail unless the known-at report's figures are `daily_counts`'s on the loaded records."""
    from bhxh_campaign import load_campaign  # noqa: PLC0415

    counts = load_campaign(folder).counts(AS_OF, known_at=AS_OF)
    data = json.loads(out.read_text(encoding="utf-8"))
    got = {d["code"]: d["actual"] for d in data["districts"]}
    if got != counts.totals() or data["excluded"] != counts.excluded:
        msg = "the known-at report differs from daily_counts on the loaded records"
        raise SystemExit(msg)
    print(f"# cli-known equals daily_counts(known_at={AS_OF}): excluded {counts.excluded}")


def compile_package() -> None:
    """Compile the package's bytecode, as installing it does."""
    spec = importlib.util.find_spec("bhxh_campaign")
    assert spec is not None
    assert spec.submodule_search_locations
    location = next(iter(spec.submodule_search_locations))
    subprocess.run([sys.executable, "-m", "compileall", "-q", location], check=True)


def main() -> None:
    """Parse the command line, run the rounds and print the table of ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--known", action="store_true", help="also time --known-at")
    parser.add_argument("--peer", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer_child(args.peer, args.out)
        return
    rows = int(args.rows)
    if args.prepare:
        folder_of(rows)
        if args.known:
            known_folder(folder_of(rows))
        return
    # The data are written by a child: Linux carries a parent's resident size into each
    # child it forks (ru_maxrss counts the copied address space at exec), so a parent that
    # had just generated 10^7 rows would inflate every contender's peak memory.
    subprocess.run([sys.executable, __file__, *sys.argv[1:], "--prepare"], check=True)
    from generate import default_folder  # noqa: PLC0415

    folder = default_folder(rows)
    known = folder.with_name(folder.name + "_known") if args.known else None
    compile_package()
    size = (folder / "enrollments.csv").stat().st_size / 2**20
    print(f"# {rows:,} rows ({size:.0f} MiB of CSV), as of {AS_OF}, {args.repeat} rounds")
    print(f"# {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        outs = {}
        runs: dict[str, list[tuple[float, float, float]]] = {}
        names = list(commands(folder, known, Path(scratch)))
        for round_ in range(args.repeat):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                out = Path(scratch) / f"{name}.json"
                wall, cpu, peak = spawn(commands(folder, known, out)[name])
                outs[name] = out
                runs.setdefault(name, []).append((wall, cpu, peak))
                print(
                    f"  round {round_ + 1}: {name:<10} {wall:6.2f} s wall {cpu:6.2f} s CPU"
                    f" {peak:6.0f} MiB",
                    flush=True,
                )
        if districts_of_json(outs["cli"]) != json.loads(outs[PEER].read_text())["districts"]:
            msg = "the command's district figures differ from the peer's"
            raise SystemExit(msg)
        print(f"# cli's district figures equal {PEER}'s")
        if known is not None and rows <= 10**6:
            check_known(known, outs["cli-known"])
    print(f"# load average {os.getloadavg()[0]:.2f} at the end")
    medians = {
        name: [statistics.median(run[i] for run in runs[name]) for i in range(3)] for name in names
    }
    base = medians[PEER]
    print(
        "| contender | wall (s) | CPU (s) | peak (MiB) |"
        f" wall / {PEER} | CPU / {PEER} | memory / {PEER} |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        w, c, m = medians[name]
        print(
            f"| {name} | {w:.2f} | {c:.2f} | {m:.0f} |"
            f" {w / base[0]:.2f} | {c / base[1]:.2f} | {m / base[2]:.2f} |"
        )
    if known is not None:
        ratio = medians["cli-known"][0] / medians["cli"][0]
        print(f"# cli-known / cli wall: {ratio:.2f}")


if __name__ == "__main__":
    main()
