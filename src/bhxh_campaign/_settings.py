"""How a campaign folder's files are read: the settings of its ``campaign.toml``.

Apart from the folder's layout (`bhxh_campaign._layout`, which imports only the standard
library), as these settings are a value type of attrs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, final

import attrs

from bhxh_campaign._files import TomlError, read_toml
from bhxh_campaign._layout import CAMPAIGN
from bhxh_campaign.errors import LoadError

__all__ = ["FolderSettings", "folder_settings", "settings_of"]


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
