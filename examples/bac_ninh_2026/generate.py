"""Generate the Bắc Ninh 2026 commune-level peak-month example data set.

Since 1 July 2025 Vietnam has no district level: a campaign is run by commune and ward
(xã, phường; 5-digit codes). This example is a "peak month" campaign for voluntary social
insurance (BHXH tự nguyện) in Bắc Ninh province (code 24, which since the 2025 reform also
covers the former Bắc Giang province), May 2026, over its 99 commune-level units. The
units come from the library's registry; everything else (targets, daily counts,
identifiers, payment methods) is synthetic and is produced by explicit rules driven by a
seeded random number generator. No figure of this campaign has been published, and the
script hard-codes none.

Run::

    python examples/bac_ninh_2026/generate.py [--out DIR]

The script writes ``campaign.toml``, ``units.csv``, ``targets.csv`` and
``enrollments.csv`` and then re-reads them and checks, by brute force, the rules below
(the target bands, the record formats, the row breakdown, the early finishers and the
laggards, the Sunday dips). It exits with a non-zero status and a message if any check
fails. Running it twice gives byte-identical files.

Apart from reading the list of units from ``bhxh_campaign.registry`` (one source of
truth for codes, names and kinds), only the standard library is used, and only
deterministic float arithmetic (no ``math.exp`` or ``pow``), so the output does not
depend on the platform's maths library.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bhxh_campaign.registry import unit_registry

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

# ---------------------------------------------------------------------------
# Campaign definition
# ---------------------------------------------------------------------------

SEED = 20260501
PROVINCE_CODE = "24"
PROVINCE_NAME = "Bắc Ninh"
CAMPAIGN_ID = "bac-ninh-2026-peak-month"
CAMPAIGN_NAME = "Tháng cao điểm vận động người dân tham gia BHXH tự nguyện 2026 – Bắc Ninh"
LEVEL = "commune"

START = dt.date(2026, 5, 1)
END = dt.date(2026, 5, 31)
AS_OF = dt.date(2026, 5, 18)
"""The report day of the README and of the self-check (not a published bulletin)."""
MID_MONTH = dt.date(2026, 5, 15)
"""The early finishers reach their target before this day."""

PRE_LAUNCH_DAYS = tuple(dt.date(2026, 4, day) for day in range(25, 31))
"""Launch conferences before the campaign: these records are outside its window."""
AFTER_END_DAYS = tuple(dt.date(2026, 6, day) for day in range(1, 4))
"""Stragglers recorded after the campaign's last day."""

HOLIDAYS = frozenset([dt.date(2026, 4, 30), dt.date(2026, 5, 1)])
"""Reunification Day and Labour Day (Thursday and Friday in 2026)."""

# ---------------------------------------------------------------------------
# Synthetic parameters (chosen for this example)
# ---------------------------------------------------------------------------

TARGET_TENS = {"phuong": (12, 20), "xa": (5, 11), "dac_khu": (8, 14)}
"""Target bands by kind, in tens: wards 120-200, communes 50-110, special zones 80-140."""

EARLY_FINISHERS = 6
"""Units that campaign hard from the first week and complete their plan before mid-month."""
EARLY_MULTIPLIER = (1.45, 1.75)
"""An early finisher's May total, as a multiple of its target."""
EARLY_PEAK_DAYS = (5, 9)
"""Day of May on which an early finisher's enrollment rate peaks."""
PEAK_HALF_WIDTH = 8.0
PEAK_FLOOR = 0.15

LAGGARD_MULTIPLIER = (0.6, 1.1)
"""Every other unit's May total, as a multiple of its target (some miss the plan)."""
RAMP_RATE_RANGE = (0.02, 0.06)
"""Daily compound growth of the enrollment rate of the other units."""

PRE_LAUNCH_RECORDS = 140
AFTER_END_PACE = 0.3
"""June stragglers come at this fraction of the campaign's last-week pace."""

REPEATS_LATER = 48
"""May participants recorded again on a later day of May (same unit or another)."""
REPEATS_SAME_DAY = 8
"""May participants recorded on the same day by two units: the record id decides."""
RETURNING = 12
"""Participants of the April launch conferences recorded again in May (they count in May)."""
REPEATS_AFTER_END = 6
"""May participants recorded again in June."""
REPEAT_OTHER_UNIT_SHARE = 0.3
REPEAT_MAX_GAP = 10

OUTSIDE_RECORDS = 6
"""May records filed under a commune of a neighbouring province (unknown to the campaign)."""
OUTSIDE_THEN_HOME = 3
"""Of those participants, how many are recorded again, later in May, by a Bắc Ninh unit."""
OUTSIDE_PROVINCES = ("01", "19", "20", "22")
"""Hà Nội, Thái Nguyên, Lạng Sơn, Quảng Ninh."""

FORMER_PROVINCES = {"07": "24", "09": "27"}
"""Former province (Bắc Giang 24, Bắc Ninh 27) by the first two digits of a commune code.

Social-insurance numbers and citizen ids were issued under the pre-2025 provinces.
"""
OTHER_PROVINCE_CODES = ("01", "19", "20", "22", "26", "30", "79")
"""Provinces of migrant workers' papers (pre-2025 codes), for the rest of the ids."""
CCCD_SHARE = 0.2
BIRTH_YEARS = (1966, 2008)
HOME_PROVINCE_SHARE = 0.9

EMPTY_PAYMENT_SHARE = 0.015
PAYMENT_METHODS = (
    ("monthly", 50),
    ("annual", 22),
    ("quarterly", 10),
    ("semiannual", 8),
    ("lump_sum_future", 4),
    ("lump_sum_past", 2),
)

HOLIDAY_WEIGHT = 0.25
SUNDAY_WEIGHT = 0.3
SATURDAY_WEIGHT = 0.65
JITTER = 0.15

SATURDAY, SUNDAY = 5, 6
SI_NUMBER_LENGTH, CITIZEN_ID_LENGTH = 10, 12
UNIT_CODE_LENGTH = 5
LAGGARDS_BELOW = Decimal(60)
"""As of ``AS_OF`` every unit that is not an early finisher is below this percent."""

UNIT_HEADER = ("code", "name", "kind", "province_code")
TARGET_HEADER = ("unit_code", "target", "measure")
ENROLLMENT_HEADER = (
    "record_id",
    "participant_id",
    "district_code",
    "enrolled_on",
    "payment_method",
)


@dataclass(frozen=True)
class Unit:
    """A commune-level unit of Bắc Ninh, as the registry gives it.

    Attributes:
        code: Five-digit GSO code (text, leading zero kept).
        name: Vietnamese name without its kind (NFC).
        kind: ``xa``, ``phuong`` or ``dac_khu``.
    """

    code: str
    name: str
    kind: str


def registry_units() -> tuple[Unit, ...]:
    """Return the province's commune-level units in force on ``START``, by code.

    Returns:
        The units.
    """
    return tuple(
        Unit(u.code, u.name, u.kind.value) for u in unit_registry().units_on(PROVINCE_CODE, START)
    )


def outside_codes() -> tuple[str, ...]:
    """Return the commune codes of the neighbouring provinces, by code.

    Returns:
        The codes.
    """
    registry = unit_registry()
    return tuple(sorted(u.code for p in OUTSIDE_PROVINCES for u in registry.units_on(p, START)))


UNITS = registry_units()
UNIT_CODES = tuple(unit.code for unit in UNITS)


class CheckError(Exception):
    """Raised when a generated file breaks one of the example's rules."""


@dataclass(frozen=True)
class Enrollment:
    """One enrollment record before record ids are assigned.

    Attributes:
        participant_id: Social-insurance number (10 digits) or citizen id (12 digits).
        unit_code: Five-digit code of the commune or ward that registered the record.
        enrolled_on: Enrollment date.
        payment_method: Payment method, or empty.
    """

    participant_id: str
    unit_code: str
    enrolled_on: dt.date
    payment_method: str


@dataclass(frozen=True)
class Plan:
    """A unit's target and its synthetic pace for May.

    Attributes:
        unit: The unit.
        target: New-participant target for the campaign month.
        may_total: New participants it enrolls from ``START`` to ``END``.
        peak_day: ``None`` for a unit ramping up all month; otherwise the day of May on
            which an early finisher's enrollment rate peaks.
        growth: Daily growth factor of a ramping unit (1.0 for an early finisher).
    """

    unit: Unit
    target: int
    may_total: int
    peak_day: int | None
    growth: float


# ---------------------------------------------------------------------------
# Allocation rules
# ---------------------------------------------------------------------------


def date_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Return the dates from ``first`` to ``last``, both included.

    Args:
        first: First date.
        last: Last date.

    Returns:
        The list of consecutive dates.
    """
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


CAMPAIGN_DAYS = tuple(date_range(START, END))


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder).

    Ties between equal remainders go to the earlier position.

    Args:
        total: Non-negative integer to split.
        weights: Positive weights, one per share.

    Returns:
        Integer shares summing to ``total``.

    Raises:
        ValueError: If ``total`` is negative or there are no weights.
    """
    if total < 0 or not weights:
        msg = f"cannot apportion {total} over {len(weights)} weights"
        raise ValueError(msg)
    weight_sum = sum(weights)
    quotas = [total * weight / weight_sum for weight in weights]
    shares = [int(quota) for quota in quotas]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - quotas[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def round_half_up(value: float) -> int:
    """Round a non-negative float to the nearest integer, halves up.

    Args:
        value: Non-negative number.

    Returns:
        The rounded integer.
    """
    return int(value + 0.5)


def day_weight(day: dt.date) -> float:
    """Return the calendar factor of a day: holidays and weekends enroll fewer people.

    Args:
        day: The date.

    Returns:
        A factor in ``(0, 1]``.
    """
    if day in HOLIDAYS:
        return HOLIDAY_WEIGHT
    if day.weekday() == SUNDAY:
        return SUNDAY_WEIGHT
    if day.weekday() == SATURDAY:
        return SATURDAY_WEIGHT
    return 1.0


def jitter(rng: random.Random) -> float:
    """Draw a multiplicative noise factor around 1.

    Args:
        rng: The seeded generator.

    Returns:
        A factor in ``[1 - JITTER, 1 + JITTER]``.
    """
    return rng.uniform(1.0 - JITTER, 1.0 + JITTER)


def make_plans(rng: random.Random) -> list[Plan]:
    """Draw each unit's target and May pace.

    The target is a whole number of tens drawn from its kind's band (wards larger than
    communes). ``EARLY_FINISHERS`` units, drawn at random, enroll 1.45-1.75 times their
    target in May, front-loaded; the others 0.6-1.1 times it, ramping up.

    Args:
        rng: The seeded generator.

    Returns:
        One plan per unit, in code order.
    """
    targets = [10 * rng.randint(*TARGET_TENS[unit.kind]) for unit in UNITS]
    early = set(rng.sample(UNIT_CODES, EARLY_FINISHERS))
    plans = []
    for unit, target in zip(UNITS, targets, strict=True):
        if unit.code in early:
            multiplier = rng.uniform(*EARLY_MULTIPLIER)
            peak_day: int | None = rng.randint(*EARLY_PEAK_DAYS)
            growth = 1.0
        else:
            multiplier = rng.uniform(*LAGGARD_MULTIPLIER)
            peak_day = None
            growth = 1.0 + rng.uniform(*RAMP_RATE_RANGE)
        plans.append(Plan(unit, target, round_half_up(target * multiplier), peak_day, growth))
    return plans


def may_weights(plan: Plan, rng: random.Random) -> list[float]:
    """Weight each day of May for one unit.

    Ramping units grow by a compound daily rate all month; early finishers follow a hump
    peaking on ``peak_day`` and taper off once done. Every day gets the calendar factor
    and some jitter.

    Args:
        plan: The unit's plan.
        rng: The seeded generator.

    Returns:
        One positive weight per campaign day.
    """
    if plan.peak_day is None:
        trend = [1.0]
        for _ in CAMPAIGN_DAYS[1:]:
            trend.append(trend[-1] * plan.growth)
    else:
        distances = [(day.day - plan.peak_day) / PEAK_HALF_WIDTH for day in CAMPAIGN_DAYS]
        trend = [max(PEAK_FLOOR, 1.0 - distance * distance) for distance in distances]
    return [
        day_weight(day) * factor * jitter(rng)
        for day, factor in zip(CAMPAIGN_DAYS, trend, strict=True)
    ]


def allocate_cells(
    total: int,
    days: Sequence[dt.date],
    unit_weights: Mapping[str, float],
    rng: random.Random,
) -> list[tuple[tuple[str, dt.date], int]]:
    """Split records outside May jointly over units and days.

    Args:
        total: Number of records.
        days: The days to fill.
        unit_weights: Relative activity of each unit.
        rng: The seeded generator.

    Returns:
        Record counts per (unit code, day), sorted.
    """
    cells = [(code, day) for code in sorted(unit_weights) for day in days]
    weights = [unit_weights[code] * day_weight(day) * jitter(rng) for code, day in cells]
    return list(zip(cells, apportion(total, weights), strict=True))


# ---------------------------------------------------------------------------
# Record attributes
# ---------------------------------------------------------------------------


def random_digits(rng: random.Random, length: int) -> str:
    """Draw a string of random decimal digits.

    Args:
        rng: The seeded generator.
        length: Number of digits.

    Returns:
        The digits.
    """
    return "".join(str(rng.randrange(10)) for _ in range(length))


def issuing_province(rng: random.Random, unit_code: str) -> str:
    """Draw the (pre-2025) province that issued a participant's papers.

    Args:
        rng: The seeded generator.
        unit_code: The unit that registers the participant.

    Returns:
        A two-digit province code: mostly the unit's former province.
    """
    if rng.random() < HOME_PROVINCE_SHARE:
        return FORMER_PROVINCES.get(unit_code[:2], PROVINCE_CODE)
    return rng.choice(OTHER_PROVINCE_CODES)


def social_insurance_number(rng: random.Random, unit_code: str) -> str:
    """Draw a fictitious 10-digit social-insurance number (province code first).

    Args:
        rng: The seeded generator.
        unit_code: The unit that registers the participant.

    Returns:
        The number.
    """
    return issuing_province(rng, unit_code) + random_digits(rng, 8)


def citizen_id(rng: random.Random, unit_code: str) -> str:
    """Draw a fictitious 12-digit citizen id (CCCD) of an adult born 1966-2008.

    Layout: 3-digit province of birth, sex/century digit (0/1 male/female born in the
    1900s, 2/3 in the 2000s), 2-digit birth year, 6 random digits.

    Args:
        rng: The seeded generator.
        unit_code: The unit that registers the participant.

    Returns:
        The id.
    """
    province = issuing_province(rng, unit_code)
    birth_year = rng.randint(*BIRTH_YEARS)
    sex_century = 2 * (birth_year // 100 - 19) + rng.randrange(2)
    return f"0{province}{sex_century}{birth_year % 100:02d}{random_digits(rng, 6)}"


def new_participant(rng: random.Random, unit_code: str, used: set[str]) -> str:
    """Draw a participant id not used before and remember it.

    Args:
        rng: The seeded generator.
        unit_code: The unit that registers the participant.
        used: Ids already handed out; updated in place.

    Returns:
        The new id.
    """
    while True:
        if rng.random() < CCCD_SHARE:
            candidate = citizen_id(rng, unit_code)
        else:
            candidate = social_insurance_number(rng, unit_code)
        if candidate not in used:
            used.add(candidate)
            return candidate


def payment_method(rng: random.Random) -> str:
    """Draw a payment method (mostly monthly or annual), or an empty one for a few records.

    Args:
        rng: The seeded generator.

    Returns:
        The method or ``""``.
    """
    if rng.random() < EMPTY_PAYMENT_SHARE:
        return ""
    methods = [method for method, _ in PAYMENT_METHODS]
    return rng.choices(methods, weights=[weight for _, weight in PAYMENT_METHODS])[0]


def fresh_records(
    counts: Iterable[tuple[tuple[str, dt.date], int]],
    rng: random.Random,
    used: set[str],
) -> list[Enrollment]:
    """Create records of participants never seen before.

    Args:
        counts: Number of records per (unit code, day).
        rng: The seeded generator.
        used: Participant ids already handed out; updated in place.

    Returns:
        The records.
    """
    return [
        Enrollment(new_participant(rng, code, used), code, day, payment_method(rng))
        for (code, day), count in counts
        for _ in range(count)
    ]


def again(first: Enrollment, code: str, day: dt.date, rng: random.Random) -> Enrollment:
    """Create another record of the participant of ``first``.

    Args:
        first: An earlier record of the participant.
        code: The unit of the new record.
        day: Its day.
        rng: The seeded generator.

    Returns:
        The record.
    """
    return Enrollment(first.participant_id, code, day, payment_method(rng))


def other_unit(code: str, rng: random.Random) -> str:
    """Draw a unit of the province other than ``code``.

    Args:
        code: A unit code.
        rng: The seeded generator.

    Returns:
        Another unit's code.
    """
    return rng.choice([other for other in UNIT_CODES if other != code])


def repeat_records(
    may: Sequence[Enrollment],
    pre_launch: Sequence[Enrollment],
    rng: random.Random,
    used: set[str],
) -> list[Enrollment]:
    """Create the records of participants seen more than once, and the outside records.

    Each participant is picked for at most one of these rules.

    Args:
        may: The fresh May records.
        pre_launch: The fresh records of the launch conferences.
        rng: The seeded generator.
        used: Participant ids already handed out; updated in place.

    Returns:
        The extra records.
    """
    pool = [record for record in may if record.enrolled_on < END]
    picked = rng.sample(pool, REPEATS_LATER + REPEATS_SAME_DAY + REPEATS_AFTER_END)
    later = picked[:REPEATS_LATER]
    same_day = picked[REPEATS_LATER : REPEATS_LATER + REPEATS_SAME_DAY]
    after_end = picked[REPEATS_LATER + REPEATS_SAME_DAY :]

    extra: list[Enrollment] = []
    for first in later:
        gap = rng.randint(1, min(REPEAT_MAX_GAP, (END - first.enrolled_on).days))
        code = first.unit_code
        if rng.random() < REPEAT_OTHER_UNIT_SHARE:
            code = other_unit(code, rng)
        extra.append(again(first, code, first.enrolled_on + dt.timedelta(days=gap), rng))
    extra.extend(
        again(first, other_unit(first.unit_code, rng), first.enrolled_on, rng) for first in same_day
    )
    extra.extend(
        again(first, first.unit_code, rng.choice(AFTER_END_DAYS), rng) for first in after_end
    )
    extra.extend(
        again(first, first.unit_code, rng.choice(CAMPAIGN_DAYS), rng)
        for first in rng.sample(list(pre_launch), RETURNING)
    )

    neighbours = outside_codes()
    home_days = CAMPAIGN_DAYS[:-REPEAT_MAX_GAP]
    for index in range(OUTSIDE_RECORDS):
        code = rng.choice(neighbours)
        day = rng.choice(home_days)
        outside = Enrollment(
            new_participant(rng, rng.choice(UNIT_CODES), used), code, day, payment_method(rng)
        )
        extra.append(outside)
        if index < OUTSIDE_THEN_HOME:
            later_day = day + dt.timedelta(days=rng.randint(1, REPEAT_MAX_GAP))
            extra.append(again(outside, rng.choice(UNIT_CODES), later_day, rng))
    return extra


def build_records(rng: random.Random) -> tuple[list[Plan], list[Enrollment]]:
    """Draw the plans and build all enrollment records, sorted by date (random within a day).

    Args:
        rng: The seeded generator.

    Returns:
        The plans, and the records in file order.
    """
    used: set[str] = set()
    plans = make_plans(rng)
    daily = {plan.unit.code: apportion(plan.may_total, may_weights(plan, rng)) for plan in plans}
    may = fresh_records(
        (
            ((code, day), count)
            for code in sorted(daily)
            for day, count in zip(CAMPAIGN_DAYS, daily[code], strict=True)
        ),
        rng,
        used,
    )
    pre_launch = fresh_records(
        allocate_cells(
            PRE_LAUNCH_RECORDS,
            PRE_LAUNCH_DAYS,
            {plan.unit.code: float(plan.target) for plan in plans},
            rng,
        ),
        rng,
        used,
    )
    last_week = CAMPAIGN_DAYS[-7:]
    pace = {
        code: sum(counts[-7:]) / sum(map(day_weight, last_week)) for code, counts in daily.items()
    }
    after_end = fresh_records(
        allocate_cells(
            round_half_up(
                AFTER_END_PACE * sum(pace.values()) * sum(map(day_weight, AFTER_END_DAYS))
            ),
            AFTER_END_DAYS,
            pace,
            rng,
        ),
        rng,
        used,
    )
    records = may + pre_launch + after_end + repeat_records(may, pre_launch, rng, used)

    by_day: dict[dt.date, list[Enrollment]] = {}
    for record in records:
        by_day.setdefault(record.enrolled_on, []).append(record)
    ordered: list[Enrollment] = []
    for day in sorted(by_day):
        rng.shuffle(by_day[day])
        ordered.extend(by_day[day])
    return plans, ordered


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def record_id(index: int) -> str:
    """Format the record id of the ``index``-th record (1-based).

    Args:
        index: Position in the file.

    Returns:
        The id, e.g. ``BN-2026-000001``.
    """
    return f"BN-2026-{index:06d}"


def campaign_toml() -> str:
    """Render ``campaign.toml``.

    Returns:
        The file text.
    """
    return (
        f'id = "{CAMPAIGN_ID}"\n'
        f'name = "{CAMPAIGN_NAME}"\n'
        f'scope = "{PROVINCE_CODE}"\n'
        f'level = "{LEVEL}"\n'
        f"start = {START.isoformat()}\n"
        f"end = {END.isoformat()}\n"
        "\n"
        "[[provinces]]\n"
        f'code = "{PROVINCE_CODE}"\n'
        f'name = "{PROVINCE_NAME}"\n'
    )


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Render a CSV table with LF line endings.

    Args:
        header: Column names.
        rows: Data rows.

    Returns:
        The file text.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def render_files(plans: Sequence[Plan], records: Sequence[Enrollment]) -> dict[str, str]:
    """Render the four data files.

    Args:
        plans: The units' plans, in code order.
        records: Enrollment records in file order.

    Returns:
        File text by file name.
    """
    units = csv_text(
        UNIT_HEADER,
        ((p.unit.code, p.unit.name, p.unit.kind, PROVINCE_CODE) for p in plans),
    )
    targets = csv_text(
        TARGET_HEADER,
        [(p.unit.code, str(p.target), "new") for p in plans]
        + [(PROVINCE_CODE, str(sum(p.target for p in plans)), "new")],
    )
    enrollments = csv_text(
        ENROLLMENT_HEADER,
        (
            (
                record_id(index),
                record.participant_id,
                record.unit_code,
                record.enrolled_on.isoformat(),
                record.payment_method,
            )
            for index, record in enumerate(records, start=1)
        ),
    )
    texts = {
        "campaign.toml": campaign_toml(),
        "units.csv": units,
        "targets.csv": targets,
        "enrollments.csv": enrollments,
    }
    return {name: unicodedata.normalize("NFC", text) for name, text in texts.items()}


def write_files(out_dir: Path, texts: Mapping[str, str]) -> None:
    """Write the files as UTF-8 without BOM, keeping LF line endings.

    Args:
        out_dir: Target directory (created if missing).
        texts: File text by file name.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (out_dir / name).write_bytes(text.encode("utf-8"))


# ---------------------------------------------------------------------------
# Self-check (recomputes everything from the written files)
# ---------------------------------------------------------------------------


def require(condition: bool, message: str) -> None:  # noqa: FBT001 - assertion helper
    """Raise ``CheckError`` with ``message`` unless ``condition`` holds.

    Args:
        condition: The property that must hold.
        message: Description of the failure.

    Raises:
        CheckError: If ``condition`` is false.
    """
    if not condition:
        raise CheckError(message)


def percent(count: int, target: int) -> Decimal:
    """Return ``count / target`` in percent, rounded half-up to two decimals.

    Args:
        count: Achieved count.
        target: Target.

    Returns:
        The percentage.
    """
    return (Decimal(count) * 100 / Decimal(target)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def read_text(path: Path) -> str:
    """Read a data file and check its encoding conventions.

    Args:
        path: The file.

    Returns:
        The text.
    """
    data = path.read_bytes()
    require(not data.startswith(b"\xef\xbb\xbf"), f"{path.name}: starts with a BOM")
    require(b"\r" not in data, f"{path.name}: contains carriage returns")
    text = data.decode("utf-8")
    require(text.endswith("\n"), f"{path.name}: no final newline")
    require(unicodedata.is_normalized("NFC", text), f"{path.name}: not NFC")
    return text


def read_csv(path: Path, header: Sequence[str]) -> list[dict[str, str]]:
    """Read a CSV file and check its header.

    Args:
        path: The file.
        header: Expected column names.

    Returns:
        The rows as dictionaries.
    """
    reader = csv.DictReader(io.StringIO(read_text(path)))
    require(tuple(reader.fieldnames or ()) == tuple(header), f"{path.name}: bad header")
    return list(reader)


def check_campaign(out_dir: Path) -> None:
    """Check ``campaign.toml``.

    Args:
        out_dir: Directory with the files.
    """
    campaign = tomllib.loads(read_text(out_dir / "campaign.toml"))
    expected = {
        "id": CAMPAIGN_ID,
        "name": CAMPAIGN_NAME,
        "scope": PROVINCE_CODE,
        "level": LEVEL,
        "start": START,
        "end": END,
        "provinces": [{"code": PROVINCE_CODE, "name": PROVINCE_NAME}],
    }
    require(campaign == expected, f"campaign.toml: {campaign!r} != {expected!r}")


def check_units_and_targets(out_dir: Path) -> dict[str, int]:
    """Check ``units.csv`` against the registry and ``targets.csv`` against the bands.

    Args:
        out_dir: Directory with the files.

    Returns:
        Unit targets by unit code.
    """
    rows = read_csv(out_dir / "units.csv", UNIT_HEADER)
    units = [(row["code"], row["name"], row["kind"], row["province_code"]) for row in rows]
    expected = [(u.code, u.name, u.kind, PROVINCE_CODE) for u in UNITS]
    require(units == expected, "units.csv: not the registry's units in code order")
    require(len(units) == len({code for code, *_ in units}), "units.csv: duplicate codes")
    kinds = {row["code"]: row["kind"] for row in rows}

    rows = read_csv(out_dir / "targets.csv", TARGET_HEADER)
    require(all(row["measure"] == "new" for row in rows), "targets.csv: measure is not 'new'")
    targets = {row["unit_code"]: int(row["target"]) for row in rows}
    require(len(targets) == len(rows), "targets.csv: duplicate rows")
    province = targets.pop(PROVINCE_CODE)
    require(set(targets) == set(kinds), "targets.csv: units do not match units.csv")
    require(sum(targets.values()) == province, "targets.csv: unit targets do not sum up")
    for code, target in targets.items():
        low, high = TARGET_TENS[kinds[code]]
        require(target % 10 == 0 and 10 * low <= target <= 10 * high, f"target of {code}")
    return targets


def check_record_format(rows: Sequence[Mapping[str, str]]) -> None:
    """Check ids, ordering and field formats of ``enrollments.csv``.

    Args:
        rows: The enrollment rows in file order.
    """
    methods = {method for method, _ in PAYMENT_METHODS} | {""}
    keys = [(row["enrolled_on"], row["record_id"]) for row in rows]
    require(keys == sorted(keys), "enrollments.csv: not sorted by (enrolled_on, record_id)")
    for index, row in enumerate(rows, start=1):
        pid, code = row["participant_id"], row["district_code"]
        require(row["record_id"] == record_id(index), f"record {index}: id {row['record_id']}")
        require(
            pid.isdigit() and pid.isascii() and len(pid) in {SI_NUMBER_LENGTH, CITIZEN_ID_LENGTH},
            f"bad participant id {pid}",
        )
        if len(pid) == CITIZEN_ID_LENGTH:
            require(pid[0] == "0" and pid[3] in "0123", f"bad citizen id {pid}")
        require(
            code.isdigit() and code.isascii() and len(code) == UNIT_CODE_LENGTH,
            f"bad unit code {row}",
        )
        require(row["payment_method"] in methods, f"bad payment method {row}")
        day = dt.date.fromisoformat(row["enrolled_on"])
        require(day.isoformat() == row["enrolled_on"], f"bad date {row}")
        require(PRE_LAUNCH_DAYS[0] <= day <= AFTER_END_DAYS[-1], f"date out of range {row}")
    require(any(row["participant_id"].startswith("0") for row in rows), "no leading zeros")


def count_new(
    rows: Iterable[Mapping[str, str]], codes: Iterable[str]
) -> dict[str, dict[dt.date, int]]:
    """Apply the counting rule as of ``AS_OF``, by brute force.

    A participant counts once, on the day and in the unit of their first record by
    (``enrolled_on``, ``record_id``) among the records within ``START``..``AS_OF`` in a
    unit of the campaign.

    Args:
        rows: Enrollment rows.
        codes: The campaign's unit codes.

    Returns:
        New participants per unit and day of their first record.
    """
    known = set(codes)
    in_range = sorted(
        (row["enrolled_on"], row["record_id"], row["district_code"], row["participant_id"])
        for row in rows
        if START.isoformat() <= row["enrolled_on"] <= AS_OF.isoformat()
        and row["district_code"] in known
    )
    seen: set[str] = set()
    counts: dict[str, dict[dt.date, int]] = {}
    for day, _, code, participant in in_range:
        if participant in seen:
            continue
        seen.add(participant)
        per_day = counts.setdefault(code, {})
        key = dt.date.fromisoformat(day)
        per_day[key] = per_day.get(key, 0) + 1
    return counts


def completion_day(per_day: Mapping[dt.date, int], target: int) -> dt.date | None:
    """Return the first day on which the running count reaches ``target``.

    Args:
        per_day: New participants per day.
        target: The target.

    Returns:
        The day, or ``None`` if never reached.
    """
    running = 0
    for day in sorted(per_day):
        running += per_day[day]
        if running >= target:
            return day
    return None


def breakdown(rows: Sequence[Mapping[str, str]], codes: Iterable[str]) -> dict[str, int]:
    """Sort every row into the reason it counts or not, as of ``AS_OF``.

    Args:
        rows: Enrollment rows.
        codes: The campaign's unit codes.

    Returns:
        Rows per category; the values add up to the number of rows.
    """
    known = set(codes)
    counted = sum(sum(per_day.values()) for per_day in count_new(rows, known).values())
    tally = {
        "before_start": 0,
        "after_as_of": 0,
        "after_end": 0,
        "unknown_unit": 0,
    }
    inside = 0
    for row in rows:
        if row["enrolled_on"] < START.isoformat():
            tally["before_start"] += 1
        elif row["enrolled_on"] > END.isoformat():
            tally["after_end"] += 1
        elif row["enrolled_on"] > AS_OF.isoformat():
            tally["after_as_of"] += 1
        elif row["district_code"] not in known:
            tally["unknown_unit"] += 1
        else:
            inside += 1
    return {"counted": counted, **tally, "repeat": inside - counted}


def check_figures(
    rows: Sequence[Mapping[str, str]],
    counts: Mapping[str, Mapping[dt.date, int]],
    targets: Mapping[str, int],
) -> None:
    """Check the rules the figures follow: early finishers, laggards, the row breakdown.

    Args:
        rows: Enrollment rows.
        counts: New participants per unit and day as of ``AS_OF``.
        targets: Unit targets.
    """
    done = {code: completion_day(counts.get(code, {}), target) for code, target in targets.items()}
    early = sorted(code for code, day in done.items() if day is not None and day < MID_MONTH)
    reached = sorted(code for code, day in done.items() if day is not None)
    require(len(early) == EARLY_FINISHERS, f"units done before {MID_MONTH}: {early}")
    require(reached == early, f"units done by {AS_OF}: {reached}, before {MID_MONTH}: {early}")
    for code, target in targets.items():
        if code not in early:
            achieved = percent(sum(counts.get(code, {}).values()), target)
            require(achieved < LAGGARDS_BELOW, f"{code} at {achieved}%")

    tally = breakdown(rows, targets)
    require(sum(tally.values()) == len(rows), f"breakdown {tally} of {len(rows)} rows")
    require(tally["before_start"] == PRE_LAUNCH_RECORDS, f"{tally['before_start']} before start")
    require(tally["unknown_unit"] > 0, "no record of an unknown unit before the report day")
    require(tally["repeat"] > 0, "no repeat record before the report day")
    repeats = len(rows) - len({row["participant_id"] for row in rows})
    expected = REPEATS_LATER + REPEATS_SAME_DAY + REPEATS_AFTER_END + RETURNING + OUTSIDE_THEN_HOME
    require(repeats == expected, f"{repeats} repeated participants")


def period(day: dt.date) -> int:
    """Return -1 before the campaign, 0 during it and 1 after it.

    Args:
        day: The date.

    Returns:
        The period's number.
    """
    return (day > END) - (day < START)


def check_shape(rows: Sequence[Mapping[str, str]]) -> None:
    """Check that every Sunday has fewer records than the day before and the day after.

    Only days of the same period are compared: the stragglers of June come at a fraction
    of May's pace.

    Args:
        rows: Enrollment rows.
    """
    per_day: dict[dt.date, int] = {}
    for row in rows:
        day = dt.date.fromisoformat(row["enrolled_on"])
        per_day[day] = per_day.get(day, 0) + 1
    one = dt.timedelta(days=1)
    for day, count in per_day.items():
        neighbours = (day - one, day + one)
        if (
            day.weekday() == SUNDAY
            and all(other in per_day for other in neighbours)
            and {period(other) for other in neighbours} == {period(day)}
        ):
            dip = count < min(per_day[other] for other in neighbours)
            require(dip, f"no Sunday dip on {day}")


def self_check(out_dir: Path) -> str:
    """Re-read the written files and verify every rule.

    Args:
        out_dir: Directory with the files.

    Returns:
        A one-line summary.
    """
    check_campaign(out_dir)
    targets = check_units_and_targets(out_dir)
    rows = read_csv(out_dir / "enrollments.csv", ENROLLMENT_HEADER)
    check_record_format(rows)
    counts = count_new(rows, targets)
    check_figures(rows, counts, targets)
    check_shape(rows)
    total = sum(sum(per_day.values()) for per_day in counts.values())
    target = sum(targets.values())
    return (
        f"{len(rows)} records, {total} new participants as of {AS_OF.isoformat()} "
        f"({percent(total, target)}% of {target}): all checks passed"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the files and run the self-check.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        Process exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output directory (default: this script's folder)",
    )
    args = parser.parse_args(argv)
    out_dir: Path = args.out

    plans, records = build_records(random.Random(SEED))
    write_files(out_dir, render_files(plans, records))
    try:
        summary = self_check(out_dir)
    except CheckError as error:
        sys.stderr.write(f"self-check failed: {error}\n")
        return 1
    sys.stdout.write(summary + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
