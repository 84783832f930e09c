"""The cattrs hooks every JSON writer shares: enum members as their values, days as ISO."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: cattrs is imported when JSON is written
    from cattrs import Converter

__all__ = ["register_scalars"]

# Hooks are found along the MRO, where StrEnum's str (and IntEnum's int) come before Enum.
_ENUMS: tuple[type[enum.Enum], ...] = (enum.Enum, enum.StrEnum, enum.IntEnum)


def _value(member: enum.Enum) -> object:
    return member.value


def _iso(day: dt.date) -> str:
    return day.isoformat()


def register_scalars(converter: Converter, *, days: bool = True) -> Converter:
    """Register the shared hooks on ``converter`` and return it.

    Args:
        converter: the cattrs converter to extend.
        days: also write `datetime.date` values as ISO text.

    Examples:
        >>> import cattrs
        >>> from bhxh_campaign.model import Measure
        >>> converter = register_scalars(cattrs.Converter())
        >>> converter.unstructure([dt.date(2023, 5, 18), Measure.NEW])
        ['2023-05-18', 'new']
    """
    if days:
        converter.register_unstructure_hook(dt.date, _iso)
    for kind in _ENUMS:
        converter.register_unstructure_hook(kind, _value)
    return converter
