"""Generate a deterministic national campaign folder for the benchmarks.

63 provinces, 693 districts (11 per province), a national campaign from 2023-05-01 to
2023-05-31, and N enrollment records spread over 2023-04-20..2023-06-05 (so some fall
before the start and after the end) with a weekly rhythm (quiet weekends) and a ramp-up,
about 1% repeated participants, about 0.1% in a district outside the campaign, and 12%
12-digit citizen ids. Targets are sized from the generated data so that about half of the
districts pass 100% by the as-of day, 2023-05-25.

Usage:
    python benchmarks/generate.py --rows 1e6 [--out DIR] [--seed 2023]

The same rows and seed give the same bytes (numpy's PCG64 stream).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

import numpy as np

FIRST_DAY = dt.date(2023, 4, 20)
LAST_DAY = dt.date(2023, 6, 5)
START = dt.date(2023, 5, 1)
END = dt.date(2023, 5, 31)
AS_OF = dt.date(2023, 5, 25)
DISTRICTS_PER_PROVINCE = 11
PROVINCES = (  # noqa: SIM905 - a literal list would take one line per code
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 "
    "45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 "
    "92 93 94 95 96"
).split()
OUTSIDE_DISTRICT = "999"
CHUNK = 1_000_000


def default_folder(rows: int) -> Path:
    """Where a data set of ``rows`` rows goes unless told otherwise."""
    base = Path(os.environ.get("BHXH_BENCH_DATA", Path(tempfile.gettempdir()) / "bhxh_bench"))
    return base / f"national_{rows}"


def _day_weights(days: list[dt.date]) -> np.ndarray:
    weights = []
    span = (END - START).days
    for day in days:
        ramp = 0.6 + 0.8 * (day - START).days / span if START <= day <= END else 0.25
        weekday = {5: 0.6, 6: 0.3}.get(day.weekday(), 1.0)
        weights.append(ramp * weekday)
    array = np.array(weights)
    normalised: np.ndarray = array / array.sum()
    return normalised


def generate(rows: int, folder: Path, seed: int = 2023) -> Path:
    """Write the campaign folder for ``rows`` records into ``folder`` and return it."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    assert len(PROVINCES) == 63
    codes = [f"{i:03d}" for i in range(1, len(PROVINCES) * DISTRICTS_PER_PROVINCE + 1)]
    province_of = {code: PROVINCES[i // DISTRICTS_PER_PROVINCE] for i, code in enumerate(codes)}

    days = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
    day_index = rng.choice(len(days), size=rows, p=_day_weights(days))
    weights = rng.lognormal(0.0, 0.6, size=len(codes))
    district_index = rng.choice(len(codes), size=rows, p=weights / weights.sum())
    outside = rng.random(rows) < 0.001

    # Participants: a fresh id per row, then ~1% of rows reuse an earlier row's id.
    serial = rng.permutation(rows).astype(np.int64)
    citizen = rng.random(rows) < 0.12
    repeat = rng.random(rows) < 0.01
    source = rng.integers(0, rows, size=rows)
    owner = np.where(repeat, source, np.arange(rows))

    order = np.lexsort((district_index, day_index))  # chronological, as exports are
    day_text = [d.isoformat() for d in days]
    counts: dict[str, int] = dict.fromkeys(codes, 0)
    seen: set[int] = set()
    with (folder / "enrollments.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("record_id,participant_id,district_code,enrolled_on\n")
        for begin in range(0, rows, CHUNK):
            lines = []
            for position in order[begin : begin + CHUNK].tolist():
                who = int(owner[position])
                province = province_of[codes[district_index[who]]]
                number = int(serial[who])
                pid = f"0{province}{number:09d}" if citizen[who] else f"{province}{number:08d}"
                unit = OUTSIDE_DISTRICT if outside[position] else codes[district_index[position]]
                day = days[day_index[position]]
                lines.append(f"R{position:09d},{pid},{unit},{day_text[day_index[position]]}\n")
                if START <= day <= AS_OF and unit != OUTSIDE_DISTRICT and who not in seen:
                    seen.add(who)
                    counts[unit] += 1
            out.write("".join(lines))

    # Targets: each district's count by the as-of day over a factor around 1, so about
    # half the districts have passed 100% by then.
    factors = rng.uniform(0.8, 1.2, size=len(codes))
    with (folder / "targets.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("unit_code,target\n")
        for code, factor in zip(codes, factors.tolist(), strict=True):
            out.write(f"{code},{max(1, round(counts[code] * factor))}\n")
    with (folder / "districts.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("code,name,kind,province_code\n")
        for code in codes:
            out.write(f"{code},Huyện {code},huyen,{province_of[code]}\n")
    provinces = "".join(
        f'[[provinces]]\ncode = "{code}"\nname = "Tỉnh {code}"\n\n' for code in PROVINCES
    )
    (folder / "campaign.toml").write_text(
        'id = "national-2023-benchmark"\n'
        'name = "Benchmark: national voluntary-insurance campaign 2023"\n'
        'scope = "national"\n'
        f"start = {START.isoformat()}\nend = {END.isoformat()}\n\n{provinces}",
        encoding="utf-8",
    )
    return folder


def main() -> None:
    """Parse the command line and generate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e5, help="records to write (1e5, 1e6...)")
    parser.add_argument("--out", type=Path, help="folder to write (default: $TMPDIR/bhxh_bench)")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    rows = int(args.rows)
    folder = generate(rows, args.out or default_folder(rows), args.seed)
    print(folder)


if __name__ == "__main__":
    main()
