"""Vietnamese and English number and date formats, from Babel's CLDR data.

Babel rounds half to even, so percents arrive here already rounded half-up by
`bhxh_campaign.percent`, and are formatted with exactly their own decimals.

English numbers need no CLDR lookup: the ``en`` pattern ``#,##0`` with its symbols (``,``
between groups of three, ``.`` before the decimals, ``-`` before a negative) is Python's
own ``,`` format, which a property test checks against Babel. Loading Babel's English
data takes about 18 ms, a twentieth of a JSON report at 10^6 rows, whose notes are in
English; Vietnamese, and every day, still go through Babel.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

Lang = Literal["vi", "en"]
"""The languages of rendered text: Vietnamese (``vi``) or English (``en``)."""


def number(value: int, lang: Lang) -> str:
    """A whole number with the language's grouping: ``1.928`` (vi), ``1,928`` (en).

    Examples:
        >>> number(1928, "vi"), number(1928, "en")
        ('1.928', '1,928')
    """
    if lang == "en":
        return format(value, ",d")
    from babel.numbers import format_decimal  # noqa: PLC0415 - not needed for English

    return format_decimal(value, format="#,##0", locale=lang)


def pct(value: Decimal, lang: Lang) -> str:
    """A percent already rounded, with its own decimals: ``58,69%`` (vi), ``58.69%`` (en).

    Examples:
        >>> from decimal import Decimal
        >>> pct(Decimal("58.69"), "vi"), pct(Decimal("1112.50"), "en")
        ('58,69%', '1,112.50%')
    """
    if lang == "en":
        return format(value, ",f") + "%"  # its own decimals, as Babel without quantizing
    from babel.numbers import format_decimal  # noqa: PLC0415 - not needed for English

    places = max(-value.as_tuple().exponent, 0)  # type: ignore[operator]
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=lang, decimal_quantization=False) + "%"


def day(value: dt.date, lang: Lang, *, year: bool = True) -> str:
    """A day as bulletins write it: ``18/5/2023`` (vi), ``18 May 2023`` (en).

    Examples:
        >>> import datetime as dt
        >>> day(dt.date(2023, 5, 18), "vi"), day(dt.date(2023, 5, 12), "en", year=False)
        ('18/5/2023', '12 May')
    """
    # Imported here: babel.dates brings zoneinfo and the local time zone (5 ms), which a
    # JSON report never needs.
    from babel.dates import format_date  # noqa: PLC0415

    if lang == "vi":
        pattern = "d/M/yyyy" if year else "d/M"
    else:
        pattern = "d MMMM yyyy" if year else "d MMMM"
    return format_date(value, pattern, locale=lang)


def iso(value: dt.date | None) -> str:
    """An ISO date, or "" for None."""
    return "" if value is None else value.isoformat()
