"""Personal identifiers: masked wherever they are shown, or replaced by a keyed pseudonym.

One definition for the model (reprs and errors), the loaders (messages and rejected
values) and the exports (`bhxh_campaign.io.export`).
"""

from __future__ import annotations

import re
from typing import Final

from bhxh_campaign.errors import InvalidValueError

__all__ = ["mask_digits", "mask_id", "masked_repr", "pseudonym"]

_KEEP: Final = 4
_MIN_KEY: Final = 16
# A count followed by its unit ("536870912 bytes") is a count, not an identifier.
_LONG_DIGITS: Final = re.compile(r"(?<![0-9])[0-9]{8,}(?![0-9])(?! (?:bytes|characters)\b)")


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
    if len(value) <= _KEEP:
        return "*" * len(value)
    return "*" * (len(value) - _KEEP) + value[-_KEEP:]


def masked_repr(value: object) -> str:
    """The `repr` of a personal identifier, masked (for ``attrs.field(repr=...)``).

    Examples:
        >>> masked_repr(2412345678)
        "'******5678'"
    """
    return repr(mask_id(str(value)))


def mask_digits(text: str) -> str:
    """Text with every run of eight digits or more masked by `mask_id`.

    An identifier typed in the wrong column, or quoted in a message, is still an
    identifier; shorter numbers (codes, counts, years) stay as they are, and so does a
    count of ``bytes`` or ``characters`` that a message gives (a size is not an id).

    Examples:
        >>> mask_digits("BG 024195012345 x, 2023: 1928")
        'BG ********2345 x, 2023: 1928'
        >>> mask_digits("unpacks to 600012892 bytes")
        'unpacks to 600012892 bytes'
    """
    return _LONG_DIGITS.sub(lambda match: mask_id(match.group()), text)


def pseudonym(participant_id: str, *, key: bytes) -> str:
    """A keyed pseudonym of a participant id (HMAC-SHA-256), for joins without raw ids.

    The same id and key give the same pseudonym in every file; without the key the id
    cannot be recovered or tested. Keep the key secret and out of the exported files.

    Args:
        participant_id: the raw identifier.
        key: a secret of at least 16 bytes.

    Examples:
        >>> key = b"0123456789abcdef"
        >>> pseudonym("0241234567", key=key) == pseudonym("0241234567", key=key)
        True
        >>> len(pseudonym("0241234567", key=key))
        32
    """
    # hashlib loads OpenSSL (some 4 ms): the model, which masks ids, should not pay for it.
    import hashlib  # noqa: PLC0415
    import hmac  # noqa: PLC0415

    if not isinstance(key, bytes) or len(key) < _MIN_KEY:
        msg = f"key must be at least {_MIN_KEY} bytes"
        raise InvalidValueError(msg, field="key")
    digest = hmac.new(key, participant_id.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:32]
