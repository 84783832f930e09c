"""Generate the Bắc Giang 2023 peak-month example data set.

The example reproduces the figures of a provincial progress bulletin on the
"peak month" campaign for voluntary social insurance (BHXH tự nguyện) in
Bắc Giang province, May 2023, as of 18 May 2023. Only a handful of figures are
published (see ``README.md``); they are given below as constants. Every other
number (the remaining district targets and counts, the daily shape, the
identifiers, the communes and payment methods) is synthetic and is produced by
explicit rules driven by a seeded random number generator.

Run::

    python examples/bac_giang_2023/generate.py [--out DIR]

The script writes ``campaign.toml``, ``districts.csv``, ``targets.csv`` and
``enrollments.csv`` and then re-reads them and checks, by brute force, that the
published figures come out exactly under the counting rule. It exits with a
non-zero status and a message if any check fails. Running it twice gives
byte-identical files.

Only the standard library is used and only deterministic float arithmetic
(no ``math.exp`` or ``pow``), so the output does not depend on the platform's
maths library.
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

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

# ---------------------------------------------------------------------------
# Campaign definition
# ---------------------------------------------------------------------------

SEED = 20230519
PROVINCE_CODE = "24"
CAMPAIGN_ID = "bac-giang-2023-peak-month"
CAMPAIGN_NAME = "Tháng cao điểm vận động người dân tham gia BHXH tự nguyện 2023 – Bắc Giang"
STOCK_GOAL = 52139
STOCK_GOAL_LABEL = "Số người tham gia BHXH tự nguyện năm 2023"

START = dt.date(2023, 5, 1)
AS_OF = dt.date(2023, 5, 18)
END = dt.date(2023, 5, 31)
LAST_WEEK_START = dt.date(2023, 5, 12)
"""First day of the bulletin's "last 7 days" window (F4), ``AS_OF`` included."""

PRE_LAUNCH_DAYS = tuple(dt.date(2023, 4, day) for day in range(24, 29))
"""Working days before the 29/4-3/5 holiday break, when launch conferences enrolled people."""

HOLIDAYS = frozenset(
    [dt.date(2023, 4, 29), dt.date(2023, 4, 30)] + [dt.date(2023, 5, day) for day in (1, 2, 3)],
)
"""The 2023 Hùng Kings / Reunification Day / Labour Day break (29 April-3 May)."""

# ---------------------------------------------------------------------------
# Published figures (inputs of the example, from the bulletin)
# ---------------------------------------------------------------------------

PUBLISHED_PROVINCE_TARGET = 3285
PUBLISHED_DISTRICT_TARGETS = {"220": 150, "221": 285}
PUBLISHED_TOTAL_NEW = 1928
PUBLISHED_RATE = Decimal("58.69")
PUBLISHED_LAST_WEEK_NEW = 1074
PUBLISHED_TOP_THREE = (("221", 318), ("223", 302), ("219", 268))
PUBLISHED_OVER_TARGET = {"220": Decimal("112.67"), "221": Decimal("111.58")}

# ---------------------------------------------------------------------------
# Synthetic parameters (chosen for this example, not published)
# ---------------------------------------------------------------------------

COMPLETION_DAYS = {"220": dt.date(2023, 5, 13), "221": dt.date(2023, 5, 16)}
"""Day on which each over-target district's running count first reaches its target."""

PRE_LAUNCH_RECORDS = 28
REPEATS_WITHIN_RANGE = 9
REPEATS_AFTER_AS_OF = 7
REPEAT_OTHER_DISTRICT_SHARE = 0.3

CCCD_SHARE = 0.15
BIRTH_YEARS = (1963, 2005)
HOME_PROVINCE_SHARE = 0.9
OTHER_PROVINCE_CODES = ("01", "19", "20", "22", "27", "79")
"""Neighbouring provinces, Hà Nội and Hồ Chí Minh City (migrant workers returning home)."""

EMPTY_COMMUNE_SHARE = 0.02
EMPTY_PAYMENT_SHARE = 0.015
PAYMENT_METHODS = (
    ("monthly", 50),
    ("annual", 22),
    ("quarterly", 10),
    ("semiannual", 8),
    ("lump_sum_future", 4),
    ("lump_sum_past", 2),
)

FIRST_COMMUNE_CODE = 7201
COMMUNE_CODE_STEP = 3

HOLIDAY_WEIGHT = 0.25
SUNDAY_WEIGHT = 0.3
SATURDAY_WEIGHT = 0.65
JITTER = 0.15
RAMP_RATE_RANGE = (0.07, 0.11)
"""Daily compound growth of the enrollment rate in districts still chasing their target."""
AFTER_AS_OF_DECAY = 0.07
"""Daily linear slowdown, relative to the last week's pace, after the bulletin."""

SATURDAY, SUNDAY = 5, 6
SI_NUMBER_LENGTH, CITIZEN_ID_LENGTH = 10, 12


@dataclass(frozen=True)
class District:
    """A district of Bắc Giang with its campaign target and count as of ``AS_OF``.

    Attributes:
        code: GSO district code.
        name: Vietnamese name (NFC).
        kind: Administrative kind (``thanh_pho``, ``thi_xa``, ``huyen`` or ``quan``).
        target: New-participant target for the campaign month.
        new_by_as_of: New participants counted from ``START`` to ``AS_OF``.
        communes: Number of (invented) commune codes in the district.
        peak_day: ``None`` for a district ramping up all month; otherwise the day of
            May on which an early campaigner's enrollment rate peaks.
    """

    code: str
    name: str
    kind: str
    target: int
    new_by_as_of: int
    communes: int
    peak_day: int | None = None


DISTRICTS = (
    # Synthetic targets and counts, except where marked.
    District("213", "Bắc Giang", "thanh_pho", 400, 205, 16),
    District("215", "Yên Thế", "huyen", 160, 73, 21),
    District("216", "Tân Yên", "huyen", 330, 124, 22),
    District("217", "Lạng Giang", "huyen", 380, 152, 21),
    District("218", "Lục Nam", "huyen", 370, 141, 25),
    District("219", "Lục Ngạn", "huyen", 400, 268, 29),  # count published (3rd)
    District("220", "Sơn Động", "huyen", 150, 169, 17, peak_day=9),  # both published
    District("221", "Yên Dũng", "huyen", 285, 318, 18, peak_day=12),  # both published
    District("222", "Việt Yên", "huyen", 390, 176, 17),
    District("223", "Hiệp Hòa", "huyen", 420, 302, 25),  # count published (2nd)
)
DISTRICT_BY_CODE = {district.code: district for district in DISTRICTS}
PEAK_HALF_WIDTH = 7.0
PEAK_FLOOR = 0.2

ENROLLMENT_HEADER = (
    "record_id",
    "participant_id",
    "district_code",
    "enrolled_on",
    "commune_code",
    "payment_method",
)


class CheckError(Exception):
    """Raised when a generated file does not reproduce a required figure."""


@dataclass(frozen=True)
class Enrollment:
    """One enrollment record before record ids are assigned.

    Attributes:
        participant_id: Social-insurance number (10 digits) or citizen id (12 digits).
        district_code: GSO code of the district that registered the record.
        enrolled_on: Enrollment date.
        commune_code: Five-digit commune code, or empty.
        payment_method: Payment method, or empty.
    """

    participant_id: str
    district_code: str
    enrolled_on: dt.date
    commune_code: str
    payment_method: str


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


def allocate_with_checkpoints(
    total: int,
    weights: Sequence[float],
    checkpoints: Mapping[int, int],
) -> list[int]:
    """Split ``total`` over days proportionally to ``weights``, honouring running totals.

    Args:
        total: Number to split.
        weights: One positive weight per day.
        checkpoints: Running total required at the end of a day, keyed by day index.

    Returns:
        Per-day counts summing to ``total``.
    """
    bounds = [*sorted(checkpoints.items()), (len(weights) - 1, total)]
    counts: list[int] = []
    done_index, done_total = -1, 0
    for index, running_total in bounds:
        if index > done_index:
            counts.extend(
                apportion(running_total - done_total, weights[done_index + 1 : index + 1]),
            )
            done_index, done_total = index, running_total
    return counts


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


def district_day_weights(
    district: District,
    days: Sequence[dt.date],
    rng: random.Random,
) -> list[float]:
    """Weight each campaign day for one district.

    Districts still chasing their target ramp up (compound growth) all month; the two early
    campaigners follow a hump peaking on ``peak_day`` and taper off once done.

    Args:
        district: The district.
        days: Campaign days up to ``AS_OF``.
        rng: The seeded generator.

    Returns:
        One positive weight per day.
    """
    if district.peak_day is None:
        growth = 1.0 + rng.uniform(*RAMP_RATE_RANGE)
        trend = [1.0]
        for _ in days[1:]:
            trend.append(trend[-1] * growth)
    else:
        distances = [(day.day - district.peak_day) / PEAK_HALF_WIDTH for day in days]
        trend = [max(PEAK_FLOOR, 1.0 - distance * distance) for distance in distances]
    return [day_weight(day) * factor * jitter(rng) for day, factor in zip(days, trend, strict=True)]


def round_half_up(value: float) -> int:
    """Round a non-negative float to the nearest integer, halves up.

    Args:
        value: Non-negative number.

    Returns:
        The rounded integer.
    """
    return int(value + 0.5)


def completion_checkpoints(
    district: District,
    weights: Sequence[float],
    days: Sequence[dt.date],
) -> dict[int, int]:
    """Fix the running totals of an over-target district around its completion day.

    The natural running totals (from the weights) are clamped so that the target is
    not reached the day before the completion day and is reached on it.

    Args:
        district: An over-target district listed in ``COMPLETION_DAYS``.
        weights: Its day weights.
        days: Campaign days up to ``AS_OF``.

    Returns:
        Running totals at the end of the day before ``LAST_WEEK_START``, of the day
        before completion and of the completion day, keyed by day index.
    """
    completion = days.index(COMPLETION_DAYS[district.code])
    last_early = days.index(LAST_WEEK_START) - 1
    weight_sum = sum(weights)

    def natural(index: int) -> int:
        return round_half_up(district.new_by_as_of * sum(weights[: index + 1]) / weight_sum)

    before = min(natural(completion - 1), district.target - 1)
    reached = max(natural(completion), district.target)
    early = min(natural(last_early), before)
    return {last_early: early, completion - 1: before, completion: reached}


def allocate_counted(rng: random.Random) -> dict[str, list[int]]:
    """Allocate each district's counted new participants over ``START``..``AS_OF``.

    Each district total is exact, the province total from ``LAST_WEEK_START`` on is
    exactly ``PUBLISHED_LAST_WEEK_NEW``, and the over-target districts complete on
    their ``COMPLETION_DAYS``.

    Args:
        rng: The seeded generator.

    Returns:
        Per-district lists of daily counts, one per campaign day up to ``AS_OF``.
    """
    days = date_range(START, AS_OF)
    last_early = days.index(LAST_WEEK_START) - 1
    weights = {district.code: district_day_weights(district, days, rng) for district in DISTRICTS}

    checkpoints = {
        code: completion_checkpoints(DISTRICT_BY_CODE[code], weights[code], days)
        for code in sorted(COMPLETION_DAYS)
    }
    fixed_last_week = sum(
        DISTRICT_BY_CODE[code].new_by_as_of - points[last_early]
        for code, points in checkpoints.items()
    )
    ramping = [district for district in DISTRICTS if district.code not in checkpoints]
    late_weights = [
        district.new_by_as_of
        * sum(weights[district.code][last_early + 1 :])
        / sum(weights[district.code])
        for district in ramping
    ]
    late_counts = apportion(PUBLISHED_LAST_WEEK_NEW - fixed_last_week, late_weights)
    for district, late in zip(ramping, late_counts, strict=True):
        checkpoints[district.code] = {last_early: district.new_by_as_of - late}

    return {
        district.code: allocate_with_checkpoints(
            district.new_by_as_of,
            weights[district.code],
            checkpoints[district.code],
        )
        for district in DISTRICTS
    }


def allocate_over_districts(
    total: int,
    days: Sequence[dt.date],
    district_weights: Mapping[str, float],
    day_factor: Sequence[float],
    rng: random.Random,
) -> dict[tuple[str, dt.date], int]:
    """Split uncounted records jointly over districts and days.

    Args:
        total: Number of records.
        days: The days to fill.
        district_weights: Relative activity of each district.
        day_factor: Extra trend factor per day, multiplied with the calendar factor.
        rng: The seeded generator.

    Returns:
        Record counts per (district code, day).
    """
    cells = [(code, day) for code in sorted(district_weights) for day in days]
    weights = [
        district_weights[code] * day_weight(day) * day_factor[days.index(day)] * jitter(rng)
        for code, day in cells
    ]
    return dict(zip(cells, apportion(total, weights), strict=True))


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


def social_insurance_number(rng: random.Random) -> str:
    """Draw a fictitious 10-digit social-insurance number (province code first).

    Args:
        rng: The seeded generator.

    Returns:
        The number.
    """
    home = rng.random() < HOME_PROVINCE_SHARE
    province = PROVINCE_CODE if home else rng.choice(OTHER_PROVINCE_CODES)
    return province + random_digits(rng, 8)


def citizen_id(rng: random.Random) -> str:
    """Draw a fictitious 12-digit citizen id (CCCD) of an adult born 1963-2005.

    Layout: 3-digit province of birth, sex/century digit (0/1 male/female born in
    the 1900s, 2/3 in the 2000s), 2-digit birth year, 6 random digits.

    Args:
        rng: The seeded generator.

    Returns:
        The id.
    """
    home = rng.random() < HOME_PROVINCE_SHARE
    province = PROVINCE_CODE if home else rng.choice(OTHER_PROVINCE_CODES)
    birth_year = rng.randint(*BIRTH_YEARS)
    female = rng.randrange(2)
    sex_century = 2 * (birth_year // 100 - 19) + female
    return f"0{province}{sex_century}{birth_year % 100:02d}{random_digits(rng, 6)}"


def new_participant(rng: random.Random, used: set[str]) -> str:
    """Draw a participant id not used before and remember it.

    Args:
        rng: The seeded generator.
        used: Ids already handed out; updated in place.

    Returns:
        The new id.
    """
    while True:
        candidate = citizen_id(rng) if rng.random() < CCCD_SHARE else social_insurance_number(rng)
        if candidate not in used:
            used.add(candidate)
            return candidate


def commune_codes() -> dict[str, list[str]]:
    """Invent consecutive commune-code blocks per district (``07201``, ``07204``, ...).

    Returns:
        Commune codes per district code.
    """
    codes: dict[str, list[str]] = {}
    next_code = FIRST_COMMUNE_CODE
    for district in DISTRICTS:
        block = range(
            next_code,
            next_code + district.communes * COMMUNE_CODE_STEP,
            COMMUNE_CODE_STEP,
        )
        codes[district.code] = [f"{code:05d}" for code in block]
        next_code = block.stop
    return codes


COMMUNES = commune_codes()


def commune(rng: random.Random, district_code: str) -> str:
    """Draw a commune of the district, or an empty code for a few records.

    Args:
        rng: The seeded generator.
        district_code: GSO district code.

    Returns:
        A five-digit commune code or ``""``.
    """
    if rng.random() < EMPTY_COMMUNE_SHARE:
        return ""
    return rng.choice(COMMUNES[district_code])


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
        counts: Number of records per (district code, day).
        rng: The seeded generator.
        used: Participant ids already handed out; updated in place.

    Returns:
        The records.
    """
    return [
        Enrollment(new_participant(rng, used), code, day, commune(rng, code), payment_method(rng))
        for (code, day), count in counts
        for _ in range(count)
    ]


def repeat_records(counted: Sequence[Enrollment], rng: random.Random) -> list[Enrollment]:
    """Create second records of already counted participants, on a later day.

    Some repeats fall within ``START``..``AS_OF`` and some after it; a share is
    registered in another district (the participant moved or was enrolled twice).

    Args:
        counted: The counted first records.
        rng: The seeded generator.

    Returns:
        The repeat records.
    """
    last_in_range = [record for record in counted if record.enrolled_on < AS_OF]
    in_range = rng.sample(last_in_range, REPEATS_WITHIN_RANGE)
    taken = {record.participant_id for record in in_range}
    later = rng.sample([r for r in counted if r.participant_id not in taken], REPEATS_AFTER_AS_OF)
    after_days = date_range(AS_OF + dt.timedelta(days=1), END)

    repeats: list[Enrollment] = []
    plan = [(first, True) for first in in_range] + [(first, False) for first in later]
    for first, within_range in plan:
        if within_range:
            gap = rng.randint(1, (AS_OF - first.enrolled_on).days)
            day = first.enrolled_on + dt.timedelta(days=gap)
        else:
            day = rng.choice(after_days)
        code = first.district_code
        if rng.random() < REPEAT_OTHER_DISTRICT_SHARE:
            code = rng.choice([d.code for d in DISTRICTS if d.code != first.district_code])
        repeats.append(
            Enrollment(first.participant_id, code, day, commune(rng, code), payment_method(rng)),
        )
    return repeats


def build_records(rng: random.Random) -> list[Enrollment]:
    """Build all enrollment records, sorted by date (random order within a day).

    Args:
        rng: The seeded generator.

    Returns:
        The records in file order.
    """
    used: set[str] = set()
    counted_days = date_range(START, AS_OF)
    daily = allocate_counted(rng)
    counted = fresh_records(
        (
            ((code, day), count)
            for code in sorted(daily)
            for day, count in zip(counted_days, daily[code], strict=True)
        ),
        rng,
        used,
    )

    pre_launch = allocate_over_districts(
        PRE_LAUNCH_RECORDS,
        PRE_LAUNCH_DAYS,
        {district.code: float(district.target) for district in DISTRICTS},
        [1.0] * len(PRE_LAUNCH_DAYS),
        rng,
    )
    after_days = date_range(AS_OF + dt.timedelta(days=1), END)
    last_week = counted_days.index(LAST_WEEK_START)
    last_week_days = sum(day_weight(day) for day in counted_days[last_week:])
    pace = {code: sum(counts[last_week:]) / last_week_days for code, counts in daily.items()}
    slowdown = [1.0 - AFTER_AS_OF_DECAY * index for index in range(len(after_days))]
    after_as_of = allocate_over_districts(
        round_half_up(
            sum(pace.values())
            * sum(
                day_weight(day) * factor for day, factor in zip(after_days, slowdown, strict=True)
            ),
        ),
        after_days,
        pace,
        slowdown,
        rng,
    )
    records = (
        counted
        + fresh_records(sorted(pre_launch.items()), rng, used)
        + fresh_records(sorted(after_as_of.items()), rng, used)
        + repeat_records(counted, rng)
    )

    by_day: dict[dt.date, list[Enrollment]] = {}
    for record in records:
        by_day.setdefault(record.enrolled_on, []).append(record)
    ordered: list[Enrollment] = []
    for day in sorted(by_day):
        rng.shuffle(by_day[day])
        ordered.extend(by_day[day])
    return ordered


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def record_id(index: int) -> str:
    """Format the record id of the ``index``-th record (1-based).

    Args:
        index: Position in the file.

    Returns:
        The id, e.g. ``BG-2023-000001``.
    """
    return f"BG-2023-{index:06d}"


def campaign_toml() -> str:
    """Render ``campaign.toml``.

    Returns:
        The file text.
    """
    return (
        f'id = "{CAMPAIGN_ID}"\n'
        f'name = "{CAMPAIGN_NAME}"\n'
        f'scope = "{PROVINCE_CODE}"\n'
        f"start = {START.isoformat()}\n"
        f"end = {END.isoformat()}\n"
        "\n"
        "[[stock_goals]]\n"
        f'unit_code = "{PROVINCE_CODE}"\n'
        f"target = {STOCK_GOAL}\n"
        f'label = "{STOCK_GOAL_LABEL}"\n'
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


def render_files(records: Sequence[Enrollment]) -> dict[str, str]:
    """Render the four data files.

    Args:
        records: Enrollment records in file order.

    Returns:
        File text by file name.
    """
    districts = csv_text(
        ("code", "name", "kind", "province_code"),
        ((d.code, d.name, d.kind, PROVINCE_CODE) for d in DISTRICTS),
    )
    targets = csv_text(
        ("unit_code", "target", "measure"),
        [(d.code, str(d.target), "new") for d in DISTRICTS]
        + [(PROVINCE_CODE, str(sum(d.target for d in DISTRICTS)), "new")],
    )
    enrollments = csv_text(
        ENROLLMENT_HEADER,
        (
            (
                record_id(index),
                record.participant_id,
                record.district_code,
                record.enrolled_on.isoformat(),
                record.commune_code,
                record.payment_method,
            )
            for index, record in enumerate(records, start=1)
        ),
    )
    texts = {
        "campaign.toml": campaign_toml(),
        "districts.csv": districts,
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
        "start": START,
        "end": END,
        "stock_goals": [
            {"unit_code": PROVINCE_CODE, "target": STOCK_GOAL, "label": STOCK_GOAL_LABEL},
        ],
    }
    require(campaign == expected, f"campaign.toml: {campaign!r} != {expected!r}")


def check_districts_and_targets(out_dir: Path) -> dict[str, int]:
    """Check ``districts.csv`` and ``targets.csv`` (F1).

    Args:
        out_dir: Directory with the files.

    Returns:
        District targets by district code.
    """
    districts = read_csv(out_dir / "districts.csv", ("code", "name", "kind", "province_code"))
    names = {row["code"]: row["name"] for row in districts}
    require(names.get("221") == "Yên Dũng", "districts.csv: 221 is not Yên Dũng")
    require(names.get("220") == "Sơn Động", "districts.csv: 220 is not Sơn Động")
    require(names.get("223") == "Hiệp Hòa", "districts.csv: 223 is not Hiệp Hòa")
    require(len(names) == len(DISTRICTS), "districts.csv: duplicate codes")
    for row in districts:
        require(row["kind"] in {"thanh_pho", "thi_xa", "huyen", "quan"}, f"bad kind {row}")
        require(row["province_code"] == PROVINCE_CODE, f"bad province {row}")

    rows = read_csv(out_dir / "targets.csv", ("unit_code", "target", "measure"))
    require(all(row["measure"] == "new" for row in rows), "targets.csv: measure is not 'new'")
    targets = {row["unit_code"]: int(row["target"]) for row in rows}
    province = targets.pop(PROVINCE_CODE)
    require(len(rows) == len(names) + 1, "targets.csv: duplicate rows")
    require(set(targets) == set(names), "targets.csv: districts do not match districts.csv")
    require(province == PUBLISHED_PROVINCE_TARGET, f"F1: province target {province}")
    require(sum(targets.values()) == province, "F1: district targets do not sum up")
    for code, published in PUBLISHED_DISTRICT_TARGETS.items():
        require(targets[code] == published, f"F1: target of {code} is {targets[code]}")
    return targets


def check_record_format(rows: Sequence[Mapping[str, str]], codes: Iterable[str]) -> None:
    """Check ids, ordering and field formats of ``enrollments.csv``.

    Args:
        rows: The enrollment rows in file order.
        codes: Valid district codes.
    """
    valid_codes = set(codes)
    methods = {method for method, _ in PAYMENT_METHODS} | {""}
    keys = [(row["enrolled_on"], row["record_id"]) for row in rows]
    require(keys == sorted(keys), "enrollments.csv: not sorted by (enrolled_on, record_id)")
    for index, row in enumerate(rows, start=1):
        pid = row["participant_id"]
        require(row["record_id"] == record_id(index), f"record {index}: id {row['record_id']}")
        require(
            pid.isdigit() and pid.isascii() and len(pid) in {SI_NUMBER_LENGTH, CITIZEN_ID_LENGTH},
            f"bad participant id {pid}",
        )
        if len(pid) == CITIZEN_ID_LENGTH:
            require(pid[3] in "0123", f"bad sex/century digit in citizen id {pid}")
        require(row["district_code"] in valid_codes, f"bad district {row}")
        require(row["payment_method"] in methods, f"bad payment method {row}")
        require(
            row["commune_code"] in {"", *COMMUNES[row["district_code"]]},
            f"bad commune {row}",
        )
        require(
            dt.date.fromisoformat(row["enrolled_on"]).isoformat() == row["enrolled_on"],
            f"bad date {row}",
        )
    require(any(row["participant_id"].startswith("0") for row in rows), "no leading zeros")


def count_new(rows: Iterable[Mapping[str, str]]) -> dict[str, dict[dt.date, int]]:
    """Apply the counting rule: first record of a participant within ``START``..``AS_OF``.

    Args:
        rows: Enrollment rows.

    Returns:
        New participants per district and day of their first record.
    """
    in_range = sorted(
        (dt.date.fromisoformat(row["enrolled_on"]), row["record_id"], row)
        for row in rows
        if START.isoformat() <= row["enrolled_on"] <= AS_OF.isoformat()
    )
    seen: set[str] = set()
    counts: dict[str, dict[dt.date, int]] = {}
    for day, _, row in in_range:
        if row["participant_id"] in seen:
            continue
        seen.add(row["participant_id"])
        per_day = counts.setdefault(row["district_code"], {})
        per_day[day] = per_day.get(day, 0) + 1
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


def check_published(
    counts: Mapping[str, Mapping[dt.date, int]],
    targets: Mapping[str, int],
) -> None:
    """Check the published figures F2-F8 against the recomputed counts.

    Args:
        counts: New participants per district and day.
        targets: District targets.
    """
    totals = {code: sum(counts.get(code, {}).values()) for code in targets}
    total = sum(totals.values())
    require(total == PUBLISHED_TOTAL_NEW, f"F2: total {total}")
    rate = percent(total, sum(targets.values()))
    require(rate == PUBLISHED_RATE, f"F3: rate {rate}")
    last_week = sum(
        n for per_day in counts.values() for day, n in per_day.items() if day >= LAST_WEEK_START
    )
    require(last_week == PUBLISHED_LAST_WEEK_NEW, f"F4: last week {last_week}")

    league = sorted(totals.items(), key=lambda item: -item[1])
    require(tuple(league[:3]) == PUBLISHED_TOP_THREE, f"F5-F7: league {league[:4]}")
    require(league[3][1] < league[2][1], "F7: fourth district ties the third")

    over = {code for code in totals if totals[code] >= targets[code]}
    require(over == set(PUBLISHED_OVER_TARGET), f"F8: districts at or over target {sorted(over)}")
    for code, published in PUBLISHED_OVER_TARGET.items():
        achieved = percent(totals[code], targets[code])
        require(achieved == published, f"F8: {code} at {achieved}%")
    done = {code: completion_day(counts[code], targets[code]) for code in PUBLISHED_OVER_TARGET}
    require(done == COMPLETION_DAYS, f"F8: completion days {done}")
    require(
        done["220"] is not None and done["221"] is not None and done["220"] < done["221"],
        "F8: Sơn Động must complete before Yên Dũng",
    )


def check_shape(
    rows: Sequence[Mapping[str, str]],
    counts: Mapping[str, Mapping[dt.date, int]],
) -> None:
    """Check the realism rules: Sunday dips, the ramp, and the uncounted records.

    Args:
        rows: Enrollment rows.
        counts: New participants per district and day.
    """
    counted_per_day: dict[dt.date, int] = {}
    for per_day in counts.values():
        for day, n in per_day.items():
            counted_per_day[day] = counted_per_day.get(day, 0) + n
    all_per_day: dict[dt.date, int] = {}
    for row in rows:
        day = dt.date.fromisoformat(row["enrolled_on"])
        all_per_day[day] = all_per_day.get(day, 0) + 1
    one = dt.timedelta(days=1)
    for per_day in (counted_per_day, all_per_day):
        for day in per_day:
            if day.weekday() == SUNDAY and day - one in per_day and day + one in per_day:
                dip = per_day[day] < min(per_day[day - one], per_day[day + one])
                require(dip, f"no Sunday dip on {day}")

    before = sum(1 for row in rows if row["enrolled_on"] < START.isoformat())
    after = sum(1 for row in rows if row["enrolled_on"] > AS_OF.isoformat())
    in_range = len(rows) - before - after
    repeats = len(rows) - len({row["participant_id"] for row in rows})
    require(before == PRE_LAUNCH_RECORDS, f"{before} records before the start")
    require(in_range == PUBLISHED_TOTAL_NEW + REPEATS_WITHIN_RANGE, "unexpected repeats in range")
    require(repeats == REPEATS_WITHIN_RANGE + REPEATS_AFTER_AS_OF, f"{repeats} repeats")


def self_check(out_dir: Path) -> str:
    """Re-read the written files and verify every required figure.

    Args:
        out_dir: Directory with the files.

    Returns:
        A one-line summary.
    """
    check_campaign(out_dir)
    targets = check_districts_and_targets(out_dir)
    rows = read_csv(out_dir / "enrollments.csv", ENROLLMENT_HEADER)
    check_record_format(rows, targets)
    counts = count_new(rows)
    check_published(counts, targets)
    check_shape(rows, counts)
    total = sum(sum(per_day.values()) for per_day in counts.values())
    return (
        f"{len(rows)} records, {total} new participants as of {AS_OF.isoformat()} "
        f"({percent(total, sum(targets.values()))}% of {sum(targets.values())}): all checks passed"
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

    records = build_records(random.Random(SEED))
    write_files(out_dir, render_files(records))
    try:
        summary = self_check(out_dir)
    except CheckError as error:
        sys.stderr.write(f"self-check failed: {error}\n")
        return 1
    sys.stdout.write(summary + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
