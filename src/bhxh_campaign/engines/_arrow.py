"""Counting with pyarrow and numpy: a CSV or Parquet file read in batches, checked in bulk.

In DuckDB every per-row expression costs about as much as the scan itself; outside it,
the checks are nearly free. pyarrow's CSV reader parses ``enrolled_on`` as a date (only
``YYYY-MM-DD``, and only real days), ``ascii_is_decimal`` checks a digit column, string
lengths come from the offsets, and a record id's bytes are checked in one numpy pass.
Each batch then keeps only its candidates, as integers: the participant (one key for both
id lengths), the day (an offset from the campaign's start) and the unit (its code's
value). A sort of the keys finds the repeated participants (about 1%); everyone else's
single record is counted with one `numpy.bincount`, and only the repeated participants
are sorted by day, their record ids compared as text only where two records share a
participant's first day.

Any input the fast path cannot judge cheaply (a cell that is not plainly valid, a record
id that is not printable ASCII, a column it does not expect, anything pyarrow cannot
parse) is counted by the exact path instead (`daily_counts_duckdb` when DuckDB is
installed, else the folder loader and `daily_counts`), which strips, checks and refuses
malformed rows as the other engines do; so the fast path changes the speed, never the
result.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bhxh_campaign.admin import check_unit_codes
from bhxh_campaign.counting import DailyCounts, daily_counts
from bhxh_campaign.engines._common import (
    CANDIDATE,
    COLUMNS,
    build_counts,
    engine_errors,
    last_day,
    refuse_python_only,
)
from bhxh_campaign.engines._duckdb import _iso_day, daily_counts_duckdb
from bhxh_campaign.engines._plain import plain_extras
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import Campaign

__all__ = ["daily_counts_arrow", "last_data_day_arrow"]

# A 12-digit personal id becomes its value plus this, so it never meets a 10-digit one.
_CITIZEN_OFFSET = 10**12
_PARTICIPANT_LENGTHS = (10, 12)
_UNIT_LENGTHS = tuple(level.code_length for level in UnitLevel)
# Bytes of a record id the fast path accepts: printable ASCII but space ('!' to '~').
_FIRST_PRINTABLE, _PRINTABLE_SPAN = 0x21, 0x7E - 0x21
_BLOCK_SIZE = 1 << 24
# Columns of a records file that counting ignores, as the other engines do; any other
# column (or an alias, or padding around a name) sends the file to the exact path.
_IGNORED = frozenset({"commune_code", "payment_method"})
# date32 counts days from 1970-01-01; days before year 1 have no `datetime.date`.
_EPOCH = dt.date(1970, 1, 1)
_FIRST_DAY = (dt.date.min - _EPOCH).days


class _DoubtfulError(Exception):
    """A batch holds a cell the fast path cannot judge: count with the exact path."""


def daily_counts_arrow(
    path: str | Path,
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
) -> DailyCounts:
    """`daily_counts` computed with pyarrow and numpy, from a CSV or Parquet file.

    Reads only ``record_id``, ``participant_id``, ``district_code`` and ``enrolled_on``,
    checks every row, applies exactly the rule of `bhxh_campaign.daily_counts` with the
    same `Exclusion` tallies, and holds only a few integers per record. A file whose
    cells are not all plainly valid is counted by the exact path (`daily_counts_duckdb`,
    or the folder loader without DuckDB), with the same result. Needs the ``arrow`` extra.

    Args:
        path: a ``.csv`` or ``.parquet`` records file.
        campaign: the campaign whose window is counted.
        as_of: the last day counted, inclusive; defaults to the campaign's last day.
        units: the campaign's unit codes; when given, every one has a row and a record
            in any other unit is excluded as ``unknown_district``.

    Returns:
        The same `DailyCounts` as `bhxh_campaign.daily_counts` on the same records.

    Raises:
        InvalidValueError: ``as_of`` is before the campaign starts, a unit is not of the
            campaign's level, the file is missing or neither CSV nor Parquet, a row is
            malformed, or the file has ``cancelled_on`` or ``recorded_on`` (only
            `daily_counts` counts those).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import Campaign
        >>> may = Campaign(id="bg", name="BG", scope="24",
        ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> counts = daily_counts_arrow("examples/bac_giang_2023/enrollments.csv", may,
        ...                             as_of=dt.date(2023, 5, 18))
        >>> counts.total(), counts.totals()["221"]
        (1928, 318)
    """
    last = last_day(campaign, as_of)
    known = None if units is None else check_unit_codes(units, campaign.level)
    file = Path(path)
    if not file.is_file():
        msg = f"no such file: {str(file)!r}"
        raise InvalidValueError(msg)
    suffix = file.suffix.lower()
    if suffix not in {".csv", ".parquet"}:
        msg = f"cannot read {str(file)!r}: expected a .csv or .parquet file"
        raise InvalidValueError(msg)
    unit_list = None if known is None else sorted(known)
    fast = _fast_counts(file, campaign, last, known)
    if fast is not None:
        cells, tallies = fast
        return build_counts(campaign, last, unit_list, cells, tallies)
    return _exact(file, campaign, as_of=as_of, units=unit_list)


def _exact(
    path: Path, campaign: Campaign, *, as_of: dt.date | None, units: list[str] | None
) -> DailyCounts:
    """The exact count of a file the fast path could not judge."""
    if importlib.util.find_spec("duckdb") is not None:
        return daily_counts_duckdb(path, campaign, as_of=as_of, units=units)
    if path.suffix.lower() == ".parquet":
        msg = (
            f"{path.name!r} has cells the arrow engine cannot check quickly, and counting it"
            " exactly needs DuckDB: pip install 'bhxh-campaign[duckdb]'"
        )
        raise InvalidValueError(msg)
    # The folder loader is the reference: it strips, normalises and names a bad row.
    from bhxh_campaign.io.loaders import load_enrollments  # noqa: PLC0415 - the slow path

    records = load_enrollments(path, strict=True, day_first=False).records
    return daily_counts(records, campaign, as_of=as_of, units=units)


def _fast_counts(
    path: Path, campaign: Campaign, last: dt.date, known: frozenset[str] | None
) -> tuple[list[tuple[str, dt.date, int]], dict[int, int]] | None:
    """Cells and tallies of a plainly valid file, or None to count it exactly."""
    import numpy as np  # noqa: PLC0415 - optional dependency, imported only when used
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        batches = _csv_batches(path) if path.suffix.lower() == ".csv" else _parquet_batches(path)
        if batches is None:
            return None
        counter = _Counter(np, campaign, last, known)
        for batch in batches:
            counter.add(batch)
        # What the loader refuses beyond the four columns (see `plain_extras`): exact path.
        return counter.result() if plain_extras(path) else None
    except (_DoubtfulError, pa.ArrowException):
        # pyarrow refuses what it cannot parse (a bad day, a short row): the exact path
        # then counts the file, or names the bad row.
        return None


def _header(path: Path) -> list[str] | None:
    """The CSV file's column names as written, or None when they cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return next(csv.reader(file), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _csv_batches(path: Path) -> Iterator[Any] | None:
    """The CSV file's batches of the four columns, or None if its header is not plain."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]  # noqa: PLC0415

    header = _header(path)
    if header is None:
        return None
    refuse_python_only(header, repr(path.name))
    if sorted(name for name in header if name not in _IGNORED) != sorted(COLUMNS):
        return None
    text = pa.string()
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=_BLOCK_SIZE, use_threads=True),
        parse_options=pacsv.ParseOptions(newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            column_types={
                "record_id": text,
                "participant_id": text,
                "district_code": text,
                "enrolled_on": pa.date32(),
            },
            include_columns=list(COLUMNS),
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    batches: Iterator[Any] = iter(reader)
    return batches


def _parquet_batches(path: Path) -> Iterator[Any] | None:
    """The Parquet file's batches of the four columns, or None if their types are not plain."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    refuse_python_only(schema.names, repr(path.name))
    if sorted(name for name in schema.names if name not in _IGNORED) != sorted(COLUMNS):
        return None
    texts = [schema.field(name).type for name in COLUMNS[:3]]
    if any(kind not in (pa.string(), pa.large_string()) for kind in texts):
        return None
    if schema.field("enrolled_on").type not in (pa.date32(), pa.string(), pa.large_string()):
        return None
    batches: Iterator[Any] = file.iter_batches(columns=list(COLUMNS), batch_size=1 << 20)
    return batches


class _Counter:
    """Tallies and candidates, batch by batch, then the first record of each participant."""

    def __init__(
        self, np: Any, campaign: Campaign, last: dt.date, known: frozenset[str] | None
    ) -> None:
        self.np = np
        self.level = campaign.level
        self.start = campaign.start
        self.origin = (campaign.start - _EPOCH).days
        self.last = (last - campaign.start).days
        self.end = (campaign.end - campaign.start).days
        size = 10**self.level.code_length
        self.table = None
        if known is not None:
            self.table = np.zeros(size, dtype=bool)
            self.table[[int(code) for code in known]] = True
        self.tallies = dict.fromkeys(range(5), 0)
        self.keys: list[Any] = []
        self.days: list[Any] = []
        self.units: list[Any] = []
        self.rids: list[Any] = []

    def add(self, batch: Any) -> None:
        """Check one batch, tally what it sets aside and keep its candidates."""
        np = self.np
        rid, pid, unit, day = (batch.column(name) for name in COLUMNS)
        _check_record_ids(np, rid)
        key = _participant_keys(np, pid)
        code_length, code = _unit_values(np, unit)
        offset = _day_offsets(np, day) - self.origin

        before = int(np.count_nonzero(offset < 0))
        beyond = int(np.count_nonzero(offset > self.end))
        inside = (offset >= 0) & (offset <= self.last)
        n_inside = int(np.count_nonzero(inside))
        candidate = inside & (code_length == self.level.code_length)
        if self.table is not None:
            candidate &= self.table[np.where(candidate, code, 0)]
        n_candidates = int(np.count_nonzero(candidate))
        self.tallies[1] += before
        self.tallies[2] += beyond
        self.tallies[3] += len(offset) - before - beyond - n_inside
        self.tallies[4] += n_inside - n_candidates
        self.tallies[CANDIDATE] += n_candidates
        if n_candidates:
            import pyarrow as pa  # noqa: PLC0415

            # The smallest types that hold them: day offsets and unit codes fit 32 bits.
            self.keys.append(key[candidate])
            self.days.append(offset[candidate].astype(np.int32))
            self.units.append(code[candidate].astype(np.int32))
            self.rids.append(rid.filter(pa.array(candidate)))

    def result(self) -> tuple[list[tuple[str, dt.date, int]], dict[int, int]]:
        """Cells of each participant's first record, and the tallies by reason."""
        np = self.np
        if not self.keys:
            return [], self.tallies
        keys, days, codes = (np.concatenate(parts) for parts in (self.keys, self.days, self.units))
        self.keys, self.days, self.units = [], [], []  # each batch's copy is freed
        width = self.last + 1
        # Units present among the candidates, numbered densely, so the grid stays small.
        present = np.flatnonzero(np.bincount(codes, minlength=1))
        dense = np.full(int(present[-1]) + 1, -1, dtype=np.int64)
        dense[present] = np.arange(len(present))

        repeated = _repeated(np, keys)
        single = np.ones(len(keys), dtype=bool)
        firsts: list[int] = []
        if len(repeated):
            multi = _member(np, keys, repeated)
            single = ~multi
            firsts = self._firsts_of_repeated(np.flatnonzero(multi), keys, days, codes)
        cell = dense[codes[single]] * width + days[single]
        if firsts:
            index = np.array(firsts, dtype=np.int64)
            cell = np.concatenate([cell, dense[codes[index]] * width + days[index]])
        counts = np.bincount(cell, minlength=len(present) * width)
        length = self.level.code_length
        codes_text = [f"{code:0{length}d}" for code in present.tolist()]
        calendar = [self.start + dt.timedelta(days=i) for i in range(width)]
        filled = np.flatnonzero(counts)
        cells = [
            (codes_text[i // width], calendar[i % width], n)
            for i, n in zip(filled.tolist(), counts[filled].tolist(), strict=True)
        ]
        return cells, self.tallies

    def _firsts_of_repeated(self, rows: Any, keys: Any, days: Any, codes: Any) -> list[int]:
        """The row of each repeated participant's first record: by day, record id, unit."""
        np = self.np
        order = rows[np.lexsort((days[rows], keys[rows]))]
        key, day = keys[order], days[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        group = np.cumsum(np.r_[True, key[1:] != key[:-1]]) - 1
        on_first = day == day[starts][group]
        per_group = np.bincount(group[on_first], minlength=len(starts))
        alone = on_first & (per_group[group] == 1)
        firsts: list[int] = order[alone].tolist()
        tied = on_first & (per_group[group] > 1)
        if tied.any():
            import pyarrow as pa  # noqa: PLC0415

            tied_rows = order[tied]
            rids = pa.chunked_array(self.rids).take(pa.array(tied_rows)).to_pylist()
            best: dict[int, tuple[str, int, int]] = {}
            for g, rid, code, row in zip(
                group[tied].tolist(),
                rids,
                codes[tied_rows].tolist(),
                tied_rows.tolist(),
                strict=True,
            ):
                mine = (rid, code, row)
                if g not in best or mine < best[g]:
                    best[g] = mine
            firsts.extend(row for _, _, row in best.values())
        return firsts


def _repeated(np: Any, keys: Any) -> Any:
    """The keys that occur more than once, sorted."""
    ordered = np.sort(keys)
    again = ordered[1:][ordered[1:] == ordered[:-1]]
    return np.unique(again)


def _member(np: Any, keys: Any, repeated: Any) -> Any:
    """Whether each key is one of ``repeated``, by pyarrow's hash table (no copy of keys)."""
    import pyarrow as pa  # noqa: PLC0415 - optional dependency, imported only when used
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

    found = pc.is_in(pa.array(keys), value_set=pa.array(repeated))
    return found.to_numpy(zero_copy_only=False)


def _offsets(np: Any, array: Any) -> Any:
    """The offsets of a string array's values, as numpy integers."""
    import pyarrow as pa  # noqa: PLC0415

    kind = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=kind)
    return offsets[array.offset : array.offset + len(array) + 1]


def _text(array: Any) -> Any:
    """A string column, refusing nulls (an empty CSV cell is an empty string, not null)."""
    if array.null_count:
        raise _DoubtfulError
    return array


def _check_record_ids(np: Any, rid: Any) -> None:
    """Every record id non-empty and of printable ASCII without space, which needs no strip."""
    offsets = _offsets(np, _text(rid))
    if len(rid) and int(np.diff(offsets).min()) == 0:
        raise _DoubtfulError
    data = np.frombuffer(rid.buffers()[2] or b"", dtype=np.uint8)[offsets[0] : offsets[-1]]
    if data.size and int((data - np.uint8(_FIRST_PRINTABLE)).max()) > _PRINTABLE_SPAN:
        raise _DoubtfulError


def _digits(np: Any, array: Any, lengths: tuple[int, ...]) -> Any:
    """The lengths of a column of plain ASCII digits, each one of ``lengths``."""
    import pyarrow.compute as pc  # noqa: PLC0415

    size = np.diff(_offsets(np, _text(array)))
    allowed = np.zeros(max(lengths) + 2, dtype=bool)
    allowed[list(lengths)] = True
    if len(size) and not allowed[np.minimum(size, len(allowed) - 1)].all():
        raise _DoubtfulError
    if len(array) and not pc.all(pc.ascii_is_decimal(array)).as_py():
        raise _DoubtfulError
    return size


def _participant_keys(np: Any, pid: Any) -> Any:
    """One integer per participant id; a 12-digit id is offset past every 10-digit one."""
    import pyarrow as pa  # noqa: PLC0415

    size = _digits(np, pid, _PARTICIPANT_LENGTHS)
    value = pid.cast(pa.int64()).to_numpy()
    return value + (size == max(_PARTICIPANT_LENGTHS)) * _CITIZEN_OFFSET


def _unit_values(np: Any, unit: Any) -> tuple[Any, Any]:
    """Each unit code's length and value (a code of any level is a well-formed cell)."""
    import pyarrow as pa  # noqa: PLC0415

    size = _digits(np, unit, _UNIT_LENGTHS)
    return size, unit.cast(pa.int64()).to_numpy()


def _day_offsets(np: Any, day: Any) -> Any:
    """Days since 1970-01-01, from a date column, or ISO text (YYYY-MM-DD only)."""
    import pyarrow as pa  # noqa: PLC0415

    if day.null_count:
        raise _DoubtfulError
    if day.type != pa.date32():
        if not (np.diff(_offsets(np, day)) == len("YYYY-MM-DD")).all():
            raise _DoubtfulError
        day = day.cast(pa.date32())
    offset = day.cast(pa.int32()).to_numpy().astype(np.int64)
    if len(offset) and int(offset.min()) < _FIRST_DAY:
        raise _DoubtfulError
    return offset


def last_data_day_arrow(path: str | Path, campaign: Campaign) -> dt.date | None:
    """The last day within the campaign that has a record in ``path``, or None.

    Reads only ``enrolled_on``, batch by batch, and judges each distinct value once in
    Python, as `last_data_day_duckdb` does (a value not written ``YYYY-MM-DD`` is no day).

    Raises:
        InvalidValueError: the file is missing, or pyarrow cannot read it.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import Campaign
        >>> may = Campaign(id="bg", name="BG", scope="24",
        ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> last_data_day_arrow("examples/bac_giang_2023/enrollments.csv", may)
        datetime.date(2023, 5, 31)
    """
    import pyarrow.compute as pc  # noqa: PLC0415

    file = Path(path)
    if not file.is_file():
        msg = f"no such file: {str(file)!r}"
        raise InvalidValueError(msg)
    seen: set[object] = set()
    with engine_errors("the arrow engine", repr(file.name)):
        for batch in _day_batches(file):
            seen.update(pc.unique(batch.column(0)).to_pylist())
    days = [value if isinstance(value, dt.date) else _iso_day(str(value)) for value in seen]
    if None in days:  # the loader decides what a day not written YYYY-MM-DD is
        msg = f"{file.name!r} has a day not written YYYY-MM-DD"
        raise InvalidValueError(msg)
    inside = [day for day in days if day is not None and campaign.contains(day)]
    return max(inside, default=None)


def _day_batches(path: Path) -> Iterator[Any]:
    """Batches of the file's ``enrolled_on`` column alone, as text from a CSV file."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pacsv  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

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
