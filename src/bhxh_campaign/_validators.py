"""Shared attrs converters and validators, and the masking of personal identifiers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs
from dateutil import tz

from bhxh_campaign.errors import InvalidValueError

T = TypeVar("T")

VIETNAM = tz.gettz("Asia/Ho_Chi_Minh")
"""Vietnam's time zone (UTC+7, no daylight saving since 1975)."""

_MASK_KEEP = 4


def mask_id(value: str) -> str:
    """Mask a personal identifier, keeping only its last four characters.

    Args:
        value: a social-insurance number, a citizen id, or any text that might be one.

    Returns:
        The value with every character but the last four replaced by ``*``; values of
        four characters or fewer are masked whole.

    Examples:
        >>> mask_id("2412345678")
        '******5678'
        >>> mask_id("024195012345")
        '********2345'
        >>> mask_id("123")
        '***'
    """
    if len(value) <= _MASK_KEEP:
        return "*" * len(value)
    return "*" * (len(value) - _MASK_KEEP) + value[-_MASK_KEEP:]


def masked_repr(value: object) -> str:
    """The `repr` of a personal identifier, masked (for ``attrs.field(repr=...)``)."""
    return repr(mask_id(str(value)))


def nfc(value: str) -> str:
    """Normalise text to NFC and strip surrounding white space."""
    if not isinstance(value, str):
        msg = f"expected text, got {type(value).__name__} {value!r}"
        raise InvalidValueError(msg)
    return unicodedata.normalize("NFC", value).strip()


def optional_nfc(value: str | None) -> str | None:
    """`nfc`, letting None (and empty text) through as None."""
    if value is None:
        return None
    text = nfc(value)
    return text or None


def named(convert: Any) -> Any:
    """Wrap a converter so that its error names the field being converted."""

    def with_field(value: Any, field: attrs.Attribute[Any]) -> Any:
        try:
            return convert(value)
        except InvalidValueError as error:
            msg = f"{field.name}: {error}"
            raise InvalidValueError(msg, field=field.name) from None

    return attrs.Converter(with_field, takes_field=True)  # type: ignore[call-overload]


text = named(nfc)
"""An attrs converter: NFC-normalised, stripped text; errors name the field."""

optional_text = named(optional_nfc)
"""An attrs converter: like `text`, with None and empty text as None."""


def to_tuple(value: Iterable[T]) -> tuple[T, ...]:
    """Turn any iterable into a tuple (a typed stand-in for ``converter=tuple``)."""
    return tuple(value)


def to_date(value: dt.date) -> dt.date:
    """Return the Vietnamese calendar day of a date or an aware datetime.

    A plain `datetime.date` is taken as it is. An aware `datetime.datetime` is converted to
    Asia/Ho_Chi_Minh first, so ``2023-05-18T20:00Z`` is 19 May in Vietnam. A naive
    datetime is refused: its day depends on a zone nobody stated.

    Examples:
        >>> import datetime as dt
        >>> to_date(dt.datetime(2023, 5, 18, 20, 0, tzinfo=dt.timezone.utc))
        datetime.date(2023, 5, 19)
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            msg = f"a naive datetime has no Vietnamese calendar day, got {value!r}"
            raise InvalidValueError(msg)
        return value.astimezone(VIETNAM).date()
    if isinstance(value, dt.date):
        return value
    msg = f"expected a date, got {type(value).__name__} {value!r}"
    raise InvalidValueError(msg)


def _optional_date(value: dt.date | None) -> dt.date | None:
    return None if value is None else to_date(value)


date = named(to_date)
"""An attrs converter: `to_date`; errors name the field."""

optional_date = named(_optional_date)
"""An attrs converter: `to_date`, letting None through."""


def digits(n: int | tuple[int, ...]) -> Any:
    """A validator: the text is made of ASCII digits only, of length ``n`` (or one of ``n``)."""
    lengths = (n,) if isinstance(n, int) else n
    pattern = re.compile(r"[0-9]+")

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if (
            not isinstance(value, str)
            or not pattern.fullmatch(value)
            or len(value) not in lengths
        ):
            want = " or ".join(str(k) for k in lengths)
            msg = f"{attribute.name} must be {want} digits, got {value!r}"
            raise InvalidValueError(msg, field=attribute.name)

    return check


def non_empty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """A validator: the text is not empty."""
    if not value:
        msg = f"{attribute.name} must not be empty"
        raise InvalidValueError(msg, field=attribute.name)


def positive_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a whole number (not a bool) above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        msg = f"{attribute.name} must be a whole number above zero, got {value!r}"
        raise InvalidValueError(msg, field=attribute.name)


def check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """Check that an argument is a whole number (not a bool), at least ``minimum``.

    Examples:
        >>> check_int("days", 7, minimum=1)
        7
    """
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be a whole number, got {value!r}"
        raise InvalidValueError(msg, field=name)
    if minimum is not None and value < minimum:
        msg = f"{name} must be at least {minimum}, got {value!r}"
        raise InvalidValueError(msg, field=name)
    return value


def check_date(name: str, value: object) -> dt.date:
    """Check that an argument is a `datetime.date` and not a `datetime.datetime`.

    Examples:
        >>> import datetime as dt
        >>> check_date("as_of", dt.date(2023, 5, 18))
        datetime.date(2023, 5, 18)
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        msg = f"{name} must be a datetime.date, got {value!r}"
        raise InvalidValueError(msg, field=name)
    return value
