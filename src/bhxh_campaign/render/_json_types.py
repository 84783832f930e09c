"""The JSON report's shape as `TypedDict`s: what `report_to_dict` returns, key by key.

Kept apart from the converter (`render.json`) so the types read like the contract; the
JSON schema (``data/report.schema.json``) says the same with its constraints, and a test
checks the two name the same keys.
"""

from __future__ import annotations

from typing import Literal, TypedDict

__all__ = [
    "CampaignDict",
    "DistrictDict",
    "NoteDict",
    "PaceDict",
    "ProvinceDict",
    "ReportDict",
    "StockDict",
    "StockGoalDict",
    "TotalDict",
    "WindowDict",
]

Status = Literal["ahead", "on_track", "behind"]


class CampaignDict(TypedDict):
    """The campaign: its id, name, scope, days (ISO) and level."""

    id: str
    name: str
    scope: str
    start: str
    end: str
    level: str


class PaceDict(TypedDict):
    """Pace to target: exact rates as ``"n/d"`` text, each beside its number (2 decimals)."""

    remaining: int
    days_left: int
    required_per_day: str | None
    recent_per_day: str
    projected_on: str | None
    planned_to_date: str
    status: Status
    required_per_day_number: float | None
    required_people_per_day: int | None
    recent_per_day_number: float
    planned_to_date_number: float


class TotalDict(TypedDict):
    """The whole campaign against its target, with the league table's total row."""

    actual: int
    target: int
    completion_percent: str
    rate: str
    window_count: int
    completed_on: str | None
    share: str | None
    required_per_day: int | None
    projected_on: str | None


class WindowDict(TypedDict):
    """The trailing window, both ends included."""

    start: str
    end: str
    days: int
    count: int
    inclusive: bool


class DistrictDict(TypedDict):
    """One row of the league table (a district, or a commune or ward)."""

    code: str
    name: str
    kind: str
    province_code: str
    actual: int
    target: int
    original_target: int | None
    completion_percent: str
    rate: str
    rank_by_actual: int
    rank_by_completion: int
    rank_by_completed_on: int
    completed_on: str | None
    window_count: int
    pace: PaceDict
    share: str | None
    required_per_day: int | None
    projected_on: str | None


class ProvinceDict(TypedDict):
    """A province's roll-up of its units."""

    code: str
    name: str
    actual: int
    target: int
    completion_percent: str
    rate: str
    window_count: int
    target_note: str | None


class StockDict(TypedDict):
    """Participants on a day (a level), against a stock goal."""

    day: str
    baseline_on: str
    baseline: int
    added: int
    exited: int
    exits_known: bool
    participants: int
    percent: str
    rate: str
    reached: bool


class StockGoalDict(TypedDict):
    """A stock goal (a level), and the stock on the as-of day when the data gives one.

    Only a level is set against the goal: version 1's ``new_participants`` and
    ``share_percent`` (a flow against a level) are gone since version 2.
    """

    unit_code: str
    target: int
    stock: StockDict | None


class NoteDict(TypedDict):
    """A note as data: its stable code and its figures."""

    code: str
    data: dict[str, int | str]


class ReportDict(TypedDict):
    """The whole report, as `report_to_dict` returns it."""

    schema_version: int
    campaign: CampaignDict
    level: str
    as_of: str
    known_at: str | None
    total: TotalDict
    window: WindowDict
    districts: list[DistrictDict]
    provinces: list[ProvinceDict]
    stock_goals: list[StockGoalDict]
    pace: PaceDict
    excluded: dict[str, int]
    notes: list[str]
    notes_detail: list[NoteDict]
