"""What every engine shares: the counting window, and turning a small result into `DailyCounts`."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import attrs

from bhxh_campaign._validators import check_date
from bhxh_campaign.counting import DailyCounts, Exclusion, NewParticipantPolicy, daily_counts
from bhxh_campaign.errors import CampaignError, InvalidValueError, LoadError
from bhxh_campaign.levels import UnitLevel, any_unit_pattern
from bhxh_campaign.model import Campaign, EnrollmentRecord, PaymentMethod

COLUMNS = ("record_id", "participant_id", "district_code", "enrolled_on")
"""The only columns counting reads."""

PYTHON_ONLY = frozenset({"cancelled_on", "recorded_on"})
"""Columns only the python engine understands: the columnar engines, which read `COLUMNS`
alone, would count a cancelled or late record as a plain one."""

# Reason codes computed inside the engines; 0 is a candidate, -1 a malformed row.
INVALID = -1
CANDIDATE = 0
REASONS: Mapping[int, Exclusion] = {
    1: Exclusion.BEFORE_START,
    2: Exclusion.AFTER_END,
    3: Exclusion.AFTER_AS_OF,
    4: Exclusion.UNKNOWN_DISTRICT,
}

PARTICIPANT_PATTERN = "^[0-9]{10}(?:[0-9]{2})?$"
UNIT_PATTERN = f"^{any_unit_pattern()}$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


_LENGTHS = " or ".join(str(level.code_length) for level in UnitLevel)


def level_pattern(campaign: Campaign) -> str:
    """The anchored pattern of the campaign's unit codes: another level's code is unknown."""
    return f"^{campaign.level.pattern}$"


def last_day(campaign: Campaign, as_of: dt.date | None) -> dt.date:
    """The last day counted, exactly as `daily_counts` decides it.

    Raises:
        InvalidValueError: ``as_of`` is before the campaign starts.
    """
    last = campaign.end if as_of is None else check_date("as_of", as_of)
    if last < campaign.start:
        msg = f"as_of {last.isoformat()} is before the campaign starts on {campaign.start}"
        raise InvalidValueError(msg)
    return min(last, campaign.end)


def as_day(value: object) -> dt.date:
    """A calendar day from what an engine returns (a date, a datetime or a pandas Timestamp)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    msg = f"an engine returned {value!r} where a day was expected"
    raise TypeError(msg)


def refuse_python_only(columns: Iterable[str], source: str) -> None:
    """Refuse input that has cancellations or late records, which only `daily_counts` counts.

    Raises:
        InvalidValueError: a column of `PYTHON_ONLY` is among ``columns``.
    """
    found = sorted(PYTHON_ONLY & {str(name).strip() for name in columns})
    if found:
        msg = (
            f"{source} has {', '.join(found)} (cancellations and late records), which only"
            " the python engine counts: load the records with load_campaign or"
            " load_enrollments, or use --engine python on a CSV file"
        )
        raise InvalidValueError(msg)


@contextmanager
def engine_errors(engine: str, source: str) -> Iterator[None]:
    """Turn an engine library's own exception into `InvalidValueError`, without its text.

    DuckDB's and polars' messages quote the offending line, participant id included, so
    the message names only the exception's type, and the original is not chained. A
    mistake in the code (`NameError`, `AttributeError`, `AssertionError`) is not a file
    the engine could not read: it passes, so that a broken fast path fails loudly instead
    of sending every file, slowly, to the exact path.

    Raises:
        InvalidValueError: the engine raised anything but a `CampaignError` or a mistake in
            the code (which pass).

    Examples:
        >>> with engine_errors("DuckDB", "'x.csv'"):
        ...     raise RuntimeError("line 3: 0123456789 ...")
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.InvalidValueError: DuckDB could not read 'x.csv' (RuntimeError); \
the python engine (load_campaign, or --engine python) names the bad row and field
        >>> with engine_errors("DuckDB", "'x.csv'"):
        ...     undefined_name
        Traceback (most recent call last):
        ...
        NameError: name 'undefined_name' is not defined
    """
    try:
        yield
    except (CampaignError, NameError, AttributeError, AssertionError):
        raise
    except Exception as error:  # noqa: BLE001 - any engine failure becomes one clear error
        msg = (
            f"{engine} could not read {source} ({type(error).__name__}); the python engine"
            " (load_campaign, or --engine python) names the bad row and field"
        )
        raise InvalidValueError(msg) from None


def check_no_invalid(invalid: int, source: str) -> None:
    """Refuse input with malformed rows, as the folder loader would.

    Raises:
        InvalidValueError: some rows are malformed.
    """
    if invalid:
        msg = (
            f"{source} has {invalid} row(s) with an empty record_id, a participant_id that is"
            f" not 10 or 12 digits, a district_code that is not a unit code ({_LENGTHS}"
            " digits), or an enrolled_on"
            " that is not an ISO date (YYYY-MM-DD); load_campaign names each one"
        )
        raise InvalidValueError(msg)


def build_counts(
    campaign: Campaign,
    last: dt.date,
    units: Iterable[str] | None,
    cells: Iterable[tuple[str, object, int]],
    tallies: Mapping[int, int],
) -> DailyCounts:
    """`DailyCounts` from per-(unit, day) counts of first records and per-reason tallies.

    Args:
        campaign: the campaign counted.
        last: the last day counted.
        units: the campaign's units, or None.
        cells: ``(unit, day, new participants)`` for each non-empty cell.
        tallies: records per reason code (see `REASONS`); ``tallies[CANDIDATE]`` counts
            the records that passed every check but the repeat check.
    """
    width = (last - campaign.start).days + 1
    rows: dict[str, list[int]] = {}
    for unit, day, n in cells:
        rows.setdefault(unit, [0] * width)[(as_day(day) - campaign.start).days] += int(n)
    return counts_from_rows(campaign, last, units, rows, tallies)


def counts_from_rows(
    campaign: Campaign,
    last: dt.date,
    units: Iterable[str] | None,
    rows: Mapping[str, list[int]],
    tallies: Mapping[int, int],
) -> DailyCounts:
    """`build_counts` from whole rows: each unit's new participants, one per day to ``last``.

    A unit of ``units`` without a row gets a row of zeros.
    """
    width = (last - campaign.start).days + 1
    grid = {unit: [0] * width for unit in units or ()}
    grid.update(rows)
    counted = sum(sum(row) for row in rows.values())
    excluded = {reason.value: int(tallies.get(code, 0)) for code, reason in REASONS.items()}
    excluded[Exclusion.REPEAT_PARTICIPANT.value] = tallies.get(CANDIDATE, 0) - counted
    return DailyCounts(start=campaign.start, end=last, grid=grid, exclusions=excluded)


# -- The exact path ------------------------------------------------------------------
# Every engine counts a file with its fast path only when every cell is plainly valid
# (`PLAIN_COLUMNS` and the patterns below); anything else goes to `exact_counts`, the
# folder loader and `daily_counts`, so an engine never counts a file differently.

OPTIONAL_PLAIN = ("commune_code", "payment_method")
"""Optional columns a fast path checks itself (any other column sends a file to the exact
path)."""

PLAIN_COLUMNS = frozenset((*COLUMNS, *OPTIONAL_PLAIN))
"""The column names a fast path reads as written: no alias, no padding."""

PLAIN_RECORD_ID = '[!"$-&(-~][!-~]*'
"""A record id that needs no stripping, NFC or formula check: printable ASCII without
space, not starting with ``#`` (a spreadsheet error) or ``'`` (a neutralised formula)."""

PLAIN_PAYMENTS = tuple(method.value for method in PaymentMethod)
"""``payment_method`` values written exactly as the enum's values."""

REJECTED_PREFIX = "rejected:"
"""An exclusion reason for rows the loader rejected, followed by the error code
(``rejected:bad_date``): `exact_counts` with ``skip_bad_rows`` tallies them so."""


def plain_columns(columns: Iterable[str], *, rule_columns: bool = False) -> bool:
    """Whether a file's columns are all read as written by a fast path.

    With ``rule_columns`` (an engine that applies the as-known-on rule, arrow), the
    columns of `PYTHON_ONLY` are read as written too.

    Examples:
        >>> plain_columns(["record_id", "participant_id", "district_code", "enrolled_on"])
        True
        >>> plain_columns([*COLUMNS, "cancelled_on"]), plain_columns([*COLUMNS, " x"])
        (False, False)
        >>> plain_columns([*COLUMNS, "cancelled_on"], rule_columns=True)
        True
    """
    names = list(columns)
    allowed = PLAIN_COLUMNS | PYTHON_ONLY if rule_columns else PLAIN_COLUMNS
    return set(names) <= allowed and set(COLUMNS) <= set(names) and len(set(names)) == len(names)


def file_columns(path: Path) -> list[str] | None:
    """The column names of a records file as written, or None when they cannot be read.

    A Parquet file's from its schema (``[]`` without pyarrow: the engine checks them
    itself); any other file's from its first CSV line, UTF-8 with or without a BOM.

    Examples:
        >>> file_columns(Path("examples/bac_giang_2023/enrollments.csv"))[:2]
        ['record_id', 'participant_id']
    """
    if path.suffix.lower() != ".parquet":
        try:
            with path.open(encoding="utf-8-sig", newline="") as file:
                return next(csv.reader(file), [])
        except (OSError, UnicodeDecodeError, csv.Error):
            return None
    if importlib.util.find_spec("pyarrow") is None:
        return []
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        return list(pq.read_schema(path).names)
    except Exception:  # noqa: BLE001 - an unreadable file is the exact path's to refuse
        return None


def with_rejected(counts: DailyCounts, codes: Iterable[str]) -> DailyCounts:
    """The counts with each rejected row tallied as ``rejected:<code>``: none dropped silently.

    Examples:
        >>> import datetime as dt
        >>> empty = DailyCounts(start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 1), grid=())
        >>> with_rejected(empty, ["bad_date", "bad_date", "nul_byte"]).excluded
        {'rejected:bad_date': 2, 'rejected:nul_byte': 1}
    """
    tally = counts.excluded
    added = False
    for code in codes:
        key = f"{REJECTED_PREFIX}{code}"
        tally[key] = tally.get(key, 0) + 1
        added = True
    return attrs.evolve(counts, exclusions=tally) if added else counts


def exact_records(
    source: Path, campaign: Campaign, *, skip_bad_rows: bool = False
) -> tuple[tuple[EnrollmentRecord, ...], tuple[str, ...]]:
    """The records of a folder or file read by the folder loader, and its rejected codes.

    A campaign folder is read as ``load_campaign`` reads it (its records file, with the
    ``encoding`` and ``[columns]`` of its ``campaign.toml``); a CSV file as the folder
    reads ``enrollments.csv``; a Parquet file through pyarrow (or polars) as a dataframe,
    its errors still naming the file. The first bad row raises, unless ``skip_bad_rows``
    (then its code is returned); a problem with the whole file (a bad header) always
    raises.

    Raises:
        LoadError: a bad row (without ``skip_bad_rows``), or a problem with the file.
    """
    from bhxh_campaign.io.loaders import (  # noqa: PLC0415 - io is an edge
        load_enrollments,
        load_folder_records,
    )

    if source.is_dir():
        report = load_folder_records(source, level=campaign.level, strict=not skip_bad_rows)
        path = source
    else:
        path = source
        data: object = _parquet_frame(path) if path.suffix.lower() == ".parquet" else path
        try:
            report = load_enrollments(data, strict=not skip_bad_rows, level=campaign.level)
        except LoadError as error:
            if data is path:
                raise
            message = str(error).split(": ", 1)[-1]
            raise LoadError(
                message, path=str(path), line=error.line, field=error.field, code=error.code
            ) from None
    if report.problems:  # a problem with the whole file: none of its rows can be trusted
        raise report.problems[0].error(str(path))
    return tuple(report.records), tuple(row.code for row in report.rejected)


def exact_counts(
    source: Path,
    campaign: Campaign,
    *,
    as_of: dt.date | None,
    units: Iterable[str] | None,
    known_at: dt.date | None = None,
    policy: NewParticipantPolicy | None = None,
    skip_bad_rows: bool = False,
) -> DailyCounts:
    """`daily_counts` of a folder or records file read by the folder loader: the reference.

    With ``skip_bad_rows`` the rejected rows are tallied as ``rejected:<code>``
    exclusions (`with_rejected`) instead of raising.

    Raises:
        LoadError: as `exact_records`.
    """
    records, rejected = exact_records(source, campaign, skip_bad_rows=skip_bad_rows)
    counts = daily_counts(
        records, campaign, as_of=as_of, units=units, known_at=known_at, policy=policy
    )
    return with_rejected(counts, rejected)


def _parquet_frame(path: Path) -> object:
    """A Parquet file as a pyarrow table (or a polars frame without pyarrow)."""
    if importlib.util.find_spec("pyarrow") is not None:
        import pyarrow.parquet as pq  # noqa: PLC0415

        with engine_errors("pyarrow", repr(path.name)):
            return pq.read_table(path)
    import polars as pl  # noqa: PLC0415 - optional dependency, imported only when used

    with engine_errors("polars", repr(path.name)):
        return pl.read_parquet(path)
