"""Reading campaign data from files and dataframes, and writing it back out safely.

Loaders return a `LoadReport` (every row accepted, rejected with a reason, or blank);
exports neutralise formulas and mask participant ids. Optional dependencies (openpyxl and
defusedxml for workbooks, narwhals for dataframes) are imported only when used.

Examples:
    >>> from bhxh_campaign.io import load_districts
    >>> load_districts("examples/bac_giang_2023/districts.csv").ok
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bhxh_campaign._lazy import lazy_attribute

if TYPE_CHECKING:
    from bhxh_campaign.io.codes import ERROR_CODES, ErrorCode
    from bhxh_campaign.io.export import (
        district_rows,
        neutralise,
        pseudonym,
        record_rows,
        records_to_json,
        safe_path,
        to_csv,
        to_json,
        to_markdown,
        write_csv,
        write_xlsx,
    )
    from bhxh_campaign.io.folder import CampaignLoad, load_campaign
    from bhxh_campaign.io.load_report import LoadReport, RejectedRow
    from bhxh_campaign.io.loaders import (
        iter_enrollments,
        load_districts,
        load_enrollments,
        load_targets,
        records_from_json,
    )

# Each public name and its module, imported on first use (PEP 562): loading a plan need
# not import the exports, nor reading a CSV the JSON reader.
_EXPORTS: dict[str, str] = {
    "ERROR_CODES": "codes",
    "ErrorCode": "codes",
    "district_rows": "export",
    "neutralise": "export",
    "pseudonym": "export",
    "record_rows": "export",
    "records_to_json": "export",
    "safe_path": "export",
    "to_csv": "export",
    "to_json": "export",
    "to_markdown": "export",
    "write_csv": "export",
    "write_xlsx": "export",
    "CampaignLoad": "folder",
    "load_campaign": "folder",
    "iter_enrollments": "loaders",
    "load_districts": "loaders",
    "load_enrollments": "loaders",
    "load_targets": "loaders",
    "records_from_json": "loaders",
    "LoadReport": "load_report",
    "RejectedRow": "load_report",
}

__all__ = [
    "ERROR_CODES",
    "CampaignLoad",
    "ErrorCode",
    "LoadReport",
    "RejectedRow",
    "district_rows",
    "iter_enrollments",
    "load_campaign",
    "load_districts",
    "load_enrollments",
    "load_targets",
    "neutralise",
    "pseudonym",
    "record_rows",
    "records_from_json",
    "records_to_json",
    "safe_path",
    "to_csv",
    "to_json",
    "to_markdown",
    "write_csv",
    "write_xlsx",
]


def __dir__() -> list[str]:
    return __all__


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _EXPORTS, globals(), name)
