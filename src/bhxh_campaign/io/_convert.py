"""The cattrs converters behind the exports: records and rows to plain or JSON values.

cattrs is imported only when an export runs, never by ``import bhxh_campaign``.

- `plain_converter`: values as Python keeps them (dates stay dates, for XLSX), enums as
  their values; for `record_rows`.
- `json_converter`: JSON values: dates ISO (``"2023-05-18"``), decimals and fractions as
  their text (``"111.58"``, ``"1/3"``), enums as their values; for `to_json` and
  `records_to_json`.

`record_unstructurer` builds the unstructuring function of `EnrollmentRecord` for one
converter and one treatment of the participant id (masked, full or pseudonymised).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from bhxh_campaign._hooks import register_scalars
from bhxh_campaign.model import EnrollmentRecord

if TYPE_CHECKING:  # only for annotations: cattrs is imported when an export runs
    from cattrs import Converter

RecordHook = Callable[[EnrollmentRecord], dict[str, Any]]


@functools.cache
def plain_converter() -> Converter:
    """A converter to plain Python values: enums become their values, the rest stays."""
    import cattrs  # noqa: PLC0415 - imported only when an export runs

    return register_scalars(cattrs.Converter(), days=False)


@functools.cache
def json_converter() -> Converter:
    """A converter to JSON values: ISO dates, decimals and fractions as text, enum values."""
    import cattrs  # noqa: PLC0415 - imported only when an export runs

    converter = register_scalars(cattrs.Converter())  # datetimes too, with their time
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(Fraction, str)
    return converter


def record_unstructurer(
    converter: Converter, *, participant: Callable[[str], str] | None, key_name: str
) -> RecordHook:
    """The function turning one `EnrollmentRecord` into a dict, one key per field in order.

    Args:
        converter: the converter of the field values.
        participant: what the participant id becomes (None: itself).
        key_name: the key of the participant id (``participant_id`` or
            ``participant_key``).
    """
    from cattrs.gen import make_dict_unstructure_fn, override  # noqa: PLC0415

    attrs.resolve_types(EnrollmentRecord)
    rename = None if key_name == "participant_id" else key_name
    # No linecache entry: a pseudonym's key makes a new function at every call.
    return make_dict_unstructure_fn(
        EnrollmentRecord,
        converter,
        _cattrs_use_linecache=False,
        participant_id=override(rename=rename, unstruct_hook=participant),
    )
