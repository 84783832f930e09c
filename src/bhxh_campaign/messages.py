"""One message catalog, in Vietnamese and English: every label the library writes.

The catalogs are gettext files inside the package, ``locale/<lang>/LC_MESSAGES/
bhxh_campaign.po`` (the source, edited by hand or with any gettext tool) compiled to
``.mo`` by ``tools/catalog.py`` (Babel). Each message has a context saying what kind of
label it is (``kind``, ``exclusion``, ``level.many``, ``load_error``...) and a stable key,
usually the code it labels; the text is the translation. They are read with the standard
library's `gettext` on first use, so importing the library never imports Babel.

Examples:
    >>> message("exclusion", "repeat_participant", "vi")
    'trùng người đã tính'
    >>> message("kind", "phuong", "en"), message("level.many", "commune", "vi")
    ('ward', 'các xã, phường')
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path
from typing import Literal

from bhxh_campaign.errors import MissingMessageError

__all__ = ["LANGUAGES", "Lang", "message"]

Lang = Literal["vi", "en"]
"""A language the library writes: Vietnamese or English."""

LANGUAGES: tuple[Lang, ...] = ("vi", "en")
"""The languages of the catalog, Vietnamese first."""

_DOMAIN = "bhxh_campaign"
_LOCALE = Path(__file__).with_name("locale")


@functools.cache
def _catalog(lang: str) -> gettext.GNUTranslations:
    if lang not in LANGUAGES:
        msg = f"no messages in language {lang!r}; the catalog has {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    # Beside this module, read as a plain file: importlib.resources would import zipfile,
    # which the text report otherwise never needs (tests/test_public_api.py).
    data = (_LOCALE / lang / "LC_MESSAGES" / f"{_DOMAIN}.mo").read_bytes()
    catalog = gettext.GNUTranslations(io.BytesIO(data))
    catalog.add_fallback(_Missing(lang))
    return catalog


class _Missing(gettext.NullTranslations):
    """The fallback of every catalog: a message it lacks is an error, not its key."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def pgettext(self, context: str, message: str) -> str:
        msg = f"no message {message!r} in context {context!r} ({self.lang})"
        raise MissingMessageError(msg)


def message(context: str, key: str, lang: Lang | str, **params: object) -> str:
    """The text of the message ``key`` of ``context`` in ``lang``, filled with ``params``.

    A message with ``{name}`` placeholders is filled by `str.format` from ``params``.

    Raises:
        MissingMessageError: the catalog has no such message (a code with no label is a
            bug the tests catch, never a silent fallback).
        ValueError: ``lang`` is not one of `LANGUAGES`.

    Examples:
        >>> message("level.header", "district", "vi")
        'Đơn vị cấp huyện'
        >>> message("validate", "stray_target", "en", code="'999'", file="units.csv")
        "targets.csv: a target for unit '999', which is not in units.csv"
        >>> message("kind", "tinh", "vi")
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.MissingMessageError: no message 'tinh' in context 'kind' (vi)
    """
    text = _catalog(lang).pgettext(context, key)
    return text.format(**params) if params else text
