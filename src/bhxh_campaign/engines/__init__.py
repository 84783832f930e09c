"""Counting pushed down to columnar engines: pyarrow, DuckDB, polars, pandas, Spark.

Everything a report needs is a function of `DailyCounts`, new participants per district
per day: only building it touches every record. These functions build it where the data
lives (a CSV or Parquet file, a dataframe, a Spark table) and bring back only the small
grid, with exactly the rule and the `Exclusion` tallies of the pure-Python
`bhxh_campaign.daily_counts`; a property test checks that every engine gives the same
value on the same data.

Optional dependencies (``duckdb``, ``narwhals``, ``polars``, ``pandas``, ``pyarrow``,
``numpy``, ``pyspark``) are imported only inside the functions that use them, so importing this
module costs nothing more than the core.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import load_campaign
    >>> bundle = load_campaign("examples/bac_giang_2023")
    >>> counts = daily_counts_duckdb("examples/bac_giang_2023/enrollments.csv",
    ...                              bundle.campaign, as_of=dt.date(2023, 5, 18),
    ...                              units=[d.code for d in bundle.districts])
    >>> counts == bundle.counts(dt.date(2023, 5, 18))
    True
"""

from __future__ import annotations

from bhxh_campaign.engines._arrow import daily_counts_arrow
from bhxh_campaign.engines._choose import (
    AUTO_THRESHOLD,
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

__all__ = [
    "AUTO_THRESHOLD",
    "Engine",
    "auto_engine",
    "daily_counts_arrow",
    "daily_counts_duckdb",
    "daily_counts_for",
    "daily_counts_frame",
    "daily_counts_records",
    "last_data_day_for",
    "python_only_reason",
    "records_file",
    "with_rejected",
]


def __dir__() -> list[str]:
    return __all__
