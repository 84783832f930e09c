"""Text folded for matching: the one diacritic folding of the loaders' headers and values."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(text: str) -> str:
    """Text without diacritics or case: combining marks dropped (after NFD), đ read as d.

    Spacing is left as it is: each caller joins words its own way.

    Examples:
        >>> fold("Mã số BHXH"), fold("THÀNH PHỐ"), fold("Đồng  Văn"), fold("Ye\\u0302n")
        ('ma so bhxh', 'thanh pho', 'dong  van', 'yen')
    """
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()
