"""Shared attrs converters and validators; the masking of personal identifiers, re-exported.

Converters only normalise (NFC text, the Vietnamese day of an aware datetime, an enum
member from its value) and never raise; validators check and raise `InvalidValueError`
naming the field. Converters are plain named functions so that mypy's attrs plugin can
read the parameter types of the generated ``__init__``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

import attrs

# Re-exported (an alias marks it for mypy): the model imports the masking from here.
from bhxh_campaign._privacy import mask_id as mask_id  # noqa: PLC0414
from bhxh_campaign._privacy import masked_repr as masked_repr  # noqa: PLC0414
from bhxh_campaign.errors import InvalidValueError

E = TypeVar("E", bound=enum.Enum)
K_co = TypeVar("K_co", covariant=True)
V_co = TypeVar("V_co", covariant=True)
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


@functools.cache
def vietnam() -> dt.tzinfo:
    """Vietnam's time zone, Asia/Ho_Chi_Minh (UTC+7, no daylight saving since 1975).

    Read on first use: dateutil's zone database costs some 20 ms to import, which every
    `import bhxh_campaign` would otherwise pay.

    Examples:
        >>> vietnam().utcoffset(dt.datetime(2023, 5, 18))
        datetime.timedelta(seconds=25200)
    """
    from dateutil import tz  # noqa: PLC0415 - see above

    zone = tz.gettz("Asia/Ho_Chi_Minh")
    if zone is None:  # pragma: no cover - dateutil ships its own zone data
        msg = "no time zone data for Asia/Ho_Chi_Minh"
        raise LookupError(msg)
    return zone


_DIGITS = re.compile(r"[0-9]+")


# --- converters: normalise, never raise -------------------------------------------------


def text(value: str) -> str:
    """NFC-normalised text without surrounding white space; other values pass unchanged.

    Examples:
        >>> text(" Ye\\u0302n ") == "Y\u00ean"
        True
    """
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def optional_text(value: str | None) -> str | None:
    """`text`, with None and empty text as None."""
    if value is None:
        return None
    return text(value) or None


def date(value: dt.date) -> dt.date:
    """The Vietnamese calendar day of an aware datetime; other values pass unchanged.

    A naive datetime passes unchanged and is then refused by `is_date`: its day depends
    on a zone nobody stated.

    Examples:
        >>> date(dt.datetime(2023, 5, 18, 20, 0, tzinfo=dt.timezone.utc))
        datetime.date(2023, 5, 19)
    """
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        return value.astimezone(vietnam()).date()
    return value


def optional_date(value: dt.date | None) -> dt.date | None:
    """`date`, letting None through."""
    return None if value is None else date(value)


def member(kind: type[E], value: object) -> E | object:
    """The member of ``kind`` with this value (text is NFC-normalised), or the value as is.

    Examples:
        >>> class Fruit(enum.Enum):
        ...     APPLE = "apple"
        >>> member(Fruit, " apple "), member(Fruit, "pear")
        (<Fruit.APPLE: 'apple'>, 'pear')
    """
    if isinstance(value, kind):
        return value
    try:
        return kind(text(value) if isinstance(value, str) else value)
    except ValueError:
        return value


# --- validators: check, and name the field ----------------------------------------------


def _fail(attribute: attrs.Attribute[Any], message: str) -> None:
    msg = f"{attribute.name} {message}"
    raise InvalidValueError(msg, field=attribute.name)


def is_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: the value is non-empty text."""
    if not isinstance(value, str):
        _fail(attribute, f"must be text, got {type(value).__name__} {value!r}")
    elif not value:
        _fail(attribute, "must not be empty")


def is_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a `datetime.date`; a naive datetime and None are refused."""
    if isinstance(value, dt.datetime):
        _fail(attribute, f"must be a date; a naive datetime has no Vietnamese day: {value!r}")
    elif not isinstance(value, dt.date):
        _fail(attribute, f"must be a date, got {type(value).__name__} {value!r}")


def is_optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: None, or what `is_date` accepts."""
    if value is not None:
        is_date(instance, attribute, value)


def is_member(kind: type[enum.Enum], *, optional: bool = False) -> Validator:
    """A validator: a member of ``kind`` (or None, when ``optional``)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if (value is not None or not optional) and not isinstance(value, kind):
            allowed = ", ".join(repr(m.value) for m in kind)
            _fail(attribute, f"must be one of {allowed}, got {value!r}")

    return check


def digits(n: int | tuple[int, ...]) -> Validator:
    """A validator: ASCII digits only, of length ``n`` (or one of ``n``); None passes."""
    lengths = (n,) if isinstance(n, int) else n
    want = " or ".join(str(k) for k in lengths)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        if not isinstance(value, str) or not _DIGITS.fullmatch(value) or len(value) not in lengths:
            _fail(attribute, f"must be {want} digits, got {value!r}")

    return check


def positive_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: a whole number (not a bool) above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        _fail(attribute, f"must be a whole number above zero, got {value!r}")


def one_of(*allowed: str) -> Validator:
    """A validator: one of the ``allowed`` texts."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in allowed:
            _fail(attribute, f"must be one of {', '.join(map(repr, allowed))}, got {value!r}")

    return check


def is_tally(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: ``(reason, count)`` pairs whose counts are whole numbers of at least 0."""
    for reason, count in value:  # type: ignore[attr-defined]  # the converter made pairs
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            msg = f"excluded[{reason!r}] must be a whole number >= 0, got {count!r}"
            raise InvalidValueError(msg)


# --- argument checks for pure functions -------------------------------------------------


def whole(value: object) -> object:
    """An integer of another library (numpy, pandas) as a Python `int`; others unchanged.

    Only values that are integers by `operator.index` are converted: a float (even
    ``3.0``), a bool (numpy's too) or text stays as it is, for the checks to refuse.

    Examples:
        >>> from fractions import Fraction
        >>> whole(True), whole(3.0), whole(Fraction(1, 2)), whole(7)
        (True, 3.0, Fraction(1, 2), 7)
    """
    if type(value) is int or isinstance(value, bool) or not hasattr(value, "__index__"):
        return value
    try:
        return operator.index(value)
    except TypeError:  # numpy's bool declares __index__ only to refuse it
        return value


def wholes(values: Iterable[object]) -> tuple[Any, ...]:
    """`whole` of each value, as a tuple.

    Examples:
        >>> wholes([1, True, 2.0])
        (1, True, 2.0)
    """
    return tuple(map(whole, values))


def check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """Check that an argument is a whole number (not a bool), at least ``minimum``.

    numpy and pandas integers (``np.int64(272)``, a pandas sum) are whole numbers and
    come back as `int`; floats and bools are refused.

    Examples:
        >>> check_int("days", 7, minimum=1)
        7
    """
    value = whole(value)
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
        >>> check_date("as_of", dt.date(2023, 5, 18))
        datetime.date(2023, 5, 18)
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        msg = f"{name} must be a datetime.date, got {value!r}"
        raise InvalidValueError(msg, field=name)
    return value


class SupportsItems(Protocol[K_co, V_co]):
    """A mapping of any kind: what has ``items()`` (a dict, a `Mapping`, a pandas Series)."""

    def items(self) -> Iterable[tuple[K_co, V_co]]:
        """The ``(key, value)`` pairs."""
        ...  # pragma: no cover - a protocol


def items_of(name: str, value: object, what: str) -> list[tuple[Any, Any]]:
    """The ``(key, value)`` pairs of a mapping of any kind (see `SupportsItems`).

    Raises:
        InvalidValueError: the value has no ``items()``.

    Examples:
        >>> items_of("scores", {"221": 318}, "unit to score")
        [('221', 318)]
    """
    items = getattr(value, "items", None)
    if isinstance(value, str | bytes) or not callable(items):
        msg = f"{name} must be a mapping of {what}, got {type(value).__name__}"
        raise InvalidValueError(msg, field=name)
    return list(items())


def series_day(name: str, value: object) -> dt.date:
    """A day of a daily series: a `datetime.date`, or a naive datetime at midnight.

    pandas labels days with naive midnight timestamps (``pd.Timestamp("2023-05-18")``,
    a `datetime.datetime`): such a timestamp is its date. A datetime with a time of day
    or a zone is refused, saying how to convert it.

    Examples:
        >>> series_day("a day", dt.datetime(2023, 5, 18))
        datetime.date(2023, 5, 18)
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date()
        msg = (
            f"{name} must be a datetime.date, got {value!r}, which has a time of day or a"
            " zone: convert the keys to days first (pandas: series.index.date after"
            " tz_convert('Asia/Ho_Chi_Minh'), or series.index.normalize())"
        )
        raise InvalidValueError(msg, field=name)
    return check_date(name, value)


def check_series(name: str, daily: object) -> dict[dt.date, int]:
    """Check a daily series: days as keys, whole counts of at least 0.

    Any mapping is read (a dict, a pandas Series with ``.items()``); a key is a
    `datetime.date` or a naive midnight timestamp (see `series_day`), a count any whole
    number (see `check_int`). Returns a plain dict of dates and ints (so a one-pass
    iterable mapping is read once).

    Examples:
        >>> check_series("daily", {dt.date(2023, 5, 1): 2})
        {datetime.date(2023, 5, 1): 2}
        >>> check_series("daily", {dt.datetime(2023, 5, 1): 2})
        {datetime.date(2023, 5, 1): 2}
    """
    result: dict[dt.date, int] = {}
    for key, count in items_of(name, daily, "day to count"):
        day = series_day(f"a day of {name}", key)
        if day in result:
            msg = f"{name} has the day {day} twice ({key!r})"
            raise InvalidValueError(msg, field=name)
        result[day] = check_int(f"{name}[{day}]", count, minimum=0)
    return result


# --- branch hostile: text that reaches an output -----------------------------------------

_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
"""Characters a name must not hold: C0 and C1 controls (ESC, BEL, form feed, newline,
tab), the bidirectional marks and overrides, line and paragraph separators, surrogates
and the noncharacters U+FDD0-U+FDEF, U+FFFE and U+FFFF. Each would pass into a terminal,
a Markdown table, a web page or an SVG chart and break it (or reverse its text)."""


def is_plain_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: `is_text`, without a control character (see `_CONTROL`).

    Examples:
        >>> @attrs.frozen
        ... class Named:
        ...     name: str = attrs.field(validator=is_plain_text)
        >>> Named("Yên Dũng").name
        'Yên Dũng'
        >>> try:
        ...     Named("Yên\\x1b[31mDũng")
        ... except InvalidValueError as error:
        ...     print(error)
        name must not hold a control character, found '\\x1b' at position 4
    """
    is_text(instance, attribute, value)
    found = _CONTROL.search(str(value))
    if found is not None:
        _fail(
            attribute,
            f"must not hold a control character, found {found.group()!r}"
            f" at position {found.start() + 1}",
        )
