"""Checking a campaign's units against the registry: `RegistryIssue`, `UnitRow`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Literal, Protocol, final

from attrs import frozen

from bhxh_campaign._validators import text
from bhxh_campaign.levels import UnitKind
from bhxh_campaign.registry._units import RegistryUnit, fold, periods, span

__all__ = ["RegistryIssue", "Severity", "UnitRow"]

Severity = Literal["error", "warning"]
"""How bad a `RegistryIssue` is."""


@final
@frozen
class RegistryIssue:
    """A disagreement between a campaign's unit file and the registry.

    Attributes:
        severity: ``"error"`` (the row is not a unit of the registry on the campaign's
            days) or ``"warning"`` (it is, written differently).
        code: what is wrong. Errors: ``"unknown_unit"`` (no unit ever had the code),
            ``"not_valid_on_dates"`` (the code was not in force on every day of the
            campaign), ``"name_mismatch"``, ``"province_mismatch"``. Warnings:
            ``"name_spelling"`` (the name differs only in accents, case or spacing) and
            ``"kind_mismatch"`` (a unit's kind can change under a kept code, a huyện
            becoming a thị xã, and the registry does not record every such change).
        message: what is wrong, naming the file, the line and the unit code, and ending
            with the code in brackets.
        line: the line of the unit file (the header is line 1).
        unit_code: the unit's code as the file gives it.

    Examples:
        >>> RegistryIssue("error", "unknown_unit", "no such unit", 3, "999").is_error
        True
    """

    severity: Severity
    code: str
    message: str
    line: int
    unit_code: str

    @property
    def is_error(self) -> bool:
        """Whether the issue is an error rather than a warning."""
        return self.severity == "error"


class UnitRow(Protocol):
    """What `Registry.check` reads of a unit; `bhxh_campaign.District` has it."""

    @property
    def code(self) -> str:
        """The unit's code."""

    @property
    def name(self) -> str:
        """The unit's name without its kind."""

    @property
    def kind(self) -> UnitKind:
        """The unit's kind."""

    @property
    def province_code(self) -> str:
        """The code of the unit's province."""


def _overlaps(unit: RegistryUnit, start: dt.date, end: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or start <= unit.valid_to
    )


def _covers(spans: Sequence[RegistryUnit], start: dt.date, end: dt.date) -> bool:
    """Whether spans in order, none overlapping, leave no day of start..end uncovered."""
    day = start
    for unit in spans:
        if unit.valid_from is not None and unit.valid_from > day:
            return False
        if unit.valid_to is None or unit.valid_to >= end:
            return True
        day = unit.valid_to + dt.timedelta(days=1)
    return False


def row_issues(
    known: Sequence[RegistryUnit], row: UnitRow, start: dt.date, end: dt.date
) -> Iterator[tuple[Severity, str, str]]:
    """(severity, code, detail) of each issue of one row, given its code's periods in order."""
    if not known:
        yield "error", "unknown_unit", "no unit has this code in the registry"
        return
    during = [u for u in known if _overlaps(u, start, end)]
    if not _covers(during, start, end):
        detail = f"not in force on every day from {start} to {end}"
        yield "error", "not_valid_on_dates", f"{detail}; the registry has it {periods(known)}"
        return
    name = text(row.name)
    folded = fold(name)

    def named(unit: RegistryUnit) -> bool:
        return folded in {fold(unit.name), fold(unit.full_name)}

    if not any(named(u) for u in during) and any(named(u) for u in known):
        # The code of another period, e.g. a new commune's code in a 2023 campaign.
        elsewhere = periods(u for u in known if named(u))
        now = ", ".join(f"{u.full_name} ({span(u.valid_from, u.valid_to)})" for u in during)
        detail = f"{name!r} has this code {elsewhere}; from {start} to {end} the code is {now}"
        yield "error", "not_valid_on_dates", detail
        return
    for unit in during:
        if name != unit.name and named(unit):
            detail = f"name {name!r} differs from the registry's {unit.name!r} only in"
            yield "warning", "name_spelling", f"{detail} accents, case or spacing"
        elif name != unit.name:
            when = span(unit.valid_from, unit.valid_to)
            yield "error", "name_mismatch", f"name {name!r} is not {unit.full_name!r} ({when})"
        if row.province_code != unit.province_code:
            detail = f"province {row.province_code!r} is not the registry's"
            yield "error", "province_mismatch", f"{detail} {unit.province_code!r}"
        if row.kind is not unit.kind:
            detail = f"kind {row.kind.label_vi!r} is not the registry's {unit.kind.label_vi!r}"
            yield "warning", "kind_mismatch", f"{detail} (kinds change under a kept code)"
