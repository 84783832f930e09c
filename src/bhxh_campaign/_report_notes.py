"""The notes of a `CampaignReport`: remarks about its input, each a stable code and its data.

They are defined here and re-exported by `bhxh_campaign.report`. A note holds figures and
codes, never words: every renderer words it in its own language through the message
catalog (context ``note``, keyed by the note's code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final, final

from attrs import field, frozen

from bhxh_campaign.errors import InvalidValueError

__all__ = ["NOTE_CODES", "Note", "NoteValue"]

NoteValue = int | str | dt.date
"""A value of a note's data: a count, a code or a day."""

NOTE_CODES: Final = ("target_revised", "province_target_differs", "records_set_aside")
"""The codes a note may have, in the order a report lists its notes.

- ``target_revised``: a unit's target in force on the as-of day replaced its first one.
  Data: ``unit_code``, ``target``, ``version``, ``effective_from``, ``original_target``,
  ``original_version``.
- ``province_target_differs``: a province's own target differs from the sum of its units'
  (the province's is used). Data: ``province_code``, ``target``, ``units_sum``.
- ``records_set_aside``: records were not counted. Data: ``records``, then one count per
  reason, keyed by its `Exclusion` code, sorted by code.
"""


def _data(value: Iterable[tuple[str, NoteValue]]) -> tuple[tuple[str, NoteValue], ...]:
    return tuple((str(key), item) for key, item in value)


@final
@frozen
class Note:
    """A remark about a report's input: a stable code and the data it is about.

    Attributes:
        code: one of `NOTE_CODES`.
        data: the note's figures and codes, as ``(name, value)`` pairs in a fixed order.

    Examples:
        >>> note = Note("province_target_differs",
        ...             [("province_code", "24"), ("target", 3300), ("units_sum", 3285)])
        >>> note["target"], note.params()["units_sum"]
        (3300, 3285)
        >>> Note("typo", [])
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.InvalidValueError: code must be one of ... got 'typo'
    """

    code: str = field()
    data: tuple[tuple[str, NoteValue], ...] = field(converter=_data)

    @code.validator
    def _check_code(self, _: object, value: str) -> None:
        if value not in NOTE_CODES:
            msg = f"code must be one of {', '.join(NOTE_CODES)}, got {value!r}"
            raise InvalidValueError(msg, field="code")

    def __getitem__(self, key: str) -> NoteValue:
        for name, value in self.data:
            if name == key:
                return value
        raise KeyError(key)

    def params(self) -> dict[str, NoteValue]:
        """The data as a dict, in its order."""
        return dict(self.data)
