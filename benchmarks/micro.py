"""In-memory benchmarks: records to counts, counts to report, and the command on the example.

    python benchmarks/run.py --micro [--rows 1e6]   # all three; 1e6 records by default
    python benchmarks/micro.py --only report        # one part: command, report or counting
    python benchmarks/micro.py --only report --sizes 700x400 --repeat 5

1. ``daily_counts`` over N in-memory `EnrollmentRecord`s (the generated national set), against
   the barest baseline: a `collections.Counter` over ``(district, day)`` with a `set` of
   seen participants (which, unlike ``daily_counts``, trusts the input to be in order and
   tallies nothing), and against the engines' in-memory path (now `daily_counts` itself).
2. ``campaign_report`` from a ready `DailyCounts`, at four grid sizes up to 700 units x 400
   days (or the ``--sizes`` given), to show the cost grows linearly in units x days.
3. ``bhxh-campaign report`` on the bundled example, wall time of the whole process.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from generate import AS_OF, default_folder, generate

ROOT = Path(__file__).resolve().parent.parent


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median wall seconds of ``repeat`` calls, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def baseline(
    records: list[Any], start: dt.date, last: dt.date, known: frozenset[str]
) -> Counter[tuple[str, dt.date]]:
    """The barest count: first-seen participants per (district, day), records in order."""
    seen: set[str] = set()
    counts: Counter[tuple[str, dt.date]] = Counter()
    for record in records:
        day = record.enrolled_on
        if start <= day <= last and record.district_code in known:
            participant = record.participant_id
            if participant not in seen:
                seen.add(participant)
                counts[record.district_code, day] += 1
    return counts


def in_memory(rows: int, repeat: int) -> None:
    """``daily_counts`` over in-memory records against the Counter + set baseline."""
    from bhxh_campaign import EnrollmentRecord, daily_counts, load_campaign  # noqa: PLC0415
    from bhxh_campaign.engines import daily_counts_records  # noqa: PLC0415

    folder = default_folder(rows)
    if not (folder / "enrollments.csv").is_file():
        generate(rows, folder)
    plan_folder = folder / "plan-only"
    plan_folder.mkdir(exist_ok=True)
    for name in ("campaign.toml", "districts.csv", "targets.csv"):
        shutil.copy(folder / name, plan_folder / name)
    (plan_folder / "enrollments.csv").write_text(
        "record_id,participant_id,district_code,enrolled_on\n", encoding="utf-8"
    )
    plan = load_campaign(plan_folder)
    units = [d.code for d in plan.districts]
    with (folder / "enrollments.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        started = time.perf_counter()
        records = [
            EnrollmentRecord(
                record_id=r, participant_id=p, district_code=u, enrolled_on=dt.date.fromisoformat(d)
            )
            for r, p, u, d in reader
        ]
    built = time.perf_counter() - started
    print(f"## {len(records):,} in-memory EnrollmentRecords (built in {built:.1f} s)")
    campaign = plan.campaign
    known = frozenset(units)
    ours_s, counts = timed(
        lambda: daily_counts(records, campaign, as_of=AS_OF, units=units), repeat
    )
    fast_s, fast = timed(
        lambda: daily_counts_records(records, campaign, as_of=AS_OF, units=units), repeat
    )
    base_s, base = timed(lambda: baseline(records, campaign.start, AS_OF, known), repeat)
    assert fast == counts
    assert sum(base.values()) == counts.total()
    print("| counting | median (s) | / baseline |")
    print("|---|---:|---:|")
    print(f"| Counter + set baseline | {base_s:.2f} | 1.00 |")
    print(f"| `daily_counts` (counting.py) | {ours_s:.2f} | {ours_s / base_s:.2f} |")
    print(f"| `engines.daily_counts_records` (calls it) | {fast_s:.2f} | {fast_s / base_s:.2f} |")


SIZES = ((175, 100), (350, 200), (700, 200), (700, 400))
"""The report benchmark's grids, units x days."""


def report_sizes(repeat: int, sizes: tuple[tuple[int, int], ...] = SIZES) -> None:
    """``campaign_report`` from ready counts at each of ``sizes`` (units, days)."""
    from bhxh_campaign import (  # noqa: PLC0415
        NATIONAL,
        Campaign,
        DailyCounts,
        District,
        Target,
        campaign_report,
    )

    print("## campaign_report from a ready DailyCounts")
    print("| units x days | cells | median (ms) | µs per cell |")
    print("|---|---:|---:|---:|")
    rng = random.Random(2023)
    for units, days in sizes:
        start = dt.date(2023, 1, 1)
        campaign = Campaign(
            id="c",
            name="C",
            scope=NATIONAL,
            start=start,
            end=start + dt.timedelta(days=days - 1),
        )
        codes = [f"{i:03d}" for i in range(1, units + 1)]
        districts = [
            District(code=c, name=f"D{c}", kind="huyen", province_code=f"{1 + i // 11:02d}")
            for i, c in enumerate(codes)
        ]
        grid = {c: [rng.randrange(0, 20) for _ in range(days)] for c in codes}
        targets = [Target(unit_code=c, campaign_id="c", value=sum(grid[c]) or 1) for c in codes]
        counts = DailyCounts(start=start, end=campaign.end, grid=grid)
        build = partial(campaign_report, campaign, districts, targets, counts)
        seconds, _ = timed(build, repeat)
        cells = units * days
        print(
            f"| {units} x {days} | {cells:,} | {seconds * 1000:.0f} | {seconds * 1e6 / cells:.2f} |"
        )


def command(repeat: int) -> None:
    """``bhxh-campaign report`` on the bundled example."""
    executable = Path(sys.executable).with_name("bhxh-campaign")
    line = [str(executable), "report", str(ROOT / "examples" / "bac_giang_2023")]
    line += ["--as-of", "2023-05-18"]
    seconds, _ = timed(lambda: subprocess.run(line, check=True, capture_output=True), repeat)
    print("## bhxh-campaign report examples/bac_giang_2023 --as-of 2023-05-18")
    print(f"median wall {seconds:.2f} s over {repeat} runs")


PARTS = ("command", "report", "counting")


def main(
    rows: int = 1_000_000,
    repeat: int = 3,
    parts: tuple[str, ...] = PARTS,
    sizes: tuple[tuple[int, int], ...] = SIZES,
) -> None:
    """Run the in-memory benchmarks (all three by default)."""
    if "command" in parts:
        command(5)
    if "report" in parts:
        report_sizes(repeat, sizes)
    if "counting" in parts:
        in_memory(rows, repeat)


def _size(text: str) -> tuple[int, int]:
    units, _, days = text.partition("x")
    return int(units), int(days)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="bhxh_campaign in-memory benchmarks")
    parser.add_argument("--rows", type=float, default=1e6, help="records to count (1e6)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure, median kept")
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="run only this part (repeatable)"
    )
    parser.add_argument(
        "--sizes", type=_size, nargs="+", default=SIZES, help="report grids, e.g. 700x400"
    )
    args = parser.parse_args()
    main(int(args.rows), args.repeat, tuple(args.only or PARTS), tuple(args.sizes))
