"""Stocks beside stock goals: the participants on the as-of day a caller gives, checked.

A stock goal is a level (everyone taking part on a day); the renderers compare it only
with a level, a `StockPosition` from `bhxh_campaign.stock.stock_on`, never with the
campaign's new participants (a flow).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.metrics import percent
from bhxh_campaign.render._json_types import StockDict
from bhxh_campaign.report import CampaignReport
from bhxh_campaign.stock import StockPosition

__all__ = ["check_stocks", "stock_dict", "stock_rate"]


def check_stocks(
    report: CampaignReport, stocks: Mapping[str, StockPosition] | None
) -> dict[str, StockPosition]:
    """The stocks by the unit of their goal, after checking each fits the report.

    Raises:
        UnknownUnitError: a stock is given for a unit that has no stock goal.
        InvalidValueError: a stock is not of the report's as-of day, is not a
            `StockPosition`, or names another goal than the report's.
    """
    if stocks is None:
        return {}
    goals = {goal.unit_code: goal.target for goal in report.stock_goals}
    checked: dict[str, StockPosition] = {}
    for code, given in stocks.items():
        position: object = given  # checked: callers outside the type checker pass anything
        if code not in goals:
            msg = f"stocks: unit {code!r} has no stock goal in the report"
            raise UnknownUnitError(msg)
        if not isinstance(position, StockPosition):
            msg = f"stocks: unit {code!r} needs a StockPosition (stock_on), got {position!r}"
            raise InvalidValueError(msg, field="stocks")
        if position.day != report.as_of:
            msg = (
                f"stocks: the stock of unit {code!r} is of {position.day},"
                f" but the report is as of {report.as_of}"
            )
            raise InvalidValueError(msg, field="stocks")
        if position.goal is not None and position.goal != goals[code]:
            msg = (
                f"stocks: the stock of unit {code!r} is against a goal of {position.goal},"
                f" but the report's goal is {goals[code]}"
            )
            raise InvalidValueError(msg, field="stocks")
        checked[code] = position
    return checked


def stock_rate(position: StockPosition, goal: int) -> Fraction:
    """Participants on the day over the goal, exact."""
    return Fraction(position.participants, goal)


def stock_dict(position: StockPosition, goal: int) -> StockDict:
    """A stock as the JSON report gives it, against the report's goal."""
    rate = stock_rate(position, goal)
    return {
        "day": position.day.isoformat(),
        "baseline_on": position.baseline_on.isoformat(),
        "baseline": position.baseline,
        "added": position.added,
        "exited": position.exited,
        "exits_known": position.exits_known,
        "participants": position.participants,
        "percent": str(percent(rate)),
        "rate": f"{rate.numerator}/{rate.denominator}",
        "reached": position.participants >= goal,
    }
