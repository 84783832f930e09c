"""Counting with pyarrow and numpy: a CSV or Parquet file read once, checked in bulk.

In DuckDB every per-row expression costs about as much as the scan itself; outside it,
the checks are nearly free. pyarrow's CSV reader parses ``enrolled_on`` as a date (only
``YYYY-MM-DD``, and only real days), digit columns are checked on their bytes, string
lengths come from the offsets, and record ids are checked and told apart without hashing
their text (`RecordIds`). Everything the loader checks is checked in this one pass
(``payment_method`` and ``commune_code`` too), so that the engine makes the loader's
decision on every file. A CSV file is read in chunks of a few MiB, each parsed and
checked by one of two worker threads (`_arrow_read`). Each batch then keeps only its
candidates, as integers: the participant (one key for both id lengths), the day (an
offset from the campaign's start) and the unit (its code's value), in two halves by
participant, which two threads count at the end (`_arrow_count`).

Any input the fast path cannot judge cheaply (a cell that is not plainly valid, a record
id that is not printable ASCII or occurs twice, a column it does not expect, anything
pyarrow cannot parse) is counted by the exact path instead (`daily_counts_duckdb` when
DuckDB is installed, else the folder loader and `daily_counts`), which strips, checks and
refuses malformed rows as the other engines do; so the fast path changes the speed,
never the result.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import operator
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

from bhxh_campaign._validators import check_date
from bhxh_campaign.admin import check_unit_codes
from bhxh_campaign.counting import DailyCounts, NewParticipantPolicy
from bhxh_campaign.engines._ahead import ReadAhead
from bhxh_campaign.engines._arrow_cells import (
    EPOCH,
    DoubtfulError,
    arrow_array,
    check_codes,
    check_payments,
    day_offsets,
    participant_keys,
    unit_values,
)
from bhxh_campaign.engines._arrow_compute import call
from bhxh_campaign.engines._arrow_count import Half
from bhxh_campaign.engines._arrow_ids import RecordIds
from bhxh_campaign.engines._arrow_known import OPTIONAL, Known, with_known
from bhxh_campaign.engines._arrow_read import (
    column_types,
    csv_chunks,
    csv_layout,
    csv_parser,
    in_threads,
)
from bhxh_campaign.engines._common import (
    COLUMNS,
    PLAIN_PAYMENTS,
    counts_from_rows,
    exact_counts,
    file_columns,
    last_day,
    plain_columns,
)
from bhxh_campaign.engines._duckdb import daily_counts_duckdb
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import Campaign

__all__ = ["daily_counts_arrow", "plain_counts_arrow"]

_BLOCK_SIZE = 1 << 22  # 4 MiB blocks for `last_data_day_arrow`'s streaming reader


def daily_counts_arrow(
    path: str | Path,
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
    known_at: dt.date | None = None,
    policy: NewParticipantPolicy | None = None,
    ahead: ReadAhead | None = None,
) -> DailyCounts:
    """`daily_counts` computed with pyarrow and numpy, from a CSV or Parquet file.

    Reads ``record_id``, ``participant_id``, ``district_code``, ``enrolled_on`` and (when
    the file has them) ``recorded_on``, ``cancelled_on``, ``payment_method`` and
    ``commune_code`` once, on two cores, checks every row as the loader would, applies
    exactly the rule of `bhxh_campaign.daily_counts` (``known_at`` and ``policy``
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
        ahead: the file's `ReadAhead` (`bhxh_campaign.engines.read_ahead`), started
            while the caller loaded the plan: its parsed chunks are counted first, if it
            read this file, unchanged. It is closed when the count ends (closing it
            again, as its ``with`` block does, is harmless).

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
    counts = plain_counts_arrow(
        path, campaign, as_of=as_of, units=units, known_at=known_at, policy=policy, ahead=ahead
    )
    if counts is not None:
        return counts
    unit_list = None if units is None else sorted(check_unit_codes(units, campaign.level))
    return _exact(
        Path(path), campaign, as_of=as_of, units=unit_list, known_at=known_at, policy=policy
    )


def plain_counts_arrow(
    path: str | Path,
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
    known_at: dt.date | None = None,
    policy: NewParticipantPolicy | None = None,
    ahead: ReadAhead | None = None,
) -> DailyCounts | None:
    """`daily_counts_arrow`'s fast path alone: the counts of a plain file, else None.

    None when any cell, column or record id is not as the loader would read it as
    written (see `daily_counts_arrow`): the caller then counts the file exactly, as
    `daily_counts_for` does with the folder's settings. The arguments are those of
    `daily_counts_arrow`.

    Raises:
        InvalidValueError: as `daily_counts_arrow`, except for malformed rows (None).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import Campaign
        >>> may = Campaign(id="bg", name="BG", scope="24",
        ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> plain_counts_arrow("examples/bac_giang_2023/enrollments.csv", may).total()
        3047
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
    if with_known(file_columns(file) or [], known_at, policy):
        day = None if known_at is None else check_date("known_at", known_at)
        rule = Known(np, campaign.start, day, policy)
    fast = _fast_counts(file, campaign, last, known, rule, ahead=ahead)
    if fast is None:
        return None
    counts = counts_from_rows(campaign, last, unit_list, *fast)
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
    if with_known(file_columns(path) or [], known_at, policy):
        # Only `daily_counts` knows the rule: the folder loader reads the records (a
        # Parquet file too), with every check it makes (repeated record ids included).
        return exact_counts(
            path, campaign, as_of=as_of, units=units, known_at=known_at, policy=policy
        )
    if importlib.util.find_spec("duckdb") is not None:
        return daily_counts_duckdb(path, campaign, as_of=as_of, units=units)
    return exact_counts(path, campaign, as_of=as_of, units=units)


def _fast_counts(
    path: Path,
    campaign: Campaign,
    last: dt.date,
    known: frozenset[str] | None,
    rule: Known | None,
    *,
    ahead: ReadAhead | None = None,
) -> tuple[dict[str, list[int]], dict[int, int]] | None:
    """Rows and tallies of a plainly valid file, or None to count it exactly."""
    import numpy as np  # noqa: PLC0415 - optional dependency, imported only when used
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415

    try:
        csv_path = path.suffix.lower() == ".csv"
        source = _csv_source(path, ahead) if csv_path else _parquet_source(path)
        if source is None:
            return None
        work, items, rows, csv_file = source
        counter = _Counter(np, campaign, last, known, rule, rows=rows, csv_file=csv_file)
        with closing(in_threads(lambda item: [counter.part(b) for b in work(item)], items)) as done:
            for parts in done:
                for part in parts:
                    counter.merge(part)
        # A repeated record id (or, rarely, two ids on one hash): the exact path decides.
        return counter.result() if counter.ids.unique() else None
    except (DoubtfulError, pa.ArrowException):
        # pyarrow refuses what it cannot parse (a bad day, a short row): the exact path
        # then counts the file, or names the bad row.
        return None
    finally:
        if ahead is not None:  # taken or not (a file that is not plain): its batches go
            ahead.close()


Source = tuple[Callable[[Any], list[Any]], Iterable[Any], int, bool]
"""How to read a file: a function from an item to its batches, the items (read in this
thread, turned into batches by the workers), about how many rows, and whether it is CSV."""


def _types(names: list[str]) -> dict[str, Any] | None:
    """The pyarrow type of each column read, or None if the columns are not the plain ones.

    Every column of a plain file is read: the counted ones, the day columns of the
    as-known-on rule, and ``payment_method`` and ``commune_code``, which are checked.
    """
    if not plain_columns(names, rule_columns=True):
        return None
    return column_types(names)  # the day columns (`DAY_COLUMNS`) as dates


def _csv_source(path: Path, ahead: ReadAhead | None = None) -> Source | None:
    """Chunks of the CSV file and their parser, or None if its header is not plain.

    With a read ahead of the file, its jobs (`ReadAhead.jobs`): the chunks it parsed,
    then the rest.
    """
    layout = csv_layout(path)
    if layout is None:
        return None
    names, start = layout
    types = _types(names)
    if types is None:
        return None
    size = path.stat().st_size
    with path.open("rb") as file:
        file.seek(start)
        sample = file.read(1 << 16)
    lines = max(sample.count(b"\n"), 1)
    rows = (size - start) * lines // max(len(sample), 1) + 1
    jobs = None if ahead is None else ahead.jobs(path, names, start, types)
    if jobs is not None:  # each job gives its chunk's batches, parsed already or now
        return operator.call, jobs, rows, True
    return csv_parser(names, types), csv_chunks(path, start), rows, True


def _parquet_source(path: Path) -> Source | None:
    """The Parquet file's batches, or None if its columns or their types are not plain."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    if _types(schema.names) is None:
        return None
    texts = [name for name in schema.names if name not in {"enrolled_on", *OPTIONAL}]
    if any(schema.field(name).type not in (pa.string(), pa.large_string()) for name in texts):
        return None
    if schema.field("enrolled_on").type not in (pa.date32(), pa.string(), pa.large_string()):
        return None
    batches = file.iter_batches(batch_size=1 << 20)
    return (lambda batch: [batch]), batches, file.metadata.num_rows, False


def _csv_batches(path: Path) -> Iterator[Any] | None:
    """The CSV file's batches, one chunk after another, or None if its header is not plain."""
    source = _csv_source(path)
    if source is None:
        return None
    work, items, _, _ = source
    return (batch for item in items for batch in work(item))


def _parquet_batches(path: Path) -> Iterator[Any] | None:
    """The Parquet file's batches, or None if its columns or their types are not plain."""
    source = _parquet_source(path)
    return None if source is None else iter(source[1])


Part = tuple[list[int], tuple[tuple[Any, Any, Any, Any], ...], Any, Any]
"""One batch's tallies by reason code, its candidates in two halves by participant (keys,
days, units, record ids) and the values of its record ids (see `RecordIds.values`)."""


class _Counter:
    """Tallies and candidates, batch by batch, then the first record of each participant.

    `part` checks a batch and computes what it adds, in any thread; `merge` adds it, in
    the thread that reads the file.
    """

    def __init__(
        self,
        np: Any,
        campaign: Campaign,
        last: dt.date,
        known: frozenset[str] | None,
        rule: Known | None = None,
        *,
        rows: int = 0,
        csv_file: bool = True,
    ) -> None:
        self.np = np
        self.rule = rule
        self.level = campaign.level
        self.start = campaign.start
        self.origin = (campaign.start - EPOCH).days
        self.last = (last - campaign.start).days
        self.end = (campaign.end - campaign.start).days
        # An empty optional cell is '' in a CSV file; in Parquet it is null (and '' is
        # left to the exact path, as before).
        self.empty = csv_file
        self.payments = frozenset({*PLAIN_PAYMENTS, "" if csv_file else None})
        size = 10**self.level.code_length
        self.table = None
        if known is not None:
            self.table = np.zeros(size, dtype=bool)
            self.table[[int(code) for code in known]] = True
        self.ids = RecordIds(np, rows)
        self.tallies = dict.fromkeys(range(5), 0)
        self.present = np.zeros(size, dtype=bool)  # the units of the candidates
        # Candidates in two halves by participant (the parity of the key), each counted
        # by its own thread at the end: a participant's records are all in one half.
        self.halves = (Half(), Half())

    def part(self, batch: Any) -> Part:
        """Check one batch; what it sets aside, its candidates and its record ids' values."""
        np = self.np
        rid, pid, unit, day = (batch.column(name) for name in COLUMNS)
        names = batch.schema.names
        if "payment_method" in names:
            check_payments(batch.column("payment_method"), self.payments)
        if "commune_code" in names:
            length = UnitLevel.COMMUNE.code_length
            check_codes(np, batch.column("commune_code"), length, empty=self.empty)
        numbers, others = self.ids.values(rid)
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
        tallies = [
            n_candidates,
            before,
            beyond,
            len(offset) - before - beyond - n_inside,
            int(np.count_nonzero(inside)) - n_candidates,
        ]
        if not n_candidates:
            return tallies, (), numbers, others
        # The smallest types that hold them: day offsets and unit codes fit 32 bits.
        keys, days = key[candidate], offset[candidate].astype(np.int32)
        units = code[candidate].astype(np.int32)
        rids = call("filter", rid, arrow_array(np, candidate))
        odd = (keys & 1).astype(bool)
        halves = tuple(
            (keys[mine], days[mine], units[mine], call("filter", rids, arrow_array(np, mine)))
            for mine in (~odd, odd)
        )
        return tallies, halves, numbers, others

    def merge(self, part: Part) -> None:
        """Add one batch's part (see `part`)."""
        tallies, halves, numbers, others = part
        for reason, n in enumerate(tallies):
            self.tallies[reason] += n
        self.ids.add(numbers, others)
        for half, (key, day, unit, rid) in zip(self.halves, halves, strict=False):
            self.present[unit] = True
            half.keys.append(key)
            half.days.append(day)
            half.units.append(unit)
            half.rids.append(rid)

    def result(self) -> tuple[dict[str, list[int]], dict[int, int]]:
        """New participants per unit and day (each one's first record), and the tallies."""
        import pyarrow as pa  # noqa: PLC0415

        np = self.np
        if not any(half.keys for half in self.halves):
            return {}, self.tallies
        if self.rule is not None and self.rule.policy is not None:
            whole = Half()
            for half in self.halves:
                for mine, theirs in zip(whole.lists(), half.lists(), strict=True):
                    mine.extend(theirs)
            keys, days, codes = whole.arrays(np)
            rids = pa.chunked_array(whole.rids)
            rows = self.rule.rows(
                keys,
                days,
                codes.astype(np.int64),
                lambda picked: call("take", rids, arrow_array(np, picked)).to_pylist(),
                length=self.level.code_length,
                width=self.last + 1,
            )
            return rows, self.tallies
        width = self.last + 1
        # Units present among the candidates, numbered densely, so the grid stays small.
        present = np.flatnonzero(self.present)
        dense = np.full(len(self.present), -1, dtype=np.int64)
        dense[present] = np.arange(len(present))
        size = len(present) * width
        with ThreadPoolExecutor(len(self.halves), thread_name_prefix="bhxh-arrow") as pool:
            grids = list(pool.map(lambda half: half.counts(np, dense, width, size), self.halves))
        counts = sum(grids[1:], grids[0]).reshape(len(present), width)
        length = self.level.code_length
        # Whole rows, one list per unit: no Python loop over the cells.
        # A unit whose candidates were all repeats of another unit's participants has no row.
        kept = np.flatnonzero(counts.any(axis=1))
        codes = [f"{code:0{length}d}" for code in present[kept].tolist()]
        rows = dict(zip(codes, counts[kept].tolist(), strict=True))
        return rows, self.tallies
