"""Exact, tested progress figures for Vietnam's voluntary social-insurance campaigns.

Data flows one way: records -> validated model -> `DailyCounts` -> metrics -> report ->
renderers. Everything public is re-exported here.

Examples:
    >>> import bhxh_campaign
    >>> bhxh_campaign.percent(bhxh_campaign.completion_rate(1928, 3285))
    Decimal('58.69')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bhxh_campaign._lazy import lazy_attribute

if TYPE_CHECKING:
    from bhxh_campaign.audit import PublishedFigures, PublishedUnit, targets_for
    from bhxh_campaign.bundle import CampaignBundle
    from bhxh_campaign.counting import DailyCounts, Exclusion, NewParticipantPolicy, daily_counts
    from bhxh_campaign.diff import ReportDiff, report_diff
    from bhxh_campaign.errors import (
        CampaignError,
        InvalidValueError,
        LoadError,
        MissingMessageError,
        MissingTargetError,
        UnknownUnitError,
    )
    from bhxh_campaign.frames import Table
    from bhxh_campaign.io import (
        CampaignLoad,
        LoadReport,
        RejectedRow,
        iter_enrollments,
        load_campaign,
        load_districts,
        load_enrollments,
        load_targets,
        records_from_json,
    )
    from bhxh_campaign.io.folder import load_plan
    from bhxh_campaign.levels import UnitLevel
    from bhxh_campaign.metrics import (
        Pace,
        PlanStatus,
        completion_dates,
        completion_rate,
        cumulative,
        pace,
        percent,
        roll_up,
    )
    from bhxh_campaign.model import (
        NATIONAL,
        Campaign,
        Commune,
        District,
        EnrollmentRecord,
        Measure,
        PaymentMethod,
        Province,
        Target,
        TargetVersion,
        Unit,
        UnitKind,
        unit_type,
    )
    from bhxh_campaign.ranking import Ties, completion_ranks, rank
    from bhxh_campaign.registry import Registry, RegistryUnit, unit_registry
    from bhxh_campaign.report import (
        CampaignReport,
        DistrictProgress,
        Note,
        Progress,
        StockGoal,
        campaign_report,
    )
    from bhxh_campaign.stock import StockBaseline, StockPosition, stock_on, stock_positions
    from bhxh_campaign.units import UnitHistory, bac_giang_units, rekey, rekey_records
    from bhxh_campaign.windows import Window, rolling_counts, trailing_window, window_count

# Each public name and the module that defines it. A name is imported on first use
# (PEP 562), so `import bhxh_campaign` costs a few milliseconds and a command line that
# needs only the report never imports the audit, the diff or the exports.
_EXPORTS: dict[str, str] = {
    "PublishedFigures": "audit",
    "PublishedUnit": "audit",
    "targets_for": "audit",
    "CampaignBundle": "bundle",
    "DailyCounts": "counting",
    "Exclusion": "counting",
    "NewParticipantPolicy": "counting",
    "daily_counts": "counting",
    "ReportDiff": "diff",
    "report_diff": "diff",
    "CampaignError": "errors",
    "InvalidValueError": "errors",
    "LoadError": "errors",
    "MissingMessageError": "errors",
    "MissingTargetError": "errors",
    "UnknownUnitError": "errors",
    "Table": "frames",
    "CampaignLoad": "io",
    "LoadReport": "io",
    "RejectedRow": "io",
    "iter_enrollments": "io",
    "load_campaign": "io",
    "load_plan": "io.folder",
    "load_districts": "io",
    "load_enrollments": "io",
    "load_targets": "io",
    "records_from_json": "io",
    "Pace": "metrics",
    "PlanStatus": "metrics",
    "completion_dates": "metrics",
    "completion_rate": "metrics",
    "cumulative": "metrics",
    "pace": "metrics",
    "percent": "metrics",
    "roll_up": "metrics",
    "NATIONAL": "model",
    "Campaign": "model",
    "Commune": "model",
    "District": "model",
    "EnrollmentRecord": "model",
    "Measure": "model",
    "PaymentMethod": "model",
    "Province": "model",
    "Target": "model",
    "TargetVersion": "model",
    "Unit": "model",
    "UnitKind": "model",
    "UnitLevel": "levels",
    "unit_type": "model",
    "Ties": "ranking",
    "completion_ranks": "ranking",
    "rank": "ranking",
    "CampaignReport": "report",
    "DistrictProgress": "report",
    "Note": "report",
    "Progress": "report",
    "StockGoal": "report",
    "campaign_report": "report",
    "StockPosition": "stock",
    "stock_on": "stock",
    "StockBaseline": "stock",
    "stock_positions": "stock",
    "UnitHistory": "units",
    "bac_giang_units": "units",
    "rekey": "units",
    "rekey_records": "units",
    "Registry": "registry",
    "RegistryUnit": "registry",
    "unit_registry": "registry",
    "Window": "windows",
    "rolling_counts": "windows",
    "trailing_window": "windows",
    "window_count": "windows",
}

__all__ = [
    "NATIONAL",
    "Campaign",
    "CampaignBundle",
    "CampaignError",
    "CampaignLoad",
    "CampaignReport",
    "Commune",
    "DailyCounts",
    "District",
    "DistrictProgress",
    "EnrollmentRecord",
    "Exclusion",
    "InvalidValueError",
    "LoadError",
    "LoadReport",
    "Measure",
    "MissingMessageError",
    "MissingTargetError",
    "NewParticipantPolicy",
    "Note",
    "Pace",
    "PaymentMethod",
    "PlanStatus",
    "Progress",
    "Province",
    "PublishedFigures",
    "PublishedUnit",
    "Registry",
    "RegistryUnit",
    "RejectedRow",
    "ReportDiff",
    "StockBaseline",
    "StockGoal",
    "StockPosition",
    "Table",
    "Target",
    "TargetVersion",
    "Ties",
    "Unit",
    "UnitHistory",
    "UnitKind",
    "UnitLevel",
    "UnknownUnitError",
    "Window",
    "__version__",
    "bac_giang_units",
    "campaign_report",
    "completion_dates",
    "completion_ranks",
    "completion_rate",
    "cumulative",
    "daily_counts",
    "iter_enrollments",
    "load_campaign",
    "load_districts",
    "load_enrollments",
    "load_plan",
    "load_targets",
    "pace",
    "percent",
    "rank",
    "records_from_json",
    "rekey",
    "rekey_records",
    "report_diff",
    "roll_up",
    "rolling_counts",
    "stock_on",
    "stock_positions",
    "targets_for",
    "trailing_window",
    "unit_registry",
    "unit_type",
    "window_count",
]


def __dir__() -> list[str]:
    return __all__


def __getattr__(name: str) -> Any:
    # importlib.metadata costs tens of milliseconds: read the version only when asked.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            return version("bhxh-campaign")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    return lazy_attribute(__name__, _EXPORTS, globals(), name)
