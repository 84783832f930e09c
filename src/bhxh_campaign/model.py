"""The domain types: `Campaign`, `District`, `Province`, `Target`, `EnrollmentRecord`.

All are immutable, slotted attrs classes, validated on construction (and again by
`attrs.evolve`), hashed by value, with text normalised to NFC. A participant's identifier is
never shown in full: `repr`, `str` and error messages mask it.

Examples:
    >>> import datetime as dt
    >>> d = District(code="221", name="Yên Dũng", kind=UnitKind.HUYEN, province_code="24")
    >>> d.name, d.kind.label_vi
    ('Yên Dũng', 'huyện')
    >>> r = EnrollmentRecord(
    ...     record_id="r1", participant_id="2412345678", district_code="221",
    ...     enrolled_on=dt.date(2023, 5, 12))
    >>> r  # doctest: +NORMALIZE_WHITESPACE
    EnrollmentRecord(record_id='r1', participant_id='******5678', district_code='221',
                     enrolled_on=datetime.date(2023, 5, 12), commune_code=None,
                     payment_method=None, recorded_on=None, cancelled_on=None)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any, Final, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import (
    date,
    is_date,
    is_member,
    is_optional_date,
    is_plain_text,
    is_text,
    mask_id,
    masked_repr,
    member,
    optional_date,
    optional_text,
    positive_int,
    text,
)
from bhxh_campaign.admin import Commune, District, Province, Unit, _province_code, unit_type
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.levels import UnitKind, UnitLevel, is_province_code

__all__ = [
    "MAX_CAMPAIGN_DAYS",
    "NATIONAL",
    "Campaign",
    "Commune",
    "District",
    "EnrollmentRecord",
    "Measure",
    "PaymentMethod",
    "Province",
    "Target",
    "TargetVersion",
    "Unit",
    "UnitKind",
    "check_campaign_units",
    "unit_type",
]

NATIONAL: Final = "national"
"""The scope of a campaign that covers every province."""


class Measure(enum.Enum):
    """What a target measures.

    Examples:
        >>> Measure("new").is_flow
        True
    """

    NEW = "new"  # a flow: new participants added during the campaign (tăng mới)
    STOCK = "stock"  # a stock: participants on a date (số người tham gia)

    @property
    def is_flow(self) -> bool:
        """Whether the measure adds up over days (new participants) rather than a level."""
        return self is Measure.NEW


class TargetVersion(enum.Enum):
    """Which version of a plan a target belongs to.

    Examples:
        >>> TargetVersion("supplemented")
        <TargetVersion.SUPPLEMENTED: 'supplemented'>
    """

    ORIGINAL = "original"  # the plan as first assigned (kế hoạch giao)
    SUPPLEMENTED = "supplemented"  # a revised plan (kế hoạch bổ sung / điều chỉnh)


class PaymentMethod(enum.Enum):
    """How a voluntary participant pays contributions (phương thức đóng).

    Examples:
        >>> PaymentMethod("annual")
        <PaymentMethod.ANNUAL: 'annual'>
    """

    MONTHLY = "monthly"  # hằng tháng
    QUARTERLY = "quarterly"  # 3 tháng một lần
    SEMIANNUAL = "semiannual"  # 6 tháng một lần
    ANNUAL = "annual"  # 12 tháng một lần
    LUMP_SUM_FUTURE = "lump_sum_future"  # một lần cho nhiều năm về sau
    LUMP_SUM_PAST = "lump_sum_past"  # một lần cho những năm còn thiếu


def _measure(value: Measure | str) -> Measure:
    return member(Measure, value)  # type: ignore[return-value]


def _target_version(value: TargetVersion | str) -> TargetVersion:
    return member(TargetVersion, value)  # type: ignore[return-value]


def _payment_method(value: PaymentMethod | str | None) -> PaymentMethod | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return member(PaymentMethod, value)  # type: ignore[return-value]


def _scope(value: str) -> str:
    value = text(value)
    return NATIONAL if isinstance(value, str) and value.casefold() == NATIONAL else value


def _scope_validator(instance: Campaign, attribute: attrs.Attribute[Any], value: str) -> None:
    if value != NATIONAL:
        _province_code(instance, attribute, value)


def _level(value: UnitLevel | str) -> UnitLevel:
    return member(UnitLevel, value)  # type: ignore[return-value]


def _level_in_force(instance: Campaign, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, UnitLevel):
        return
    for day in (instance.start, instance.end):
        if not value.is_valid_on(day):
            bound = f"from {value.valid_from}" if value.valid_from else f"until {value.valid_to}"
            msg = (
                f"a {value.label_en}-level campaign must run {bound}, got"
                f" {instance.start} to {instance.end}"
            )
            raise InvalidValueError(msg, field="level")


def _ends_after_start(instance: Campaign, attribute: attrs.Attribute[Any], value: dt.date) -> None:
    if value < instance.start:
        msg = f"end must not be before start, got start={instance.start} and end={value}"
        raise InvalidValueError(msg, field="end")


MAX_CAMPAIGN_DAYS: Final = 3 * 365 + 1
"""The longest campaign, in days (three years, one of them leap): a longer one is refused.

A report, a chart and a page have a row or a point per day; a campaign from year 1 to
9999 would take minutes to chart and write a page of tens of megabytes. Campaigns run a
month, a quarter or a year."""


def _not_too_long(instance: Campaign, attribute: attrs.Attribute[Any], value: dt.date) -> None:
    days = (value - instance.start).days + 1
    if days > MAX_CAMPAIGN_DAYS:
        msg = (
            f"end must be at most {MAX_CAMPAIGN_DAYS} days (three years) after start, got"
            f" {days} days, from {instance.start} to {value}"
        )
        raise InvalidValueError(msg, field="end")


@final
@frozen
class Campaign:
    """An enrollment campaign: a scope, a period of calendar days and what it counts.

    Attributes:
        id: a short identifier, e.g. ``"bac-giang-2023-peak-month"``.
        name: the campaign's name as published.
        scope: a two-digit province code, or `NATIONAL`.
        start: the first day of the campaign (Vietnamese calendar, inclusive).
        end: the last day of the campaign (inclusive), at most `MAX_CAMPAIGN_DAYS` days
            (three years) from ``start``.
        measure: what its targets count; campaigns count new participants.
        level: the level of the units it reports on; by default the level in force on
            its first day (districts before 2025-07-01, communes and wards from then on).
            Both its days must fall where the level is in force.

    Examples:
        >>> import datetime as dt
        >>> c = Campaign(id="bg-2023-05", name="Tháng cao điểm", scope="24",
        ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
        >>> c.days, c.contains(dt.date(2023, 5, 31))
        (31, True)
    """

    id: str = field(converter=text, validator=is_plain_text)
    name: str = field(converter=text, validator=is_plain_text)
    scope: str = field(converter=_scope, validator=[is_text, _scope_validator])
    start: dt.date = field(converter=date, validator=is_date)
    end: dt.date = field(converter=date, validator=[is_date, _ends_after_start, _not_too_long])
    measure: Measure = field(default=Measure.NEW, converter=_measure, validator=is_member(Measure))
    level: UnitLevel = field(converter=_level, validator=[is_member(UnitLevel), _level_in_force])

    @level.default
    def _level_default(self) -> UnitLevel:
        return UnitLevel.on(self.start)

    @property
    def days(self) -> int:
        """The number of calendar days in the campaign, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def is_national(self) -> bool:
        """Whether the campaign covers every province."""
        return self.scope == NATIONAL

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls within the campaign (both ends included)."""
        return self.start <= day <= self.end


def _target_unit(instance: Target, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_province_code(value) and UnitLevel.of_code(value) is None:
        msg = f"unit_code must be a province code or {_unit_lengths()}, got {value!r}"
        raise InvalidValueError(msg, field="unit_code")


@final
@frozen
class Target:
    """A unit's planned figure in a campaign (chỉ tiêu, kế hoạch được giao).

    Attributes:
        unit_code: a unit's code (a district's three digits, a commune's five) or a
            province code (two digits).
        campaign_id: the `Campaign.id` the target belongs to.
        value: the planned number, a whole number above zero.
        measure: `Measure.NEW` for new participants in the campaign (a flow, like 3,285)
            or `Measure.STOCK` for participants on a date (a stock, like the 52,139 goal).
        version: `TargetVersion.ORIGINAL` (the default) or `TargetVersion.SUPPLEMENTED`,
            for a plan revised mid-campaign.
        effective_from: the first day the target is in force; None means from the start.
            A report uses, per unit, the target in force on its as-of day: the one with
            the latest ``effective_from`` on or before it.

    Examples:
        >>> Target(unit_code="221", campaign_id="bg", value=285).is_district
        True
        >>> import datetime as dt
        >>> revised = Target(unit_code="221", campaign_id="bg", value=300,
        ...                  version="supplemented", effective_from=dt.date(2023, 5, 15))
        >>> [revised.is_in_force_on(dt.date(2023, 5, d)) for d in (14, 15)]
        [False, True]
        >>> Target(unit_code="24", campaign_id="bg", value=0)
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.InvalidValueError: value must be a whole number above zero, got 0
    """

    unit_code: str = field(converter=text, validator=[is_text, _target_unit])
    campaign_id: str = field(converter=text, validator=is_text)
    value: int = field(validator=positive_int)
    measure: Measure = field(default=Measure.NEW, converter=_measure, validator=is_member(Measure))
    version: TargetVersion = field(
        default=TargetVersion.ORIGINAL,
        converter=_target_version,
        validator=is_member(TargetVersion),
    )
    effective_from: dt.date | None = field(
        default=None, converter=optional_date, validator=is_optional_date
    )

    def is_in_force_on(self, day: dt.date) -> bool:
        """Whether the target has taken effect by ``day`` (it may since be superseded)."""
        return self.effective_from is None or self.effective_from <= day

    @property
    def level(self) -> UnitLevel | None:
        """The level of the unit the target belongs to; None for a province."""
        return UnitLevel.of_code(self.unit_code)

    @property
    def is_province(self) -> bool:
        """Whether the target belongs to a province (rather than one of its units)."""
        return self.level is None

    @property
    def is_district(self) -> bool:
        """Whether the target belongs to a district-level unit."""
        return self.level is UnitLevel.DISTRICT


def _unit_lengths() -> str:
    return " or ".join(
        f"a {level.label_en} code ({level.code_length} digits)" for level in UnitLevel
    )


def _record_unit(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if UnitLevel.of_code(value) is None:
        msg = f"district_code must be {_unit_lengths()}, got {value!r}"
        raise InvalidValueError(msg, field="district_code")


def _optional_commune(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not UnitLevel.COMMUNE.matches(value):
        msg = f"commune_code must be {UnitLevel.COMMUNE.code_length} digits, got {value!r}"
        raise InvalidValueError(msg, field="commune_code")


def _participant_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        shown = mask_id(str(value))
        msg = f"participant_id must be digits only, got {shown!r}"
        raise InvalidValueError(msg, field="participant_id")
    if len(value) not in (10, 12):
        msg = (
            f"participant_id must be a 10-digit social-insurance number or a 12-digit"
            f" citizen id, got {len(value)} digits ({mask_id(value)!r})"
        )
        raise InvalidValueError(msg, field="participant_id")


def _recorded_after_enrolled(
    instance: EnrollmentRecord, attribute: attrs.Attribute[Any], value: dt.date | None
) -> None:
    if value is not None and value < instance.enrolled_on:
        msg = (
            f"recorded_on must not be before enrolled_on, got enrolled_on={instance.enrolled_on}"
            f" and recorded_on={value}"
        )
        raise InvalidValueError(msg, field="recorded_on")


def _cancelled_after_recorded(
    instance: EnrollmentRecord, attribute: attrs.Attribute[Any], value: dt.date | None
) -> None:
    if value is not None and value < instance.known_on:
        msg = (
            f"cancelled_on must not be before the record was recorded, got"
            f" recorded on {instance.known_on} and cancelled_on={value}"
        )
        raise InvalidValueError(msg, field="cancelled_on")


def _strip(value: str) -> str:
    return value.strip() if isinstance(value, str) else value


@final
@frozen
class EnrollmentRecord:
    """One enrollment of one participant in one reporting unit on one day.

    The participant identifier stays a string, leading zeros intact, and is masked
    (``******5678``) wherever the record is shown.

    Attributes:
        record_id: the record's identifier in its source system.
        participant_id: a 10-digit social-insurance number (mã số BHXH) or a 12-digit
            personal identification number (số định danh cá nhân / CCCD).
        district_code: the GSO code of the reporting unit it counts under, at the
            campaign's level: a district (3 digits) before 2025-07-01, a commune or ward
            (5 digits, e.g. ``"07210"``) from then on. The name is the file column's since
            2023; `unit_code` reads the same value.
        enrolled_on: the Vietnamese calendar day of the enrollment. An aware datetime is
            converted to Asia/Ho_Chi_Minh first.
        commune_code: the five-digit GSO code of the commune, if known (in a district
            campaign, the commune within the district; pre-reform codes can be re-keyed
            to the commune that took the commune over).
        payment_method: how the participant pays, if known.
        recorded_on: the Vietnamese calendar day the record entered the system (collection
            agents enter records days late); None means the day it happened,
            ``enrolled_on`` (see `known_on`). Never before ``enrolled_on``.
        cancelled_on: the day the record was cancelled, or None. A correction is a
            cancellation plus a new record. Never before the record was recorded.

    Examples:
        >>> import datetime as dt
        >>> r = EnrollmentRecord(record_id="r1", participant_id="0241234567",
        ...                      district_code="221", enrolled_on=dt.date(2023, 5, 12),
        ...                      payment_method="annual")
        >>> r.participant_id, r.masked_participant_id
        ('0241234567', '******4567')
        >>> late = attrs.evolve(r, recorded_on=dt.date(2023, 5, 20))
        >>> late.known_on, late.is_known_at(dt.date(2023, 5, 18)), r.known_on
        (datetime.date(2023, 5, 20), False, datetime.date(2023, 5, 12))
        >>> gone = attrs.evolve(r, cancelled_on=dt.date(2023, 5, 19))
        >>> gone.is_cancelled_at(dt.date(2023, 5, 18)), gone.is_cancelled_at(None)
        (False, True)
    """

    record_id: str = field(converter=text, validator=is_text)
    participant_id: str = field(converter=_strip, validator=_participant_id, repr=masked_repr)
    district_code: str = field(converter=text, validator=[is_text, _record_unit])
    enrolled_on: dt.date = field(converter=date, validator=is_date)
    commune_code: str | None = field(
        default=None, converter=optional_text, validator=_optional_commune
    )
    payment_method: PaymentMethod | None = field(
        default=None, converter=_payment_method, validator=is_member(PaymentMethod, optional=True)
    )
    recorded_on: dt.date | None = field(
        default=None,
        converter=optional_date,
        validator=[is_optional_date, _recorded_after_enrolled],
    )
    cancelled_on: dt.date | None = field(
        default=None,
        converter=optional_date,
        validator=[is_optional_date, _cancelled_after_recorded],
    )

    @property
    def known_on(self) -> dt.date:
        """The day the record entered the system: ``recorded_on``, else ``enrolled_on``."""
        return self.enrolled_on if self.recorded_on is None else self.recorded_on

    def is_known_at(self, day: dt.date) -> bool:
        """Whether the record had been recorded by the end of ``day``."""
        return self.known_on <= day

    def is_cancelled_at(self, day: dt.date | None) -> bool:
        """Whether the record had been cancelled by the end of ``day`` (None: ever)."""
        return self.cancelled_on is not None and (day is None or self.cancelled_on <= day)

    @property
    def unit_code(self) -> str:
        """The reporting unit's code (the ``district_code`` field, at either level)."""
        return self.district_code

    @property
    def masked_participant_id(self) -> str:
        """The participant identifier with all but its last four digits masked."""
        return mask_id(self.participant_id)


def check_campaign_units(campaign: Campaign, units: Iterable[Unit]) -> tuple[Unit, ...]:
    """The campaign's units, each checked to be of its level and in force on its days.

    Raises:
        InvalidValueError: a unit is of another level than the campaign's (a campaign
            cannot mix districts and communes), or did not exist on one of its days.

    Examples:
        >>> import datetime as dt
        >>> may = Campaign(id="bn", name="Tháng 5", scope="24", start=dt.date(2026, 5, 1),
        ...                end=dt.date(2026, 5, 31))
        >>> check_campaign_units(may, [District(code="221", name="Yên Dũng", kind="huyen",
        ...                                     province_code="24")])
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.InvalidValueError: unit '221' (huyện Yên Dũng) is a district, but
        campaign 'bn' reports on communes and wards
    """
    checked = tuple(units)
    level = campaign.level
    for unit in checked:
        if unit.level is not level:
            msg = (
                f"unit {unit.code!r} ({unit.full_name_vi}) is a {unit.level.label_en}, but"
                f" campaign {campaign.id!r} reports on {level.plural_en}"
            )
            raise InvalidValueError(msg, field="code")
        for day in (campaign.start, campaign.end):
            if not unit.is_valid_on(day):
                msg = (
                    f"unit {unit.code!r} ({unit.full_name_vi}) did not exist on {day}, a day"
                    f" of campaign {campaign.id!r}"
                )
                raise InvalidValueError(msg, field="valid_to")
    return checked
