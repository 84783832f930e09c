"""Exact, tested progress figures for Vietnam's voluntary social-insurance campaigns.

Data flows one way: records -> validated model -> `DailyCounts` -> metrics -> report ->
renderers. Everything public is re-exported here.

Examples:
    >>> import bhxh_campaign
    >>> bhxh_campaign.percent(bhxh_campaign.completion_rate(1928, 3285))
    Decimal('58.69')
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.counting import DailyCounts, Exclusion, daily_counts
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
from bhxh_campaign.windows import Window, rolling_counts, trailing_window, window_count

try:
    __version__ = version("bhxh-campaign")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

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
    "Pace",
    "PaymentMethod",
    "PlanStatus",
    "Progress",
    "Province",
    "RejectedRow",
    "StockGoal",
    "Target",
    "Ties",
    "UnitKind",
    "UnknownUnitError",
    "Window",
    "__version__",
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
    "roll_up",
    "rolling_counts",
    "trailing_window",
    "window_count",
]


def __dir__() -> list[str]:
    return __all__
