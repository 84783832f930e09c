"""Counting pushed down to columnar engines: pyarrow, DuckDB, polars, pandas, Spark.

Everything a report needs is a function of `DailyCounts`, new participants per district
per day: only building it touches every record. These functions build it where the data
lives (a CSV or Parquet file, a dataframe, a Spark table) and bring back only the small
grid, with exactly the rule and the `Exclusion` tallies of the pure-Python
`bhxh_campaign.daily_counts`; a property test checks that every engine gives the same
value on the same data.

Optional dependencies (``duckdb``, ``narwhals``, ``polars``, ``pandas``, ``pyarrow``,
``numpy``, ``pyspark``) are imported only inside the functions that use them, and each
public name on first use, so importing this package costs nothing: a command starts
reading a large records file (`read_ahead`) before the rest is imported.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import load_campaign
    >>> from bhxh_campaign.engines import daily_counts_duckdb
    >>> bundle = load_campaign("examples/bac_giang_2023")
    >>> counts = daily_counts_duckdb("examples/bac_giang_2023/enrollments.csv",
    ...                              bundle.campaign, as_of=dt.date(2023, 5, 18),
    ...                              units=[d.code for d in bundle.districts])
    >>> counts == bundle.counts(dt.date(2023, 5, 18))
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bhxh_campaign._lazy import lazy_attribute

if TYPE_CHECKING:
    from bhxh_campaign.engines._ahead import AUTO_THRESHOLD, ReadAhead, read_ahead
    from bhxh_campaign.engines._arrow import daily_counts_arrow
    from bhxh_campaign.engines._choose import (
        Engine,
        auto_engine,
        daily_counts_for,
        last_data_day_for,
        records_file,
    )
    from bhxh_campaign.engines._common import with_rejected
    from bhxh_campaign.engines._duckdb import daily_counts_duckdb
    from bhxh_campaign.engines._frame import daily_counts_frame
    from bhxh_campaign.engines._office import python_only_reason
    from bhxh_campaign.engines._records import daily_counts_records

# Each public name and its module, imported on first use (PEP 562): a command can start
# reading a records file (`read_ahead`) before the engines, and the model, are imported.
_EXPORTS: dict[str, str] = {
    "AUTO_THRESHOLD": "_ahead",
    "Engine": "_choose",
    "ReadAhead": "_ahead",
    "auto_engine": "_choose",
    "daily_counts_arrow": "_arrow",
    "daily_counts_duckdb": "_duckdb",
    "daily_counts_for": "_choose",
    "daily_counts_frame": "_frame",
    "daily_counts_records": "_records",
    "last_data_day_for": "_choose",
    "python_only_reason": "_office",
    "read_ahead": "_ahead",
    "records_file": "_choose",
    "with_rejected": "_common",
}

__all__ = [
    "AUTO_THRESHOLD",
    "Engine",
    "ReadAhead",
    "auto_engine",
    "daily_counts_arrow",
    "daily_counts_duckdb",
    "daily_counts_for",
    "daily_counts_frame",
    "daily_counts_records",
    "last_data_day_for",
    "python_only_reason",
    "read_ahead",
    "records_file",
    "with_rejected",
]


def __dir__() -> list[str]:
    return __all__


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _EXPORTS, globals(), name)
