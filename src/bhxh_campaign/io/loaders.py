"""Loaders for enrollments, districts and targets from CSV, XLSX, JSON and dataframes.

Every loader returns a `LoadReport`: the accepted values and every refused row with its
error code, line (or ``sheet!cell``), field, masked value and a message in English and
Vietnamese. With ``strict=True`` the first error raises a `LoadError` instead.

The file type comes from the suffix: ``.csv`` (or ``.txt``), ``.xlsx`` (or ``.xlsm``) and
``.json``; anything that is not a path is read as a dataframe through ``narwhals``
(pandas, polars, pyarrow, a DuckDB relation). Workbooks need the ``excel`` extra
(openpyxl, defusedxml), dataframes the ``dataframes`` extra (narwhals); both are imported
only when such a source is read.

Examples:
    >>> report = load_enrollments("examples/bac_giang_2023/enrollments.csv")
    >>> report.rows_read == report.accepted + len(report.rejected) + report.blank
    True
    >>> report.accepted, report.rejected
    (3091, ())
"""

from __future__ import annotations

import os
from collections.abc import Collection, Generator, Iterable, Iterator
from pathlib import Path
from typing import Final

from bhxh_campaign.io import _cells, _engine, _readers, _schema
from bhxh_campaign.io._engine import FileProblem, Outcome, Raw
from bhxh_campaign.io.report import LoadReport, RejectedRow
from bhxh_campaign.model import District, EnrollmentRecord, Target

__all__ = ["iter_enrollments", "load_districts", "load_enrollments", "load_targets"]

Source = str | os.PathLike[str] | object
"""A path to a CSV, XLSX or JSON file, or a dataframe."""

_CSV: Final = frozenset({".csv", ".txt", ".tsv"})
_XLSX: Final = frozenset({".xlsx", ".xlsm"})
_JSON: Final = frozenset({".json"})


def _units(districts: Iterable[District | str] | None) -> frozenset[str] | None:
    if districts is None:
        return None
    return frozenset(d.code if isinstance(d, District) else str(d) for d in districts)


def _problem(error: FileProblem) -> Iterator[Raw]:
    yield from ()
    raise error


def _outcomes(
    source: Source,
    schema: _schema.Schema,
    *,
    encoding: str | None,
    sheet: str | None,
    day_first: bool,
    vietnamese_numbers: bool,
    units: Collection[str] | None,
) -> tuple[str, Generator[Outcome]]:
    context = _cells.Context(day_first=day_first, vietnamese_numbers=vietnamese_numbers)
    shown_sheet: str | None = None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(path)
        suffix = path.suffix.lower()
        rows: Iterator[Raw]
        try:
            if suffix in _XLSX:
                shown_sheet, epoch, rows = _readers.xlsx_rows(path, sheet=sheet)
                context.epoch = 1904 if epoch == 1904 else 1900
            elif suffix in _JSON:
                rows = _readers.json_rows(path, tuple(c.name for c in schema.columns))
            elif suffix in _CSV:
                rows = _readers.csv_rows(path, encoding=encoding or "utf-8-sig")
                context.unquote = True
            else:
                msg = f"has an unknown type {suffix!r}: expected .csv, .xlsx or .json"
                raise FileProblem(msg, "unreadable_file")
        except FileProblem as error:
            rows = _problem(error)
    else:
        name, rows = _readers.frame_rows(source)
    return name, _engine.outcomes(rows, schema, context, units=units, sheet=shown_sheet)


def load_enrollments(
    source: Source,
    *,
    strict: bool = False,
    districts: Iterable[District | str] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    day_first: bool = True,
) -> LoadReport[EnrollmentRecord]:
    """Load enrollment records, one `EnrollmentRecord` per row.

    Args:
        source: a ``.csv``, ``.xlsx`` or ``.json`` path, or a dataframe.
        strict: raise a `LoadError` on the first error instead of reporting it.
        districts: the campaign's districts (or their codes); a record in another
            district is refused with ``unknown_district``. None accepts any code.
        encoding: the CSV's encoding, e.g. ``"cp1258"`` (Windows-1258); default UTF-8
            with or without a byte-order mark.
        sheet: the workbook's sheet (default: the first).
        day_first: accept ``dd/mm/yyyy`` dates besides ISO ones; never month-first.

    Returns:
        The report: accepted records and refused rows, in file order.

    Raises:
        LoadError: in strict mode, the first error, naming the file, line and field.

    Examples:
        >>> import io, pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
        >>> _ = path.write_text(
        ...     "Mã hồ sơ,Mã số BHXH,Mã huyện,Ngày tham gia\\n"
        ...     "r1,0241234567,221,18/05/2023\\n"
        ...     "r2,1.09001E+11,221,31/02/2023\\n", encoding="utf-8")
        >>> report = load_enrollments(path)
        >>> report.records[0].enrolled_on, report.records[0].participant_id
        (datetime.date(2023, 5, 18), '0241234567')
        >>> [(r.code, r.line, r.field, r.value) for r in report.rejected]
        [('id_scientific_notation', 3, 'participant_id', '*******E+11')]
    """
    name, outcomes = _outcomes(
        source,
        _schema.enrollments(),
        encoding=encoding,
        sheet=sheet,
        day_first=day_first,
        vietnamese_numbers=False,
        units=_units(districts),
    )
    report: LoadReport[EnrollmentRecord] = _engine.collect(outcomes, path=name, strict=strict)
    return report


def iter_enrollments(
    source: Source,
    *,
    districts: Iterable[District | str] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    day_first: bool = True,
) -> Iterator[EnrollmentRecord | RejectedRow | None]:
    """Stream enrollment rows: a record, a `RejectedRow`, or None for a blank row.

    Memory stays bounded by one row (plus the record ids seen, to refuse repeats), so
    files too large for a `LoadReport` can be counted or copied. Arguments are those of
    `load_enrollments`.

    Examples:
        >>> rows = list(iter_enrollments("examples/bac_giang_2023/enrollments.csv"))
        >>> len(rows), rows[0].record_id
        (3091, 'BG-2023-000001')
    """
    _, outcomes = _outcomes(
        source,
        _schema.enrollments(),
        encoding=encoding,
        sheet=sheet,
        day_first=day_first,
        vietnamese_numbers=False,
        units=_units(districts),
    )
    try:
        for _kind, item in outcomes:
            yield item
    finally:
        outcomes.close()


def load_districts(
    source: Source,
    *,
    strict: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    day_first: bool = True,
) -> LoadReport[District]:
    """Load district-level units, one `District` per row (a repeated code is refused).

    Arguments are those of `load_enrollments`.

    Examples:
        >>> report = load_districts("examples/bac_giang_2023/districts.csv")
        >>> report.accepted, report.records[0].name
        (10, 'Bắc Giang')
    """
    name, outcomes = _outcomes(
        source,
        _schema.districts(),
        encoding=encoding,
        sheet=sheet,
        day_first=day_first,
        vietnamese_numbers=False,
        units=None,
    )
    report: LoadReport[District] = _engine.collect(outcomes, path=name, strict=strict)
    return report


def load_targets(
    source: Source,
    *,
    campaign_id: str,
    strict: bool = False,
    districts: Iterable[District | str] | None = None,
    vietnamese_numbers: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
) -> LoadReport[Target]:
    """Load targets, one `Target` per row, all of the campaign ``campaign_id``.

    Args:
        source: a ``.csv``, ``.xlsx`` or ``.json`` path, or a dataframe.
        campaign_id: the `Campaign.id` the targets belong to.
        strict: raise a `LoadError` on the first error instead of reporting it.
        districts: the campaign's districts; a three-digit unit code outside them is
            refused with ``unknown_district``.
        vietnamese_numbers: read "1.928" as one thousand nine hundred and twenty-eight.
            Without it "1.928" is refused as ambiguous, and "1,928" always is.
        encoding: the CSV's encoding (default UTF-8, with or without a byte-order mark).
        sheet: the workbook's sheet (default: the first).

    Examples:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
        >>> _ = path.write_text("Mã đơn vị,Chỉ tiêu\\n24,3.285\\n221,\\"1,928\\"\\n")
        >>> report = load_targets(path, campaign_id="bg", vietnamese_numbers=True)
        >>> report.records[0].value, [(r.code, r.line) for r in report.rejected]
        (3285, [('ambiguous_number', 3)])
    """
    name, outcomes = _outcomes(
        source,
        _schema.targets(campaign_id),
        encoding=encoding,
        sheet=sheet,
        day_first=True,
        vietnamese_numbers=vietnamese_numbers,
        units=_units(districts),
    )
    report: LoadReport[Target] = _engine.collect(outcomes, path=name, strict=strict)
    return report
