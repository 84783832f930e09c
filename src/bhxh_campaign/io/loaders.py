"""Loaders for enrollments, districts and targets from CSV, XLSX, JSON and dataframes.

Every loader returns a `LoadReport`: the accepted values and every refused row with its
error code, line (or ``sheet!cell``), field, masked value and a message in English and
Vietnamese. With ``strict=True`` the first error raises a `LoadError` instead.

The file type comes from the suffix: ``.csv`` (or ``.txt``, ``.tsv``), ``.xlsx`` (or
``.xlsm``), ``.json`` (an array of objects) and ``.jsonl`` (or ``.ndjson``: JSON Lines, one
object per line); anything that is not a path is read as a dataframe through ``narwhals``
(pandas, polars, pyarrow, a DuckDB relation). Workbooks need the ``excel`` extra
(openpyxl, defusedxml), dataframes the ``dataframes`` extra (narwhals); both are imported
only when such a source is read. CSV, JSON and JSON Lines are streamed: memory stays
bounded, however large the file.

The enrollments loaders take a ``progress`` callback, called as ``progress(done, total)``
with bytes read so far and bytes to read: at most once per MiB, and once more with
``(total, total)`` when the whole file has been read. JSON and JSON Lines files are read
twice (the first pass checks the file and gathers the keys of the header), so their total
is twice the file's size. It is not called for workbooks and dataframes.

Examples:
    >>> report = load_enrollments("examples/bac_giang_2023/enrollments.csv")
    >>> report.rows_read == report.accepted + len(report.rejected) + report.blank
    True
    >>> report.accepted, report.rejected
    (3091, ())
"""

from __future__ import annotations

import os
from collections.abc import Collection, Generator, Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Final

from bhxh_campaign._callbacks import ProgressCallback
from bhxh_campaign._layout import enrollments_file_of, misnamed_enrollments
from bhxh_campaign._settings import FolderSettings, folder_settings
from bhxh_campaign.io import _cells, _pipeline, _readers, _schema
from bhxh_campaign.io._pipeline import FileProblem, Outcome, Raw
from bhxh_campaign.io.load_report import LoadReport, RejectedRow
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import EnrollmentRecord, Target, Unit

__all__ = [
    "iter_enrollments",
    "load_districts",
    "load_enrollments",
    "load_folder_records",
    "load_targets",
    "records_from_json",
]


def _json() -> ModuleType:
    """The JSON reader, imported when a JSON file is first read."""
    from bhxh_campaign.io import _json as module  # noqa: PLC0415

    return module


Source = str | os.PathLike[str] | object
"""A path to a CSV, XLSX, JSON or JSON Lines file, or a dataframe."""

_CSV: Final = frozenset({".csv", ".txt", ".tsv"})
_XLSX: Final = frozenset({".xlsx", ".xlsm"})
_JSON: Final = frozenset({".json"})
_JSONL: Final = frozenset({".jsonl", ".ndjson"})
_PARQUET: Final = frozenset({".parquet"})


def _units(districts: Iterable[Unit | str] | None) -> frozenset[str] | None:
    if districts is None:
        return None
    return frozenset(d.code if isinstance(d, Unit) else str(d) for d in districts)


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
    progress: ProgressCallback | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[str, Generator[Outcome]]:
    schema = schema.with_columns(columns)
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
                names = tuple(c.name for c in schema.columns)
                rows = _json().json_rows(path, names, progress=progress)
            elif suffix in _JSONL:
                names = tuple(c.name for c in schema.columns)
                rows = _json().jsonl_rows(path, names, progress=progress)
            elif suffix in _CSV:
                rows = _readers.csv_rows(path, encoding=encoding or "utf-8-sig", progress=progress)
                context.unquote = True
            elif suffix in _PARQUET:
                rows = _readers.parquet_rows(path)
            else:
                msg = (
                    f"has an unknown type {suffix!r}:"
                    " expected .csv, .xlsx, .json, .jsonl or .parquet"
                )
                raise FileProblem(msg, "unreadable_file")
        except FileProblem as error:
            rows = _problem(error)
    else:
        name, rows = _readers.frame_rows(source)
        context.frame = True
    return name, _pipeline.outcomes(rows, schema, context, units=units, sheet=shown_sheet)


def load_enrollments(
    source: Source,
    *,
    strict: bool = False,
    districts: Iterable[Unit | str] | None = None,
    level: UnitLevel | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    day_first: bool = True,
    progress: ProgressCallback | None = None,
    columns: Mapping[str, str] | None = None,
) -> LoadReport[EnrollmentRecord]:
    """Load enrollment records, one `EnrollmentRecord` per row.

    Args:
        source: a ``.csv``, ``.xlsx``, ``.json`` or ``.jsonl`` path, or a dataframe.
        strict: raise a `LoadError` on the first error instead of reporting it.
        districts: the campaign's units (or their codes); a record in another unit is
            refused with ``unknown_district``. None accepts any code.
        level: the campaign's level: with `UnitLevel.COMMUNE`, the headings "Mã xã",
            "Mã phường" and "Mã ĐVHC" name the reporting unit (``district_code``).
        encoding: the CSV's encoding, e.g. ``"cp1258"`` (Windows-1258); default UTF-8
            with or without a byte-order mark.
        sheet: the workbook's sheet (default: the first).
        day_first: accept ``dd/mm/yyyy`` dates besides ISO ones; never month-first.
        progress: called as ``progress(done, total)`` (bytes) while a CSV, JSON or JSON
            Lines file is read, for a progress bar (see the module's docs).
        columns: header text -> field, for headings no alias matches, e.g.
            ``{"Số sổ BHXH": "participant_id"}``; it wins over the aliases.

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
        >>> seen = []
        >>> report = load_enrollments(path, progress=lambda done, total: seen.append(done))
        >>> seen == [path.stat().st_size]
        True
        >>> _ = path.write_text("Số sổ,Mã số BHXH,Mã huyện,Ngày tham gia\\n"
        ...                     "r1,0241234567,221,18/05/2023\\n", encoding="utf-8")
        >>> load_enrollments(path, columns={"Số sổ": "record_id"}).records[0].record_id
        'r1'
    """
    name, outcomes = _outcomes(
        source,
        _schema.enrollments(level),
        encoding=encoding,
        sheet=sheet,
        day_first=day_first,
        vietnamese_numbers=False,
        units=_units(districts),
        progress=progress,
        columns=columns,
    )
    report: LoadReport[EnrollmentRecord] = _pipeline.collect(outcomes, path=name, strict=strict)
    return report


def iter_enrollments(
    source: Source,
    *,
    districts: Iterable[Unit | str] | None = None,
    level: UnitLevel | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    day_first: bool = True,
    progress: ProgressCallback | None = None,
    columns: Mapping[str, str] | None = None,
) -> Iterator[EnrollmentRecord | RejectedRow | None]:
    """Stream enrollment rows: a record, a `RejectedRow`, or None for a blank row.

    Memory stays bounded: one row at a time, and the record ids seen (to refuse
    repeats) spill to a temporary file past 786,432 of them; so files too large for a
    `LoadReport` can be counted or copied. Arguments are those of
    `load_enrollments`.

    Examples:
        >>> rows = list(iter_enrollments("examples/bac_giang_2023/enrollments.csv"))
        >>> len(rows), rows[0].record_id
        (3091, 'BG-2023-000001')
    """
    _, outcomes = _outcomes(
        source,
        _schema.enrollments(level),
        encoding=encoding,
        sheet=sheet,
        day_first=day_first,
        vietnamese_numbers=False,
        units=_units(districts),
        progress=progress,
        columns=columns,
    )
    try:
        for kind, item in outcomes:
            if kind != "header":
                yield item
    finally:
        outcomes.close()


def records_from_json(
    text: str | bytes,
    *,
    strict: bool = False,
    districts: Iterable[Unit | str] | None = None,
    level: UnitLevel | None = None,
    day_first: bool = True,
) -> LoadReport[EnrollmentRecord]:
    """Read the text of a records JSON export back into validated enrollment records.

    The inverse of `records_to_json` (with ``ids="full"``): the text goes through exactly
    the checks of `load_enrollments` on a ``.json`` file, with the same error codes and
    lines, so a record that the model would refuse is a rejected row, never a record.
    The report's path is ``"<json>"``.

    Args:
        text: a JSON array of objects, as text or UTF-8 bytes.
        strict: raise a `LoadError` on the first error instead of reporting it.
        districts: the campaign's units, as for `load_enrollments`.
        level: the campaign's level, as for `load_enrollments`.
        day_first: accept ``dd/mm/yyyy`` dates besides ISO ones.

    Examples:
        >>> report = records_from_json('''[
        ...   {"record_id": "r1", "participant_id": "0241234567",
        ...    "district_code": "221", "enrolled_on": "2023-05-18"},
        ...   {"record_id": "r2", "participant_id": "******4567",
        ...    "district_code": "221", "enrolled_on": "2023-05-18"}
        ... ]''')
        >>> report.records[0].enrolled_on
        datetime.date(2023, 5, 18)
        >>> [(r.code, r.line, r.field) for r in report.rejected]
        [('id_not_digits', 4, 'participant_id')]
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    schema = _schema.enrollments(level)
    context = _cells.Context(day_first=day_first, vietnamese_numbers=False)
    rows = _json().json_rows(data, tuple(c.name for c in schema.columns))
    outcomes = _pipeline.outcomes(rows, schema, context, units=_units(districts))
    report: LoadReport[EnrollmentRecord] = _pipeline.collect(outcomes, path="<json>", strict=strict)
    return report


def load_districts(
    source: Source,
    *,
    strict: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    day_first: bool = True,
    level: UnitLevel | None = None,
    columns: Mapping[str, str] | None = None,
) -> LoadReport[Unit]:
    """Load units, one `District` or `Commune` per row (a repeated code is refused).

    With ``level``, every row must be a unit of that level (its code's length and its
    kind); without, each row's code decides. Other arguments are those of
    `load_enrollments`.

    Examples:
        >>> report = load_districts("examples/bac_giang_2023/districts.csv")
        >>> report.accepted, report.records[0].name
        (10, 'Bắc Giang')
    """
    name, outcomes = _outcomes(
        source,
        _schema.districts(level),
        encoding=encoding,
        sheet=sheet,
        day_first=day_first,
        vietnamese_numbers=False,
        units=None,
        columns=columns,
    )
    report: LoadReport[Unit] = _pipeline.collect(outcomes, path=name, strict=strict)
    return report


def load_targets(
    source: Source,
    *,
    campaign_id: str,
    strict: bool = False,
    districts: Iterable[Unit | str] | None = None,
    vietnamese_numbers: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> LoadReport[Target]:
    """Load targets, one `Target` per row, all of the campaign ``campaign_id``.

    Args:
        source: a ``.csv``, ``.xlsx``, ``.json`` or ``.jsonl`` path, or a dataframe.
        campaign_id: the `Campaign.id` the targets belong to.
        strict: raise a `LoadError` on the first error instead of reporting it.
        districts: the campaign's units; a unit code (not a province's) outside them
            is refused with ``unknown_district``.
        vietnamese_numbers: read "1.928" as one thousand nine hundred and twenty-eight.
            Without it "1.928" is refused as ambiguous, and "1,928" always is.
        encoding: the CSV's encoding (default UTF-8, with or without a byte-order mark).
        sheet: the workbook's sheet (default: the first).
        columns: header text -> field, as for `load_enrollments`.

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
        columns=columns,
    )
    report: LoadReport[Target] = _pipeline.collect(outcomes, path=name, strict=strict)
    return report


def load_folder_records(
    folder: str | os.PathLike[str],
    *,
    level: UnitLevel,
    strict: bool = True,
    settings: FolderSettings | None = None,
    progress: ProgressCallback | None = None,
    districts: Iterable[Unit | str] | None = None,
    records: str | os.PathLike[str] | None = None,
    sheet: str | None = None,
) -> LoadReport[EnrollmentRecord]:
    """The records of a campaign folder, read as `load_campaign` reads them.

    Its one records file (``enrollments.csv``, ``.xlsx``, ``.json``, ``.jsonl`` or
    ``.parquet``) with the ``encoding``, ``sheet`` and ``[columns]`` of its
    ``campaign.toml``. A records file under another name is a ``misnamed_file`` problem.

    Args:
        folder: the campaign folder.
        level: the campaign's level (`Campaign.level`).
        strict: raise a `LoadError` on the first error (the default).
        settings: the folder's settings, when already read (else read from the folder).
        progress: as for `load_enrollments`.
        districts: the campaign's units, as for `load_enrollments`.
        records: another records file to read in its place, with the folder's settings
            (``report --enrollments FILE``).
        sheet: the sheet to read, instead of the folder's ``sheet`` setting.

    Examples:
        >>> from bhxh_campaign.levels import UnitLevel
        >>> load_folder_records("examples/bac_giang_2023", level=UnitLevel.DISTRICT).accepted
        3091
    """
    path = Path(folder)
    settings = folder_settings(path) if settings is None else settings
    source = enrollments_file_of(path) if records is None else Path(records)
    misnamed = misnamed_enrollments(path) if records is None else None
    if misnamed is not None:
        row = _pipeline.rejection("misnamed_file", misnamed, line=None)
        if strict:
            raise row.error(str(path))
        return LoadReport(
            path=str(source), records=(), rejected=(), rows_read=0, blank=0, problems=(row,)
        )
    schema = _schema.enrollments(level)
    return load_enrollments(
        source,
        strict=strict,
        progress=progress,
        level=level,
        encoding=settings.encoding,
        sheet=settings.sheet if sheet is None else sheet,
        columns=settings.columns_of(schema.fields()),
        districts=districts,
    )
