"""Checking a campaign folder for everything ``report`` checks, without stopping at bad rows.

`check_campaign` reads a folder as `bhxh_campaign.io.folder.load_campaign` does with
``strict=False``, then adds what only the whole plan shows: records and targets of units
the campaign does not have, units without a target, stock goals given twice. ``validate
FOLDER`` prints its reports: when it finds nothing, ``report FOLDER`` runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from bhxh_campaign._layout import (
    CAMPAIGN,
    TARGETS,
    FolderSettings,
    enrollments_file_of,
    unit_file_of,
)
from bhxh_campaign.errors import LoadError
from bhxh_campaign.io import _schema
from bhxh_campaign.io._cells import Context
from bhxh_campaign.io._pipeline import FileProblem, Raw, outcomes, rejection
from bhxh_campaign.io._readers import csv_rows
from bhxh_campaign.io.folder import CampaignLoad, _bundle, _campaign, _targets, _units
from bhxh_campaign.io.load_report import LoadReport, RejectedRow
from bhxh_campaign.io.loaders import load_folder_records
from bhxh_campaign.model import Campaign, Measure, Target

__all__ = ["check_campaign"]


def check_campaign(path: str | Path) -> CampaignLoad:
    """Read a campaign folder without stopping at bad rows, with every check ``report`` makes.

    Besides each file's rejected rows, as `load_campaign` with ``strict=False`` reports
    them, each of these is a rejected row naming its file, line and field:

    - a record whose unit is not among the campaign's units (``unknown_district``, field
      ``district_code``; the report tallies such a record, a check finds it);
    - a target for a unit not in the unit file (``unknown_district``, field ``unit_code``);
    - a unit with no target of new participants (``missing_value``, its line of the unit
      file, field ``code``);
    - a stock goal given twice, or for an unknown unit (``duplicate_unit`` or
      ``unknown_district``, the line of its ``[[stock_goals]]`` table in
      ``campaign.toml``, which then has a report of its own).

    Raises:
        LoadError: as `load_campaign` (a missing folder, a malformed ``campaign.toml``).

    Examples:
        >>> load = check_campaign("examples/bac_giang_2023")
        >>> load.ok, sorted(load.reports)
        (True, ['districts.csv', 'enrollments.csv', 'targets.csv'])
    """
    folder = Path(path)
    if not folder.is_dir():
        msg = "not a campaign folder (no such directory)"
        raise LoadError(msg, path=str(folder))
    campaign, goals, provinces, settings = _campaign(folder / CAMPAIGN)
    unit_file = unit_file_of(folder)
    units = _units(unit_file, campaign.level, settings, strict=False)
    codes = [unit.code for unit in units.records]
    targets = _targets(folder, campaign.id, settings, strict=False, districts=codes)
    records = load_folder_records(
        folder, level=campaign.level, settings=settings, strict=False, districts=codes
    )
    with_target = {t.unit_code for t in targets.records if t.measure is Measure.NEW}
    lines = _unit_lines(unit_file, campaign, settings)
    missing = [
        rejection(
            "missing_value",
            f"{code!r} has no target of new participants in {TARGETS}",
            line=lines.get(code),
            field="code",
            value=code,
        )
        for code in codes
        if code not in with_target
    ]
    reports: dict[str, LoadReport[Any]] = {
        # The unit's row is valid: what is missing is the plan's, a problem of the file.
        unit_file.name: attrs.evolve(units, problems=(*units.problems, *missing)),
        TARGETS: targets,
        enrollments_file_of(folder).name: records,
    }
    known = {*codes, *(unit.province_code for unit in units.records), campaign.scope}
    goal_errors = _goal_errors(folder / CAMPAIGN, goals, known)
    if goal_errors:
        reports[CAMPAIGN] = LoadReport(
            path=str(folder / CAMPAIGN),
            records=(),
            rejected=goal_errors,
            rows_read=len(goal_errors),
            blank=0,
        )
    bundle = _bundle(
        unit_file,
        campaign=campaign,
        districts=units.records,
        targets=[*targets.records, *goals],
        records=records.records,
        provinces=provinces,
    )
    return CampaignLoad(bundle=bundle, reports=reports)


def _unit_lines(unit_file: Path, campaign: Campaign, settings: FolderSettings) -> dict[str, int]:
    """The line of each accepted unit of the unit file, by code."""
    lines: list[int] = []

    def tap(raws: Iterator[Raw]) -> Iterator[Raw]:
        for raw in raws:
            lines.append(raw.line)
            yield raw

    found: dict[str, int] = {}
    try:
        rows = tap(csv_rows(unit_file, encoding=settings.encoding or "utf-8-sig"))
        context = Context(day_first=True, unquote=True)
        schema = _schema.districts(campaign.level)
        schema = schema.with_columns(settings.columns_of(schema.fields()))
        for kind, value in outcomes(rows, schema, context):
            if kind == "ok":
                found.setdefault(value.code, lines[-1])
    except FileProblem:
        pass  # the unit file's own report names the problem
    return found


_GOALS_TABLE = re.compile(r"\s*\[\[\s*stock_goals\s*\]\]")


def _goal_errors(toml: Path, goals: list[Target], known: set[str]) -> list[RejectedRow]:
    """A stock goal given twice, or for a unit the campaign does not have, by its line."""
    text = toml.read_text(encoding="utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if _GOALS_TABLE.match(line)]
    errors: list[RejectedRow] = []
    seen: dict[str, int | None] = {}
    for index, goal in enumerate(goals):
        line = lines[index] if index < len(lines) else None
        code = goal.unit_code
        if code in seen:
            first = seen[code]
            detail = f"{code!r} is given twice (first on line {first})"
            errors.append(
                rejection("duplicate_unit", detail, line=line, field="stock_goals", value=code)
            )
            continue
        seen[code] = line
        if code not in known:
            detail = f"{code!r} is not among the campaign's units"
            errors.append(
                rejection("unknown_district", detail, line=line, field="stock_goals", value=code)
            )
    return errors
