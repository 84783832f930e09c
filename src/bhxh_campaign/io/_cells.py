"""Cell parsers: one raw cell to the value a model field takes, or a `Bad` naming its code.

A raw cell is text from CSV, or a native value from a sheet, JSON or a dataframe.

Nothing here guesses: a day-first date is read day-first, never month-first; a number
whose separators are ambiguous is refused; an identifier stored as a number is refused.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

from bhxh_campaign._days import DayError, written_day
from bhxh_campaign._spreadsheet import FORMULA_TRIGGERS
from bhxh_campaign._text import fold_diacritics
from bhxh_campaign._validators import vietnam
from bhxh_campaign.messages import message

Epoch = Literal[1900, 1904] | None
Parser = Callable[[object, "Context"], object]

_STAMP: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_SCIENTIFIC: Final = re.compile(r"[0-9](?:[.,][0-9]+)?[eE][+-]?[0-9]+")
_WHOLE: Final = re.compile(r"[0-9]+")
_DOTTED: Final = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_COMMA: Final = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_FORMULA_ERRORS: Final = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
)
_SURROGATE: Final = re.compile("[\udc80-\udcff]")
_ANY_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_LEGACY: Final = ("cp1252", "cp1258")
_LAST_SERIAL: Final = 2958465  # 31/12/9999 in the 1900 system
MAX_DIGITS: Final = 15
"""The most digits a whole number (a target, a count) may have: a quadrillion people."""


class Bad(Exception):  # noqa: N818 - internal signal, never escapes the loaders
    """A cell is refused: the error code and an English detail (values already masked)."""

    def __init__(self, detail: str, code: str, *, detail_vi: str = "") -> None:
        self.code = code
        self.detail = detail
        self.detail_vi = detail_vi  # a Vietnamese detail, when the code's title is not enough
        super().__init__(detail)


class _UnsavedFormula:
    """The value of a formula cell that was never calculated and saved (see `UNSAVED_FORMULA`)."""

    def __repr__(self) -> str:
        return "<a formula with no saved value>"


UNSAVED_FORMULA: Final = _UnsavedFormula()
"""A workbook cell holding a formula with no saved value: refused, never read as empty."""


class NotFinite:
    """A JSON ``NaN``, ``Infinity``, ``-Infinity`` or a number past 1e308, as written."""

    __slots__ = ("written",)

    def __init__(self, written: str) -> None:
        self.written = written

    def __repr__(self) -> str:
        return self.written


def special(value: object) -> None:
    """Refuse a cell that holds no value to read: `UNSAVED_FORMULA`, or a number not finite."""
    if value is UNSAVED_FORMULA:
        msg = "is a formula with no saved value; open the workbook in Excel and save it"
        raise Bad(msg, "formula_without_value")
    if isinstance(value, NotFinite) or (isinstance(value, float) and not math.isfinite(value)):
        msg = f"must be a finite number, got {value!r}"
        raise Bad(msg, "not_finite")


class Context:
    """What parsing depends on besides the cell: the source's date system and options."""

    __slots__ = ("day_first", "epoch", "frame", "unquote", "vietnamese_numbers")

    def __init__(
        self,
        *,
        epoch: Epoch = None,
        day_first: bool = True,
        vietnamese_numbers: bool = False,
        unquote: bool = False,
    ) -> None:
        self.epoch = epoch
        self.unquote = unquote
        self.day_first = day_first
        self.vietnamese_numbers = vietnamese_numbers
        self.frame = False  # the rows come from a dataframe: its reader chose the types


def native(value: object) -> object:
    """A plain Python value for numpy/pandas scalars; NaN and NaT become None."""
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    if type(value).__module__.startswith(("numpy", "pandas")):
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
        elif hasattr(value, "item"):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def mojibake(text: str) -> bool:
    """Whether text reads like UTF-8 bytes decoded with a legacy encoding.

    Examples:
        >>> mojibake("YÃªn DÅ©ng"), mojibake("Yên Dũng"), mojibake("Café")
        (True, False, False)
    """
    if text.isascii():
        return False
    for encoding in _LEGACY:
        try:
            fixed = text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != text:
            return True
    return False


def clean_text(value: str, *, unquote: bool = True) -> str:
    """Check a text cell for bytes a loader refuses, and return it stripped, in NFC.

    With ``unquote`` (CSV input), one apostrophe before formula-like text is removed: it
    is how `bhxh_campaign.io.export.neutralise` keeps such text from running.
    """
    if value.isascii():  # the common case, checked cheaply
        if "\x00" in value:
            msg = "contains a NUL byte"
            raise Bad(msg, "nul_byte")
        value = value.strip()
        if value[:1] in {"#", "'"}:
            return _special(value, unquote=unquote)
        return value
    if "\x00" in value:
        msg = "contains a NUL byte"
        raise Bad(msg, "nul_byte")
    if surrogate := _ANY_SURROGATE.search(value):
        if _SURROGATE.match(surrogate.group()):  # what surrogateescape makes of a bad byte
            msg = "has bytes that are not valid in the file's encoding"
            raise Bad(msg, "invalid_encoding")
        msg = f"holds a lone surrogate, {surrogate.group()!r}, which is not a character"
        raise Bad(msg, "lone_surrogate")
    if mojibake(value):
        msg = "looks like UTF-8 text decoded with a legacy encoding"
        raise Bad(msg, "mojibake")
    return _special(unicodedata.normalize("NFC", value.strip()), unquote=unquote)


def cell_text(value: object, context: Context) -> object:
    """A cell as a parser sees it: text checked and cleaned by `clean_text`, others as is.

    Examples:
        >>> cell_text("  Yên Dũng ", Context(unquote=True)), cell_text(221, Context())
        ('Yên Dũng', 221)
    """
    special(value)
    if isinstance(value, str):
        return clean_text(value, unquote=context.unquote)
    return value


def empty(value: object) -> bool:
    """Whether a cell holds nothing: None, or text of white space only.

    Examples:
        >>> empty(None), empty("  "), empty(0)
        (True, True, False)
    """
    return value is None or (isinstance(value, str) and not value.strip())


def _special(value: str, *, unquote: bool) -> str:
    """Refuse spreadsheet error values; remove the apostrophe of neutralised text."""
    if unquote and value.startswith("'") and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        value = value[1:]
    if value in _FORMULA_ERRORS:
        msg = f"is a spreadsheet error value, {value!r}"
        raise Bad(msg, "formula_error")
    return value


def _no_number(
    value: object, what: str, code: str = "number_cell", context: Context | None = None
) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        kind = "true/false" if isinstance(value, bool) else type(value).__name__
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            msg = f"is a number cell; write {what} as text to keep leading zeros"
            if context is not None and context.frame:
                # pandas and polars read a column of digits as numbers unless told otherwise.
                msg += f"; {message('load_hint', 'dtype_str', 'en')}"
                raise Bad(msg, code, detail_vi=message("load_hint", "dtype_str", "vi"))
            raise Bad(msg, code)
        msg = f"must be text, got a {kind}"
        raise Bad(msg, "wrong_type")
    return value


def text(value: object, context: Context) -> object:
    """Any text; numbers are written as text."""
    if isinstance(value, (bool, list, dict, tuple)):
        msg = f"must be text, got a {type(value).__name__}"
        raise Bad(msg, "wrong_type")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def code(value: object, context: Context) -> object:
    """A unit code: text, never a number cell (a number loses leading zeros)."""
    return _no_number(value, "codes", context=context)


def participant_id(value: object, context: Context) -> object:
    """A social-insurance number (10 digits) or a citizen id (12 digits), as text."""
    value = _no_number(value, "ids", context=context)
    if _SCIENTIFIC.fullmatch(value):
        msg = "is in scientific notation: Excel lost its digits"
        raise Bad(msg, "id_scientific_notation")
    if not (value.isascii() and value.isdigit()):
        msg = "must be digits only"
        raise Bad(msg, "id_not_digits")
    if len(value) not in (10, 12):
        msg = f"must be 10 digits (BHXH) or 12 digits (CCCD), found {len(value)} digits"
        raise Bad(msg, "id_wrong_length")
    return value


def _serial(value: float, epoch: Epoch) -> dt.date:
    if not math.isfinite(value):  # NaN, Infinity or 1e400 in JSON: math.floor would raise
        msg = f"must be a date, got the number {value!r}"
        raise Bad(msg, "bad_date")
    whole = math.floor(value)
    if epoch is None or whole < 1 or whole > _LAST_SERIAL:
        msg = f"must be a date, got the number {value!r}"
        raise Bad(msg, "bad_date")
    if epoch == 1904:
        return dt.date(1904, 1, 1) + dt.timedelta(days=whole)
    if whole == 60:
        msg = "is Excel serial 60, the 29/02/1900 that never existed"
        raise Bad(msg, "excel_phantom_date")
    # Excel counts 1900 as a leap year: serials after 60 are one day ahead.
    return dt.date(1899, 12, 31 if whole < 60 else 30) + dt.timedelta(days=whole)


def _stamp(value: dt.datetime) -> dt.date:
    if value.utcoffset() is not None:
        return value.astimezone(vietnam()).date()
    if value.time() == dt.time(0):
        return value.date()
    msg = f"is a time of day without a zone, {value.isoformat()!r}"
    raise Bad(msg, "naive_timestamp")


def date(value: object, context: Context) -> object:
    """A calendar day: ISO, day-first dd/mm/yyyy, an aware timestamp or an Excel serial."""
    if isinstance(value, dt.datetime):
        return _stamp(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value, context.epoch)
    if not isinstance(value, str):
        msg = f"must be a date, got a {type(value).__name__}"
        raise Bad(msg, "wrong_type")
    try:
        day = written_day(value, day_first=context.day_first)
    except DayError as error:
        raise Bad(error.detail, error.code) from None
    if day is not None:
        return day
    if _STAMP.fullmatch(value):
        try:
            stamp = dt.datetime.fromisoformat(value)
        except ValueError:
            msg = f"is not a moment of the calendar, {value!r}"
            raise Bad(msg, "impossible_date") from None
        return _stamp(stamp)
    form = "an ISO date (YYYY-MM-DD) or dd/mm/yyyy" if context.day_first else "an ISO date"
    msg = f"must be {form} (YYYY-MM-DD), got {value!r}"
    raise Bad(msg, "bad_date")


def _not_too_long(value: str) -> None:
    """Refuse a number of more than `MAX_DIGITS` digits (int() stops at 4,300 anyway)."""
    digits = sum(char.isdigit() for char in value[: MAX_DIGITS * 2 + 2])
    if digits > MAX_DIGITS:
        msg = f"must be a whole number of at most {MAX_DIGITS} digits, got {len(value)} characters"
        raise Bad(msg, "bad_number")


def whole(value: object, context: Context) -> object:
    """A whole number: digits, an integral number cell, or "1.928" where declared."""
    if isinstance(value, bool):
        msg = "must be a whole number, got true/false"
        raise Bad(msg, "wrong_type")
    if isinstance(value, (int, float)) and abs(value) >= 10**MAX_DIGITS:
        msg = f"must be a whole number of at most {MAX_DIGITS} digits"
        raise Bad(msg, "bad_number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        _not_too_long(value)
        if _WHOLE.fullmatch(value):
            return int(value)
        if _DOTTED.fullmatch(value) and context.vietnamese_numbers:
            return int(value.replace(".", ""))
        if _COMMA.fullmatch(value) or _DOTTED.fullmatch(value):
            msg = f"is ambiguous: thousands or decimals? got {value!r}"
            raise Bad(msg, "ambiguous_number")
    msg = f"must be a whole number written with digits only, got {value!r}"
    raise Bad(msg, "bad_number")


def _fold_value(value: str) -> str:
    return re.sub(r"[\s-]+", "_", fold_diacritics(value))


def member_of(kind: type[enum.Enum], aliases: Mapping[str, enum.Enum] | None = None) -> Parser:
    """A parser for an enum's value, matched after case, space and diacritic folding.

    ``aliases`` are other words for a member (the Vietnamese an office writes), matched
    after the same folding.
    """
    values: dict[str, Any] = {str(item.value): item for item in kind}
    for item in kind:
        values[_fold_value(str(item.value))] = item
        label = getattr(item, "label_vi", None)
        if isinstance(label, str):
            values[_fold_value(label)] = item
    for word, item in (aliases or {}).items():
        values[_fold_value(word)] = item

    def parse(value: object, context: Context) -> object:
        if isinstance(value, kind):
            return value
        if isinstance(value, str):
            found = values.get(value)
            if found is None:
                found = values.get(_fold_value(value))
            if found is not None:
                return found
        allowed = ", ".join(repr(m.value) for m in kind)
        msg = f"must be one of {allowed}, got {value!r}"
        raise Bad(msg, "unknown_value")

    return parse
