"""The files of a campaign folder, named once for the loader, the engines and the commands.

Examples:
    >>> INPUTS
    ('campaign.toml', 'districts.csv', 'targets.csv', 'enrollments.csv')
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Final, final

import attrs

from bhxh_campaign._files import TomlError, read_toml
from bhxh_campaign.errors import LoadError

__all__ = [
    "CAMPAIGN",
    "DISTRICTS",
    "ENROLLMENTS",
    "ENROLLMENTS_PARQUET",
    "ENROLLMENT_FILES",
    "INPUTS",
    "STOCKS",
    "TARGETS",
    "UNITS",
    "UNIT_FILES",
    "FolderSettings",
    "enrollments_file_of",
    "folder_settings",
    "inputs",
    "misnamed_enrollments",
    "settings_of",
    "unit_file_of",
]

CAMPAIGN: Final = "campaign.toml"
"""The campaign, its stock goals and its provinces."""
UNITS: Final = "units.csv"
"""The campaign's units, at its level (districts or communes and wards)."""
DISTRICTS: Final = "districts.csv"
"""The unit file's name in folders of 2023 (district campaigns), still read."""
UNIT_FILES: Final = (UNITS, DISTRICTS)
"""The names a folder's unit file may have: the current one, then 2023's."""
TARGETS: Final = "targets.csv"
"""The targets."""
ENROLLMENTS: Final = "enrollments.csv"
"""The enrollment records, as `load_campaign` reads them."""
ENROLLMENTS_PARQUET: Final = "enrollments.parquet"
"""The enrollment records for the columnar engines, in place of `ENROLLMENTS`."""
ENROLLMENT_FILES: Final = (
    ENROLLMENTS,
    "enrollments.xlsx",
    "enrollments.json",
    "enrollments.jsonl",
    ENROLLMENTS_PARQUET,
)
"""The names a folder's records file may have, one type each; a folder holds one of them."""
INPUTS: Final = (CAMPAIGN, DISTRICTS, TARGETS, ENROLLMENTS)
"""The files `load_campaign` reads from a folder of 2023, in the order it reads them."""
STOCKS: Final = "stocks.csv"
"""Optional: known levels (participants on a day) of the units with a stock goal."""


def unit_file_of(folder: Path) -> Path:
    """The unit file of a campaign folder: ``units.csv``, else 2023's ``districts.csv``.

    Raises:
        LoadError: the folder has both (which one is meant is not ours to guess).

    Examples:
        >>> unit_file_of(Path("examples/bac_giang_2023")).name
        'districts.csv'
    """
    found = [folder / name for name in UNIT_FILES if (folder / name).exists()]
    if len(found) > 1:
        msg = f"has both {UNIT_FILES[0]} and {UNIT_FILES[1]}: keep one unit file"
        raise LoadError(msg, path=str(folder))
    return found[0] if found else folder / UNIT_FILES[0]


def enrollments_file_of(folder: Path) -> Path:
    """The records file of a campaign folder: the one of `ENROLLMENT_FILES` it holds.

    Without any, ``enrollments.csv`` (whose absence the loader reports).

    Raises:
        LoadError: the folder holds more than one (which one is meant is not ours to guess).

    Examples:
        >>> enrollments_file_of(Path("examples/bac_giang_2023")).name
        'enrollments.csv'
    """
    found = [folder / name for name in ENROLLMENT_FILES if (folder / name).is_file()]
    if len(found) > 1:
        names = " and ".join(path.name for path in found)
        msg = f"has both {names}: keep the one that holds the records"
        raise LoadError(msg, path=str(folder), code="misnamed_file")
    return found[0] if found else folder / ENROLLMENTS


def misnamed_enrollments(folder: Path) -> str | None:
    """Why a folder without a records file of `ENROLLMENT_FILES` has one it does not read.

    A file named like the records ("Enrollments.CSV", "enrollments.xls") is refused with a
    message that says how to name it; None when there is no such file.

    Examples:
        >>> misnamed_enrollments(Path("examples/bac_giang_2023")) is None
        True
    """
    if enrollments_file_of(folder).is_file() or not folder.is_dir():
        return None
    stem = ENROLLMENTS.split(".", maxsplit=1)[0]
    others = sorted(p.name for p in folder.iterdir() if p.name.casefold().startswith(stem))
    if not others:
        return None
    old = (
        " (an .xls or .ods workbook: save it as .xlsx first)"
        if any(name.casefold().endswith((".xls", ".ods")) for name in others)
        else ""
    )
    return (
        f"{', '.join(map(repr, others))} is not read: name the records file"
        f" {', '.join(ENROLLMENT_FILES)}{old}"
    )


def inputs(folder: Path) -> tuple[Path, ...]:
    """The files `load_campaign` reads from ``folder``, in the order it reads them."""
    return (folder / CAMPAIGN, unit_file_of(folder), folder / TARGETS, enrollments_file_of(folder))


@final
@attrs.frozen
class FolderSettings:
    """How a campaign folder's files are read, from its ``campaign.toml``.

    Attributes:
        encoding: the encoding of its CSV files (``encoding = "cp1258"``), or None for
            UTF-8 with or without a byte-order mark.
        columns: header text -> field (its ``[columns]`` table), for headings no alias
            matches; each file uses the entries that name one of its fields.
        sheet: the sheet of ``enrollments.xlsx`` to read (``sheet = "Danh sách"``), or
            None for the first, when only it has data.

    Examples:
        >>> FolderSettings(columns={"Số thẻ": "participant_id"}).columns_of({"code"})
        {}
    """

    encoding: str | None = None
    columns: Mapping[str, str] = attrs.field(factory=dict)
    sheet: str | None = None

    def columns_of(self, fields: Collection[str]) -> dict[str, str]:
        """The entries of `columns` whose field is one of ``fields``."""
        return {header: name for header, name in self.columns.items() if name in fields}

    @property
    def python_only(self) -> bool:
        """Whether only the Python loader honours these settings (the engines read neither)."""
        return self.encoding is not None or bool(self.columns) or self.sheet is not None


def settings_of(data: Mapping[str, Any], path: str) -> FolderSettings:
    """The `FolderSettings` in the parsed ``campaign.toml`` at ``path``.

    Raises:
        LoadError: ``encoding`` names no text encoding, or ``columns`` is not a table of
            header = "field" entries; the error names the file and the key.

    Examples:
        >>> settings_of({"encoding": "cp1258"}, "campaign.toml").encoding
        'cp1258'
    """
    encoding = data.get("encoding")
    if encoding is not None:
        try:  # str.encode refuses what is no text encoding ("rot13"), as open() would
            "a".encode(encoding if isinstance(encoding, str) else "")
        except LookupError:
            msg = f"encoding must name a text encoding such as 'cp1258', got {encoding!r}"
            raise LoadError(msg, path=path, field="encoding") from None
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        msg = 'columns must be a table of header = "field" ([columns])'
        raise LoadError(msg, path=path, field="columns")
    sheet = data.get("sheet")
    if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
        msg = f"sheet must name a sheet of enrollments.xlsx, got {sheet!r}"
        raise LoadError(msg, path=path, field="sheet")
    return FolderSettings(encoding=encoding, columns=columns, sheet=sheet)


def folder_settings(folder: Path) -> FolderSettings:
    """The `FolderSettings` of a campaign folder, read from its ``campaign.toml``.

    Raises:
        LoadError: ``campaign.toml`` cannot be read, or a setting is bad.

    Examples:
        >>> folder_settings(Path("examples/bac_giang_2023"))
        FolderSettings(encoding=None, columns={}, sheet=None)
    """
    path = folder / CAMPAIGN
    try:
        data = read_toml(path)  # refuses a FIFO or a device, which would hang
    except TomlError as error:
        raise LoadError(error.detail, path=str(path), line=error.line, field=error.key) from None
    except OSError as error:
        msg = f"cannot be read ({error.strerror or type(error).__name__})"
        raise LoadError(msg, path=str(path)) from None
    return settings_of(data, str(path))
