"""The error codes of the loaders: stable snake_case names with English and Vietnamese text.

A code never changes meaning once published; new problems get new codes. Each code is
documented in ``docs/reference/error-codes.md`` (a test keeps that table in step with
`ERROR_CODES`).

Examples:
    >>> ERROR_CODES["impossible_date"].en
    'a date that does not exist in the calendar (31/02)'
    >>> ERROR_CODES["impossible_date"].vi
    'ngày không có trên lịch (31/02)'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, final

from attrs import frozen

from bhxh_campaign.messages import message

__all__ = ["ERROR_CODES", "ErrorCode"]


@final
@frozen
class ErrorCode:
    """One kind of problem a loader reports.

    Attributes:
        code: the stable snake_case name, e.g. ``"impossible_date"``.
        scope: ``"file"`` when the whole file is refused, ``"row"`` when one row is.
        en: what the code means, in English.
        vi: what the code means, in Vietnamese.

    Examples:
        >>> ERROR_CODES["nul_byte"].scope
        'row'
    """

    code: str
    scope: str
    en: str
    vi: str


_TABLE: Final = (
    ("file_not_found", "file"),
    ("empty_file", "file"),
    ("bad_header", "file"),
    ("unreadable_file", "file"),
    ("suspicious_archive", "file"),
    ("unknown_sheet", "file"),
    ("several_sheets", "file"),
    ("malformed_json", "file"),
    ("not_a_list", "file"),
    ("invalid_encoding", "row"),
    ("nul_byte", "row"),
    ("mojibake", "row"),
    ("malformed_csv", "row"),
    ("malformed_json_line", "row"),
    ("too_few_cells", "row"),
    ("too_many_cells", "row"),
    ("not_an_object", "row"),
    ("missing_value", "row"),
    ("wrong_type", "row"),
    ("formula_error", "row"),
    ("bad_date", "row"),
    ("impossible_date", "row"),
    ("naive_timestamp", "row"),
    ("excel_phantom_date", "row"),
    ("id_not_digits", "row"),
    ("id_wrong_length", "row"),
    ("id_scientific_notation", "row"),
    ("number_cell", "row"),
    ("bad_code", "row"),
    ("unknown_district", "row"),
    ("unknown_value", "row"),
    ("bad_number", "row"),
    ("ambiguous_number", "row"),
    ("not_positive", "row"),
    ("duplicate_record_id", "row"),
    ("duplicate_unit", "row"),
    ("invalid_value", "row"),
)
"""Every code and its scope, in the order of the documentation table; the texts are in
the message catalog (`bhxh_campaign.messages`, context ``load_error``)."""

ERROR_CODES: Final[Mapping[str, ErrorCode]] = MappingProxyType(
    {
        code: ErrorCode(
            code=code,
            scope=scope,
            en=message("load_error", code, "en"),
            vi=message("load_error", code, "vi"),
        )
        for code, scope in _TABLE
    }
)
"""Every error code, by name, in the order of the documentation table."""
