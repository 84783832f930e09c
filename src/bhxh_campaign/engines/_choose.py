"""Choosing an engine, and counting a campaign folder (or bundle) with the one chosen."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign._files import irregular
from bhxh_campaign._layout import (
    ENROLLMENTS,
    ENROLLMENTS_PARQUET,
    enrollments_file_of,
)
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.counting import DailyCounts, NewParticipantPolicy, daily_counts
from bhxh_campaign.engines._ahead import AUTO_THRESHOLD, ReadAhead
from bhxh_campaign.engines._arrow import plain_counts_arrow
from bhxh_campaign.engines._arrow_days import last_data_day_arrow
from bhxh_campaign.engines._common import (
    COLUMNS,
    PYTHON_ONLY,
    engine_errors,
    exact_counts,
    exact_records,
    file_columns,
    plain_columns,
)
from bhxh_campaign.engines._duckdb import daily_counts_duckdb, last_data_day_duckdb
from bhxh_campaign.engines._frame import daily_counts_frame, last_data_day_frame
from bhxh_campaign.engines._office import csv_header, python_only_reason, settings_reason
from bhxh_campaign.engines._plain import polars_plain, rows_complete
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.model import Campaign

T = TypeVar("T")

__all__ = [
    "AUTO_THRESHOLD",
    "Engine",
    "auto_engine",
    "daily_counts_for",
    "last_data_day_for",
    "records_file",
]

Engine = Literal["python", "arrow", "duckdb", "polars", "auto"]
"""An engine that builds `DailyCounts`: ``auto`` picks one with `auto_engine`."""


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
    big = big and settings_reason(source) is None
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
    skip_bad_rows: bool = False,
    ahead: ReadAhead | None = None,
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
        skip_bad_rows: count the valid rows of a file and tally each rejected row as a
            ``rejected:<code>`` exclusion, instead of raising at the first bad row; the
            file is then read by the folder loader, whatever the engine.
        ahead: the records file's `ReadAhead` (`read_ahead`), started while the caller
            loaded the plan; only the arrow engine takes it (and closes it when its
            count ends). The caller closes it too: closing twice is harmless.

    Every engine makes the same decision on the same file: a file a columnar engine
    cannot judge cheaply (a column it does not read as written, a cell that is not
    plainly valid, a repeated record id, anything its library cannot parse) is counted
    by the folder loader and `bhxh_campaign.daily_counts`, which name a bad row.

    Raises:
        InvalidValueError: an unknown engine, a Python count of a bare records file (give
            its folder), ``known_at`` or a policy for DuckDB or polars, or any error of the
            engine's own function.
        LoadError: a bad row (without ``skip_bad_rows``), naming the file, line and field.

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
    unit_list = None if units is None else list(units)
    _refuse_rule(chosen, known_at, policy)

    def exact() -> DailyCounts:
        return exact_counts(
            _exact_source(folder_or_bundle, path),
            campaign,
            as_of=as_of,
            units=unit_list,
            known_at=known_at,
            policy=policy,
            skip_bad_rows=skip_bad_rows,
        )

    if chosen == "python" or skip_bad_rows:
        if chosen == "python":
            _refuse_bare(folder_or_bundle)
        return exact()
    counters: dict[str, Callable[[], DailyCounts]] = {
        "arrow": lambda: _plain_or_refuse(
            plain_counts_arrow(
                path,
                campaign,
                as_of=as_of,
                units=unit_list,
                known_at=known_at,
                policy=policy,
                ahead=ahead,
            ),
            path,
        ),
        "duckdb": lambda: daily_counts_duckdb(
            path, campaign, as_of=as_of, units=unit_list, progress=progress
        ),
        "polars": lambda: _polars_counts(path, campaign, as_of, unit_list),
    }
    return _run(chosen, path, counters[chosen], exact)


def _plain_or_refuse(counts: DailyCounts | None, path: Path) -> DailyCounts:
    """The arrow engine's count, or an error that sends the file to `_run`'s exact path.

    That is the folder loader, with the folder's settings, without DuckDB reading it again.
    """
    if counts is None:
        msg = f"{path.name!r} is not plain"
        raise InvalidValueError(msg)
    return counts


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
    skip_bad_rows: bool = False,
) -> dt.date | None:
    """The last day within the campaign that has a record, or None: the report's default day.

    The same day as `CampaignBundle.last_data_day`, found by the engine asked for, so that
    a report with no ``as_of`` need not load the records.

    ``progress`` and ``skip_bad_rows`` are as for `daily_counts_for`; with ``known_at``
    (python and arrow engines only), only records known and not cancelled by the end of
    that day count. A file an engine cannot judge cheaply is read by the folder loader.

    Raises:
        InvalidValueError: as `daily_counts_for`.
        LoadError: as `daily_counts_for`.

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
    _refuse_rule(chosen, known_at, None)

    def exact() -> dt.date | None:
        source = _exact_source(folder_or_bundle, path)
        records, _ = exact_records(source, campaign, skip_bad_rows=skip_bad_rows)
        bundle = CampaignBundle(campaign=campaign, districts=(), targets=(), records=records)
        return bundle.last_data_day(known_at)

    if chosen == "python" or skip_bad_rows:
        if chosen == "python":
            _refuse_bare(folder_or_bundle)
        return exact()
    finders: dict[str, Callable[[], dt.date | None]] = {
        "arrow": lambda: last_data_day_arrow(path, campaign, known_at=known_at),
        "duckdb": lambda: last_data_day_duckdb(path, campaign, progress=progress),
        "polars": lambda: _polars_last_day(path, campaign),
    }
    return _run(chosen, path, finders[chosen], exact)


def _chosen(source: str | Path | CampaignBundle, engine: Engine) -> str:
    """The engine to use: ``engine``, or `auto_engine`'s pick for ``auto``."""
    if engine not in get_args(Engine):
        msg = f"engine must be one of {', '.join(get_args(Engine))}, got {engine!r}"
        raise InvalidValueError(msg)
    chosen = auto_engine(source) if engine == "auto" else engine
    if isinstance(source, CampaignBundle) or chosen == "python":
        pass
    elif settings_reason(source) is not None:
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


def _unsupported(path: Path, engine: str) -> str | None:
    """Why a columnar engine cannot count this CSV file faithfully, or None if it can."""
    header = csv_header(path)
    if header is None:
        return None
    if PYTHON_ONLY & set(header) and engine != "arrow":
        found = ", ".join(sorted(PYTHON_ONLY & set(header)))
        return f"it has {found} (cancellations and late records)"
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return f"it lacks the columns {', '.join(missing)} (header aliases need the python engine)"
    return None


def _run(chosen: str, path: Path, count: Callable[[], T], exact: Callable[[], T]) -> T:
    """Run a columnar engine on a file it reads as written, else the exact path.

    A file whose columns are not the plain ones (an alias, padding, an unknown column,
    ``cancelled_on`` for an engine without the as-known-on rule), or that the engine
    fails on, is counted by ``exact``, which names the bad row or counts as the folder
    loader does. The engines' own messages, which quote the offending line, participant
    id included, are never passed on.
    """
    if not path.is_file():
        msg = f"no such file: {str(path)!r}"
        raise InvalidValueError(msg)
    columns = file_columns(path)
    if columns is None or not plain_columns(columns, rule_columns=chosen == "arrow"):
        return exact()
    try:
        with engine_errors(f"engine {chosen!r}", repr(path.name)):
            return count()
    except InvalidValueError:
        pass  # the engine could not judge the file: the exact path decides
    return exact()  # outside the handler: the loader's error has no engine context


def _polars_counts(
    path: Path, campaign: Campaign, as_of: dt.date | None, units: list[str] | None
) -> DailyCounts:
    """Polars' count of a file, or the exact path's when any cell is not plainly valid."""
    frame = _read(path)
    if not _plain_frame(path, frame):
        return exact_counts(path, campaign, as_of=as_of, units=units)
    return daily_counts_frame(frame, campaign, as_of=as_of, units=units)


def _plain_frame(path: Path, frame: Any) -> bool:
    """Whether polars read the file as the loader would.

    Empty optional cells are allowed only when no row is short: polars pads a short row
    with the same nulls.
    """
    if polars_plain(frame):
        return True
    return rows_complete(path, frame.width) and polars_plain(frame, empty_optional=True)


def _polars_last_day(path: Path, campaign: Campaign) -> dt.date | None:
    """Polars' last data day of a file whose cells are all plain."""
    frame = _read(path)
    if not _plain_frame(path, frame):
        msg = f"{path.name!r} is not plain"
        raise InvalidValueError(msg)  # `_run` sends the file to the exact path
    return last_data_day_frame(frame, campaign)


def _refuse_bare(source: str | Path) -> None:
    """Refuse a bare records file: the python engine reads campaign folders.

    An office export (`python_only_reason`) is read whatever its form.
    """
    if not Path(source).is_dir() and python_only_reason(source) is None:
        msg = f"the python engine reads campaign folders, not {str(source)!r}: give its folder"
        raise InvalidValueError(msg)


def _exact_source(source: str | Path | CampaignBundle, path: Path) -> Path:
    """What the exact path reads: a folder (with its settings), else the records file."""
    return Path(source) if isinstance(source, (str, Path)) and Path(source).is_dir() else path


def _read(path: Path) -> Any:
    """A polars DataFrame of a records file (its columns are the plain ones), CSV as text.

    Read once, eagerly: counting asks two questions of the rows (the tallies and the
    first records), and a lazy scan would parse the file for each.
    """
    import polars as pl  # noqa: PLC0415 - optional dependency, imported only when used

    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path)
    if not path.is_file():
        msg = f"no such file: {str(path)!r}"
        raise InvalidValueError(msg)
    return pl.read_csv(path, infer_schema=False)
