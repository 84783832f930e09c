"""The last day with data, found by the arrow engine (the report's default as-of day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bhxh_campaign._validators import check_date
from bhxh_campaign.engines._arrow import (
    _BLOCK_SIZE,
    _csv_batches,
    _parquet_batches,
)
from bhxh_campaign.engines._arrow_cells import DoubtfulError, day_offsets
from bhxh_campaign.engines._arrow_compute import call
from bhxh_campaign.engines._arrow_known import Known, with_known
from bhxh_campaign.engines._common import engine_errors, exact_records, file_columns
from bhxh_campaign.engines._duckdb import _iso_day
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.model import Campaign

__all__ = ["last_data_day_arrow"]


def last_data_day_arrow(
    path: str | Path, campaign: Campaign, *, known_at: dt.date | None = None
) -> dt.date | None:
    """The last day within the campaign that has a record in ``path``, or None.

    Reads only ``enrolled_on``, batch by batch, and judges each distinct value once in
    Python, as `last_data_day_duckdb` does (a value not written ``YYYY-MM-DD`` is no day).
    With ``known_at``, or a file with ``recorded_on`` or ``cancelled_on``, only records
    known and not cancelled at the end of that day count, as in
    `CampaignBundle.last_data_day`.

    Raises:
        InvalidValueError: the file is missing, pyarrow cannot read it, or a day is not
            written YYYY-MM-DD (the exact path then decides).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import Campaign
        >>> may = Campaign(id="bg", name="BG", scope="24",
        ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> last_data_day_arrow("examples/bac_giang_2023/enrollments.csv", may)
        datetime.date(2023, 5, 31)
    """
    file = Path(path)
    if not file.is_file():
        msg = f"no such file: {str(file)!r}"
        raise InvalidValueError(msg)
    if with_known(file_columns(file) or [], known_at, None):
        return _last_known_day(file, campaign, known_at)
    seen: set[object] = set()
    with engine_errors("the arrow engine", repr(file.name)):
        for batch in _day_batches(file):
            seen.update(call("unique", batch.column(0)).to_pylist())
    days = [value if isinstance(value, dt.date) else _iso_day(str(value)) for value in seen]
    if None in days:  # the loader decides what a day not written YYYY-MM-DD is
        msg = f"{file.name!r} has a day not written YYYY-MM-DD"
        raise InvalidValueError(msg)
    inside = [day for day in days if day is not None and campaign.contains(day)]
    return max(inside, default=None)


def _day_batches(path: Path) -> Iterator[Any]:
    """Batches of the file's ``enrolled_on`` column alone, as text from a CSV file."""
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]  # noqa: PLC0415
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    if path.suffix.lower() == ".parquet":
        days: Iterator[Any] = pq.ParquetFile(path).iter_batches(
            columns=["enrolled_on"], batch_size=1 << 20
        )
        return days
    return iter(
        pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=_BLOCK_SIZE, use_threads=True),
            convert_options=pacsv.ConvertOptions(
                column_types={"enrolled_on": pa.string()},
                include_columns=["enrolled_on"],
                strings_can_be_null=True,
            ),
        )
    )


def _last_known_day(path: Path, campaign: Campaign, known_at: dt.date | None) -> dt.date | None:
    """The last day of a record known and not cancelled at ``known_at``, or None.

    A file the fast path cannot judge is read record by record, as the loader reads it.
    """
    import numpy as np  # noqa: PLC0415 - optional dependency, imported only when used
    import pyarrow as pa  # noqa: PLC0415

    day = None if known_at is None else check_date("known_at", known_at)
    rule = Known(np, campaign.start, day, None)
    end = (campaign.end - campaign.start).days
    latest = -1
    try:
        batches = _csv_batches(path) if path.suffix.lower() == ".csv" else _parquet_batches(path)
        if batches is None:
            raise DoubtfulError
        for batch in batches:
            offset = day_offsets(np, batch.column("enrolled_on")) - rule.origin
            kept = rule.keep(batch, offset, (offset >= 0) & (offset <= end), None)
            if kept.any():
                latest = max(latest, int(offset[kept].max()))
    except (DoubtfulError, pa.ArrowException):
        records, _ = exact_records(path, campaign)  # the loader's checks, Parquet too
        days = [
            r.enrolled_on
            for r in records
            if campaign.contains(r.enrolled_on)
            and (day is None or r.is_known_at(day))
            and not r.is_cancelled_at(day)
        ]
        return max(days, default=None)
    return None if latest < 0 else campaign.start + dt.timedelta(days=latest)
