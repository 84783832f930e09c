"""Checking a campaign folder for everything ``report`` checks, without stopping at bad rows.

`check_campaign` reads a folder as `bhxh_campaign.io.folder.load_campaign` does with
``strict=False``, then adds what only the whole plan shows: records and targets of units
the campaign does not have, units without a target, stock goals given twice. ``validate
FOLDER`` prints its reports: when it finds nothing, ``report FOLDER`` runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from bhxh_campaign._layout import (
    CAMPAIGN,
    STOCKS,
    TARGETS,
    enrollments_file_of,
    unit_file_of,
)
from bhxh_campaign.io import _stocks
from bhxh_campaign.io._folder_checks import goal_errors, unit_lines
from bhxh_campaign.io._pipeline import rejection
from bhxh_campaign.io.folder import CampaignLoad, _bundle, _open, _targets, _units
from bhxh_campaign.io.load_report import LoadReport
from bhxh_campaign.io.loaders import load_folder_records
from bhxh_campaign.model import Measure

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
      ``campaign.toml``, which then has a report of its own);
    - a row of ``stocks.csv`` for a unit without a stock goal, or of a day outside the
      eve of the campaign through its last day (``invalid_value``); the file, when the
      folder has one, has a report of its own.

    Raises:
        LoadError: as `load_campaign` (a missing folder, a malformed ``campaign.toml``).

    Examples:
        >>> load = check_campaign("examples/bac_giang_2023")
        >>> load.ok, sorted(load.reports)
        (True, ['districts.csv', 'enrollments.csv', 'targets.csv'])
    """
    folder, campaign, goals, provinces, settings = _open(path)
    unit_file = unit_file_of(folder)
    units = _units(unit_file, campaign.level, settings, strict=False)
    codes = [unit.code for unit in units.records]
    targets = _targets(folder, campaign.id, settings, strict=False, districts=codes)
    records = load_folder_records(
        folder, level=campaign.level, settings=settings, strict=False, districts=codes
    )
    with_target = {t.unit_code for t in targets.records if t.measure is Measure.NEW}
    lines = unit_lines(unit_file, campaign, settings)
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
    errors = goal_errors(folder / CAMPAIGN, goals, known)
    if errors:
        reports[CAMPAIGN] = LoadReport(
            path=str(folder / CAMPAIGN), records=(), rejected=errors, rows_read=len(errors), blank=0
        )
    stocks = _stocks.read_stocks(
        folder, campaign, [*targets.records, *goals], settings, strict=False
    )
    if stocks is not None:
        reports[STOCKS] = stocks
    bundle = _bundle(
        unit_file,
        campaign=campaign,
        districts=units.records,
        targets=[*targets.records, *goals],
        records=records.records,
        provinces=provinces,
        baselines=() if stocks is None else stocks.records,
    )
    return CampaignLoad(bundle=bundle, reports=reports)
