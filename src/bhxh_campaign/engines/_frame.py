"""Counting pushed down to any dataframe narwhals serves, PySpark and Dask included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.engines._common import (
    CANDIDATE,
    COLUMNS,
    DATE_PATTERN,
    INVALID,
    PARTICIPANT_PATTERN,
    UNIT_PATTERN,
    as_day,
    build_counts,
    check_no_invalid,
    engine_errors,
    last_day,
    level_pattern,
    refuse_python_only,
)
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.model import Campaign

__all__ = ["daily_counts_frame", "last_data_day_frame"]

VIETNAM = "Asia/Ho_Chi_Minh"
_ONE_DAY = dt.timedelta(days=1)


def daily_counts_frame(
    frame: Any,
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
) -> DailyCounts:
    """`daily_counts` computed by the dataframe's own engine, through narwhals.

    One implementation serves every backend narwhals supports: pandas, polars (eager or
    lazy), pyarrow tables, DuckDB relations, PySpark and Dask DataFrames. Only ``record_id``,
    ``participant_id``, ``district_code`` and ``enrolled_on`` are read; ``enrolled_on``
    may be a date, a datetime (its calendar day counts) or ISO text. Identifiers should
    be text: a participant id stored as a number has already lost its leading zeros.
    Needs narwhals (the ``dataframes`` extra) and the frame's own library.

    Args:
        frame: a native dataframe or lazy frame with those four columns.
        campaign: the campaign whose window is counted.
        as_of: the last day counted, inclusive; defaults to the campaign's last day.
        units: the campaign's district codes; when given, every one has a row and a
            record in any other district is excluded as ``unknown_district``.

    Returns:
        The same `DailyCounts` as `bhxh_campaign.daily_counts` on the same records.

    Raises:
        InvalidValueError: ``as_of`` is before the campaign starts, a column is missing,
            the frame has ``cancelled_on`` or ``recorded_on`` (only `daily_counts` counts
            those), a row is malformed, or the frame's library fails (its message, which
            may quote a row, is not passed on).

    Examples:
        >>> import datetime as dt
        >>> import polars as pl
        >>> from bhxh_campaign import Campaign
        >>> may = Campaign(id="c", name="C", scope="24",
        ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> frame = pl.DataFrame({
        ...     "record_id": ["1", "2", "3"],
        ...     "participant_id": ["0240000001", "0240000001", "0240000002"],
        ...     "district_code": ["221", "223", "223"],
        ...     "enrolled_on": ["2023-05-02", "2023-05-03", "2023-04-28"]})
        >>> counts = daily_counts_frame(frame, may, as_of=dt.date(2023, 5, 3),
        ...                             units=["221", "223"])
        >>> counts.totals(), counts.excluded
        ({'221': 1, '223': 0}, {'before_start': 1, 'repeat_participant': 1})
    """
    import narwhals as nw  # noqa: PLC0415 - optional dependency, imported only when used

    last = last_day(campaign, as_of)
    unit_list = None if units is None else sorted(set(units))
    data = nw.from_native(frame)
    missing = [name for name in COLUMNS if name not in data.columns]
    if missing:
        msg = f"the frame has no column {', '.join(map(repr, missing))}"
        raise InvalidValueError(msg)
    refuse_python_only(data.columns, "the frame")
    with engine_errors(str(data.implementation), "the frame"):
        return _count(nw, data, campaign, last, unit_list)


def _count(
    nw: Any, data: Any, campaign: Campaign, last: dt.date, unit_list: list[str] | None
) -> DailyCounts:
    """`daily_counts_frame` once its arguments are checked."""
    lazy = data.lazy() if isinstance(data, nw.DataFrame) else data

    pandas_like = _datetimes_only(data)
    day, edge = _day(nw, lazy.collect_schema()["enrolled_on"], pandas_like=pandas_like)
    text = [nw.col(name).cast(nw.String).str.strip_chars() for name in COLUMNS[:3]]
    typed = lazy.select(
        text[0].alias("rid"), text[1].alias("pid"), text[2].alias("unit"), day.alias("day")
    )

    rid, pid, unit, when = nw.col("rid"), nw.col("pid"), nw.col("unit"), nw.col("day")
    malformed = (
        when.is_null()
        | rid.is_null()
        | (rid == "")
        | ~pid.str.contains(PARTICIPANT_PATTERN).fill_null(value=False)
        | ~unit.str.contains(UNIT_PATTERN).fill_null(value=False)
    )
    # The checks of `daily_counts`, in its order: the first that fails names the reason.
    checks: list[tuple[int, Any]] = [
        (INVALID, malformed),
        (1, when < edge(campaign.start)),
        (2, when >= edge(campaign.end + _ONE_DAY)),
        (3, when >= edge(last + _ONE_DAY)),
    ]
    if unit_list is not None:
        checks.append((4, ~unit.is_in(unit_list)))
    else:  # a code of another level is not one of the campaign's units, as in daily_counts
        checks.append((4, ~unit.str.contains(level_pattern(campaign)).fill_null(value=False)))
    reason: Any = nw.lit(CANDIDATE)
    for code, failed in reversed(checks):
        reason = nw.when(failed).then(nw.lit(code)).otherwise(reason)
    classified = typed.with_columns(reason.alias("reason"))

    tallies = {
        int(code): int(n)
        for code, n in _rows(classified.group_by("reason").agg(nw.len().alias("n")))
    }
    check_no_invalid(tallies.get(INVALID, 0), "the frame")

    # Each candidate participant's first record by (day, record_id, district): keep the
    # rows that hold the minimum of each key in turn, within the participant.
    first = classified.filter(nw.col("reason") == CANDIDATE).select("pid", "rid", "unit", "day")
    by_join = data.implementation.is_dask()
    for key in ("day", "rid", "unit"):
        if by_join:
            # Dask runs a window over a shuffle only when it knows the partitions'
            # bounds, which a filtered frame does not: join each participant's minimum.
            least = first.group_by("pid").agg(nw.col(key).min().alias("_least"))
            first = first.join(least, on="pid").filter(nw.col(key) == nw.col("_least"))
            first = first.drop("_least")
        else:
            first = first.filter(nw.col(key) == nw.col(key).min().over("pid"))
    cells = _rows(
        first.group_by("unit", "day").agg(nw.col("pid").n_unique().alias("n")),
    )
    return build_counts(campaign, last, unit_list, cells, tallies)


def _day(nw: Any, dtype: Any, *, pandas_like: bool) -> tuple[Any, Callable[[dt.date], Any]]:
    """The enrolled-on day as an expression, and the literal of a day's first instant.

    Text is checked to be YYYY-MM-DD; an aware datetime counts on its day in Vietnam, as
    `EnrollmentRecord` does. The day is a date, except on pandas' default backend, which
    has no date type: there it is a naive datetime at midnight, compared with midnights.
    (Spark compares naive datetime literals in its session's time zone: dates avoid that.)
    """
    column = nw.col("enrolled_on")
    if dtype == nw.Datetime and getattr(dtype, "time_zone", None):
        column = column.dt.convert_time_zone(VIETNAM).dt.replace_time_zone(None)
    if dtype == nw.Date:
        day = column
    elif dtype == nw.Datetime:
        day = column.dt.truncate("1d") if pandas_like else column.dt.date()
    else:
        raw = column.cast(nw.String).str.strip_chars()
        text = nw.when(raw.str.contains(DATE_PATTERN)).then(raw)
        parse = text.str.to_datetime if pandas_like else text.str.to_date
        day = parse("%Y-%m-%d")
    if pandas_like and dtype != nw.Date:
        return day, lambda value: nw.lit(dt.datetime.combine(value, dt.time()))
    return day, nw.lit


def _datetimes_only(data: Any) -> bool:
    """Whether the backend has no date type (pandas and Dask): days are then midnights."""
    implementation = data.implementation
    return bool(implementation.is_pandas_like() or implementation.is_dask())


def _rows(lazy: Any) -> list[tuple[Any, ...]]:
    """Run a narwhals LazyFrame and return its rows as tuples."""
    return list(lazy.collect().rows())


def last_data_day_frame(frame: Any, campaign: Campaign) -> dt.date | None:
    """The last day within the campaign that has a record in ``frame``, or None."""
    import narwhals as nw  # noqa: PLC0415 - optional dependency, imported only when used

    data = nw.from_native(frame)
    lazy = data.lazy() if isinstance(data, nw.DataFrame) else data
    pandas_like = _datetimes_only(data)
    with engine_errors(str(data.implementation), "the frame"):
        day, edge = _day(nw, lazy.collect_schema()["enrolled_on"], pandas_like=pandas_like)
        inside = lazy.select(day.alias("day")).filter(
            nw.col("day") >= edge(campaign.start), nw.col("day") < edge(campaign.end + _ONE_DAY)
        )
        value, rows = _rows(inside.select(nw.col("day").max(), nw.len()))[0]
    return as_day(value) if rows else None
