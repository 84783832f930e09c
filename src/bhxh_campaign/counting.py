"""From enrollment records to `DailyCounts`, the compact aggregate every metric reads.

A participant is *new* once per campaign: on the day, and in the district, of their first
record inside the campaign window (up to ``as_of``, inclusive). Every other record is set
aside under a named `Exclusion` and tallied, so that ``counted + sum(excluded) == records``
always holds: nothing disappears without a count.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, EnrollmentRecord
    >>> may = Campaign(id="c", name="May", scope="24",
    ...                start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> records = [
    ...     EnrollmentRecord(record_id="1", participant_id="2400000001",
    ...                      district_code="221", enrolled_on=dt.date(2023, 5, 2)),
    ...     EnrollmentRecord(record_id="2", participant_id="2400000001",
    ...                      district_code="223", enrolled_on=dt.date(2023, 5, 3)),
    ...     EnrollmentRecord(record_id="3", participant_id="2400000002",
    ...                      district_code="223", enrolled_on=dt.date(2023, 4, 28)),
    ... ]
    >>> counts = daily_counts(records, may, as_of=dt.date(2023, 5, 3), units=["221", "223"])
    >>> counts.totals(), counts.excluded
    ({'221': 1, '223': 0}, {'before_start': 1, 'repeat_participant': 1})
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import check_date, date, digits, is_date
from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.model import Campaign, EnrollmentRecord

__all__ = ["DailyCounts", "Exclusion", "daily_counts"]

_ONE_DAY = dt.timedelta(days=1)


class Exclusion(enum.StrEnum):
    """Why a record was not counted as a new participant.

    Examples:
        >>> Exclusion.REPEAT_PARTICIPANT == "repeat_participant"
        True
    """

    BEFORE_START = "before_start"  # enrolled before the campaign's first day
    AFTER_END = "after_end"  # enrolled after the campaign's last day
    AFTER_AS_OF = "after_as_of"  # enrolled inside the campaign but after the as-of day
    UNKNOWN_DISTRICT = "unknown_district"  # its district is not among the campaign's units
    REPEAT_PARTICIPANT = "repeat_participant"  # the participant was already counted


def _grid(value: Mapping[str, Sequence[int]] | Iterable[tuple[str, Sequence[int]]]) -> Any:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(unit), tuple(counts)) for unit, counts in items))


def _tally(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> Any:
    items = value.items() if isinstance(value, Mapping) else value
    # Only a true integer zero is dropped; False or 0.0 stay, for the validator to refuse.
    kept = ((str(reason), n) for reason, n in items if not (type(n) is int and n == 0))
    return tuple(sorted(kept))


def _check_grid(instance: DailyCounts, attribute: attrs.Attribute[Any], value: Any) -> None:
    width = (instance.end - instance.start).days + 1
    if width < 1:
        msg = f"end must not be before start, got start={instance.start}, end={instance.end}"
        raise InvalidValueError(msg)
    check_code = digits((2, 3))
    seen: set[str] = set()
    for unit, counts in value:
        check_code(instance, attribute, unit)
        if unit in seen:
            msg = f"grid has unit {unit!r} twice"
            raise InvalidValueError(msg)
        seen.add(unit)
        if len(counts) != width:
            msg = f"grid row {unit!r} has {len(counts)} days, expected {width}"
            raise InvalidValueError(msg)
        for count in counts:
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                msg = f"grid row {unit!r} has a count that is not a whole number >= 0: {count!r}"
                raise InvalidValueError(msg)


def _check_tally(instance: DailyCounts, attribute: attrs.Attribute[Any], value: Any) -> None:
    for reason, count in value:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            msg = f"excluded[{reason!r}] must be a whole number >= 0, got {count!r}"
            raise InvalidValueError(msg)


@final
@frozen
class DailyCounts:
    """New participants per unit per day: a calendar-complete, immutable grid.

    Every unit has one count for every day from `start` to `end`, both ends included; a
    day with no enrollment counts 0. Engines other than the pure-Python `daily_counts`
    build the same value, so it is the contract between counting and metrics.

    Attributes:
        start: the first day of the grid (the campaign's first day).
        end: the last day of the grid, inclusive (the as-of day, or the campaign's end).
        grid: ``(unit_code, counts)`` pairs sorted by unit code; ``counts[i]`` is the number
            of new participants on ``start + i days``. Built from a mapping or pairs.
        exclusions: ``(reason, count)`` pairs of records set aside, sorted by reason;
            zero counts are dropped. Built from a mapping or pairs.

    Examples:
        >>> import datetime as dt
        >>> counts = DailyCounts(start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 3),
        ...                      grid={"221": [1, 0, 2], "220": [0, 0, 1]})
        >>> counts.units, counts.total(), counts.total("221")
        (('220', '221'), 4, 3)
        >>> counts.series("221")[dt.date(2023, 5, 3)]
        2
    """

    start: dt.date = field(converter=date, validator=is_date)
    end: dt.date = field(converter=date, validator=is_date)
    grid: tuple[tuple[str, tuple[int, ...]], ...] = field(converter=_grid, validator=_check_grid)
    exclusions: tuple[tuple[str, int], ...] = field(
        default=(), converter=_tally, validator=_check_tally
    )

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every day of the grid, in order."""
        return tuple(self.start + i * _ONE_DAY for i in range((self.end - self.start).days + 1))

    @property
    def units(self) -> tuple[str, ...]:
        """The unit codes, sorted."""
        return tuple(unit for unit, _ in self.grid)

    @property
    def excluded(self) -> dict[str, int]:
        """How many records were set aside, by `Exclusion` reason (non-zero only)."""
        return dict(self.exclusions)

    def row(self, unit: str) -> tuple[int, ...]:
        """The counts of one unit, one per day of the grid.

        Raises:
            UnknownUnitError: the unit is not in the grid.
        """
        for code, counts in self.grid:
            if code == unit:
                return counts
        msg = f"unit {unit!r} is not in the counts (units: {', '.join(self.units)})"
        raise UnknownUnitError(msg)

    def series(self, unit: str | None = None) -> dict[dt.date, int]:
        """A unit's new participants by day; with no unit, all units added up.

        The mapping is calendar-complete: it has every day of the grid, zeros included.
        """
        if unit is None:
            columns = zip(*(counts for _, counts in self.grid), strict=True)
            values: Sequence[int] = (
                [sum(day) for day in columns] if self.grid else [0] * len(self.days)
            )
        else:
            values = self.row(unit)
        return dict(zip(self.days, values, strict=True))

    def total(self, unit: str | None = None) -> int:
        """New participants of one unit, or of all units, over the whole grid."""
        if unit is None:
            return sum(sum(counts) for _, counts in self.grid)
        return sum(self.row(unit))

    def totals(self) -> dict[str, int]:
        """New participants per unit over the whole grid, by unit code."""
        return {unit: sum(counts) for unit, counts in self.grid}


def daily_counts(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
) -> DailyCounts:
    """Count new participants per district per day, tallying every record set aside.

    A participant counts once: on the day and in the district of their first record (by
    ``enrolled_on``, then ``record_id``) inside the campaign window, up to ``as_of``
    inclusive. Records outside that window, in an unknown district, or repeating a
    participant are not counted; each is tallied under its `Exclusion`.

    Args:
        records: the enrollment records, in any order.
        campaign: the campaign whose window is counted.
        as_of: the last day counted, inclusive; defaults to the campaign's last day. A
            day after the campaign's end counts through the end.
        units: the district codes of the campaign. When given, every one of them has a
            row (zeros included) and a record in any other district is excluded as
            ``unknown_district``; when omitted, the rows are the districts of the counted
            records.

    Returns:
        The calendar-complete grid from the campaign's start to ``min(as_of, end)``.

    Raises:
        InvalidValueError: ``as_of`` is before the campaign starts.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import Campaign, EnrollmentRecord
        >>> c = Campaign(id="c", name="C", scope="24",
        ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 2))
        >>> r = EnrollmentRecord(record_id="1", participant_id="2400000001",
        ...                      district_code="221", enrolled_on=dt.date(2023, 5, 2))
        >>> daily_counts([r], c, units=["220", "221"]).grid
        (('220', (0, 0)), ('221', (0, 1)))
    """
    last = campaign.end if as_of is None else check_date("as_of", as_of)
    if last < campaign.start:
        msg = f"as_of {last.isoformat()} is before the campaign starts on {campaign.start}"
        raise InvalidValueError(msg)
    last = min(last, campaign.end)
    known = None if units is None else frozenset(units)

    excluded: Counter[str] = Counter()
    first: dict[str, tuple[dt.date, str, str]] = {}
    candidates = 0
    for record in records:
        day = record.enrolled_on
        if day < campaign.start:
            excluded[Exclusion.BEFORE_START] += 1
        elif day > campaign.end:
            excluded[Exclusion.AFTER_END] += 1
        elif day > last:
            excluded[Exclusion.AFTER_AS_OF] += 1
        elif known is not None and record.district_code not in known:
            excluded[Exclusion.UNKNOWN_DISTRICT] += 1
        else:
            candidates += 1
            key = (day, record.record_id, record.district_code)
            best = first.get(record.participant_id)
            if best is None or key < best:
                first[record.participant_id] = key
    if candidates > len(first):
        excluded[Exclusion.REPEAT_PARTICIPANT] = candidates - len(first)

    width = (last - campaign.start).days + 1
    rows: dict[str, list[int]] = {unit: [0] * width for unit in known or ()}
    for day, _, unit in first.values():
        rows.setdefault(unit, [0] * width)[(day - campaign.start).days] += 1
    return DailyCounts(start=campaign.start, end=last, grid=rows, exclusions=excluded)
