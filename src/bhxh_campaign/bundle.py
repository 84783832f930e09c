"""`CampaignBundle`: a campaign with its districts, targets and records, as loaded.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, EnrollmentRecord, Target
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> b = CampaignBundle(
    ...     campaign=c,
    ...     districts=[District(code="221", name="Yên Dũng", kind="huyen", province_code="24")],
    ...     targets=[Target(unit_code="221", campaign_id="c", value=2)],
    ...     records=[EnrollmentRecord(record_id="1", participant_id="2400000001",
    ...                               district_code="221", enrolled_on=dt.date(2023, 5, 3))])
    >>> b.last_data_day()
    datetime.date(2023, 5, 3)
    >>> b.report().total.percent
    Decimal('50.00')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import final

from attrs import field, frozen

from bhxh_campaign._validators import check_date
from bhxh_campaign.counting import DailyCounts, NewParticipantPolicy, daily_counts
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import (
    Campaign,
    EnrollmentRecord,
    Province,
    Target,
    Unit,
    check_campaign_units,
)
from bhxh_campaign.report import CampaignReport, campaign_report
from bhxh_campaign.stock import StockBaseline

__all__ = ["CampaignBundle"]


# Typed converters: ``converter=tuple`` would lose the element type under mypy.
def _units(value: Iterable[Unit]) -> tuple[Unit, ...]:
    return tuple(value)


def _targets(value: Iterable[Target]) -> tuple[Target, ...]:
    return tuple(value)


def _records(value: Iterable[EnrollmentRecord] | None) -> tuple[EnrollmentRecord, ...] | None:
    return None if value is None else tuple(value)


def _provinces(value: Iterable[Province]) -> tuple[Province, ...]:
    return tuple(value)


def _baselines(value: Iterable[StockBaseline]) -> tuple[StockBaseline, ...]:
    return tuple(value)


@final
@frozen
class CampaignBundle:
    """A campaign and everything its report needs: the plan and the records.

    Attributes:
        campaign: the campaign.
        districts: its units, all at the campaign's level (`District` or `Commune`) and
            in force on its days; the name is kept from 2023, `units` reads the same.
        targets: its targets (new-participant targets per district, optionally per
            province, and stock goals).
        records: the enrollment records, in any order; None for a plan read without
            them (`load_plan`), whose `counts`, `report` and `records` then refuse, rather
            than count nothing (see `plan_only`).
        provinces: province names, where known.
        baselines: known stocks (participants of a stock goal's unit on a day, a
            folder's ``stocks.csv``), for `bhxh_campaign.stock_positions`; empty if none.

    Examples:
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> bundle.campaign.id, len(bundle.districts), len(bundle.records), bundle.last_data_day()
        ('bac-giang-2023-peak-month', 10, 3091, datetime.date(2023, 5, 31))
    """

    campaign: Campaign
    districts: tuple[Unit, ...] = field(converter=_units)
    targets: tuple[Target, ...] = field(converter=_targets)
    # Read through the `records` property, which refuses a plan without them.
    _records: tuple[EnrollmentRecord, ...] | None = field(
        alias="records", converter=_records, repr=False
    )
    provinces: tuple[Province, ...] = field(default=(), converter=_provinces)
    baselines: tuple[StockBaseline, ...] = field(default=(), converter=_baselines)

    @districts.validator
    def _check_units(self, _attribute: object, value: tuple[Unit, ...]) -> None:
        check_campaign_units(self.campaign, value)

    @property
    def records(self) -> tuple[EnrollmentRecord, ...]:
        """The enrollment records.

        Raises:
            InvalidValueError: the bundle is a plan read without its records (`load_plan`).
        """
        if self._records is None:
            msg = (
                f"the bundle of campaign {self.campaign.id!r} is its plan only, read without"
                " its records (load_plan): count the records with"
                " bhxh_campaign.engines.daily_counts_for and pass the counts to"
                " campaign_report, or read the whole folder with load_campaign"
            )
            raise InvalidValueError(msg, field="records")
        return self._records

    @property
    def plan_only(self) -> bool:
        """Whether the bundle is a plan read without its records (`load_plan`).

        Its campaign, units, targets and provinces are there; counting needs the records.
        """
        return self._records is None

    @property
    def units(self) -> tuple[Unit, ...]:
        """The campaign's units (districts or communes, at its level)."""
        return self.districts

    @property
    def level(self) -> UnitLevel:
        """The level the campaign reports on."""
        return self.campaign.level

    def last_data_day(self, known_at: dt.date | None = None) -> dt.date | None:
        """The last day within the campaign that has a record, or None if none has.

        Cancelled records do not count; with ``known_at``, only records known (and not
        cancelled) at the end of that day do.

        Raises:
            InvalidValueError: the bundle is a plan without its records (`plan_only`).
        """
        days = [
            r.enrolled_on
            for r in self.records
            if self.campaign.contains(r.enrolled_on)
            and (known_at is None or r.is_known_at(known_at))
            and not r.is_cancelled_at(known_at)
        ]
        return max(days, default=None)

    def counts(
        self,
        as_of: dt.date | None = None,
        *,
        known_at: dt.date | None = None,
        policy: NewParticipantPolicy | None = None,
    ) -> DailyCounts:
        """`daily_counts` over the campaign's districts through ``as_of``, as known at a day.

        ``known_at`` None (the default) uses everything known; ``policy`` None (the
        default) is the campaign rule of who is new (see `NewParticipantPolicy`).

        Raises:
            InvalidValueError: the bundle is a plan without its records (`plan_only`).
        """
        return daily_counts(
            self.records,
            self.campaign,
            as_of=as_of,
            units=[d.code for d in self.districts],
            known_at=known_at,
            policy=policy,
        )

    def report(
        self,
        as_of: dt.date | None = None,
        *,
        window_days: int = 7,
        known_at: dt.date | None = None,
        policy: NewParticipantPolicy | None = None,
    ) -> CampaignReport:
        """The `campaign_report` as of ``as_of`` (default: the last day that has data).

        Without records inside the campaign, the default is the campaign's first day.
        With ``known_at``, the report is what was known at the end of that day: a
        bulletin written on day D could show ``report(D, known_at=D)``. ``policy``
        chooses who counts as new (default: the campaign rule).

        Raises:
            InvalidValueError: the bundle is a plan without its records (`plan_only`):
                its report would say 0 and 0.00% everywhere; ``as_of`` is outside the
                campaign; or ``known_at`` is before the campaign's first day or before
                ``as_of`` (the days after it were not known then: the bulletin written
                on day K is ``report(K, known_at=K)``).

        Examples:
            >>> import datetime as dt
            >>> from bhxh_campaign import load_campaign
            >>> bundle = load_campaign("examples/bac_giang_2023")
            >>> bundle.report(dt.date(2023, 5, 18), known_at=dt.date(2023, 5, 18)).total.actual
            1928
        """
        if as_of is None:
            as_of = self.last_data_day(known_at) or self.campaign.start
        _check_days(self.campaign, as_of, known_at)
        return campaign_report(
            self.campaign,
            self.districts,
            self.targets,
            self.counts(as_of, known_at=known_at, policy=policy),
            window_days=window_days,
            provinces=self.provinces,
        )


def _check_days(campaign: Campaign, as_of: object, known_at: object) -> None:
    """Refuse an as-of day outside the campaign, and a known-at day before either."""
    day = check_date("as_of", as_of)
    if not campaign.contains(day):
        msg = f"as_of {day} is outside the campaign, {campaign.start} to {campaign.end}"
        raise InvalidValueError(msg, field="as_of")
    if known_at is None:
        return
    known = check_date("known_at", known_at)
    if known < campaign.start:
        msg = f"known_at {known} is before the campaign starts on {campaign.start}"
        raise InvalidValueError(msg, field="known_at")
    if known < day:
        msg = (
            f"known_at {known} is before as_of {day}: nothing enrolled after {known} was"
            f" known then, so the report would show those days as zeros; for the bulletin"
            f" of {known} use as_of={known} with known_at={known}, or a known_at on or"
            f" after {day}"
        )
        raise InvalidValueError(msg, field="known_at")
