"""The pace as offices write it: what a plan still needs a day, in whole people."""

from __future__ import annotations

from bhxh_campaign.metrics import Pace

__all__ = ["people_per_day"]


def people_per_day(pace: Pace) -> int | None:
    """What a plan still needs a day, in whole people rounded up (104.4 a day is 105).

    None once the target is reached, or when no day is left to reach it.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> report.total.pace.required_per_day, people_per_day(report.total.pace)
        (Fraction(1357, 13), 105)
    """
    need = pace.required_per_day
    if pace.reached or need is None or pace.days_left == 0:
        return None
    return -(-need.numerator // need.denominator)
