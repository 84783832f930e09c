"""From enrollment records to `DailyCounts`, the compact aggregate every metric reads.

A participant is *new* once per campaign: on the day, and in the unit (a district or a
commune, at the campaign's level), of their first record inside the campaign window (up to
``as_of``, inclusive). Every other record is set aside under a named `Exclusion` and
tallied: ``counted + sum(excluded) == records`` always holds.

Records arrive late and are cancelled: with ``known_at=K`` the counts are those a bulletin
written at the end of day K could show (records of the window recorded after K are set
aside as ``recorded_after_known_at``; records cancelled on or before K as ``cancelled``).
Without ``known_at`` everything known is used, and every cancelled record is set aside.

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
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import (
    check_date,
    check_int,
    date,
    is_date,
    is_optional_date,
    is_tally,
    one_of,
    optional_date,
    whole,
    wholes,
)
from bhxh_campaign.admin import check_unit_codes
from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.levels import UnitLevel, is_province_code
from bhxh_campaign.model import Campaign, EnrollmentRecord

if TYPE_CHECKING:
    from bhxh_campaign.frames import Backend, Shape, Table

__all__ = ["DailyCounts", "Exclusion", "NewParticipantPolicy", "daily_counts"]


class Exclusion(enum.StrEnum):
    """Why a record was not counted as a new participant.

    Examples:
        >>> Exclusion.REPEAT_PARTICIPANT == "repeat_participant"
        True
    """

    BEFORE_START = "before_start"  # enrolled before the campaign's first day
    AFTER_END = "after_end"  # enrolled after the campaign's last day
    AFTER_AS_OF = "after_as_of"  # enrolled inside the campaign but after the as-of day
    # Not one of the campaign's units, or of another level (value spelled as in 2023).
    UNKNOWN_DISTRICT = "unknown_district"
    UNKNOWN_UNIT = "unknown_district"
    REPEAT_PARTICIPANT = "repeat_participant"  # the participant was already counted
    RECORDED_AFTER_KNOWN_AT = "recorded_after_known_at"  # in the window, not yet recorded
    CANCELLED = "cancelled"  # cancelled on or before known_at (or ever, without known_at)
    PREVIOUSLY_ENROLLED = "previously_enrolled"  # a record before the campaign, no lapse
    TRANSFERRED = "transferred"  # with transfers="last": a record in a district left later


PriorRecords = Literal["ignore", "exclude"]
Transfers = Literal["first", "last"]


def _lapse(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_int("lapse_days", value, minimum=1)


@final
@frozen
class NewParticipantPolicy:
    """Who counts as a *new* participant: a documented, configurable rule.

    The default is the campaign rule: a participant counts once, on the day and in the
    district of their first valid record inside the window; records before the campaign
    do not matter (a re-enrollment after a lapse is new).

    Attributes:
        prior_records: ``"ignore"`` (the default) counts a participant whatever they did
            before the campaign; ``"exclude"`` does not count a participant with a valid
            record before the campaign's first day (tallied ``previously_enrolled``),
            unless that record is at least ``lapse_days`` before their first record in
            the window (a re-enrollment after a lapse).
        lapse_days: with ``"exclude"``, the gap in days that makes a re-enrollment new
            again; None: no gap is enough.
        transfers: ``"first"`` (the default) counts a participant in the district of
            their first record; ``"last"`` in the district of their latest record up to
            the as-of day (a transfer), still on the day of the first; the participant's
            other records in another district are tallied ``transferred``.

    Examples:
        >>> NewParticipantPolicy().is_default
        True
        >>> NewParticipantPolicy(prior_records="exclude", lapse_days=180).lapse_days
        180
    """

    prior_records: PriorRecords = field(default="ignore", validator=one_of("ignore", "exclude"))
    lapse_days: int | None = field(default=None, validator=_lapse)
    transfers: Transfers = field(default="first", validator=one_of("first", "last"))

    @property
    def is_default(self) -> bool:
        """Whether this is the campaign rule that `daily_counts` applies by default."""
        return self == NewParticipantPolicy()


def _grid(value: Mapping[str, Sequence[int]] | Iterable[tuple[str, Sequence[int]]]) -> Any:
    items = value.items() if isinstance(value, Mapping) else value
    rows = ((str(unit), tuple(counts)) for unit, counts in items)
    # numpy and pandas integers become ints; other values stay, for the validator to refuse.
    return tuple(sorted((u, c if set(map(type, c)) <= {int} else wholes(c)) for u, c in rows))


def _tally(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> Any:
    items = value.items() if isinstance(value, Mapping) else value
    # Only a true integer zero is dropped; False or 0.0 stay, for the validator to refuse.
    pairs = ((str(reason), whole(n)) for reason, n in items)
    kept = ((reason, n) for reason, n in pairs if not (type(n) is int and n == 0))
    return tuple(sorted(kept))


def _check_grid(instance: DailyCounts, attribute: attrs.Attribute[Any], value: Any) -> None:
    width = (instance.end - instance.start).days + 1
    if width < 1:
        msg = f"end must not be before start, got start={instance.start}, end={instance.end}"
        raise InvalidValueError(msg)
    seen: set[str] = set()
    for unit, counts in value:
        if not is_province_code(unit) and UnitLevel.of_code(unit) is None:
            msg = f"grid has unit {unit!r}, which is neither a province code nor a unit code"
            raise InvalidValueError(msg, field="grid")
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
        known_at: the day whose knowledge the counts reflect (records as recorded and
            cancelled by its end), or None for everything known.

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
        default=(), converter=_tally, validator=is_tally
    )
    known_at: dt.date | None = field(
        default=None, converter=optional_date, validator=is_optional_date
    )
    # Each unit's row by code, for `row` in O(1). Derived from `grid`, so it takes no part
    # in equality, hashing or repr; pickling carries it and `evolve` rebuilds it.
    _rows: dict[str, tuple[int, ...]] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # The class is frozen: set the derived index the way attrs' own __init__ does.
        object.__setattr__(self, "_rows", dict(self.grid))

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every day of the grid, in order."""
        return tuple(self.start + dt.timedelta(i) for i in range((self.end - self.start).days + 1))

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
        counts = self._rows.get(unit)
        if counts is not None:
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

    def table(self, shape: Shape = "long") -> Table:
        """The grid as a `bhxh_campaign.frames.Table`, long or wide (see `counts_table`)."""
        from bhxh_campaign.frames import counts_table  # noqa: PLC0415 - only tables need it

        return counts_table(self.start, self.end, self.grid, shape)

    def to_frame(self, backend: Backend = "pandas", *, shape: Shape = "long") -> Any:
        """The grid as a pandas, polars or pyarrow dataframe (see `Table.to_frame`)."""
        return self.table(shape).to_frame(backend)


def daily_counts(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
    known_at: dt.date | None = None,
    policy: NewParticipantPolicy | None = None,
) -> DailyCounts:
    """Count new participants per unit per day, tallying every record set aside.

    A participant counts once: on the day and in the unit of their first record (by
    ``enrolled_on``, then ``record_id``) inside the campaign window, up to ``as_of``
    inclusive. Records outside that window, in an unknown unit, or repeating a participant
    are not counted; each is tallied under its `Exclusion`.

    Of the records inside the window, those not yet recorded at the end of ``known_at``,
    then those cancelled by then, are set aside (``recorded_after_known_at``, ``cancelled``)
    before units and repeats are looked at: the rest is counted as if the others did not
    exist. So the tallies say how many records of the window arrived late.

    Args:
        records: the enrollment records, in any order.
        campaign: the campaign whose window is counted.
        as_of: the last day counted, inclusive; defaults to the campaign's last day. A
            day after the campaign's end counts through the end.
        units: the unit codes of the campaign, all of its level. When given, each has a
            row (zeros included) and a record in any other unit is ``unknown_district``;
            when omitted, the rows are the units of the counted records, and a record
            whose code is of the other level is ``unknown_district``.
        known_at: count as known at the end of this day (see `EnrollmentRecord.known_on`
            and `EnrollmentRecord.cancelled_on`); None uses everything known, leaving out
            every cancelled record. ``known_at=as_of`` is what a bulletin written on
            ``as_of`` could show.
        policy: who counts as new (see `NewParticipantPolicy`); None is the default rule.

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
        >>> late = attrs.evolve(r, recorded_on=dt.date(2023, 5, 4))
        >>> daily_counts([late], c, known_at=dt.date(2023, 5, 2)).excluded
        {'recorded_after_known_at': 1}
    """
    last = campaign.end if as_of is None else check_date("as_of", as_of)
    if last < campaign.start:
        msg = f"as_of {last.isoformat()} is before the campaign starts on {campaign.start}"
        raise InvalidValueError(msg)
    last = min(last, campaign.end)
    known = None if units is None else check_unit_codes(units, campaign.level)
    known_at = None if known_at is None else check_date("known_at", known_at)
    if policy is not None and not policy.is_default:
        return _counts_by_policy(
            records, campaign, last=last, known=known, known_at=known_at, policy=policy
        )
    return _counts_by_default(records, campaign, last=last, known=known, known_at=known_at)


def _counts_by_default(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    *,
    last: dt.date,
    known: frozenset[str] | None,
    known_at: dt.date | None,
) -> DailyCounts:
    """`daily_counts` under the default policy: the hot loop, tuned for millions of records.

    It tries the reasons of `_set_aside` in the same order, with the same outcome, but
    inline, keeping the tallies in local integers and the sort key of each participant's
    best record in one dict; the first records are then grouped with a C-level `Counter`.
    """
    start, end = campaign.start, campaign.end
    # Without known_at every cancellation counts, whenever it happened.
    cancelled_by = dt.date.max if known_at is None else known_at
    before = after = later = late = cancelled = unknown = candidates = 0
    # Without a unit list, a record of another level's code is unknown all the same.
    length = campaign.level.code_length
    first: dict[str, tuple[dt.date, str, str]] = {}
    best_of = first.get
    for record in records:
        day = record.enrolled_on
        if day < start:
            before += 1
            continue
        if day > last:  # last <= end, so this also catches every day after the end
            if day > end:
                after += 1
            else:
                later += 1
            continue
        if known_at is not None:
            recorded = record.recorded_on
            if (day if recorded is None else recorded) > known_at:
                late += 1
                continue
        cancelled_on = record.cancelled_on
        if cancelled_on is not None and cancelled_on <= cancelled_by:
            cancelled += 1
            continue
        unit = record.district_code
        if (unit not in known) if known is not None else len(unit) != length:
            unknown += 1
            continue
        candidates += 1
        participant = record.participant_id
        key = (day, record.record_id, unit)
        best = best_of(participant)
        if best is None or key < best:
            first[participant] = key

    width = (last - start).days + 1
    rows: dict[str, list[int]] = {unit: [0] * width for unit in known or ()}
    for (unit, day), n in Counter(map(itemgetter(2, 0), first.values())).items():
        rows.setdefault(unit, [0] * width)[(day - start).days] = n
    excluded: dict[str, int] = {
        Exclusion.BEFORE_START: before,
        Exclusion.AFTER_END: after,
        Exclusion.AFTER_AS_OF: later,
        Exclusion.RECORDED_AFTER_KNOWN_AT: late,
        Exclusion.CANCELLED: cancelled,
        Exclusion.UNKNOWN_DISTRICT: unknown,
        Exclusion.REPEAT_PARTICIPANT: candidates - len(first),
    }
    return DailyCounts(start=start, end=last, grid=rows, exclusions=excluded, known_at=known_at)


# One return per reason, in the order they are tried: the rule reads top to bottom.
def _set_aside(  # noqa: PLR0911
    record: EnrollmentRecord,
    campaign: Campaign,
    last: dt.date,
    known: frozenset[str] | None,
    known_at: dt.date | None,
) -> Exclusion | None:
    """Why a record cannot count at all (None if it can), in the order reasons are tried."""
    day = record.enrolled_on
    if day < campaign.start:
        return Exclusion.BEFORE_START
    if day > campaign.end:
        return Exclusion.AFTER_END
    if day > last:
        return Exclusion.AFTER_AS_OF
    if known_at is not None and not record.is_known_at(known_at):
        return Exclusion.RECORDED_AFTER_KNOWN_AT
    if record.is_cancelled_at(known_at):
        return Exclusion.CANCELLED
    if known is not None and record.district_code not in known:
        return Exclusion.UNKNOWN_DISTRICT
    if known is None and not campaign.level.matches(record.district_code):
        return Exclusion.UNKNOWN_DISTRICT
    return None


def _counts_by_policy(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    *,
    last: dt.date,
    known: frozenset[str] | None,
    known_at: dt.date | None,
    policy: NewParticipantPolicy,
) -> DailyCounts:
    """`daily_counts` under a policy other than the default.

    Kept apart from the default loop, which engines reproduce: this one needs every
    candidate record of a participant, not only the first.
    """
    excluded: Counter[str] = Counter()
    keys: dict[str, list[tuple[dt.date, str, str]]] = {}
    prior: dict[str, dt.date] = {}
    for record in records:
        reason = _set_aside(record, campaign, last, known, known_at)
        if reason is None:
            key = (record.enrolled_on, record.record_id, record.district_code)
            keys.setdefault(record.participant_id, []).append(key)
            continue
        excluded[reason] += 1
        valid = (known_at is None or record.is_known_at(known_at)) and not record.is_cancelled_at(
            known_at
        )
        if reason is Exclusion.BEFORE_START and valid:
            day = record.enrolled_on
            prior[record.participant_id] = max(day, prior.get(record.participant_id, day))

    width = (last - campaign.start).days + 1
    rows: dict[str, list[int]] = {unit: [0] * width for unit in known or ()}
    for participant, mine in keys.items():
        mine.sort()
        day, _, unit = mine[0]
        before = prior.get(participant) if policy.prior_records == "exclude" else None
        if before is not None and (
            policy.lapse_days is None or (day - before).days < policy.lapse_days
        ):
            excluded[Exclusion.PREVIOUSLY_ENROLLED] += 1
            excluded[Exclusion.REPEAT_PARTICIPANT] += len(mine) - 1
            continue
        # The counted record is the first, or (transfers) the last; the others are set aside.
        others = mine[1:]
        if policy.transfers == "last":
            unit, others = mine[-1][2], mine[:-1]
        for _, _, other in others:
            moved = other != unit and policy.transfers == "last"
            excluded[Exclusion.TRANSFERRED if moved else Exclusion.REPEAT_PARTICIPANT] += 1
        rows.setdefault(unit, [0] * width)[(day - campaign.start).days] += 1
    return DailyCounts(
        start=campaign.start, end=last, grid=rows, exclusions=excluded, known_at=known_at
    )
