"""Office exports: what only the Python loader reads exactly, and why."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import attrs

from bhxh_campaign._layout import enrollments_file_of
from bhxh_campaign._settings import folder_settings
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.engines._common import file_columns
from bhxh_campaign.errors import LoadError
from bhxh_campaign.model import EnrollmentRecord

__all__ = ["csv_header", "python_only_reason", "settings_reason"]


def csv_header(path: Path) -> list[str] | None:
    """The column names of a CSV file, stripped, or None when they cannot be read."""
    names = file_columns(path) if path.suffix.lower() != ".parquet" else None
    return None if names is None else [name.strip() for name in names]


# Inputs that the Python loader reads and the columnar engines would not read the same way
# (office exports: day-first dates, title rows, aliases, unused columns, Vietnamese payment
# methods, another encoding, a workbook): every engine sends them to the exact Python path.

_FIELDS: Final = frozenset(a.name for a in attrs.fields(EnrollmentRecord))
# The tail of a day-first date, "/5/2023", ".5.2023" or "-5-2023" (ISO never ends so):
# each pattern starts with a literal, which the regex engine finds at C speed.
_DAY_FIRST: Final = tuple(
    (sep, re.compile(re.escape(sep) + rb"[0-9]{1,2}" + re.escape(sep) + rb"[0-9]{4}(?![0-9])"))
    for sep in (b"/", b".")
)
_DAY_FIRST_DASHED: Final = re.compile(rb"-[0-9]{4}(?![0-9-])")
_CHUNK: Final = 1 << 24
_OVERLAP: Final = 16  # longer than any pattern, so none is missed across two chunks


def python_only_reason(source: str | Path) -> str | None:
    """Why only the Python loader reads a campaign folder's records exactly, or None.

    The columnar engines read a CSV (or Parquet) file of canonical columns and ISO dates.
    The Python loader also reads office exports: day-first dates, title rows above the
    header, header aliases and unused columns, Vietnamese payment methods, an encoding,
    a sheet or ``[columns]`` set in ``campaign.toml``, a workbook or JSON.

    Settings and file types send a folder to Python whatever the engine asked for. The
    rest is not looked for before counting (this function reads the whole file): each
    columnar engine finds a cell it does not read as written in its own pass and leaves
    the file to the exact path, so no engine counts it differently.

    Examples:
        >>> python_only_reason("examples/bac_giang_2023") is None
        True
    """
    reason = settings_reason(source)
    if reason is not None:
        return reason
    path = Path(source)
    if path.is_dir():
        try:
            path = enrollments_file_of(path)
        except LoadError:
            return None  # the load reports it
    return _file_reason(path)


def settings_reason(source: str | Path | CampaignBundle) -> str | None:
    """Why no columnar engine may read a source, known without reading its records."""
    if isinstance(source, CampaignBundle):
        return None
    path = Path(source)
    if path.is_dir():
        try:
            settings = folder_settings(path)  # the load reports a bad one
            path = enrollments_file_of(path)
        except LoadError:
            return None  # the load reports it
        if settings.python_only:
            return "campaign.toml sets an encoding, a sheet or [columns]"
    if path.is_file() and path.suffix.lower() not in {".csv", ".parquet"}:
        return f"{path.name} is not a CSV or Parquet file"
    return None


def _file_reason(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".parquet" or not path.is_file():
        return None
    if suffix != ".csv":
        return f"{path.name} is not a CSV or Parquet file"
    header = csv_header(path)
    if header is None:
        return "its header is not UTF-8 CSV"
    if not set(header) <= _FIELDS:
        return "its header has title rows, aliases or unused columns"
    return _scan(path, payment="payment_method" in header)


def _scan(path: Path, *, payment: bool) -> str | None:
    """Day-first dates or Vietnamese payment methods in a file: one pass over its bytes.

    Only cheap scans at C speed (``in``, ``isascii``, a regex with a literal prefix);
    a false alarm only sends the file to the (exact) Python path.
    """
    tail = b""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            data, tail = tail + chunk, chunk[-_OVERLAP:]
            if any(sep in data and pattern.search(data) for sep, pattern in _DAY_FIRST) or (
                _DAY_FIRST_DASHED.search(data)
            ):
                return "it has day-first dates"
            # The payment codes are ASCII words without spaces; what an office writes
            # ("Hằng tháng", "3 thang", "Mot lan") has a space or a diacritic.
            if payment and (b" " in data or not data.isascii()):
                return "it has payment methods in Vietnamese"
    return None
