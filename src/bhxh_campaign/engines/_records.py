"""The in-memory path of the engines: records already in memory need no engine at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bhxh_campaign.counting import DailyCounts, daily_counts
from bhxh_campaign.model import Campaign, EnrollmentRecord

__all__ = ["daily_counts_records"]


def daily_counts_records(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    *,
    as_of: dt.date | None = None,
    units: Iterable[str] | None = None,
) -> DailyCounts:
    """`bhxh_campaign.daily_counts` under the default policy, for in-memory records.

    It used to be a separately tuned copy of the loop; `daily_counts` now runs that loop
    itself, so this is the same function under the engines' name: the same rule, the
    same checks in the same order and the same `DailyCounts`, cancelled records
    (`EnrollmentRecord.cancelled_on`) set aside as ``cancelled`` included.

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
    return daily_counts(records, campaign, as_of=as_of, units=units)
