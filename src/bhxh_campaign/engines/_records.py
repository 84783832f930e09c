"""A faster pure-Python count of in-memory records, with the same result as `daily_counts`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.engines._common import CANDIDATE, build_counts, last_day
from bhxh_campaign.model import Campaign, EnrollmentRecord

__all__ = ["daily_counts_records"]

_UNIT_AND_DAY = itemgetter(2, 0)


def daily_counts_records(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
) -> DailyCounts:
    """`bhxh_campaign.daily_counts`, tuned for millions of in-memory records.

    The same rule, the same checks in the same order and the same `DailyCounts`; it only
    keeps the tallies in local integers, builds each participant's sort key once, and
    groups the first records with a C-level `collections.Counter`.

    Args:
        records: the enrollment records, in any order.
        campaign: the campaign whose window is counted.
        as_of: the last day counted, inclusive; defaults to the campaign's last day.
        units: the campaign's district codes (see `bhxh_campaign.daily_counts`).

    Raises:
        InvalidValueError: ``as_of`` is before the campaign starts.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> counts = daily_counts_records(bundle.records, bundle.campaign,
        ...                               as_of=dt.date(2023, 5, 18))
        >>> counts == bundle.counts(dt.date(2023, 5, 18)), counts.total()
        (True, 1928)
    """
    last = last_day(campaign, as_of)
    start, end = campaign.start, campaign.end
    known = None if units is None else frozenset(units)
    before = after = later = unknown = candidates = 0
    first: dict[str, tuple[dt.date, str, str]] = {}
    best_of = first.get
    for record in records:
        day = record.enrolled_on
        if day < start:
            before += 1
            continue
        if day > last:
            if day > end:
                after += 1
            else:
                later += 1
            continue
        unit = record.district_code
        if known is not None and unit not in known:
            unknown += 1
            continue
        candidates += 1
        participant = record.participant_id
        key = (day, record.record_id, unit)
        best = best_of(participant)
        if best is None or key < best:
            first[participant] = key
    cells = Counter(map(_UNIT_AND_DAY, first.values()))
    return build_counts(
        campaign,
        last,
        known,
        ((unit, day, n) for (unit, day), n in cells.items()),
        {CANDIDATE: candidates, 1: before, 2: after, 3: later, 4: unknown},
    )
