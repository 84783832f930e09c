"""The loop every loader shares: header, then rows -> accepted values or rejected rows.

A reader (CSV, workbook, JSON, dataframe) yields `Raw` rows, the header first; the engine
matches the header, parses and validates each row against a `Schema`, and yields one
outcome per row. It never stops at a bad row; `collect` raises on the first one in strict
mode.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Generator, Iterable, Iterator, Sequence
from typing import Any, Final, Literal, NamedTuple

import attrs
from attrs import frozen

from bhxh_campaign._privacy import mask_digits
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io import _cells, _fast
from bhxh_campaign.io._schema import Column, Schema, fold
from bhxh_campaign.io._seen import Seen
from bhxh_campaign.io.codes import ERROR_CODES
from bhxh_campaign.io.load_report import LoadReport, RejectedRow, shown
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.messages import message

Outcome = tuple[Literal["ok", "rejected", "blank", "problem", "header"], Any]

ENCODING_HINT: Final = (
    'a Windows-1258 export? set encoding = "cp1258" in campaign.toml, or --encoding cp1258'
)
"""What to try when a file is not valid UTF-8 (readers add it to their message)."""
_ENCODING_HINT_VI: Final = (
    'tệp xuất theo bảng mã Windows-1258? đặt encoding = "cp1258" trong campaign.toml,'
    " hoặc --encoding cp1258"
)

_UNPRINTABLE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


class Raw(NamedTuple):
    """One row as read: where it starts, its cells, and a problem found while reading it.

    A named tuple, not an attrs class: a reader makes one a row, and it costs a fifth.
    """

    line: int
    cells: Sequence[object]
    problem: tuple[str, str] | None = None
    field: str | None = None
    """The field the problem is in, when the reader knows it (a JSON key)."""
    last: int = 0
    """The physical line where the row ends, when the reader knows it (CSV)."""


class FileProblem(Exception):  # noqa: N818 - internal signal, turned into a RejectedRow
    """A problem with the whole file, raised by a reader."""

    def __init__(
        self, detail: str, code: str, line: int | None = None, *, detail_vi: str = ""
    ) -> None:
        self.code = code
        self.detail = detail
        self.line = line
        self.detail_vi = detail_vi
        super().__init__(detail)


def _scrub(text: str) -> str:
    return _UNPRINTABLE.sub("\ufffd", mask_digits(text))


def rejection(
    code: str,
    detail: str,
    *,
    line: int | None,
    field: str | None = None,
    value: str = "",
    cell: str | None = None,
    detail_vi: str = "",
) -> RejectedRow:
    """A `RejectedRow` with its English and Vietnamese messages."""
    message = _scrub(f"{field} {detail}" if field else detail)
    vi = ERROR_CODES[code].vi
    message_vi = f"{field}: {vi}" if field else vi
    if value:
        message_vi = f"{message_vi}: {value!r}"
    if detail_vi:
        message_vi = f"{message_vi} ({detail_vi})"
    return RejectedRow(
        code=code,
        line=line,
        field=field,
        value=value,
        message=message,
        message_vi=_scrub(message_vi),
        cell=cell,
    )


def letters(index: int) -> str:
    """The spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


HEADER_SEARCH: Final = 30
"""The rows looked at for the header: an office export has title rows above it."""


@frozen
class Header:
    """The header row found: its line, and the columns it names that no field uses."""

    line: int
    ignored: tuple[str, ...] = ()


def _names(raw: Raw) -> list[str]:
    return ["" if c is None else str(c).strip().lstrip("\ufeff").strip() for c in raw.cells]


def _matches(raw: Raw, schema: Schema, aliases: dict[str, Column]) -> bool:
    """Whether a row names every required column: it is the header, not a title row."""
    found = {aliases[f].name for f in map(fold, _names(raw)) if f in aliases}
    return all(c.name in found for c in schema.columns if c.required)


def _header(
    raw: Raw, schema: Schema, *, sheet: bool = False
) -> tuple[list[Column | None], tuple[str, ...]]:
    """Each header cell's column (None for a column no field uses), and those unused names.

    Unused columns ("STT", "Họ và tên") are ignored, and listed; one with no name is
    listed by its letters. A sheet's empty cells after the last name are not columns.
    A missing required column is an error listing every missing, unknown and repeated
    one at once.
    """
    names = _names(raw)
    while sheet and names and not names[-1]:
        names.pop()
    aliases = schema.aliases()
    found: list[Column] = []
    columns: list[Column | None] = []
    unknown: list[str] = []
    repeated: list[str] = []
    for name in names:
        column = aliases.get(fold(name))
        if column is None:
            unknown.append(name)
        elif column in found:
            repeated.append(name)
        else:
            found.append(column)
        columns.append(column)
    missing = [c.name for c in schema.columns if c.required and c not in found]
    if missing or repeated:
        parts, parts_vi = [], []
        if missing:
            listed = ", ".join(map(repr, missing))
            parts.append(f"missing {listed}")
            parts_vi.append(f"thiếu {listed}")
        if unknown:
            listed = ", ".join(repr(shown(u)) for u in unknown)
            parts.append(f"unknown {listed}")
            parts_vi.append(f"không nhận ra {listed}")
        if repeated:
            listed = ", ".join(repr(shown(r)) for r in repeated)
            parts.append(f"repeated {listed}")
            parts_vi.append(f"lặp {listed}")
        expected = ", ".join(c.name for c in schema.columns)
        detail = f"bad header ({'; '.join(parts)}); expected {expected}"
        detail_vi = f"{'; '.join(parts_vi)}; cần có {expected}"
        raise FileProblem(detail, "bad_header", raw.line, detail_vi=detail_vi)
    ignored = (
        shown(name) if name else f"({letters(index)})"
        for index, name in enumerate(names)
        if columns[index] is None
    )
    return columns, tuple(ignored)


def _find_header(rows: Iterator[Raw], schema: Schema) -> Raw:
    """The header row, below any title rows (which are skipped; their lines still count).

    It is the first of the first `HEADER_SEARCH` rows that names every required column,
    else the first row that is not blank (whose error then says what is missing).
    """
    aliases = schema.aliases()
    first: Raw | None = None
    for _ in range(HEADER_SEARCH):
        raw = next(rows, None)
        if raw is None:
            break
        if raw.problem is not None:
            code, detail = raw.problem
            hint = _ENCODING_HINT_VI if ENCODING_HINT in detail else ""
            raise FileProblem(detail, code, raw.line, detail_vi=hint)
        if not any(_names(raw)):
            continue
        if _matches(raw, schema, aliases):
            return raw
        first = first or raw
    if first is None:
        msg = "is empty: expected a header row"
        raise FileProblem(msg, "empty_file", 1)
    return first


def _model_code(error: InvalidValueError) -> str:
    message = str(error)
    if "must be one of" in message:
        return "unknown_value"
    if "above zero" in message:
        return "not_positive"
    if "control character" in message:
        return "control_character"
    if "digits" in message and error.field != "participant_id":
        return "bad_code"
    return "invalid_value"


def _without_field(detail: str, field: str | None) -> str:
    """A model error's message without its leading field name, which `rejection` adds back.

    The model names its attribute (``value``); the rejected row names the file's column
    (``target``), once.
    """
    if field and detail.startswith(f"{field} "):
        return detail[len(field) + 1 :]
    return detail


_cell_text = _cells.cell_text
_empty = _cells.empty


def outcomes(
    raws: Iterable[Raw],
    schema: Schema,
    context: _cells.Context,
    *,
    units: Collection[str] | None = None,
    sheet: str | None = None,
) -> Generator[Outcome]:
    """One outcome per data row: ``("ok", value)``, ``("rejected", row)``, ``("blank", None)``.

    The first outcome is ``("header", Header)``, once the header row is found. A problem
    with the whole file is a final ``("problem", row)``.
    """
    rows = iter(raws)
    try:
        first = _find_header(rows, schema)
        columns, ignored = _header(first, schema, sheet=sheet is not None)
        yield "header", Header(line=first.line, ignored=ignored)
        seen = Seen()
        # CSV, JSON and dataframe rows; a sheet's rows have cells past the header to pad.
        fast = None if sheet is not None else _fast.row_builder(columns, schema, context, units)
        key, add = schema.key, seen.add
        for raw in rows:
            record = None if fast is None or raw.problem is not None else fast(raw.cells)
            if record is None:
                outcome = _row(raw, columns, schema, context, units, seen, sheet)
            else:  # `_unseen`, inlined for the common case
                earlier = add(key(record), raw.line)
                if earlier is None:
                    yield "ok", record
                    continue
                outcome = _unseen(
                    record,
                    line=raw.line,
                    columns=columns,
                    schema=schema,
                    seen=seen,
                    sheet=sheet,
                    first=earlier,
                )
            if outcome[0] == "rejected" and raw.last > raw.line:
                outcome = "rejected", _spanned(outcome[1], raw.line, raw.last)
            yield outcome
    except FileProblem as problem:
        yield (
            "problem",
            rejection(problem.code, problem.detail, line=problem.line, detail_vi=problem.detail_vi),
        )
    finally:
        _close(rows)


def _spanned(row: RejectedRow, first: int, last: int) -> RejectedRow:
    """A rejected row that ran over several lines says which: a quote left open joins them."""
    return attrs.evolve(
        row,
        message=row.message + message("load_note", "span", "en", first=first, last=last),
        message_vi=row.message_vi + message("load_note", "span", "vi", first=first, last=last),
    )


def _row(  # noqa: PLR0911, PLR0912, PLR0917 - one flat pass over the checks reads best
    raw: Raw,
    columns: list[Column | None],
    schema: Schema,
    context: _cells.Context,
    units: Collection[str] | None,
    seen: Seen,
    sheet: str | None,
) -> Outcome:
    line = raw.line

    def cell_ref(index: int) -> str | None:
        return None if sheet is None else f"{sheet}!{letters(index)}{line}"

    if raw.problem is not None:
        code, detail = raw.problem
        hint = _ENCODING_HINT_VI if ENCODING_HINT in detail else ""
        return "rejected", rejection(
            code, detail, line=line, field=raw.field, cell=cell_ref(0), detail_vi=hint
        )
    cells = list(raw.cells)
    if sheet is not None and len(cells) < len(columns):
        cells += [None] * (len(columns) - len(cells))  # a sheet's row ends at its last value
    try:
        blank = not "".join(cells).strip()  # type: ignore[arg-type]
    except TypeError:  # cells of a sheet, JSON or a frame are not all text
        blank = all(_empty(c) for c in cells)
    if blank:
        return "blank", None
    if len(cells) < len(columns):
        detail = f"has {len(cells)} cells, the header has {len(columns)}"
        return "rejected", rejection("too_few_cells", detail, line=line, cell=cell_ref(0))
    # A sheet's rows run to its widest row: empty cells past the header are not extra.
    extra = cells[len(columns) :]
    if extra and (sheet is None or any(not _empty(c) for c in extra)):
        detail = f"has {len(cells)} cells, the header has {len(columns)}"
        return "rejected", rejection("too_many_cells", detail, line=line, cell=cell_ref(0))
    values: dict[str, object] = dict(schema.fixed)
    for index, column in enumerate(columns):
        if column is None:  # a column no field uses: listed once, in the load report
            continue
        raw_value = cells[index]
        try:
            value = _cell_text(raw_value, context)
            if _empty(value):
                if column.required:
                    msg = "must not be empty"
                    raise _cells.Bad(msg, "missing_value")
                continue
            values[column.field] = column.parse(value, context)
        except _cells.Bad as bad:
            value_shown = (
                ""
                if raw_value is _cells.UNSAVED_FORMULA
                else shown(raw_value, personal=column.personal)
            )
            detail = f"{bad.detail}, got {value_shown!r}" if column.personal else bad.detail
            return "rejected", rejection(
                bad.code,
                detail,
                line=line,
                field=column.name,
                value=value_shown,
                cell=cell_ref(index),
                detail_vi=bad.detail_vi,
            )
    try:
        value = schema.model(**values)
    except InvalidValueError as error:
        field = error.field
        where = next((i for i, c in enumerate(columns) if c and c.field == field), None)
        named = None if where is None else columns[where]
        personal = field == "participant_id"
        return "rejected", rejection(
            _model_code(error),
            _without_field(str(error), field),
            line=line,
            field=field if named is None else named.name,
            value=shown(values.get(field or "", ""), personal=personal),
            cell=cell_ref(where or 0),
        )
    if units is not None:
        unit = getattr(value, "district_code", None) or getattr(value, "unit_code", None)
        if UnitLevel.of_code(unit) is not None and unit not in units:
            field = "district_code" if schema.kind == "enrollments" else "unit_code"
            index = next((i for i, c in enumerate(columns) if c and c.field == field), 0)
            return "rejected", rejection(
                "unknown_district",
                f"{unit!r} is not one of the campaign's units",
                line=line,
                field=field,
                value=shown(unit),
                cell=cell_ref(index),
            )
    return _unseen(value, line=line, columns=columns, schema=schema, seen=seen, sheet=sheet)


def _unseen(
    value: object,
    *,
    line: int,
    columns: list[Column | None],
    schema: Schema,
    seen: Seen,
    sheet: str | None,
    first: int | None = None,
) -> Outcome:
    """An accepted value, unless its key repeats an earlier row's.

    ``first`` is the line ``seen.add`` already gave for the key, if it was called.
    """
    key = schema.key(value)
    if first is None:
        first = seen.add(key, line)
    if first is None:
        return "ok", value
    index = next((i for i, c in enumerate(columns) if c and c.field == schema.key_field), 0)
    return "rejected", rejection(
        schema.duplicate_code,
        f"{key!r} repeats line {first}",
        line=line,
        field=schema.key_field,
        value=shown(key),
        cell=None if sheet is None else f"{sheet}!{letters(index)}{line}",
    )


def _close(iterator: object) -> None:
    """Close a reader now (a workbook holds its file open), not when it is collected."""
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


def collect(outcomes: Iterator[Outcome], *, path: str, strict: bool) -> LoadReport[Any]:
    """Gather outcomes into a `LoadReport`; in strict mode raise on the first error."""
    records: list[Any] = []
    rejected: list[RejectedRow] = []
    problems: list[RejectedRow] = []
    blank = 0
    header = Header(line=1)
    each = iter(outcomes)
    try:
        for kind, item in each:
            if kind == "ok":
                records.append(item)
            elif kind == "header":
                header = item
            elif kind == "blank":
                blank += 1
            else:
                if strict:
                    raise item.error(path)
                (rejected if kind == "rejected" else problems).append(item)
    finally:
        _close(each)
    return LoadReport(
        path=path,
        records=records,
        rejected=rejected,
        rows_read=len(records) + len(rejected) + blank,
        blank=blank,
        problems=problems,
        header_line=header.line,
        ignored=header.ignored,
    )
