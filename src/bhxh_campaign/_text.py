"""Text folded for matching: the one diacritic folding of the loaders' headers and values."""

from __future__ import annotations

import unicodedata

__all__ = ["fold_diacritics"]


def fold_diacritics(text: str) -> str:
    """Text without diacritics or case: combining marks dropped (after NFD), đ read as d.

    Spacing is left as it is: each caller joins words its own way.

    Examples:
        >>> fold_diacritics("Mã số BHXH"), fold_diacritics("THÀNH PHỐ")
        ('ma so bhxh', 'thanh pho')
        >>> fold_diacritics("Đồng  Ye\\u0302n")
        'dong  yen'
    """
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()
