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

from bhxh_campaign._validators import check_date
from bhxh_campaign.admin import check_unit_codes
from bhxh_campaign.counting import DailyCounts, NewParticipantPolicy, daily_counts
from bhxh_campaign.engines._arrow_cells import (
    EPOCH,
    DoubtfulError,
    arrow_array,
    check_record_ids,
    day_offsets,
    numpy_of,
    participant_keys,
    unit_values,
)
from bhxh_campaign.engines._arrow_known import OPTIONAL, Known, parquet_records, with_known
from bhxh_campaign.engines._common import (
    CANDIDATE,
    COLUMNS,
    build_counts,
    last_day,
)
from bhxh_campaign.engines._duckdb import daily_counts_duckdb
from bhxh_campaign.engines._plain import plain_extras
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.model import Campaign, EnrollmentRecord

__all__ = ["daily_counts_arrow"]

_BLOCK_SIZE = 1 << 22  # 4 MiB: a bigger block costs memory (560 MiB peak at 16 MiB), no speed
# Columns of a records file that counting ignores, as the other engines do; any other
# column (or an alias, or padding around a name) sends the file to the exact path.
_IGNORED = frozenset({"commune_code", "payment_method"})


def daily_counts_arrow(
    path: str | Path,
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
    known_at: dt.date | None = None,
    policy: NewParticipantPolicy | None = None,
) -> DailyCounts:
    """`daily_counts` computed with pyarrow and numpy, from a CSV or Parquet file.

    Reads only ``record_id``, ``participant_id``, ``district_code``, ``enrolled_on`` and
    (when the file has them) ``recorded_on`` and ``cancelled_on``, checks every row,
    applies exactly the rule of `bhxh_campaign.daily_counts` (``known_at`` and ``policy``
    included) with the same `Exclusion` tallies, and holds only a few integers per record.
    A file whose cells are not all plainly valid is counted by the exact path
    (`daily_counts_duckdb`, or the folder loader and `daily_counts` when DuckDB is missing
    or the rule needs the optional columns), with the same result. Needs the ``arrow`` extra.

    Args:
        path: a ``.csv`` or ``.parquet`` records file.
        campaign: the campaign whose window is counted.
        as_of: the last day counted, inclusive; defaults to the campaign's last day.
        units: the campaign's unit codes; when given, every one has a row and a record
            in any other unit is excluded as ``unknown_district``.
        known_at: count as known at the end of this day (see `bhxh_campaign.daily_counts`).
        policy: who counts as new; None is the default rule.

    Returns:
        The same `DailyCounts` as `bhxh_campaign.daily_counts` on the same records.

    Raises:
        InvalidValueError: ``as_of`` is before the campaign starts, a unit is not of the
            campaign's level, the file is missing or neither CSV nor Parquet, or a row is
            malformed.

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
    import numpy as np  # noqa: PLC0415 - optional dependency, imported only when used

    rule = None
    if with_known(_columns(file) or [], known_at, policy):
        day = None if known_at is None else check_date("known_at", known_at)
        rule = Known(np, campaign.start, day, policy)
    fast = _fast_counts(file, campaign, last, known, rule)
    if fast is None:
        return _exact(
            file, campaign, as_of=as_of, units=unit_list, known_at=known_at, policy=policy
        )
    counts = build_counts(campaign, last, unit_list, *fast)
    return counts if rule is None else rule.finish(counts, known_at)


def _exact(
    path: Path,
    campaign: Campaign,
    *,
    as_of: dt.date | None,
    units: list[str] | None,
    known_at: dt.date | None = None,
    policy: NewParticipantPolicy | None = None,
) -> DailyCounts:
    """The exact count of a file the fast path could not judge."""
    if with_known(_columns(path) or [], known_at, policy):
        # Only `daily_counts` knows the rule: read the records as the model does.
        records = parquet_records(path) if path.suffix.lower() == ".parquet" else _loaded(path)
        return daily_counts(
            records, campaign, as_of=as_of, units=units, known_at=known_at, policy=policy
        )
    if importlib.util.find_spec("duckdb") is not None:
        return daily_counts_duckdb(path, campaign, as_of=as_of, units=units)
    if path.suffix.lower() == ".parquet":
        msg = (
            f"{path.name!r} has cells the arrow engine cannot check quickly, and counting it"
            " exactly needs DuckDB: pip install 'bhxh-campaign[duckdb]'"
        )
        raise InvalidValueError(msg)
    return daily_counts(_loaded(path), campaign, as_of=as_of, units=units)


def _loaded(path: Path) -> tuple[EnrollmentRecord, ...]:
    """The records of a CSV file, by the folder loader: it strips, checks, names a bad row."""
    from bhxh_campaign.io.loaders import load_enrollments  # noqa: PLC0415 - the slow path

    return load_enrollments(path, strict=True).records


def _fast_counts(
    path: Path, campaign: Campaign, last: dt.date, known: frozenset[str] | None, rule: Known | None
) -> tuple[list[tuple[str, dt.date, int]], dict[int, int]] | None:
    """Cells and tallies of a plainly valid file, or None to count it exactly."""
    import numpy as np  # noqa: PLC0415 - optional dependency, imported only when used
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        batches = _csv_batches(path) if path.suffix.lower() == ".csv" else _parquet_batches(path)
        if batches is None:
            return None
        counter = _Counter(np, campaign, last, known, rule)
        for batch in batches:
            counter.add(batch)
        # What the loader refuses beyond the counted columns (see `plain_extras`): exact path.
        return counter.result() if plain_extras(path) else None
    except (DoubtfulError, pa.ArrowException):
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


def _columns(path: Path) -> list[str] | None:
    """The column names of a CSV or Parquet file, or None when they cannot be read."""
    if path.suffix.lower() == ".csv":
        return _header(path)
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        names: list[str] = pq.read_schema(path).names
    except Exception:  # noqa: BLE001 - an unreadable file is the exact path's to refuse
        return None
    return names


def _csv_batches(path: Path) -> Iterator[Any] | None:
    """The CSV file's batches of the four columns, or None if its header is not plain."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]  # noqa: PLC0415

    header = _header(path)
    if header is None:
        return None
    optional = [name for name in OPTIONAL if name in header]
    if sorted(name for name in header if name not in _IGNORED) != sorted([*COLUMNS, *optional]):
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
                **dict.fromkeys(optional, pa.date32()),
            },
            include_columns=[*COLUMNS, *optional],
            null_values=[""],  # only in day columns (text is never null): an empty day
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    batches: Iterator[Any] = iter(reader)
    return batches


def _parquet_batches(path: Path) -> Iterator[Any] | None:
    """The Parquet file's batches of the four columns, or None if their types are not plain."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    optional = [name for name in OPTIONAL if name in schema.names]
    if sorted(n for n in schema.names if n not in _IGNORED) != sorted([*COLUMNS, *optional]):
        return None
    texts = [schema.field(name).type for name in COLUMNS[:3]]
    if any(kind not in (pa.string(), pa.large_string()) for kind in texts):
        return None
    if schema.field("enrolled_on").type not in (pa.date32(), pa.string(), pa.large_string()):
        return None
    columns = [*COLUMNS, *(name for name in OPTIONAL if name in schema.names)]
    batches: Iterator[Any] = file.iter_batches(columns=columns, batch_size=1 << 20)
    return batches


class _Counter:
    """Tallies and candidates, batch by batch, then the first record of each participant."""

    def __init__(
        self,
        np: Any,
        campaign: Campaign,
        last: dt.date,
        known: frozenset[str] | None,
        rule: Known | None = None,
    ) -> None:
        self.np = np
        self.rule = rule
        self.level = campaign.level
        self.start = campaign.start
        self.origin = (campaign.start - EPOCH).days
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
        check_record_ids(np, rid)
        key = participant_keys(np, pid)
        code_length, code = unit_values(np, unit)
        offset = day_offsets(np, day) - self.origin

        before = int(np.count_nonzero(offset < 0))
        beyond = int(np.count_nonzero(offset > self.end))
        inside = (offset >= 0) & (offset <= self.last)
        n_inside = int(np.count_nonzero(inside))
        if self.rule is not None:  # late and cancelled records are set aside first
            inside = self.rule.keep(batch, offset, inside, key)
        candidate = inside & (code_length == self.level.code_length)
        if self.table is not None:
            candidate &= self.table[np.where(candidate, code, 0)]
        n_candidates = int(np.count_nonzero(candidate))
        self.tallies[1] += before
        self.tallies[2] += beyond
        self.tallies[3] += len(offset) - before - beyond - n_inside
        self.tallies[4] += int(np.count_nonzero(inside)) - n_candidates
        self.tallies[CANDIDATE] += n_candidates
        if n_candidates:
            # The smallest types that hold them: day offsets and unit codes fit 32 bits.
            self.keys.append(key[candidate])
            self.days.append(offset[candidate].astype(np.int32))
            self.units.append(code[candidate].astype(np.int32))
            self.rids.append(rid.filter(arrow_array(np, candidate)))

    def result(self) -> tuple[list[tuple[str, dt.date, int]], dict[int, int]]:
        """Cells of each participant's first record, and the tallies by reason."""
        import pyarrow as pa  # noqa: PLC0415

        np = self.np
        if not self.keys:
            return [], self.tallies
        keys, days, codes = (np.concatenate(parts) for parts in (self.keys, self.days, self.units))
        self.keys, self.days, self.units = [], [], []  # each batch's copy is freed
        if self.rule is not None and self.rule.policy is not None:
            rids = pa.chunked_array(self.rids)
            cells = self.rule.cells(
                keys,
                days,
                codes.astype(np.int64),
                lambda rows: rids.take(arrow_array(np, rows)).to_pylist(),
                self.level.code_length,
            )
            return cells, self.tallies
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
            rids = pa.chunked_array(self.rids).take(arrow_array(np, tied_rows)).to_pylist()
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
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

    found = pc.is_in(arrow_array(np, keys), value_set=arrow_array(np, repeated))
    return numpy_of(np, found)
