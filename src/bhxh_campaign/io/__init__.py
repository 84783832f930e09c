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
from bhxh_campaign.io.loaders import (
    iter_enrollments,
    load_districts,
    load_enrollments,
    load_targets,
    records_from_json,
)
from bhxh_campaign.io.report import LoadReport, RejectedRow

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
