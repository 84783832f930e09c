"""Choosing an engine, and counting a campaign folder (or bundle) with the one chosen."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final, Literal, TypeVar, get_args

import attrs

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign._files import irregular
from bhxh_campaign._layout import (
    ENROLLMENTS,
    ENROLLMENTS_PARQUET,
    enrollments_file_of,
    folder_settings,
)
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.counting import DailyCounts, NewParticipantPolicy, daily_counts
from bhxh_campaign.engines._arrow import daily_counts_arrow
from bhxh_campaign.engines._arrow_days import last_data_day_arrow
from bhxh_campaign.engines._common import COLUMNS, PYTHON_ONLY, engine_errors
from bhxh_campaign.engines._duckdb import daily_counts_duckdb, last_data_day_duckdb
from bhxh_campaign.engines._frame import daily_counts_frame, last_data_day_frame
from bhxh_campaign.errors import InvalidValueError, LoadError
from bhxh_campaign.io.loaders import load_enrollments, load_folder_records
from bhxh_campaign.model import Campaign, EnrollmentRecord

T = TypeVar("T")

__all__ = [
    "AUTO_THRESHOLD",
    "Engine",
    "auto_engine",
    "daily_counts_for",
    "last_data_day_for",
    "python_only_reason",
    "records_file",
]

Engine = Literal["python", "arrow", "duckdb", "polars", "auto"]
"""An engine that builds `DailyCounts`: ``auto`` picks one with `auto_engine`."""

AUTO_THRESHOLD = 1 << 20
"""Records files from this size (1 MiB, about 25,000 rows of CSV) go to a columnar engine:
below it, importing one costs more than it saves."""


def _installed(name: str) -> bool:
    """Whether a module can be imported, without importing it."""
    return importlib.util.find_spec(name) is not None


def records_file(folder: str | Path) -> Path:
    """The enrollment records of a campaign folder: its one file of `ENROLLMENT_FILES`.

    A path to a ``.csv`` or ``.parquet`` file is returned as it is.

    Raises:
        InvalidValueError: the folder has both files. The python engine reads the CSV and
            the columnar ones the Parquet, so the same report could count different records.
            Also a records file that is not a regular file (a FIFO, a device).

    Examples:
        >>> records_file("examples/bac_giang_2023").name
        'enrollments.csv'
    """
    path = Path(folder)
    if path.is_dir():
        parquet, csv_file = path / ENROLLMENTS_PARQUET, path / ENROLLMENTS
        if parquet.is_file() and csv_file.is_file():
            msg = (
                f"{str(path)!r} has both {ENROLLMENTS_PARQUET} and {ENROLLMENTS}:"
                " keep the one that holds the records"
            )
            raise InvalidValueError(msg)
        path = enrollments_file_of(path)
    reason = irregular(path)  # a FIFO would hang every engine, /dev/zero never ends
    if reason is not None:
        msg = f"{path}: {reason}"
        raise InvalidValueError(msg, field="path")
    return path


def auto_engine(
    source: str | Path | CampaignBundle,
) -> Literal["python", "arrow", "duckdb", "polars"]:
    """The engine ``auto`` uses for a campaign folder, a records file or a bundle.

    Records already in memory (a `CampaignBundle`) are counted in Python. A records file
    of at least `AUTO_THRESHOLD` bytes, or any Parquet file, goes to the arrow engine when
    pyarrow and numpy are installed, else to DuckDB, else to polars; anything else is
    counted in Python. A CSV file with ``recorded_on`` or ``cancelled_on`` goes to the
    arrow engine or to Python: only they count late and cancelled records.

    Raises:
        InvalidValueError: a Parquet file, and none of pyarrow, DuckDB and polars is
            installed.

    Examples:
        >>> auto_engine("examples/bac_giang_2023")  # 170 kB of CSV
        'python'
    """
    if isinstance(source, CampaignBundle):
        return "python"
    path = records_file(source)
    parquet = path.suffix.lower() == ".parquet"
    big = parquet or (path.is_file() and path.stat().st_size >= AUTO_THRESHOLD)
    big = big and python_only_reason(source) is None
    arrow = big and _installed("pyarrow") and _installed("numpy")
    if not parquet and _unsupported(path, "arrow" if arrow else "duckdb"):
        return "python"
    if arrow:
        return "arrow"
    if big and _installed("duckdb"):
        return "duckdb"
    if big and _installed("polars") and _installed("narwhals"):
        return "polars"
    if parquet:
        msg = f"reading {str(path)!r} needs DuckDB or polars: pip install 'bhxh-campaign[duckdb]'"
        raise InvalidValueError(msg)
    return "python"


def daily_counts_for(
    folder_or_bundle: str | Path | CampaignBundle,
    campaign: Campaign,
    *,
    engine: Engine = "auto",
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
    known_at: dt.date | None = None,
    policy: NewParticipantPolicy | None = None,
) -> DailyCounts:
    """`DailyCounts` of a campaign folder, a records file or a bundle, by the engine asked for.

    Every engine gives the same value (the rule of `bhxh_campaign.daily_counts`): the
    choice only changes how fast, and how much memory, counting takes.

    Args:
        folder_or_bundle: a campaign folder (its ``enrollments.parquet`` or
            ``enrollments.csv`` is read), a ``.csv``/``.parquet`` records file, or a loaded
            `CampaignBundle` (its records are in memory already: counted in Python).
        campaign: the campaign whose window is counted.
        engine: ``python``, ``arrow``, ``duckdb``, ``polars`` or ``auto`` (see
            `auto_engine`).
        as_of: the last day counted, inclusive; defaults to the campaign's last day.
        units: the campaign's district codes (see `bhxh_campaign.daily_counts`).
        progress: called with ``(bytes read, file size)`` while DuckDB reads the records
            (see `daily_counts_duckdb`); polars and a loaded bundle report none.
        known_at: count as known at the end of this day (see `bhxh_campaign.daily_counts`);
            only the python and arrow engines apply it.
        policy: who counts as new (see `NewParticipantPolicy`); python and arrow only.

    Raises:
        InvalidValueError: an unknown engine, a Python count of a bare records file (give
            its folder), ``known_at`` or a policy for DuckDB or polars, or any error of the
            engine's own function.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> units = [d.code for d in bundle.districts]
        >>> counts = daily_counts_for("examples/bac_giang_2023", bundle.campaign,
        ...                           engine="duckdb", as_of=dt.date(2023, 5, 18), units=units)
        >>> counts == bundle.counts(dt.date(2023, 5, 18))
        True
    """
    chosen = _chosen(folder_or_bundle, engine)
    if isinstance(folder_or_bundle, CampaignBundle):
        # The records are loaded already: a columnar engine would only copy them.
        records = folder_or_bundle.records
        return daily_counts(
            records, campaign, as_of=as_of, units=units, known_at=known_at, policy=policy
        )
    path = records_file(folder_or_bundle)
    if chosen == "arrow":
        return _run(
            chosen,
            path,
            lambda: daily_counts_arrow(
                path, campaign, as_of=as_of, units=units, known_at=known_at, policy=policy
            ),
        )
    _refuse_rule(chosen, known_at, policy)
    if chosen == "duckdb":
        return _run(
            chosen,
            path,
            lambda: daily_counts_duckdb(
                path, campaign, as_of=as_of, units=units, progress=progress
            ),
        )
    if chosen == "polars":
        return _run(
            chosen,
            path,
            lambda: daily_counts_frame(_read(path), campaign, as_of=as_of, units=units),
        )
    records = _python_records(folder_or_bundle, campaign)
    return daily_counts(
        records, campaign, as_of=as_of, units=units, known_at=known_at, policy=policy
    )


def _refuse_rule(
    chosen: str, known_at: dt.date | None, policy: NewParticipantPolicy | None
) -> None:
    """Refuse ``known_at`` or a policy for an engine that does not apply them."""
    if chosen in {"duckdb", "polars"} and (
        known_at is not None or (policy is not None and not policy.is_default)
    ):
        msg = (
            f"engine {chosen!r} counts every record known by the default rule: use arrow or python"
        )
        raise InvalidValueError(msg)


def last_data_day_for(
    folder_or_bundle: str | Path | CampaignBundle,
    campaign: Campaign,
    *,
    engine: Engine = "auto",
    progress: ProgressCallback | None = None,
    known_at: dt.date | None = None,
) -> dt.date | None:
    """The last day within the campaign that has a record, or None: the report's default day.

    The same day as `CampaignBundle.last_data_day`, found by the engine asked for, so that
    a report with no ``as_of`` need not load the records.

    ``progress`` is called as by `daily_counts_for`; with ``known_at`` (python and arrow
    engines only), only records known and not cancelled by the end of that day count.

    Raises:
        InvalidValueError: as `daily_counts_for`.

    Examples:
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> last_data_day_for("examples/bac_giang_2023", bundle.campaign, engine="duckdb")
        datetime.date(2023, 5, 31)
    """
    chosen = _chosen(folder_or_bundle, engine)
    if isinstance(folder_or_bundle, CampaignBundle):
        return folder_or_bundle.last_data_day(known_at)
    path = records_file(folder_or_bundle)
    if chosen == "arrow":
        return _run(chosen, path, lambda: last_data_day_arrow(path, campaign, known_at=known_at))
    _refuse_rule(chosen, known_at, None)
    if chosen == "duckdb":
        if not path.is_file():
            msg = f"no such file: {str(path)!r}"
            raise InvalidValueError(msg)
        return _run(chosen, path, lambda: last_data_day_duckdb(path, campaign, progress=progress))
    if chosen == "polars":
        return _run(chosen, path, lambda: last_data_day_frame(_read(path), campaign))
    records = _python_records(folder_or_bundle, campaign)
    return CampaignBundle(
        campaign=campaign, districts=(), targets=(), records=records
    ).last_data_day(known_at)


def _chosen(source: str | Path | CampaignBundle, engine: Engine) -> str:
    """The engine to use: ``engine``, or `auto_engine`'s pick for ``auto``."""
    if engine not in get_args(Engine):
        msg = f"engine must be one of {', '.join(get_args(Engine))}, got {engine!r}"
        raise InvalidValueError(msg)
    chosen = auto_engine(source) if engine == "auto" else engine
    if isinstance(source, CampaignBundle) or chosen == "python":
        pass
    elif python_only_reason(source) is not None:
        return "python"  # an office export: only the Python loader reads it exactly
    needs = {
        "arrow": ("pyarrow", "numpy"),
        "duckdb": ("duckdb",),
        "polars": ("polars", "narwhals"),
    }.get(chosen, ())
    missing = [name for name in needs if not _installed(name)]
    if missing:
        msg = (
            f"engine {chosen!r} needs {' and '.join(missing)}:"
            f" pip install 'bhxh-campaign[{chosen}]'"
        )
        raise InvalidValueError(msg)
    return chosen


def _header(path: Path) -> list[str] | None:
    """The column names of a CSV file, or None when they cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return [name.strip() for name in next(csv.reader(file), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _unsupported(path: Path, engine: str) -> str | None:
    """Why a columnar engine cannot count this CSV file faithfully, or None if it can."""
    header = _header(path)
    if header is None:
        return None
    if PYTHON_ONLY & set(header) and engine != "arrow":
        found = ", ".join(sorted(PYTHON_ONLY & set(header)))
        return f"it has {found} (cancellations and late records)"
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return f"it lacks the columns {', '.join(missing)} (header aliases need the python engine)"
    return None


def _run(chosen: str, path: Path, count: Callable[[], T]) -> T:
    """Run a columnar engine, turning its own exceptions into ours without the row's text.

    DuckDB's and polars' messages quote the offending line, participant id included.
    """
    if chosen != "python" and path.suffix.lower() != ".parquet":
        reason = _unsupported(path, chosen)
        if reason:
            msg = f"engine {chosen!r} cannot count {path.name!r}: {reason}; use --engine python"
            raise InvalidValueError(msg)
    with engine_errors(f"engine {chosen!r}", repr(path.name)):
        return count()


def _python_records(folder: str | Path, campaign: Campaign) -> tuple[EnrollmentRecord, ...]:
    """The records of a folder's records file, read as `load_campaign` reads them.

    A bare records file is refused (the python engine reads campaign folders), unless
    only the Python loader reads it exactly (`python_only_reason`).
    """
    if not Path(folder).is_dir():
        if python_only_reason(folder) is not None:
            return load_enrollments(Path(folder), strict=True).records
        msg = f"the python engine reads campaign folders, not {str(folder)!r}: give its folder"
        raise InvalidValueError(msg)
    return load_folder_records(folder, level=campaign.level).records


def _read(path: Path) -> object:
    """A polars DataFrame of the four counted columns of a records file, read as text.

    Read once, eagerly: counting asks two questions of the rows (the tallies and the
    first records), and a lazy scan would parse the file for each.
    """
    import polars as pl  # noqa: PLC0415 - optional dependency, imported only when used

    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path, columns=list(COLUMNS))
    if not path.is_file():
        msg = f"no such file: {str(path)!r}"
        raise InvalidValueError(msg)
    return pl.read_csv(path, columns=list(COLUMNS), infer_schema=False)


# Inputs that the Python loader reads and the columnar engines would not read the same way
# (office exports: day-first dates, title rows, aliases, unused columns, Vietnamese payment
# methods, another encoding, a workbook): every engine sends them to the exact Python path.

_FIELDS: Final = frozenset(a.name for a in attrs.fields(EnrollmentRecord))
# The tail of a day-first date, "/5/2023", ".5.2023" or "-5-2023" (ISO never ends so):
# each pattern starts with a literal, which the regex engine finds at C speed.
_DAY_FIRST: Final = tuple(
    (sep, re.compile(re.escape(sep) + rb"[0-9]{1,2}" + re.escape(sep) + rb"[0-9]{4}(?![0-9])"))
    for sep in (b"/", b".")
)
_DAY_FIRST_DASHED: Final = re.compile(rb"-[0-9]{4}(?![0-9-])")
_CHUNK: Final = 1 << 24
_OVERLAP: Final = 16  # longer than any pattern, so none is missed across two chunks


def python_only_reason(source: str | Path) -> str | None:
    """Why only the Python loader reads a campaign folder's records exactly, or None.

    The columnar engines read a CSV (or Parquet) file of canonical columns and ISO dates.
    The Python loader also reads office exports: day-first dates, title rows above the
    header, header aliases and unused columns, Vietnamese payment methods, an encoding
    or ``[columns]`` set in ``campaign.toml``, a workbook or JSON. Such input is counted
    in Python whatever the engine asked for, so no engine counts it differently.

    Examples:
        >>> python_only_reason("examples/bac_giang_2023") is None
        True
    """
    path = Path(source)
    if path.is_dir():
        try:
            settings = folder_settings(path)  # the load reports a bad one
            path = enrollments_file_of(path)
        except LoadError:
            return None  # the load reports it
        if settings.python_only:
            return "campaign.toml sets an encoding or [columns]"
    return _file_reason(path)


def _file_reason(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".parquet" or not path.is_file():
        return None
    if suffix != ".csv":
        return f"{path.name} is not a CSV or Parquet file"
    header = _header(path)
    if header is None:
        return "its header is not UTF-8 CSV"
    if not set(header) <= _FIELDS:
        return "its header has title rows, aliases or unused columns"
    return _scan(path, payment="payment_method" in header)


def _scan(path: Path, *, payment: bool) -> str | None:
    """Day-first dates or Vietnamese payment methods in a file: one pass over its bytes.

    Only cheap scans at C speed (``in``, ``isascii``, a regex with a literal prefix);
    a false alarm only sends the file to the (exact) Python path.
    """
    tail = b""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            data, tail = tail + chunk, chunk[-_OVERLAP:]
            if any(sep in data and pattern.search(data) for sep, pattern in _DAY_FIRST) or (
                _DAY_FIRST_DASHED.search(data)
            ):
                return "it has day-first dates"
            # The payment codes are ASCII words without spaces; what an office writes
            # ("Hằng tháng", "3 thang", "Mot lan") has a space or a diacritic.
            if payment and (b" " in data or not data.isascii()):
                return "it has payment methods in Vietnamese"
    return None
