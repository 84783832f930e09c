"""Vietnamese alphabetical order: the Unicode collation algorithm with CLDR's ``vi`` rules.

With the optional ``pyuca`` package (``pip install 'bhxh-campaign[collation]'``) names are
collated by the Unicode Collation Algorithm on its Default Unicode Collation Element Table
(DUCET), tailored by the rules of CLDR's Vietnamese collation (``common/collation/vi.xml``)::

    &̀<<̉<<̃<<́<<̣                       tones: huyền < hỏi < ngã < sắc < nặng
    &a<ă<<<Ă<â<<<Â  &d<đ<<<Đ  &e<ê<<<Ê  &o<ô<<<Ô<ơ<<<Ơ  &u<ư<<<Ư

so Đ is a letter after D, Ă and Â letters after A, and a tone mark only breaks ties after
the letters (secondary strength). Browsers apply the same CLDR rules in
``Intl.Collator("vi")``. Without ``pyuca`` the same rules apply to Vietnamese letters and
every other character is ordered by code point (the documented fallback).

Examples:
    >>> names = ["Đông Anh", "Yên Dũng", "Dương Kinh", "An Lão", "Ân Thi", "Anh Sơn"]
    >>> sorted(names, key=vi_sort_key)
    ['An Lão', 'Anh Sơn', 'Ân Thi', 'Dương Kinh', 'Đông Anh', 'Yên Dũng']
"""

from __future__ import annotations

import functools
import importlib
import unicodedata
from fractions import Fraction
from typing import Any

__all__ = ["vi_sort_key"]

# CLDR vi: the letters made by a modifier, each a primary step after its base letter, in
# order (&a<ă<â, &o<ô<ơ, ...). Keys are NFD forms; đ has no decomposition.
_LETTERS: dict[str, tuple[str, int]] = {
    "a\u0306": ("a", 1),  # ă
    "a\u0302": ("a", 2),  # â
    "\u0111": ("d", 1),  # đ
    "e\u0302": ("e", 1),  # ê
    "o\u0302": ("o", 1),  # ô
    "o\u031b": ("o", 2),  # ơ
    "u\u031b": ("u", 1),  # ư
}
# CLDR vi: tone marks in order, each a secondary step (&̀<<̉<<̃<<́<<̣).
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_MODIFIERS = frozenset({"\u0306", "\u0302", "\u031b"})


@functools.cache
def _collator() -> Any:
    """A pyuca collator tailored with the CLDR vi rules, or None without pyuca."""
    try:
        # An optional extra without type hints: imported by name, so it is Any to mypy.
        pyuca = importlib.import_module("pyuca")
    except ImportError:
        return None
    collator = pyuca.Collator()
    table = collator.table

    def elements(text: str) -> list[list[Any]]:
        return [list(e) for e in collator.collation_elements(text)]

    for form, (base, step) in _LETTERS.items():
        for letter, cased in ((form, base), (form.upper(), base.upper())):
            first, *rest = elements(cased)
            # A fraction of a primary step sits between the base letter and the next one.
            tailored = [first[0] + Fraction(step, 4), first[1], first[2]]
            table.add([ord(c) for c in letter], [tailored, *rest])
    grave = elements(_TONES[0])[0]
    for step, tone in enumerate(_TONES[1:], start=1):
        table.add([ord(tone)], [[grave[0], grave[1] + Fraction(step, 8), grave[2]]])
    return collator


def _fallback_key(text: str) -> tuple[tuple[Any, ...], ...]:
    """The CLDR vi rules on Vietnamese letters; other characters by code point."""
    primary: list[tuple[str, int]] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for ch in unicodedata.normalize("NFD", text):
        lower = ch.lower()
        if ch in _TONES:
            if secondary:
                secondary[-1] = _TONES.index(ch) + 1
        elif ch in _MODIFIERS and primary:
            base, _ = primary[-1]
            primary[-1] = _LETTERS.get(base + ch, (base + ch, 0))
        else:
            primary.append(_LETTERS.get(lower, (lower, 0)))
            secondary.append(0)
            tertiary.append(0 if ch == lower else 1)
    return (tuple(primary), tuple(secondary), tuple(tertiary))


def vi_sort_key(text: str) -> tuple[Any, ...]:
    """A sort key putting names in Vietnamese alphabetical order.

    Args:
        text: a name, in any Unicode normalisation form.

    Returns:
        A key to sort by; compare keys only with keys from the same installation (they
        differ with and without ``pyuca``).

    Examples:
        >>> sorted(["Hạ", "Há", "Hã", "Ha", "Hà", "Hả"], key=vi_sort_key)
        ['Ha', 'Hà', 'Hả', 'Hã', 'Há', 'Hạ']
    """
    collator = _collator()
    if collator is None:
        return _fallback_key(text)
    return tuple(collator.sort_key(text))
