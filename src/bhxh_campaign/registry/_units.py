"""The registry's value types, `RegistryProvince` and `RegistryUnit`, and `fold`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final, final

import attrs
from attrs import field, frozen

from bhxh_campaign._text import fold_diacritics
from bhxh_campaign._validators import (
    digits,
    is_member,
    is_optional_date,
    is_text,
    member,
    optional_date,
    optional_text,
    text,
)
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.levels import PROVINCE_CODE_LENGTH, UnitKind, UnitLevel

__all__ = ["RegistryProvince", "RegistryUnit", "fold"]


_UNIT_CODE: Final = digits(tuple(level.code_length for level in UnitLevel))
_PROVINCE_CODE: Final = digits(PROVINCE_CODE_LENGTH)
_DISTRICT_CODE: Final = digits(UnitLevel.DISTRICT.code_length)


def fold(value: str) -> str:
    """Text folded for matching names.

    Casefolded, decomposed (NFD), without accents or any other mark (Unicode category
    M), ``đ`` spelled ``d``, runs of white space as one space and none at either end.

    Examples:
        >>> fold("  Phường   Yên DŨNG "), fold("Đặc khu Côn Đảo"), fold("Hoà") == fold("Hòa")
        ('phuong yen dung', 'dac khu con dao', True)
    """
    return " ".join(fold_diacritics(value).split())


def is_valid(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Whether ``day`` is within start..end (both inclusive; None is open)."""
    return (start is None or start <= day) and (end is None or day <= end)


def span(start: dt.date | None, end: dt.date | None) -> str:
    """A period in words: ``"until 2024-12-31"``, ``"from 2025-07-01"``, ...

    Examples:
        >>> span(None, dt.date(2024, 12, 31)), span(dt.date(2025, 7, 1), None), span(None, None)
        ('until 2024-12-31', 'from 2025-07-01', 'always')
    """
    if start is None:
        return "always" if end is None else f"until {end}"
    return f"from {start}" if end is None else f"from {start} to {end}"


def _check_span(instance: Any, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
    if value is not None and instance.valid_from is not None and value < instance.valid_from:
        msg = (
            f"valid_to must not be before valid_from, got valid_from={instance.valid_from}"
            f" and valid_to={value}"
        )
        raise InvalidValueError(msg, field="valid_to")


@final
@frozen
class RegistryProvince:
    """A province-level unit (tỉnh, thành phố trực thuộc trung ương) with its days in force.

    Attributes:
        code: the two-digit code, e.g. ``"24"``.
        name: the name without its kind, e.g. ``"Bắc Ninh"``.
        full_name: the name as written, e.g. ``"Tỉnh Bắc Ninh"``.
        valid_from: its first day under this code and name, or None (not recorded).
        valid_to: its last day (both ends are inclusive), or None (still in force).

    Examples:
        >>> import datetime as dt
        >>> p = RegistryProvince("24", "Bắc Ninh", "Tỉnh Bắc Ninh", dt.date(2025, 7, 1))
        >>> p.is_valid_on(dt.date(2025, 6, 30)), p.is_valid_on(dt.date(2025, 7, 1))
        (False, True)
    """

    code: str = field(converter=text, validator=[is_text, _PROVINCE_CODE])
    name: str = field(converter=text, validator=is_text)
    full_name: str = field(converter=text, validator=is_text)
    valid_from: dt.date | None = field(
        default=None, converter=optional_date, validator=is_optional_date
    )
    valid_to: dt.date | None = field(
        default=None, converter=optional_date, validator=[is_optional_date, _check_span]
    )

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the province had this code and name on ``day``."""
        return is_valid(self.valid_from, self.valid_to, day)


def _kind(value: UnitKind | str) -> UnitKind:
    return member(UnitKind, value)  # type: ignore[return-value]


@final
@frozen
class RegistryUnit:
    """A district- or commune-level unit with its days in force.

    Attributes:
        code: three digits (district level) or five (commune level).
        name: the name without its kind, NFC, e.g. ``"Yên Dũng"`` or ``"1"`` (Quận 1).
        kind: the kind of unit, which fixes its level.
        province_code: the code of its province in the same period.
        district_code: a pre-reform commune's district, else None.
        valid_from: its first day under this code, name and kind, or None (not recorded).
        valid_to: its last day (both ends are inclusive), or None (still in force).

    Examples:
        >>> import datetime as dt
        >>> u = RegistryUnit("07681", "Yên Dũng", "phuong", "24", valid_from=dt.date(2025, 7, 1))
        >>> u.full_name, u.level, u.is_valid_on(dt.date(2025, 6, 30))
        ('Phường Yên Dũng', <UnitLevel.COMMUNE: 'commune'>, False)
    """

    code: str = field(converter=text, validator=[is_text, _UNIT_CODE])
    name: str = field(converter=text, validator=is_text)
    kind: UnitKind = field(converter=_kind, validator=is_member(UnitKind))
    province_code: str = field(converter=text, validator=[is_text, _PROVINCE_CODE])
    district_code: str | None = field(
        default=None, converter=optional_text, validator=_DISTRICT_CODE
    )
    valid_from: dt.date | None = field(
        default=None, converter=optional_date, validator=is_optional_date
    )
    valid_to: dt.date | None = field(
        default=None, converter=optional_date, validator=[is_optional_date, _check_span]
    )

    @property
    def level(self) -> UnitLevel:
        """The level of the unit (district or commune)."""
        return self.kind.level

    @property
    def full_name(self) -> str:
        """The name with its kind, as on a letterhead: ``"Thị xã Việt Yên"``."""
        label = self.kind.label_vi
        return f"{label[0].upper()}{label[1:]} {self.name}"

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the unit had this code, name and kind on ``day``."""
        return is_valid(self.valid_from, self.valid_to, day)


def periods(units: Iterable[RegistryUnit]) -> str:
    """The periods of a code in words, e.g. ``"as Huyện Yên Dũng until 2024-12-31"``."""
    return ", ".join(f"as {u.full_name} {span(u.valid_from, u.valid_to)}" for u in units)
