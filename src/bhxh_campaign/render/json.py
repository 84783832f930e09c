"""The report as JSON for front ends (the contract is documented in the docs).

Percents are strings with exactly two decimals, rounded half-up; dates are ISO strings;
exact rates are given as ``"numerator/denominator"`` strings.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, Target, DailyCounts, campaign_report
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> r = campaign_report(
    ...     c, [District(code="221", name="Yên Dũng", kind="huyen", province_code="24")],
    ...     [Target(unit_code="221", campaign_id="c", value=285)],
    ...     DailyCounts(start=c.start, end=dt.date(2023, 5, 2), grid={"221": [200, 118]}))
    >>> report_to_dict(r)["total"]  # doctest: +NORMALIZE_WHITESPACE
    {'actual': 318, 'target': 285, 'completion_percent': '111.58', 'rate': '106/95',
     'window_count': 318, 'completed_on': '2023-05-02'}
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from bhxh_campaign.metrics import Pace
from bhxh_campaign.report import CampaignReport

__all__ = ["SCHEMA_VERSION", "report_to_dict", "report_to_json"]

SCHEMA_VERSION = 1
"""Bumped only when a key is removed or changes meaning; new keys keep the version."""


def _fraction(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _pace(p: Pace) -> dict[str, Any]:
    return {
        "remaining": p.remaining,
        "days_left": p.days_left,
        "required_per_day": _fraction(p.required_per_day),
        "recent_per_day": _fraction(p.recent_per_day),
        "projected_on": None if p.projected_on is None else p.projected_on.isoformat(),
        "planned_to_date": _fraction(p.planned_to_date),
        "status": p.status.value,
    }


def report_to_dict(report: CampaignReport) -> dict[str, Any]:
    """The report as plain JSON-ready values (see the JSON schema in the docs)."""
    c = report.campaign
    t = report.total
    return {
        "schema_version": SCHEMA_VERSION,
        "campaign": {
            "id": c.id,
            "name": c.name,
            "scope": c.scope,
            "start": c.start.isoformat(),
            "end": c.end.isoformat(),
        },
        "as_of": report.as_of.isoformat(),
        "known_at": None if report.known_at is None else report.known_at.isoformat(),
        "total": {
            "actual": t.actual,
            "target": t.target,
            "completion_percent": str(t.percent),
            "rate": _fraction(t.rate),
            "window_count": t.window_count,
            "completed_on": None if t.completed_on is None else t.completed_on.isoformat(),
        },
        "window": {
            "start": report.window.start.isoformat(),
            "end": report.window.end.isoformat(),
            "days": report.window.days,
            "count": t.window_count,
            "inclusive": True,
        },
        "districts": [
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "province_code": r.province_code,
                "actual": r.actual,
                "target": r.target,
                "original_target": r.original_target,
                "completion_percent": str(r.percent),
                "rate": _fraction(r.rate),
                "rank_by_actual": r.rank_by_actual,
                "rank_by_completion": r.rank_by_completion,
                "rank_by_completed_on": r.rank_by_completed_on,
                "completed_on": None if r.completed_on is None else r.completed_on.isoformat(),
                "window_count": r.window_count,
                "pace": _pace(r.pace),
            }
            for r in report.districts
        ],
        "provinces": [
            {
                "code": p.code,
                "name": p.name,
                "actual": p.actual,
                "target": p.target,
                "completion_percent": str(p.percent),
                "rate": _fraction(p.rate),
                "window_count": p.window_count,
                "target_note": p.target_note,
            }
            for p in report.provinces
        ],
        "stock_goals": [
            {
                "unit_code": g.unit_code,
                "target": g.target,
                "new_participants": g.new_participants,
                "share_percent": str(g.percent),
            }
            for g in report.stock_goals
        ],
        "pace": _pace(t.pace),
        "excluded": dict(report.excluded),
        "notes": list(report.notes),
    }


def report_to_json(report: CampaignReport, *, indent: int | None = 2) -> str:
    """The report as a JSON document (UTF-8 text, Vietnamese letters kept as they are)."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=indent) + "\n"
