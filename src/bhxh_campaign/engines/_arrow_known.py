"""Late records, cancellations and `NewParticipantPolicy` on the arrow engine.

The arrow engine (`daily_counts_arrow`) counts a records file with ``recorded_on`` and
``cancelled_on`` columns, as known at the end of a day, under any policy, exactly as
`bhxh_campaign.daily_counts` does. `Known` is the part of the rule that the plain count
does not have: batch by batch, it sets aside the window's records not yet recorded
(``recorded_after_known_at``) and those cancelled by then (``cancelled``), in that order,
before units and repeats are looked at; and, for a policy, it keeps each participant's
valid records before the campaign, then picks every participant's counted record (the
first, or with ``transfers="last"`` the unit of the latest) with sorts of integer keys,
comparing record ids as text only where two records of a participant share the day.

A row whose ``recorded_on`` is before its ``enrolled_on``, or whose ``cancelled_on`` is
before the record was known, is doubtful: the exact path names it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from bhxh_campaign.counting import DailyCounts, Exclusion, NewParticipantPolicy
from bhxh_campaign.engines._arrow_cells import EPOCH, DoubtfulError, optional_day_offsets
from bhxh_campaign.engines._common import PYTHON_ONLY

__all__ = ["OPTIONAL", "Known", "with_known"]

OPTIONAL = tuple(sorted(PYTHON_ONLY))
"""The optional day columns of a records file that the as-known-on rule reads."""

# A day offset later than any real one: an empty cancelled_on is never on or before it.
_NEVER = 1 << 40

Cell = tuple[str, dt.date, int]
RecordIds = Callable[[Any], list[str]]


class Known:
    """The as-known-on rule and a policy, applied batch by batch, then per participant."""

    def __init__(
        self,
        np: Any,
        start: dt.date,
        known_at: dt.date | None,
        policy: NewParticipantPolicy | None,
    ) -> None:
        self.np = np
        self.start = start
        self.origin = (start - EPOCH).days
        self.known_at = None if known_at is None else (known_at - start).days
        self.policy = None if policy is None or policy.is_default else policy
        self.extra: dict[str, int] = dict.fromkeys(
            (Exclusion.RECORDED_AFTER_KNOWN_AT, Exclusion.CANCELLED), 0
        )
        self.prior_keys: list[Any] = []
        self.prior_days: list[Any] = []
        self._lock = threading.Lock()  # `keep` runs in the reader's worker threads

    def keep(self, batch: Any, offset: Any, inside: Any, key: Any) -> Any:
        """Which records of the window are neither late nor cancelled; tally the others.

        ``offset`` holds each record's day from the campaign's start, ``inside`` whether
        it is in the window. Also keeps, for a policy that looks at them, the participant
        and day of each valid record before the campaign.
        """
        np = self.np
        names = batch.schema.names
        known_on = offset
        if "recorded_on" in names:
            recorded, empty = optional_day_offsets(np, batch.column("recorded_on"))
            recorded -= self.origin
            if bool((~empty & (recorded < offset)).any()):
                raise DoubtfulError
            known_on = np.where(empty, offset, recorded)
        cancelled = None
        if "cancelled_on" in names:
            day, empty = optional_day_offsets(np, batch.column("cancelled_on"))
            cancelled = np.where(empty, _NEVER, day - self.origin)
            if bool((cancelled < known_on).any()):
                raise DoubtfulError
        valid = np.ones(len(offset), dtype=bool)
        if self.known_at is not None:
            valid = known_on <= self.known_at
        late = int(np.count_nonzero(inside & ~valid))
        if cancelled is not None:
            valid &= cancelled > (_NEVER - 1 if self.known_at is None else self.known_at)
        kept = inside & valid
        cancelled_n = int(np.count_nonzero(inside)) - late - int(np.count_nonzero(kept))
        prior: tuple[Any, Any] | None = None
        if self.policy is not None and self.policy.prior_records == "exclude":
            before = valid & (offset < 0)
            prior = (key[before], offset[before])
        with self._lock:
            self.extra[Exclusion.RECORDED_AFTER_KNOWN_AT] += late
            self.extra[Exclusion.CANCELLED] += cancelled_n
            if prior is not None:
                self.prior_keys.append(prior[0])
                self.prior_days.append(prior[1])
        return kept

    def rows(
        self,
        keys: Any,
        days: Any,
        codes: Any,
        record_ids: RecordIds,
        *,
        length: int,
        width: int,
    ) -> dict[str, list[int]]:
        """New participants per unit and day under the policy; tallies the rest.

        Each row has ``width`` days from the start; ``record_ids`` gives the record ids of
        candidate rows, for ties on a day; ``length`` is the unit codes' length.
        """
        np = self.np
        policy = self.policy
        assert policy is not None
        if not len(keys):
            return {}
        order = np.lexsort((days, keys))
        ordered = keys[order]
        new = np.r_[True, ordered[1:] != ordered[:-1]]
        starts = np.flatnonzero(new)
        group = np.empty(len(keys), dtype=np.int64)
        group[order] = np.cumsum(new) - 1
        first_day = days[order][starts]
        last_day = days[order][np.r_[starts[1:], len(keys)] - 1]
        first = _pick(np, group, days, first_day, codes=codes, record_ids=record_ids, largest=False)
        unit = codes[first]
        if policy.transfers == "last":
            last = _pick(
                np, group, days, last_day, codes=codes, record_ids=record_ids, largest=True
            )
            unit = codes[last]
        previously = self._previously(ordered[starts], first_day)
        self.extra[Exclusion.PREVIOUSLY_ENROLLED] = int(np.count_nonzero(previously))
        if policy.transfers == "last":
            moved = (codes != unit[group]) & ~previously[group]
            self.extra[Exclusion.TRANSFERRED] = int(np.count_nonzero(moved))
        counted = ~previously
        cell, n = np.unique(unit[counted] * width + first_day[counted], return_counts=True)
        rows: dict[str, list[int]] = {}
        for c, k in zip(cell.tolist(), n.tolist(), strict=True):
            rows.setdefault(f"{c // width:0{length}d}", [0] * width)[c % width] = k
        return rows

    def _previously(self, participants: Any, first_day: Any) -> Any:
        """Whether each participant (sorted keys) was enrolled before, with no lapse since."""
        np = self.np
        policy = self.policy
        found = np.zeros(len(participants), dtype=bool)
        if policy is None or not self.prior_keys:
            return found
        keys, days = np.concatenate(self.prior_keys), np.concatenate(self.prior_days)
        if not len(keys):
            return found
        order = np.lexsort((days, keys))
        keys, days = keys[order], days[order]
        latest = np.r_[keys[1:] != keys[:-1], True]  # each participant's latest prior day
        keys, days = keys[latest], days[latest]
        at = np.minimum(np.searchsorted(keys, participants), len(keys) - 1)
        found = keys[at] == participants
        if policy.lapse_days is not None:
            found &= (first_day - days[at]) < policy.lapse_days
        return found

    def finish(self, counts: DailyCounts, known_at: dt.date | None) -> DailyCounts:
        """``counts`` with the known-at day and this rule's tallies.

        The plain count tallies every candidate it did not count as a repeat; under a
        policy some of them were set aside as previously enrolled or transferred.
        """
        excluded = counts.excluded
        repeat = excluded.get(Exclusion.REPEAT_PARTICIPANT, 0)
        moved = self.extra.get(Exclusion.PREVIOUSLY_ENROLLED, 0)
        moved += self.extra.get(Exclusion.TRANSFERRED, 0)
        tallies = {**excluded, **self.extra, Exclusion.REPEAT_PARTICIPANT: repeat - moved}
        return DailyCounts(
            start=counts.start,
            end=counts.end,
            grid=counts.grid,
            exclusions=tallies,
            known_at=known_at,
        )


def _pick(
    np: Any,
    group: Any,
    days: Any,
    target: Any,
    *,
    codes: Any,
    record_ids: RecordIds,
    largest: bool,
) -> Any:
    """The row of each group on its ``target`` day with the least (or greatest) record id."""
    on = days == target[group]
    per_group = np.bincount(group[on], minlength=len(target))
    picked = np.zeros(len(target), dtype=np.int64)
    alone = np.flatnonzero(on & (per_group[group] == 1))
    picked[group[alone]] = alone
    tied = np.flatnonzero(on & (per_group[group] > 1))
    if len(tied):
        best: dict[int, tuple[str, int, int]] = {}
        for g, rid, code, row in zip(
            group[tied].tolist(), record_ids(tied), codes[tied].tolist(), tied.tolist(), strict=True
        ):
            mine = (rid, code, row)
            if g not in best or (mine > best[g] if largest else mine < best[g]):
                best[g] = mine
        for g, (_, _, row) in best.items():
            picked[g] = row
    return picked


def with_known(header: list[str], known_at: dt.date | None, policy: object) -> bool:
    """Whether counting needs the as-known-on rule: a day, a policy, or the columns."""
    plain = policy is None or (isinstance(policy, NewParticipantPolicy) and policy.is_default)
    return known_at is not None or not plain or bool(PYTHON_ONLY & {n.strip() for n in header})
