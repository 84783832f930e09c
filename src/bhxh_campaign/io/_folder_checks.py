"""The checks `check_campaign` adds to a folder's files: lines of units and stock goals.

Kept apart from `bhxh_campaign.io.folder`, which reads the folder; these only find where
a problem is, to name its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bhxh_campaign._settings import FolderSettings
from bhxh_campaign.io import _schema
from bhxh_campaign.io._cells import Context
from bhxh_campaign.io._pipeline import FileProblem, Raw, outcomes, rejection
from bhxh_campaign.io._readers import csv_rows
from bhxh_campaign.io.load_report import RejectedRow
from bhxh_campaign.model import Campaign, Target

__all__ = ["goal_errors", "unit_lines"]


def unit_lines(unit_file: Path, campaign: Campaign, settings: FolderSettings) -> dict[str, int]:
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


def goal_errors(toml: Path, goals: list[Target], known: set[str]) -> list[RejectedRow]:
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
