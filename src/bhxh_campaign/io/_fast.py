"""The loader's fast path: a row of plain cells to an `EnrollmentRecord`, each check made once.

The slow path (`bhxh_campaign.io._pipeline`) cleans and parses every cell, then builds the
record through its attrs ``__init__``, which converts and validates every field again. In
a large file most rows are alike: a plain ASCII record id, a participant id of 10 or 12
digits, and unit codes, days and payment words drawn from a few hundred values. The fast
path takes a row only when it can show that the slow path would accept it, with the same
values, and builds the record without making the checks a second time:

- the record id is printable ASCII with no space, ``#`` or ``'`` at its ends
  (`_PLAIN_ID`) and the participant id 10 or 12 ASCII digits (`_DIGIT_ID`): for such text
  every step of the slow path (cleaning, parsing, the model's converter and validators)
  gives back the cell unchanged;
- every other cell is looked up in a table, per column, of the texts already met. A new
  text is judged once by the slow path's own functions (`_cells.cell_text`, the column's
  parser, then the model's converters and validators, through a probe record whose other
  fields pass) and remembered with its final value, or as one to leave to the slow path.
  The table also holds each value once: a million rows share a few hundred `date`s;
- the model's checks that read two fields (`_CROSS_FIELD`) are run on the new record.

Any other row goes to the slow path, which then makes every decision and writes every
message as before. ``tests/test_loader_fast_path.py`` compares the two paths, row by row,
on messy files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any, Final

import attrs

from bhxh_campaign.io import _cells
from bhxh_campaign.io._schema import Column, Schema
from bhxh_campaign.model import EnrollmentRecord

__all__ = ["MEMO_SIZE", "RowBuilder", "row_builder"]

RowBuilder = Callable[[Sequence[object]], EnrollmentRecord | None]
"""A row's cells -> its record, or None when the slow path must judge the row."""

# First and last characters are printable ASCII but for a space, "#" (a spreadsheet
# error value) and "'" (the apostrophe CSV exports put before formula-like text).
_PLAIN_ID: Final = re.compile(r"[!\"$-&(-~](?:[ -~]*[!-~])?")
_DIGIT_ID: Final = re.compile(r"[0-9]{10}(?:[0-9]{2})?")

_FIELDS: Final = (
    "record_id",
    "participant_id",
    "district_code",
    "enrolled_on",
    "commune_code",
    "payment_method",
    "recorded_on",
    "cancelled_on",
)
"""The fields the fast path builds, in `EnrollmentRecord`'s order; if they change, it stands
aside (and ``tests/test_loader_fast_path.py`` fails until it is brought up to date)."""

_CROSS_FIELD: Final = ("recorded_on", "cancelled_on")
"""The fields whose validators read another field, run on every record that sets them."""

_PROBE: Final[dict[str, Any]] = {
    "record_id": "probe",
    "participant_id": "0000000000",
    "district_code": "000",
    # The earliest day, so that any recorded_on or cancelled_on passes the cross-field
    # checks of the probe: they are made on each row's own record instead.
    "enrolled_on": dt.date.min,
}

MEMO_SIZE: Final = 1 << 16
"""The most texts remembered per column; the table starts again empty when it is full."""

_SLOW: Final = object()  # a text the slow path must judge (it may refuse it)
_MISS: Final = object()  # a text not met yet


def _judge(column: Column, cell: object, context: _cells.Context, units: object) -> object:
    """The value the slow path gives a cell of this column, or `_SLOW` if it might refuse it."""
    if type(cell) is not str:
        return _SLOW  # a native cell (JSON): 1, 1.0 and True are one key of a dict
    try:
        value = _cells.cell_text(cell, context)
        if _cells.empty(value):
            if column.required:
                return _SLOW
            values: dict[str, Any] = dict(_PROBE)  # the default, through its converter
        else:
            values = {**_PROBE, column.field: column.parse(value, context)}
        probe = EnrollmentRecord(**values)
    except Exception:  # noqa: BLE001 - whatever it is, the slow path meets it again
        return _SLOW
    final = getattr(probe, column.field)
    if column.field == "district_code" and isinstance(units, Collection) and final not in units:
        return _SLOW  # refused as unknown_district
    return final


def _setters() -> tuple[Callable[[object, object], None], ...]:
    """The slots' setters, which write a field of a new record without attrs' checks."""
    return tuple(vars(EnrollmentRecord)[name].__set__ for name in _FIELDS)


def row_builder(  # noqa: PLR0915 - one closure, its locals bound for speed
    columns: Sequence[Column | None],
    schema: Schema,
    context: _cells.Context,
    units: Collection[str] | None,
) -> RowBuilder | None:
    """The fast path for the rows of a file with this header, or None for another kind.

    Only enrollment files have one (other files are small).

    Examples:
        >>> from bhxh_campaign.io import _schema
        >>> schema = _schema.enrollments()
        >>> build = row_builder(list(schema.columns[:4]), schema, _cells.Context(), None)
        >>> build(["r1", "2412345678", "221", "18/05/2023"]).enrolled_on
        datetime.date(2023, 5, 18)
        >>> build(["r1", "24123", "221", "18/05/2023"]) is None  # the slow path refuses it
        True
    """
    fields = tuple(attribute.name for attribute in attrs.fields(EnrollmentRecord))
    if schema.model is not EnrollmentRecord or schema.fixed or fields != _FIELDS:
        return None
    where = {column.field: index for index, column in enumerate(columns) if column is not None}
    if "record_id" not in where or "participant_id" not in where:
        return None
    width = len(columns)
    id_at, participant_at = where["record_id"], where["participant_id"]
    values: list[object] = [None] * 6  # the fields after the two ids: absent ones' defaults
    lookups: list[tuple[int, int, dict[object, object], Column]] = []
    for slot, name in enumerate(_FIELDS[2:]):
        index = where.get(name)
        if index is None:
            values[slot] = getattr(EnrollmentRecord(**_PROBE), name)
            continue
        column = columns[index]
        assert column is not None
        lookups.append((slot, index, {}, column))
    cross = tuple(
        (attribute, attribute.validator)
        for attribute in attrs.fields(EnrollmentRecord)
        if attribute.name in _CROSS_FIELD and attribute.name in where and attribute.validator
    )
    new = object.__new__
    set_id, set_participant, set_district, set_enrolled, set_commune, set_payment = _setters()[:6]
    set_recorded, set_cancelled = _setters()[6:]
    plain, digits = _PLAIN_ID.fullmatch, _DIGIT_ID.fullmatch

    def learn(memo: dict[object, object], column: Column, cell: object) -> object:
        value = _judge(column, cell, context, units)
        if type(cell) is str:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[cell] = value
        return value

    def build(cells: Sequence[object]) -> EnrollmentRecord | None:
        if len(cells) != width:
            return None
        record_id, participant_id = cells[id_at], cells[participant_at]
        if (
            type(record_id) is not str
            or type(participant_id) is not str
            or plain(record_id) is None
            or digits(participant_id) is None
        ):
            return None
        row = values.copy()
        try:
            for slot, index, memo, column in lookups:
                cell = cells[index]
                value = memo.get(cell, _MISS)
                if value is _MISS:
                    value = learn(memo, column, cell)
                if value is _SLOW:
                    return None
                row[slot] = value
        except TypeError:  # a cell that is not a key (a JSON list): the slow path refuses it
            return None
        district, enrolled, commune, payment, recorded, cancelled = row
        record: Any = new(EnrollmentRecord)
        set_id(record, record_id)
        set_participant(record, participant_id)
        set_district(record, district)
        set_enrolled(record, enrolled)
        set_commune(record, commune)
        set_payment(record, payment)
        set_recorded(record, recorded)
        set_cancelled(record, cancelled)
        if recorded is not None or cancelled is not None:
            try:
                for attribute, validator in cross:
                    validator(record, attribute, getattr(record, attribute.name))
            except Exception:  # noqa: BLE001 - the slow path refuses the row, and says why
                return None
        return record  # type: ignore[no-any-return]

    return build
