"""`LoadReport` and `RejectedRow`: what a loader accepted, and why it refused the rest.

Every data row after the header is counted once, as accepted, rejected or blank, so
``rows_read == accepted + rejected + blank`` always holds. Problems with the whole file (a
missing column, a zip bomb) are `LoadReport.problems`; they stop the reading, so the rows
after them are not counted.

Examples:
    >>> row = RejectedRow(code="bad_date", line=3, field="enrolled_on", value="31/13/2023",
    ...                   message="enrolled_on is not a date", message_vi="không phải ngày")
    >>> report = LoadReport(path="e.csv", records=(), rejected=(row,), rows_read=2, blank=1)
    >>> report.accepted, report.ok
    (0, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Generic, TypeVar, final

from attrs import field, frozen

from bhxh_campaign._privacy import mask_digits, mask_id
from bhxh_campaign.errors import InvalidValueError, LoadError

__all__ = ["LoadReport", "RejectedRow"]

T = TypeVar("T")

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_MAX_SHOWN = 60


def shown(value: object, *, personal: bool = False) -> str:
    """A value as it may appear in a message: masked, printable and short.

    A personal identifier is masked whole; elsewhere, any run of eight digits or more is
    masked too, since an identifier typed in the wrong column is still an identifier.

    Examples:
        >>> shown("2412345678", personal=True), shown("BG 024195012345 x")
        ('******5678', 'BG ********2345 x')
        >>> shown("a\\x00b")
        'a\\ufffdb'
    """
    text = "" if value is None else str(value)
    text = mask_id(text) if personal else mask_digits(text)
    text = _UNPRINTABLE.sub("\ufffd", text)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _records(value: Iterable[T]) -> tuple[T, ...]:
    return tuple(value)


def _rows(value: Iterable[RejectedRow]) -> tuple[RejectedRow, ...]:
    return tuple(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _count(instance: object, attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"counts must be whole numbers, not below zero, got {value!r}"
        raise InvalidValueError(msg)


@final
@frozen
class RejectedRow:
    """One refused row, or one problem with the whole file.

    Attributes:
        code: the stable error code (see `ERROR_CODES`).
        line: the physical line where the record starts (1 is the header), the row number
            of a sheet, or None when the problem has no line.
        field: the field that holds the bad value, or None for a whole-row problem.
        value: the bad value as shown: masked when it may be a personal identifier.
        message: what is wrong, in English.
        message_vi: what is wrong, in Vietnamese.
        cell: the spreadsheet cell (``"Sheet1!C5"``) for workbooks, else None.

    Examples:
        >>> RejectedRow(code="nul_byte", line=4, field=None, value="", message="NUL",
        ...             message_vi="NUL").where
        'line 4'
    """

    code: str
    line: int | None
    field: str | None
    value: str
    message: str
    message_vi: str
    cell: str | None = None

    @property
    def where(self) -> str:
        """Where the problem is, for a person: ``"Sheet1!C5"``, ``"line 4"`` or ``""``."""
        if self.cell is not None:
            return self.cell
        return "" if self.line is None else f"line {self.line}"

    def error(self, path: str) -> LoadError:
        """The `LoadError` a strict loader raises for this row, with its code, line and field.

        Examples:
            >>> row = RejectedRow(code="bad_date", line=3, field="enrolled_on", value="x",
            ...                   message="enrolled_on is not a date: 'x'", message_vi="")
            >>> str(row.error("e.csv"))
            "e.csv, line 3, field 'enrolled_on': enrolled_on is not a date: 'x' [bad_date]"
            >>> row.error("e.csv").code
            'bad_date'
        """
        where = f" (at {self.cell})" if self.cell else ""
        msg = f"{self.message}{where} [{self.code}]"
        return LoadError(msg, path=path, line=self.line, field=self.field, code=self.code)


@final
@frozen
class LoadReport(Generic[T]):
    """What a loader made of one file: the accepted values and every refused row.

    Attributes:
        path: the file (or a description of the dataframe) that was read.
        records: the accepted values, in file order.
        rejected: one `RejectedRow` per refused row, in file order.
        rows_read: the data rows read after the header, blank ones included.
        blank: the rows with no value at all (skipped, not errors).
        problems: problems with the whole file, which stopped the reading.
        header_line: the line of the header row: 1, or the line below an office
            export's title rows (which are not data rows, and not counted).
        ignored: the header's columns that no field uses ("STT", "Họ và tên"), as
            written: their cells are not read.

    Examples:
        >>> LoadReport(path="t.csv", records=(1, 2), rejected=(), rows_read=3, blank=1).ok
        True
        >>> LoadReport(path="t.csv", records=(), rejected=(), rows_read=0, blank=0,
        ...            header_line=4, ignored=("STT",)).ignored
        ('STT',)
    """

    path: str
    records: tuple[T, ...] = field(converter=_records, repr=False)
    rejected: tuple[RejectedRow, ...] = field(converter=_rows)
    rows_read: int = field(validator=_count)
    blank: int = field(validator=_count)
    problems: tuple[RejectedRow, ...] = field(default=(), converter=_rows)
    header_line: int = field(default=1, validator=_count)
    ignored: tuple[str, ...] = field(default=(), converter=_names)

    def __attrs_post_init__(self) -> None:
        if self.rows_read != len(self.records) + len(self.rejected) + self.blank:
            msg = (
                f"rows_read ({self.rows_read}) must equal accepted ({len(self.records)})"
                f" + rejected ({len(self.rejected)}) + blank ({self.blank})"
            )
            raise InvalidValueError(msg, field="rows_read")

    @property
    def accepted(self) -> int:
        """The number of accepted rows."""
        return len(self.records)

    @property
    def errors(self) -> tuple[RejectedRow, ...]:
        """The file's problems, then the rejected rows."""
        return self.problems + self.rejected

    @property
    def ok(self) -> bool:
        """Whether every row was accepted (or blank) and the file had no problem."""
        return not self.rejected and not self.problems
