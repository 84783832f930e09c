"""Counting pushed down to DuckDB: CSV or Parquet files, or a DuckDB relation."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.engines._common import (
    PLAIN_PAYMENTS,
    PLAIN_RECORD_ID,
    as_day,
    build_counts,
    check_no_invalid,
    engine_errors,
    exact_counts,
    last_day,
    plain_columns,
    refuse_python_only,
)
from bhxh_campaign.engines._plain import all_lines_read
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.levels import UnitLevel, any_unit_pattern
from bhxh_campaign.model import Campaign

__all__ = ["daily_counts_duckdb", "last_data_day_duckdb"]

_POLL_SECONDS = 0.1

# What `str.strip` removes (every character `str.isspace` accepts), in RE2's syntax.
_SPACE = r"[\t-\r\x{1c}-\x{1f}\x{85}\p{Z}]"


def _strip(column: str) -> str:
    """SQL for the column as text without surrounding white space, as `str.strip` leaves it."""
    return f"regexp_replace(CAST({column} AS VARCHAR), '^{_SPACE}+|{_SPACE}+$', '', 'g')"


# The exact query. One scan classifies every row (the checks in `daily_counts`' order, -1
# for a malformed row) after stripping and normalising each cell as the loader does; two
# aggregations read it (DuckDB materialises the CTE for them): one by reason (the
# tallies), one by candidate participant over the candidates only (each one's first
# record by (day, record_id, district)); the first records are then counted by district
# and day. Two plain aggregations cost about 12% less CPU per million rows than one
# aggregation with two grouping sets, which fed every row through the per-participant
# hash table.
_QUERY = """
WITH typed AS (
    SELECT
        nfc_normalize({rid}) AS rid,
        {pid} AS pid,
        {unit} AS unit,
        {day} AS day
    FROM {source}
), classified AS (
    SELECT pid, rid, unit, day,
        CASE
            WHEN day IS NULL OR coalesce(rid, '') = ''
                OR NOT coalesce(regexp_full_match(pid, '[0-9]{10}(?:[0-9]{2})?'), false)
                OR NOT coalesce(regexp_full_match(unit, '$any_unit'), false)
                THEN -1
            WHEN day < $start THEN 1
            WHEN day > $end THEN 2
            WHEN day > $last THEN 3
            WHEN $unit_filter THEN 4
            ELSE 0
        END AS reason
    FROM typed
), tallies AS (
    SELECT reason, count(*) AS n FROM classified GROUP BY reason
), firsts AS (
    -- Each candidate participant's first record, as the peer's query finds it.
    SELECT arg_min(unit, (day, rid, unit)) AS first_unit, min(day) AS first_day
    FROM classified WHERE reason = 0 GROUP BY pid
)
SELECT reason, NULL AS unit, NULL AS day, n FROM tallies
UNION ALL
SELECT NULL, first_unit, first_day, count(*) FROM firsts GROUP BY first_unit, first_day
"""

# The fast path, for clean input: every cell already in the form the loader would give
# it (no surrounding space; record ids of printable ASCII, which NFC leaves alone), so no
# trimming, and days compared as YYYY-MM-DD text. One scan feeds two aggregations: per
# day text (at most a few hundred groups), which Python then checks and classifies
# exactly as `daily_counts` does, and per candidate participant. Any cell that is not
# plainly valid sends the whole count to the exact query above, which strips, checks and
# refuses malformed rows; so the fast path changes only the speed, never the result.
# On a million clean rows it takes about a quarter less CPU than the exact query; what
# it still pays beyond a bare count is the check of every participant id and record id.
_FAST_QUERY = """
WITH typed AS (
    SELECT
        CAST(record_id AS VARCHAR) AS rid,
        CAST(participant_id AS VARCHAR) AS pid,
        CAST(district_code AS VARCHAR) AS unit,
        CAST(enrolled_on AS VARCHAR) AS day,
        $known AS known,
        $optional AS optional_bad
    FROM {source}
), days AS (
    SELECT day, count(*) AS n,
        count(*) FILTER (WHERE NOT known) AS unknown,
        count(*) FILTER (
            WHERE rid IS NULL OR unit IS NULL OR optional_bad
                OR NOT regexp_full_match(rid, '$plain_rid')
                OR NOT coalesce(regexp_full_match(pid, '[0-9]{10}(?:[0-9]{2})?'), false)
                OR (NOT known AND NOT coalesce(regexp_full_match(unit, '$any_unit'), false))
        ) AS doubtful
    FROM typed GROUP BY day
), firsts AS (
    SELECT arg_min(unit, (day, rid, unit)) AS first_unit, min(day) AS first_day
    FROM typed WHERE known AND day BETWEEN $start AND $last GROUP BY pid
)
SELECT day, NULL AS unit, n, unknown, doubtful FROM days
UNION ALL
SELECT first_day, first_unit, count(*), 0, 0 FROM firsts GROUP BY first_unit, first_day
UNION ALL
-- A repeated record id is a rejected row: the exact path names it.
SELECT '$repeats', NULL, count(*), 0, count(*) - count(DISTINCT rid) FROM typed
"""

# The day text of the fast query's row that counts repeated record ids.
_REPEATS = "repeats"

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

# The last day, and how many days are not plainly written YYYY-MM-DD (the loader decides).
_LAST_DAY_QUERY = """
SELECT max(day) FILTER (WHERE day BETWEEN $start AND $end), count(*) FILTER (WHERE day IS NULL)
FROM (SELECT CASE WHEN regexp_full_match(CAST(enrolled_on AS VARCHAR), '$iso')
    THEN TRY_CAST(CAST(enrolled_on AS VARCHAR) AS DATE) END AS day FROM {source})
"""

# Text days must be written YYYY-MM-DD, as the folder loader requires.
_TEXT_DAY = (
    f"CASE WHEN regexp_full_match({_strip('enrolled_on')}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"
    f" THEN TRY_CAST({_strip('enrolled_on')} AS DATE) END"
)


def _source(path: Path) -> str:
    """The table function reading ``path``, by its suffix."""
    name = _quote(str(path))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet({name})"
    if suffix in {".csv", ".gz", ".zst"}:
        # Every column as text: identifiers keep their leading zeros, and days are checked
        # to be YYYY-MM-DD (the reader's own date parsing would accept 2023-5-2).
        # The dialect of Python's csv module, which the folder loader uses: never sniffed.
        return (
            f"read_csv({name}, header = true, all_varchar = true, delim = ',',"
            " quote = '\"', escape = '\"')"
        )
    msg = f"cannot read {str(path)!r}: expected a .csv or .parquet file"
    raise InvalidValueError(msg)


def daily_counts_duckdb(
    path_or_relation: str | Path | Any,
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
) -> DailyCounts:
    """`daily_counts` computed by DuckDB, from a CSV or Parquet file or a DuckDB relation.

    DuckDB reads only ``record_id``, ``participant_id``, ``district_code`` and
    ``enrolled_on`` (as text, so identifiers keep their leading zeros), applies exactly
    the rule of `bhxh_campaign.daily_counts`, with the same `Exclusion` tallies, and
    returns only the small grid. Needs the ``duckdb`` extra.

    Args:
        path_or_relation: a ``.csv`` (optionally ``.csv.gz``) or ``.parquet`` file, or a
            ``duckdb.DuckDBPyRelation`` with those four columns.
        campaign: the campaign whose window is counted.
        as_of: the last day counted, inclusive; defaults to the campaign's last day.
        units: the campaign's district codes; when given, every one has a row and a
            record in any other district is excluded as ``unknown_district``.
        progress: called from another thread, about ten times a second while DuckDB
            reads a file, with ``(bytes read, file size)`` as DuckDB estimates them, and
            once with ``(size, size)`` at the end; not called for a relation.

    Returns:
        The same `DailyCounts` as `bhxh_campaign.daily_counts` on the same records.

    Raises:
        InvalidValueError: ``as_of`` is before the campaign starts, the file is neither
            CSV nor Parquet, a row is malformed (``load_campaign`` names it), the input
            has ``cancelled_on`` or ``recorded_on`` (only `daily_counts` counts those), or
            DuckDB cannot read it (its own message, which quotes the row, is not passed on).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import Campaign
        >>> may = Campaign(id="bg", name="BG", scope="24",
        ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> counts = daily_counts_duckdb("examples/bac_giang_2023/enrollments.csv", may,
        ...                              as_of=dt.date(2023, 5, 18))
        >>> counts.total(), counts.totals()["221"]
        (1928, 318)
    """
    import duckdb  # noqa: PLC0415 - optional dependency, imported only when used

    last = last_day(campaign, as_of)
    unit_list = None if units is None else sorted(set(units))
    if not isinstance(path_or_relation, duckdb.DuckDBPyRelation):
        return _file_counts(Path(path_or_relation), campaign, as_of, unit_list, progress)
    relation = path_or_relation
    refuse_python_only(relation.columns, "the relation")

    def run(query: str) -> list[tuple[Any, ...]]:
        # The relation's own connection runs the query, so its tables stay visible.
        with engine_errors("DuckDB", "the relation"):
            result = relation.query("_bhxh_records", query.replace("{source}", "_bhxh_records"))
            assert result is not None  # a SELECT always gives a relation
            return result.fetchall()

    fast_sql = _fast_sql(campaign, last, unit_list, relation.columns)
    fast = _fast_counts(run(fast_sql), campaign, last)
    if fast is not None:
        cells, tallies = fast
        return build_counts(campaign, last, unit_list, cells, tallies)
    rows = run(_sql(campaign, last, unit_list))
    tallies = {int(reason): int(n) for reason, _, _, n in rows if reason is not None}
    cells = [(unit, day, n) for reason, unit, day, n in rows if reason is None]
    check_no_invalid(tallies.get(-1, 0), "the relation")
    return build_counts(campaign, last, unit_list, cells, tallies)


def _file_counts(
    path: Path,
    campaign: Campaign,
    as_of: dt.date | None,
    units: list[str] | None,
    progress: ProgressCallback | None,
) -> DailyCounts:
    """A file's counts by the fast query, or by `exact_counts` unless every cell is plain.

    Anything DuckDB cannot read, or reads otherwise than the folder loader (columns it
    does not know, types other than text, a cell that is not plainly valid, a repeated
    record id), is counted by the loader, which names a bad row by its line and field.
    """
    last = last_day(campaign, as_of)
    if not path.is_file():
        msg = f"no such file: {str(path)!r}"
        raise InvalidValueError(msg)
    source = _source(path)

    def exact() -> DailyCounts:
        return exact_counts(path, campaign, as_of=as_of, units=units)

    fast = None
    try:
        columns = _describe(source, path)
        if _plain_types(columns):
            names = [name for name, _ in columns]
            rows = _execute(_fast_sql(campaign, last, units, names), source, path, progress)
            # DuckDB skips a row it cannot parse: every line must have been read.
            read = next(n for day, _, n, _, _ in rows if day == _REPEATS)
            fast = _fast_counts(rows, campaign, last) if all_lines_read(path, read) else None
    except InvalidValueError:
        pass  # DuckDB could not read it: the exact path names the bad row
    if fast is None:  # outside the handler: the loader's error has no DuckDB context
        return exact()
    cells, tallies = fast
    return build_counts(campaign, last, units, cells, tallies)


def _describe(source: str, path: Path) -> list[tuple[str, str]]:
    """The names and DuckDB types of the file's columns."""
    import duckdb  # noqa: PLC0415 - optional dependency, imported only when used

    with engine_errors("DuckDB", repr(path.name)), duckdb.connect() as connection:
        # source is a read_csv or read_parquet call on a quoted path (`_source`).
        rows = connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()  # noqa: S608
    return [(str(row[0]), str(row[1])) for row in rows]


def _plain_types(columns: list[tuple[str, str]]) -> bool:
    """Whether the columns are the plain ones, as text (``enrolled_on`` may be a DATE).

    A number column would lose leading zeros, which the loader refuses as a number cell.
    """
    if not plain_columns(name for name, _ in columns):
        return False
    return all(
        kind == "VARCHAR" or (name == "enrolled_on" and kind == "DATE") for name, kind in columns
    )


def _table(texts: list[str]) -> str:
    """A one-column table of ``texts``, for ``x IN (...)``.

    DuckDB joins a subquery by hash, where a long IN list of constants is compared one
    by one (0.75 s more per million rows for 700 units); and a VALUES table, unlike an
    unnested list, leaves DuckDB able to estimate its progress.
    """
    rows = ", ".join(f"({_quote(text)})" for text in texts)
    return f"(SELECT * FROM (VALUES {rows}))"  # noqa: S608 - every text is a quoted literal


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fast_sql(
    campaign: Campaign, last: dt.date, units: list[str] | None, columns: Iterable[str] = ()
) -> str:
    """The fast path's query, with the window and units written in as text literals.

    ``columns`` are the input's: its optional ``payment_method`` and ``commune_code``
    are checked too, so that a value the loader refuses makes the row doubtful.
    """
    level = campaign.level.pattern
    known = (
        f"coalesce(regexp_full_match(CAST(district_code AS VARCHAR), '{level}'), false)"
        if units is None
        else "false"
        if not units
        else f"CAST(district_code AS VARCHAR) IN {_table(units)}"
    )
    optional = ["false"]
    names = set(columns)
    if "payment_method" in names:
        allowed = ", ".join(map(_quote, PLAIN_PAYMENTS))
        optional.append(f"coalesce(CAST(payment_method AS VARCHAR) NOT IN ({allowed}), false)")
    if "commune_code" in names:
        optional.append(
            "NOT coalesce(regexp_full_match(CAST(commune_code AS VARCHAR),"
            f" '{UnitLevel.COMMUNE.pattern}'), true)"
        )
    return (
        _FAST_QUERY.replace("$known", known)
        .replace("$optional", " OR ".join(optional))
        .replace("$plain_rid", PLAIN_RECORD_ID)
        .replace("$repeats", _REPEATS)
        .replace("$any_unit", any_unit_pattern())
        .replace("$start", _quote(campaign.start.isoformat()))
        .replace("$last", _quote(last.isoformat()))
    )


def _fast_counts(
    rows: list[tuple[Any, ...]], campaign: Campaign, last: dt.date
) -> tuple[list[tuple[str, dt.date, int]], dict[int, int]] | None:
    """Cells and tallies from the fast query's rows, or None if any cell was doubtful.

    The day groups are classified here, in the order `daily_counts` checks a record;
    the per-day counts of unknown units only matter for days inside the window.
    """
    tallies = dict.fromkeys(range(5), 0)
    cells: list[tuple[str, dt.date, int]] = []
    days: dict[str, dt.date] = {}
    for day_text, unit, n, unknown, doubtful in rows:
        if doubtful or day_text is None:
            return None
        if day_text == _REPEATS:
            continue
        day = days.get(day_text)
        if day is None:
            day = _iso_day(day_text)
            if day is None:
                return None
            days[day_text] = day
        if unit is not None:
            cells.append((unit, day, n))
        elif day < campaign.start:
            tallies[1] += n
        elif day > campaign.end:
            tallies[2] += n
        elif day > last:
            tallies[3] += n
        else:
            tallies[4] += unknown
            tallies[0] += n - unknown
    return cells, tallies


def _iso_day(text: str) -> dt.date | None:
    """The day written ``YYYY-MM-DD``, or None for any other text."""
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _sql(campaign: Campaign, last: dt.date, units: list[str] | None) -> str:
    """The exact counting query, with the window and units written in as literals."""
    # Literals rather than bound parameters: DuckDBPyRelation.query takes none.
    # Without a unit list, a code of another level is unknown, as in daily_counts.
    unit_filter = (
        f"NOT regexp_full_match(unit, '{campaign.level.pattern}')"
        if units is None
        else "true"
        if not units
        else f"unit NOT IN {_table(units)}"
    )
    return (
        _QUERY.replace("{day}", _TEXT_DAY)
        .replace("{rid}", _strip("record_id"))
        .replace("{pid}", _strip("participant_id"))
        .replace("{unit}", _strip("district_code"))
        .replace("$start", f"DATE {_quote(campaign.start.isoformat())}")
        .replace("$end", f"DATE {_quote(campaign.end.isoformat())}")
        .replace("$last", f"DATE {_quote(last.isoformat())}")
        .replace("$unit_filter", unit_filter)
        .replace("$any_unit", any_unit_pattern())
    )


def last_data_day_duckdb(
    path: Path, campaign: Campaign, *, progress: ProgressCallback | None = None
) -> dt.date | None:
    """The last day within the campaign that has a record in ``path``, or None.

    ``progress`` is called as by `daily_counts_duckdb`.

    Raises:
        InvalidValueError: a day is not written YYYY-MM-DD (count with the exact path).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import Campaign
        >>> may = Campaign(id="bg", name="BG", scope="24",
        ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> last_data_day_duckdb(Path("examples/bac_giang_2023/enrollments.csv"), may)
        datetime.date(2023, 5, 31)
    """
    query = (
        _LAST_DAY_QUERY.replace("$iso", _ISO_DAY.pattern)
        .replace("$start", f"DATE {_quote(campaign.start.isoformat())}")
        .replace("$end", f"DATE {_quote(campaign.end.isoformat())}")
    )
    ((last, doubtful),) = _execute(query, _source(path), path, progress)
    if doubtful:
        msg = f"{path.name!r} has a day not written YYYY-MM-DD: the folder loader decides"
        raise InvalidValueError(msg)
    return None if last is None else as_day(last)


def _execute(
    query: str, source: str, path: Path, progress: ProgressCallback | None
) -> list[tuple[Any, ...]]:
    """Run ``query`` on ``source`` (the file at ``path``) on a fresh connection.

    The file's columns are checked first (`refuse_python_only`); DuckDB's progress goes
    to ``progress``; DuckDB's own errors become `InvalidValueError` (`engine_errors`).
    """
    import duckdb  # noqa: PLC0415 - optional dependency, imported only when used

    with engine_errors("DuckDB", repr(path.name)), duckdb.connect() as connection:
        # source is a read_csv or read_parquet call on a quoted path (`_source`).
        columns = connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()  # noqa: S608
        refuse_python_only((row[0] for row in columns), repr(path.name))
        query = query.replace("{source}", source)
        if progress is None:
            # DuckDB may draw its own bar on standard output, inside a piped report.
            connection.execute("SET enable_progress_bar = false")
            return connection.execute(query).fetchall()
        return _watched(connection, query, path.stat().st_size, progress)


def _watched(
    connection: Any, query: str, size: int, progress: ProgressCallback
) -> list[tuple[Any, ...]]:
    """Run ``query``, calling ``progress`` from a watcher thread as DuckDB estimates it."""
    # DuckDB estimates its progress only when its own bar is on; it prints nothing.
    connection.execute(
        "SET enable_progress_bar = true; SET enable_progress_bar_print = false;"
        " SET progress_bar_time = 0"
    )
    finished = threading.Event()

    def poll() -> None:
        while not finished.wait(_POLL_SECONDS):
            percent = connection.query_progress()
            if percent >= 0:
                progress(min(size, round(size * percent / 100)), size)

    watcher = threading.Thread(target=poll, name="bhxh-duckdb-progress", daemon=True)
    watcher.start()
    try:
        rows: list[tuple[Any, ...]] = connection.execute(query).fetchall()
    finally:
        finished.set()
        watcher.join()
    progress(size, size)
    return rows
