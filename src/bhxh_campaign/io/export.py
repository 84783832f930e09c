"""Safe exports of records and of a report's league table: CSV, XLSX, JSON, Markdown.

Rows are plain mappings of column name to value (`record_rows`, `district_rows`); the
writers make them safe for the program that opens them:

- CSV and XLSX neutralise formula injection: a text cell starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return is written as literal text (CSV: prefixed with
  an apostrophe, which the CSV loader removes again; XLSX: a string cell, never a
  formula), while real numbers stay numbers.
- Markdown escapes ``|`` and line breaks, so a cell cannot break the table.
- Participant ids are masked unless asked for (``ids="full"``), or replaced by a keyed
  `pseudonym` (``ids="pseudonym"``) that lets files be joined without raw ids.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign.model import EnrollmentRecord
    >>> r = EnrollmentRecord(record_id="=1+2", participant_id="0241234567",
    ...                      district_code="221", enrolled_on=dt.date(2023, 5, 18))
    >>> print(to_csv(record_rows([r])), end="")  # doctest: +ELLIPSIS
    record_id,participant_id,district_code,enrolled_on,commune_code,payment_method...
    '=1+2,******4567,221,2023-05-18,,...
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from bhxh_campaign._privacy import mask_id, pseudonym
from bhxh_campaign._spreadsheet import CsvLines, neutralise
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io import _convert
from bhxh_campaign.model import EnrollmentRecord
from bhxh_campaign.render.columns import value_rows
from bhxh_campaign.report import CampaignReport

if TYPE_CHECKING:  # only for annotations: cattrs is imported when an export runs
    from cattrs import Converter

__all__ = [
    "district_rows",
    "neutralise",
    "pseudonym",
    "record_rows",
    "records_to_json",
    "safe_path",
    "to_csv",
    "to_json",
    "to_markdown",
    "write_csv",
    "write_xlsx",
]

Row = Mapping[str, object]
Ids = Literal["masked", "full", "pseudonym"]

_UNSAFE_NAME: Final = re.compile(r"[^\w\-. ]+")


def record_rows(
    records: Iterable[EnrollmentRecord], *, ids: Ids = "masked", key: bytes | None = None
) -> list[dict[str, object]]:
    """Enrollment records as rows, one column per field of `EnrollmentRecord`.

    Args:
        records: the records.
        ids: ``"masked"`` (the default: ``******4567``), ``"full"`` (the raw ids, to load
            again) or ``"pseudonym"`` (a keyed `pseudonym` in a ``participant_key``
            column instead of ``participant_id``).
        key: the secret for ``ids="pseudonym"``.

    Examples:
        >>> import datetime as dt
        >>> r = EnrollmentRecord(record_id="r1", participant_id="0241234567",
        ...                      district_code="221", enrolled_on=dt.date(2023, 5, 18))
        >>> record_rows([r])[0]["participant_id"], record_rows([r], ids="full")[0]["participant_id"]
        ('******4567', '0241234567')
    """
    unstructure = _records_unstructurer(_convert.plain_converter(), ids, key)
    return [unstructure(record) for record in records]


def _records_unstructurer(converter: Converter, ids: Ids, key: bytes | None) -> _convert.RecordHook:
    if ids not in {"masked", "full", "pseudonym"}:
        msg = f"ids must be 'masked', 'full' or 'pseudonym', got {ids!r}"
        raise InvalidValueError(msg, field="ids")
    if ids == "pseudonym":
        if key is None:
            msg = "ids='pseudonym' needs a key"
            raise InvalidValueError(msg, field="key")
        secret = key
        pseudonym(" ", key=secret)  # refuse a short key before any record is read

        def keyed(participant_id: str) -> str:
            return pseudonym(participant_id, key=secret)

        return _convert.record_unstructurer(
            converter, participant=keyed, key_name="participant_key"
        )
    participant = None if ids == "full" else mask_id
    return _convert.record_unstructurer(
        converter, participant=participant, key_name="participant_id"
    )


def district_rows(report: CampaignReport, *, total: bool = False) -> list[dict[str, object]]:
    """The report's league table as rows, in the report's order: the columns of the table.

    The keys and values are those of ``report_table(report, "csv")``, whose columns are
    `bhxh_campaign.render.columns.COLUMNS`, as Python values: counts are `int`, percents
    `decimal.Decimal`, days `datetime.date`, a blank cell None. So ``to_csv(district_rows(
    report, total=True))`` is that CSV table, and `write_xlsx` writes numbers as numbers.

    Args:
        report: the campaign report.
        total: whether to end with the total row (named ``"Total"``).

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign.io.folder import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> row = district_rows(report)[0]
        >>> row["district"], row["new"], row["percent"], row["completed_on"]
        ('Yên Dũng', 318, Decimal('111.58'), datetime.date(2023, 5, 16))
    """
    rows: list[dict[str, object]] = [dict(row) for row in value_rows(report, total=total)]
    return rows


def _columns(rows: Sequence[Row]) -> list[str]:
    names: list[str] = []
    for row in rows:
        names.extend(name for name in row if name not in names)
    return names


def _plain(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Fraction):
        return str(value)
    return value


def _csv_cell(value: object) -> object:
    value = _plain(value)
    return neutralise(value) if isinstance(value, str) else value


def to_csv(rows: Sequence[Row]) -> str:
    """Rows as CSV text (a header, then one line per row), formula-safe.

    Examples:
        >>> print(to_csv([{"name": "@SUM(A1)", "n": -3}]), end="")
        name,n
        '@SUM(A1),-3
    """
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue()


def write_csv(rows: Sequence[Row], target: str | Path | io.TextIOBase | Any) -> None:
    """Write rows as UTF-8 CSV to a path or an open text file, formula-safe.

    A path is written with a byte-order mark so that Excel reads the Vietnamese text
    as UTF-8.

    Examples:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
        >>> write_csv([{"a": "=1"}], path)
        >>> path.read_text(encoding="utf-8-sig")
        "a\\n'=1\\n"
    """
    columns = _columns(rows)
    if isinstance(target, (str, Path)):
        with Path(target).open("w", encoding="utf-8-sig", newline="") as file:
            _write_csv(rows, columns, file)
    else:
        _write_csv(rows, columns, target)


def _write_csv(rows: Sequence[Row], columns: list[str], file: Any) -> None:
    writer = CsvLines(file)
    writer.writerow([neutralise(name) for name in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(name)) for name in columns])


def write_xlsx(rows: Sequence[Row], path: str | Path, *, sheet: str = "data") -> None:
    """Write rows to a new workbook: text as string cells (never formulas), numbers as numbers.

    Needs the ``excel`` extra (openpyxl).

    Examples:
        >>> import pathlib, tempfile
        >>> from bhxh_campaign.io.loaders import load_districts
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.xlsx"
        >>> write_xlsx([{"code": "221", "name": "=Yên Dũng", "kind": "huyen",
        ...              "province_code": "24"}], path)
        >>> load_districts(path).records[0].name
        '=Yên Dũng'
    """
    from openpyxl import Workbook  # noqa: PLC0415 - an optional extra
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    make: Any = WriteOnlyCell  # its stubs miss dates and decimals, which it writes well
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    columns = _columns(rows)
    worksheet.append([_text_cell(worksheet, name, make) for name in columns])
    for row in rows:
        cells = []
        for name in columns:
            value = row.get(name)
            if isinstance(value, str):
                cells.append(_text_cell(worksheet, value, make))
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                cells.append(make(worksheet, value=value))
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                cell = make(worksheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(_text_cell(worksheet, str(_plain(value)), make))
        worksheet.append(cells)
    book.save(Path(path))


def _text_cell(worksheet: Any, text: str, make: Any) -> Any:
    cell = make(worksheet, value=None)
    # Set the value and type by hand: openpyxl makes any text starting with "=" a formula.
    cell._value = text
    cell.data_type = "s"
    return cell


def to_json(rows: Sequence[Row]) -> str:
    """Rows as a JSON list of objects: dates ISO, decimals and fractions as strings.

    Values go through the same converter as `records_to_json`: enums become their
    values and None is ``null``. Keys keep the rows' order.

    Examples:
        >>> import datetime as dt
        >>> to_json([{"day": dt.date(2023, 5, 18), "n": 3}])
        '[\\n  {\\n    "day": "2023-05-18",\\n    "n": 3\\n  }\\n]\\n'
    """
    converter = _convert.json_converter()
    data = [{name: converter.unstructure(item) for name, item in row.items()} for row in rows]
    return _dumps(data)


def records_to_json(
    records: Iterable[EnrollmentRecord], *, ids: Ids = "masked", key: bytes | None = None
) -> str:
    """Enrollment records as a JSON list of objects, in the records JSON schema.

    One object per record, one key per field of `EnrollmentRecord` in its order:
    ``record_id``, ``participant_id``, ``district_code``, ``enrolled_on``,
    ``commune_code``, ``payment_method``, ``recorded_on``, ``cancelled_on``. Days are
    ISO dates, the payment method its value (``"annual"``), an absent value ``null``.
    The text is UTF-8 with Vietnamese letters as they are, indented by two spaces.
    It is the text of ``to_json(record_rows(records, ids=ids, key=key))``.

    `records_from_json` (or `load_enrollments` on a ``.json`` file) reads it back
    through the validating loaders: with ``ids="full"`` the round trip gives equal records.

    Args:
        records: the records.
        ids: ``"masked"`` (the default), ``"full"`` or ``"pseudonym"``, as for
            `record_rows`.
        key: the secret for ``ids="pseudonym"``.

    Examples:
        >>> import datetime as dt
        >>> r = EnrollmentRecord(record_id="r1", participant_id="0241234567",
        ...                      district_code="221", enrolled_on=dt.date(2023, 5, 18),
        ...                      payment_method="annual")
        >>> print(records_to_json([r]), end="")
        [
          {
            "record_id": "r1",
            "participant_id": "******4567",
            "district_code": "221",
            "enrolled_on": "2023-05-18",
            "commune_code": null,
            "payment_method": "annual",
            "recorded_on": null,
            "cancelled_on": null
          }
        ]
        >>> from bhxh_campaign.io.loaders import records_from_json
        >>> records_from_json(records_to_json([r], ids="full")).records == (r,)
        True
    """
    unstructure = _records_unstructurer(_convert.json_converter(), ids, key)
    return _dumps([unstructure(record) for record in records])


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _md(value: object) -> str:
    text = str(_plain(value))
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\r\n|\r|\n", "<br>", text)


def to_markdown(rows: Sequence[Row]) -> str:
    """Rows as a Markdown table, with ``|`` and line breaks escaped inside cells.

    Examples:
        >>> print(to_markdown([{"name": "a|b", "note": "x\\ny"}]), end="")
        | name | note |
        |---|---|
        | a\\|b | x<br>y |
    """
    columns = _columns(rows)
    lines = [
        "| " + " | ".join(_md(c) for c in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += ["| " + " | ".join(_md(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def safe_path(folder: str | Path, name: str, suffix: str) -> Path:
    """A file path for a unit's name that stays inside ``folder``.

    Separators, ``..`` and other unsafe characters are replaced, so a name such as
    ``"../../etc/passwd"`` cannot escape.

    Examples:
        >>> safe_path("out", "../Yên Dũng/..", ".csv").as_posix()
        'out/Yên Dũng.csv'
    """
    stem = _UNSAFE_NAME.sub("_", name).strip(" ._") or "unnamed"
    base = Path(folder).resolve()
    path = (base / f"{stem}{suffix}").resolve()
    if path.parent != base:  # pragma: no cover - the stem has no separator left
        msg = f"the name {name!r} leads outside {str(folder)!r}"
        raise InvalidValueError(msg, field="name")
    return Path(folder) / path.name
