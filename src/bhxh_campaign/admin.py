"""Administrative units: `Province`, and `District` and `Commune`, the two kinds of `Unit`.

A campaign reports on units of one level (`bhxh_campaign.levels.UnitLevel`): districts
before 2025-07-01, communes and wards from then on. The types are re-exported by
`bhxh_campaign.model` and at the top level.

Examples:
    >>> District(code="221", name="Yên Dũng", kind="huyen", province_code="24").level
    <UnitLevel.DISTRICT: 'district'>
    >>> Commune(code="07210", name="Bắc Giang", kind="phuong", province_code="24").code
    '07210'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import (
    is_member,
    is_optional_date,
    is_plain_text,
    is_text,
    member,
    optional_date,
    text,
)
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.levels import PROVINCE_CODE_LENGTH, UnitKind, UnitLevel, is_province_code

__all__ = ["Commune", "District", "Province", "Unit", "check_unit_codes", "unit_type"]


def _unit_kind(value: UnitKind | str) -> UnitKind:
    return member(UnitKind, value)  # type: ignore[return-value]


def _validity(instance: Unit, attribute: attrs.Attribute[Any], value: object) -> None:
    if instance.valid_from and instance.valid_to and instance.valid_from > instance.valid_to:
        msg = (
            f"valid_to must not be before valid_from, got valid_from={instance.valid_from}"
            f" and valid_to={instance.valid_to}"
        )
        raise InvalidValueError(msg, field="valid_to")


def _province_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_province_code(value):
        msg = f"{attribute.name} must be {PROVINCE_CODE_LENGTH} digits, got {value!r}"
        raise InvalidValueError(msg, field=attribute.name)


@final
@frozen
class Province:
    """A province-level unit (tỉnh / thành phố trực thuộc trung ương).

    Attributes:
        code: the two-digit GSO code, e.g. ``"24"``.
        name: the name without its kind, e.g. ``"Bắc Giang"``.

    Examples:
        >>> Province(code="24", name=" Bắc Giang ")
        Province(code='24', name='Bắc Giang')
    """

    code: str = field(converter=text, validator=_province_code)
    name: str = field(converter=text, validator=is_plain_text)


def _unit_code(instance: Unit, attribute: attrs.Attribute[Any], value: object) -> None:
    level = instance.level
    if not level.matches(value):
        msg = (
            f"code must be {level.code_length} digits (a {level.label_en}-level code),"
            f" got {value!r}"
        )
        raise InvalidValueError(msg, field="code")


def _kind_of_level(instance: Unit, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, UnitKind) and value.level is not instance.level:
        allowed = ", ".join(repr(k.value) for k in UnitKind if k.level is instance.level)
        msg = (
            f"kind {value.value!r} is not a {instance.level.label_en}-level kind;"
            f" a {type(instance).__name__} is one of {allowed}"
        )
        raise InvalidValueError(msg, field="kind")


@frozen
class Unit:
    """An administrative unit below the province, in a period: a `District` or a `Commune`.

    Not built directly: its level comes from the subclass. Units change (Yên Dũng (221)
    merged into Bắc Giang city on 2025-01-01), so a unit is a code *in a period*; both
    validity ends are inclusive and None means open.

    Attributes:
        code: the GSO code, of its level's length (`UnitLevel.code_length`).
        name: the name without its kind, e.g. ``"Yên Dũng"``.
        kind: the kind of unit, one of its level's kinds.
        province_code: the two-digit GSO code of its province.
        valid_from: the first day the unit existed with this code, or None.
        valid_to: the last day it existed with this code, or None.

    Examples:
        >>> unit_type(UnitLevel.COMMUNE)(code="07210", name="Bắc Giang", kind="phuong",
        ...                              province_code="24").full_name_vi
        'phường Bắc Giang'
    """

    LEVEL: ClassVar[UnitLevel | None] = None

    code: str = field(converter=text, validator=[is_text, _unit_code])
    name: str = field(converter=text, validator=is_plain_text)
    kind: UnitKind = field(converter=_unit_kind, validator=[is_member(UnitKind), _kind_of_level])
    province_code: str = field(converter=text, validator=_province_code)
    valid_from: dt.date | None = field(
        default=None, converter=optional_date, validator=is_optional_date
    )
    valid_to: dt.date | None = field(
        default=None, converter=optional_date, validator=[is_optional_date, _validity]
    )

    def __attrs_pre_init__(self) -> None:
        if type(self).LEVEL is None:
            msg = "Unit is abstract: build a District or a Commune (see unit_type)"
            raise TypeError(msg)

    @property
    def level(self) -> UnitLevel:
        """The level of the unit: `UnitLevel.DISTRICT` or `UnitLevel.COMMUNE`."""
        level = type(self).LEVEL
        assert level is not None
        return level

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the unit existed with this code on ``day`` (both ends inclusive)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def full_name_vi(self) -> str:
        """The name with its kind in Vietnamese, e.g. ``"huyện Yên Dũng"``."""
        return f"{self.kind.label_vi} {self.name}"


@final
@frozen
class District(Unit):
    """A district-level unit (huyện, quận, thị xã, thành phố thuộc tỉnh) in a period.

    The level of every campaign before 2025-07-01, when the district level was abolished.
    Its code has three digits; see `Unit` for the fields.

    Examples:
        >>> import datetime as dt
        >>> d = District(code="221", name="Yên Dũng", kind="huyen", province_code="24",
        ...              valid_to=dt.date(2024, 12, 31))
        >>> d.is_valid_on(dt.date(2023, 5, 18)), d.is_valid_on(dt.date(2025, 1, 1))
        (True, False)
        >>> d.full_name_vi, d.level
        ('huyện Yên Dũng', <UnitLevel.DISTRICT: 'district'>)
    """

    LEVEL: ClassVar[UnitLevel | None] = UnitLevel.DISTRICT


@final
@frozen
class Commune(Unit):
    """A commune-level unit (xã, phường, đặc khu) in a period.

    The level of every campaign from 2025-07-01 (two-tier local government). Its code has
    five digits (Decision 19/2025/QĐ-TTg) and is text: ``"07210"`` keeps its leading zero.
    See `Unit` for the fields.

    Examples:
        >>> c = Commune(code="07210", name="Bắc Giang", kind="phuong", province_code="24")
        >>> c.code, c.full_name_vi, c.level
        ('07210', 'phường Bắc Giang', <UnitLevel.COMMUNE: 'commune'>)
        >>> Commune(code="221", name="Yên Dũng", kind="xa", province_code="24")
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.InvalidValueError: code must be 5 digits (a commune-level code),
        got '221'
    """

    LEVEL: ClassVar[UnitLevel | None] = UnitLevel.COMMUNE


_UNIT_TYPES: Final[Mapping[UnitLevel, type[Unit]]] = {
    UnitLevel.DISTRICT: District,
    UnitLevel.COMMUNE: Commune,
}


def unit_type(level: UnitLevel) -> type[Unit]:
    """The unit type of a level: `District` or `Commune`.

    Examples:
        >>> unit_type(UnitLevel.DISTRICT).__name__
        'District'
    """
    return _UNIT_TYPES[level]


def check_unit_codes(units: Iterable[str], level: UnitLevel) -> frozenset[str]:
    """A campaign's unit codes, each checked to be of the campaign's ``level``.

    Raises:
        InvalidValueError: a code is not of the level (a campaign cannot mix levels).

    Examples:
        >>> sorted(check_unit_codes(["07228", "07210"], UnitLevel.COMMUNE))
        ['07210', '07228']
    """
    known = frozenset(units)
    for unit in sorted(known):
        if not level.matches(unit):
            msg = (
                f"unit {unit!r} is not a {level.label_en} code ({level.code_length} digits):"
                f" a {level.label_en}-level campaign cannot count it"
            )
            raise InvalidValueError(msg, field="units")
    return known
