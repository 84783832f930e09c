"""The plan behind a report: the targets in force, and whether the plan fits the campaign.

`bhxh_campaign.report` reads the plan through these before it counts anything: a unit
without a target, or a count of a unit outside the campaign, stops the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from bhxh_campaign._report_notes import Note
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError, MissingTargetError, UnknownUnitError
from bhxh_campaign.model import Campaign, Measure, Target, Unit

__all__ = ["check_plan", "targets_in_force"]


def targets_in_force(
    targets: Iterable[Target], campaign: Campaign, as_of: dt.date
) -> tuple[dict[str, int], dict[str, int], dict[str, Target], list[Note]]:
    """The campaign's targets in force on ``as_of``, by unit.

    Returns:
        The new-participant targets, the stock goals, the first new-participant target of
        each unit whose target was revised since, and a ``target_revised`` note per
        revision.

    Raises:
        InvalidValueError: a unit has two targets of the same measure from the same day.
    """
    versions: dict[tuple[str, Measure], dict[dt.date, Target]] = {}
    for target in targets:
        if target.campaign_id != campaign.id:
            continue
        start = target.effective_from or dt.date.min
        by_day = versions.setdefault((target.unit_code, target.measure), {})
        if start in by_day:
            when = "" if target.effective_from is None else f" from {target.effective_from}"
            msg = f"unit {target.unit_code!r} has two {target.measure.value} targets{when}"
            raise InvalidValueError(msg)
        by_day[start] = target
    flows: dict[str, int] = {}
    stocks: dict[str, int] = {}
    first: dict[str, Target] = {}
    notes: list[Note] = []
    for (unit, measure), by_day in sorted(versions.items(), key=lambda item: item[0][0]):
        in_force = [day for day in by_day if day <= as_of]
        if not in_force:
            continue
        current = by_day[max(in_force)]
        (flows if measure is Measure.NEW else stocks)[unit] = current.value
        original = by_day[min(in_force)]
        if original is not current and measure is Measure.NEW:
            first[unit] = original
            assert current.effective_from is not None  # a later version has a day
            notes.append(
                Note(
                    "target_revised",
                    [
                        ("unit_code", unit),
                        ("target", current.value),
                        ("version", current.version.value),
                        ("effective_from", current.effective_from),
                        ("original_target", original.value),
                        ("original_version", original.version.value),
                    ],
                )
            )
    return flows, stocks, first, notes


def check_plan(
    campaign: Campaign,
    units: Mapping[str, Unit],
    flows: Mapping[str, int],
    counts: DailyCounts,
) -> None:
    """Check that units, targets and counts fit the campaign and each other.

    Raises:
        InvalidValueError: the counts do not start on the campaign's first day or end after
            its last, or a unit is outside the campaign's scope.
        MissingTargetError: a unit has no new-participant target.
        UnknownUnitError: a target or a counted unit is not among the units.
    """
    word = campaign.level.label_en
    if counts.start != campaign.start or counts.end > campaign.end:
        msg = f"counts cover {counts.start} to {counts.end}, outside campaign {campaign.id!r}"
        raise InvalidValueError(msg)
    for code, district in units.items():
        if not campaign.is_national and district.province_code != campaign.scope:
            msg = (
                f"{word} {code!r} is in province {district.province_code!r},"
                f" outside the campaign's scope {campaign.scope!r}"
            )
            raise InvalidValueError(msg)
        if code not in flows:
            msg = f"{word} {code!r} ({district.name}) has no target of new participants"
            raise MissingTargetError(msg)
    province_codes = {d.province_code for d in units.values()}
    for code in flows:
        if code not in units and code not in province_codes:
            msg = f"target for unit {code!r}, which is not among the campaign's units"
            raise UnknownUnitError(msg)
    for code in counts.units:
        if code not in units:
            msg = f"counts have unit {code!r}, which is not among the campaign's {word}s"
            raise UnknownUnitError(msg)
