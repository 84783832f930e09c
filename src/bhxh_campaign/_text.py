"""Text folded for matching: the one diacritic folding of the loaders' headers and values."""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["fold_diacritics"]


class _FoldTable(dict[int, int | str | None]):
    """A `str.translate` table that drops marks and spells ``đ`` as ``d``, filled as used."""

    def __missing__(self, key: int) -> int | None:
        value = None if unicodedata.category(chr(key)).startswith("M") else key
        self[key] = value
        return value


_FOLD: Final = _FoldTable({ord("đ"): "d"})


def fold_diacritics(text: str) -> str:
    """Text without diacritics or case: every mark dropped (after NFD), đ read as d.

    The one folding of the library: the loaders' headers and values and the unit
    registry's names all match through it.

    Spacing is left as it is: each caller joins words its own way.

    Examples:
        >>> fold_diacritics("Mã số BHXH"), fold_diacritics("THÀNH PHỐ")
        ('ma so bhxh', 'thanh pho')
        >>> fold_diacritics("Đồng  Ye\\u0302n")
        'dong  yen'
    """
    return unicodedata.normalize("NFD", text.casefold()).translate(_FOLD)
