"""Administrative levels: the one place that says what a unit code looks like.

Vietnam had three tiers of local government until 30 June 2025 (province, district,
commune) and two from 1 July 2025 (province, commune), when the district level (huyện,
quận, thị xã, thành phố thuộc tỉnh) was abolished. A campaign reports on one level: the
2023 campaigns on districts (3-digit codes), every campaign since mid-2025 on communes and
wards (5-digit codes, Decision 19/2025/QĐ-TTg). `UnitLevel` holds each level's code
length, its kinds, its days in force and its words in both languages; every other layer
(the model, counting, the engines, the loaders, the report, the renderers) reads them from
here, and a test fails if a literal code length appears anywhere else.

Examples:
    >>> import datetime as dt
    >>> UnitLevel.of_code("221"), UnitLevel.of_code("07210"), UnitLevel.of_code("24")
    (<UnitLevel.DISTRICT: 'district'>, <UnitLevel.COMMUNE: 'commune'>, None)
    >>> UnitLevel.COMMUNE.is_valid_on(dt.date(2026, 5, 1)), UnitLevel.COMMUNE.plural_vi
    (True, 'các xã, phường')
    >>> UnitKind.PHUONG.level, UnitKind("huyen").label_vi
    (<UnitLevel.COMMUNE: 'commune'>, 'huyện')
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Final

from bhxh_campaign.messages import message

__all__ = [
    "PROVINCE_CODE_LENGTH",
    "REFORM_DAY",
    "UnitKind",
    "UnitLevel",
    "any_unit_pattern",
    "is_province_code",
]

PROVINCE_CODE_LENGTH: Final = 2
"""Province codes have two digits (``"24"``), before and after the 2025 reform."""

REFORM_DAY: Final = dt.date(2025, 7, 1)
"""The first day of two-tier local government: no district level from this day on."""


class UnitLevel(enum.Enum):
    """The level of the units a campaign reports on.

    Examples:
        >>> UnitLevel("commune").code_length, UnitLevel.DISTRICT.code_length
        (5, 3)
        >>> UnitLevel.DISTRICT.valid_to
        datetime.date(2025, 6, 30)
    """

    DISTRICT = "district"  # cấp huyện: huyện, quận, thị xã, thành phố thuộc tỉnh (to 2025-06-30)
    COMMUNE = "commune"  # cấp xã: xã, phường, đặc khu (from 2025-07-01)

    @property
    def code_length(self) -> int:
        """How many digits a unit code of this level has."""
        return _LENGTHS[self]

    @property
    def pattern(self) -> str:
        """A regular expression (no anchors) that a unit code of this level matches whole."""
        return f"[0-9]{{{self.code_length}}}"

    def matches(self, code: object) -> bool:
        """Whether ``code`` is a string of exactly this level's number of ASCII digits.

        Examples:
            >>> UnitLevel.COMMUNE.matches("07210"), UnitLevel.COMMUNE.matches("7210")
            (True, False)
        """
        return (
            isinstance(code, str)
            and len(code) == self.code_length
            and code.isascii()
            and code.isdigit()
        )

    @property
    def kinds(self) -> frozenset[UnitKind]:
        """The kinds of unit this level has while it is in force."""
        return frozenset(k for k in UnitKind if k.level is self and k is not UnitKind.THI_TRAN)

    @property
    def valid_from(self) -> dt.date | None:
        """The first day campaigns can report on this level (None: always)."""
        return REFORM_DAY if self is UnitLevel.COMMUNE else None

    @property
    def valid_to(self) -> dt.date | None:
        """The last day campaigns can report on this level (None: still in force)."""
        return REFORM_DAY - dt.timedelta(days=1) if self is UnitLevel.DISTRICT else None

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether units of this level exist on ``day`` (both ends inclusive)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def label_vi(self) -> str:
        """One unit of this level in Vietnamese, e.g. ``"huyện"`` or ``"xã"``."""
        return message("level.one", self.value, "vi")

    @property
    def plural_vi(self) -> str:
        """The units of this level in Vietnamese, as a bulletin names them."""
        return message("level.many", self.value, "vi")

    @property
    def label_en(self) -> str:
        """One unit of this level in English, e.g. ``"district"``."""
        return message("level.one", self.value, "en")

    @property
    def plural_en(self) -> str:
        """The units of this level in English, e.g. ``"communes and wards"``."""
        return message("level.many", self.value, "en")

    @property
    def header_vi(self) -> str:
        """The league table's unit column heading in Vietnamese, e.g. ``"Đơn vị cấp huyện"``."""
        return message("level.header", self.value, "vi")

    @property
    def header_en(self) -> str:
        """The league table's unit column heading in English, e.g. ``"Commune or ward"``."""
        return message("level.header", self.value, "en")

    @property
    def aliases(self) -> tuple[str, ...]:
        """Column headings that office exports use for a unit code of this level."""
        return _ALIASES[self]

    @classmethod
    def of_code(cls, code: object) -> UnitLevel | None:
        """The level whose codes look like ``code``, or None (a province code, or junk)."""
        for level in cls:
            if level.matches(code):
                return level
        return None

    @classmethod
    def on(cls, day: dt.date) -> UnitLevel:
        """The level below the province on ``day``: districts before the reform, else communes.

        Examples:
            >>> UnitLevel.on(dt.date(2023, 5, 18)), UnitLevel.on(dt.date(2026, 5, 1))
            (<UnitLevel.DISTRICT: 'district'>, <UnitLevel.COMMUNE: 'commune'>)
        """
        return cls.COMMUNE if day >= REFORM_DAY else cls.DISTRICT


_LENGTHS: Final = {UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}

_ALIASES: Final = {
    UnitLevel.DISTRICT: ("mã huyện", "mã đơn vị", "mã đvhc", "district"),
    UnitLevel.COMMUNE: (
        "mã xã",
        "mã phường",
        "mã xã/phường",
        "mã xã, phường",
        "mã đơn vị",
        "mã đvhc",
        "commune",
        "ward",
    ),
}


class UnitKind(enum.Enum):
    """The kind of an administrative unit below the province, which fixes its level.

    Examples:
        >>> UnitKind("huyen") is UnitKind.HUYEN, UnitKind.DAC_KHU.label_vi
        (True, 'đặc khu')
    """

    THANH_PHO = "thanh_pho"  # city under a province (thành phố thuộc tỉnh), district level
    THI_XA = "thi_xa"  # town (thị xã), district level
    HUYEN = "huyen"  # rural district (huyện)
    QUAN = "quan"  # urban district (quận)
    XA = "xa"  # rural commune (xã)
    PHUONG = "phuong"  # ward (phường)
    DAC_KHU = "dac_khu"  # special zone (đặc khu), commune level since 2025-07-01
    THI_TRAN = "thi_tran"  # township (thị trấn), commune level until 2025-06-30

    @property
    def level(self) -> UnitLevel:
        """The level a unit of this kind belongs to."""
        return _KIND_LEVEL[self]

    @property
    def label_vi(self) -> str:
        """The Vietnamese word for this kind, as written before a unit's name."""
        return message("kind", self.value, "vi")

    @property
    def label_en(self) -> str:
        """The English word for this kind."""
        return message("kind", self.value, "en")

    @classmethod
    def from_label(cls, label: str) -> UnitKind:
        """The kind named by its Vietnamese word, in any case (``"Phường"``, ``"thị xã"``).

        Raises:
            ValueError: no kind has that word.

        Examples:
            >>> UnitKind.from_label("Đặc khu")
            <UnitKind.DAC_KHU: 'dac_khu'>
        """
        wanted = label.strip().casefold()
        for kind in cls:
            if kind.label_vi == wanted:
                return kind
        msg = f"no unit kind is called {label!r}"
        raise ValueError(msg)


_KIND_LEVEL: Final = {
    UnitKind.THANH_PHO: UnitLevel.DISTRICT,
    UnitKind.THI_XA: UnitLevel.DISTRICT,
    UnitKind.HUYEN: UnitLevel.DISTRICT,
    UnitKind.QUAN: UnitLevel.DISTRICT,
    UnitKind.XA: UnitLevel.COMMUNE,
    UnitKind.PHUONG: UnitLevel.COMMUNE,
    UnitKind.DAC_KHU: UnitLevel.COMMUNE,
    UnitKind.THI_TRAN: UnitLevel.COMMUNE,
}


_PROVINCE: Final = re.compile(rf"[0-9]{{{PROVINCE_CODE_LENGTH}}}")


def is_province_code(code: object) -> bool:
    """Whether ``code`` looks like a province code (two ASCII digits).

    Examples:
        >>> is_province_code("24"), is_province_code("241"), is_province_code("２４")
        (True, False, False)
    """
    return isinstance(code, str) and code.isascii() and _PROVINCE.fullmatch(code) is not None


def any_unit_pattern() -> str:
    """A regular expression (no anchors) matching a unit code of any level.

    Examples:
        >>> import re
        >>> [bool(re.fullmatch(any_unit_pattern(), c)) for c in ("221", "07210", "24")]
        [True, True, False]
    """
    return "(?:" + "|".join(level.pattern for level in UnitLevel) + ")"
