"""Exact, tested progress figures for Vietnam's voluntary social-insurance campaigns.

Data flows one way: records -> validated model -> `DailyCounts` -> metrics -> report ->
renderers. Everything public is re-exported here.

Examples:
    >>> import bhxh_campaign
    >>> bhxh_campaign.percent(bhxh_campaign.completion_rate(1928, 3285))
    Decimal('58.69')
"""

from __future__ import annotations

from bhxh_campaign.audit import PublishedFigures, PublishedUnit, targets_for
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.counting import DailyCounts, Exclusion, NewParticipantPolicy, daily_counts
from bhxh_campaign.diff import ReportDiff, report_diff
from bhxh_campaign.errors import (
    CampaignError,
    InvalidValueError,
    LoadError,
    MissingTargetError,
    UnknownUnitError,
)
from bhxh_campaign.io import (
    CampaignLoad,
    LoadReport,
    RejectedRow,
    iter_enrollments,
    load_campaign,
    load_districts,
    load_enrollments,
    load_targets,
)
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
    District,
    EnrollmentRecord,
    Measure,
    PaymentMethod,
    Province,
    Target,
    TargetVersion,
    UnitKind,
)
from bhxh_campaign.ranking import Ties, completion_ranks, rank
from bhxh_campaign.report import (
    CampaignReport,
    DistrictProgress,
    Progress,
    StockGoal,
    campaign_report,
)
from bhxh_campaign.stock import StockPosition, stock_on
from bhxh_campaign.units import UnitHistory, bac_giang_units, rekey
from bhxh_campaign.windows import Window, rolling_counts, trailing_window, window_count

__all__ = [
    "NATIONAL",
    "Campaign",
    "CampaignBundle",
    "CampaignError",
    "CampaignLoad",
    "CampaignReport",
    "DailyCounts",
    "District",
    "DistrictProgress",
    "EnrollmentRecord",
    "Exclusion",
    "InvalidValueError",
    "LoadError",
    "LoadReport",
    "Measure",
    "MissingTargetError",
    "NewParticipantPolicy",
    "Pace",
    "PaymentMethod",
    "PlanStatus",
    "Progress",
    "Province",
    "PublishedFigures",
    "PublishedUnit",
    "RejectedRow",
    "ReportDiff",
    "StockGoal",
    "StockPosition",
    "Target",
    "TargetVersion",
    "Ties",
    "UnitHistory",
    "UnitKind",
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
    "load_targets",
    "pace",
    "percent",
    "rank",
    "rekey",
    "report_diff",
    "roll_up",
    "rolling_counts",
    "stock_on",
    "targets_for",
    "trailing_window",
    "window_count",
]


def __dir__() -> list[str]:
    return __all__


def __getattr__(name: str) -> str:
    # importlib.metadata costs tens of milliseconds: read the version only when asked.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            return version("bhxh-campaign")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
