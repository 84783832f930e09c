"""Auditing published figures: are a bulletin's numbers consistent with each other?

A bulletin publishes counts, targets, percents, ranks and totals, usually not all of them
for every unit. `audit` checks every relation the published numbers allow:

- a percent is ``count / target`` rounded half-up at the number of decimals it is
  published with (``58.69`` is checked at two decimals, ``58.7`` at one);
- a total is the sum of its parts (exactly, when every unit is published; otherwise the
  published parts must not exceed the total);
- a window count (e.g. the last 7 days) is not more than the count it is part of;
- ranks by count agree with the counts (competition ranking: 1, 2, 2, 4).

Where a percent is published without its target, `targets_for` infers every whole-number
target (and count) that the percent allows, with exact `fractions.Fraction` arithmetic.

`comparisons` checks the published figures against the data instead: each beside the
figure a report computed from the records gives.

Examples:
    >>> from decimal import Decimal
    >>> figures = PublishedFigures(
    ...     total=PublishedUnit(name="Bắc Giang", count=1928, target=3285, percent="58.69"),
    ...     units=[PublishedUnit(name="Yên Dũng", count=318, percent="111.58", rank=1)])
    >>> result = audit(figures)
    >>> result.consistent, result.inferred
    (True, (('Yên Dũng', (TargetFit(count=318, target=285),)),))
    >>> [t.target for t in targets_for(None, "112.67", max_count=267)]
    [150, 221]
"""

from __future__ import annotations

import enum
from decimal import Decimal
from fractions import Fraction
from typing import final

from attrs import frozen

from bhxh_campaign._audit_against import FIGURES, Comparison, Figure, comparisons
from bhxh_campaign._audit_figures import (
    PublishedFigures,
    PublishedUnit,
    published_figures_from_dict,
)
from bhxh_campaign._audit_fits import (
    MAX_FITS,
    TargetFit,
    bounds,
    counts_for,
    places_of,
    published_percent,
    targets_for,
    too_many_fits,
)
from bhxh_campaign.metrics import percent

__all__ = [
    "FIGURES",
    "AuditResult",
    "Check",
    "Comparison",
    "Figure",
    "Finding",
    "PublishedFigures",
    "PublishedUnit",
    "TargetFit",
    "audit",
    "comparisons",
    "published_figures_from_dict",
    "published_percent",
    "targets_for",
]


class Check(enum.StrEnum):
    """Which relation between published figures a finding breaks.

    Examples:
        >>> Check.SUM.value
        'sum'
    """

    PERCENT = "percent"  # percent != count / target, rounded half-up at its decimals
    SUM = "sum"  # a total is not the sum of its parts (or is less than the published parts)
    WINDOW = "window"  # a window count is more than the count it is part of
    RANK = "rank"  # a rank by count disagrees with the counts
    NO_FIT = "no_fit"  # no whole-number target (or count) gives the published percent


@final
@frozen
class Finding:
    """One published figure that disagrees with the others.

    Attributes:
        check: the relation that does not hold.
        figure: which figure, e.g. ``"total count"`` or ``"Yên Dũng percent"``.
        published: the figure as published.
        expected: what the other published figures give instead (a value or a rule).
        detail: the arithmetic, with the exact numbers.

    Examples:
        >>> f = Finding(check=Check.SUM, figure="total count", published="101",
        ...             expected="100", detail="the 3 units' counts add up to 100")
        >>> print(f)
        total count: published 101, expected 100 (sum: the 3 units' counts add up to 100)
    """

    check: Check
    figure: str
    published: str
    expected: str
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.figure}: published {self.published}, expected {self.expected}"
            f" ({self.check.value}: {self.detail})"
        )


@final
@frozen
class AuditResult:
    """What `audit` found: the disagreeing figures and the targets it could infer.

    Attributes:
        findings: every disagreement, in the order checked (total first, then units).
        inferred: ``(unit label, fits)`` for every unit with a percent but no target.
        checked: how many relations were checked.

    Examples:
        >>> AuditResult(findings=(), inferred=(), checked=0).consistent
        True
    """

    findings: tuple[Finding, ...]
    inferred: tuple[tuple[str, tuple[TargetFit, ...]], ...]
    checked: int

    @property
    def consistent(self) -> bool:
        """Whether no published figure disagrees with the others."""
        return not self.findings


def _check_unit(
    unit: PublishedUnit, findings: list[Finding], inferred: list[tuple[str, tuple[TargetFit, ...]]]
) -> int:
    checked = 0
    label = unit.label
    p = unit.percent
    if p is not None and unit.count is not None and unit.target is not None:
        checked += 1
        places = places_of(p)
        expected = percent(Fraction(unit.count, unit.target), places)
        if expected != p:
            exact = Fraction(100 * unit.count, unit.target)
            findings.append(
                Finding(
                    check=Check.PERCENT,
                    figure=f"{label} percent",
                    published=str(p),
                    expected=str(expected),
                    detail=(
                        f"{unit.count} / {unit.target} = {_decimal(exact, places + 4)}%,"
                        f" rounded half-up to {places} decimals"
                    ),
                )
            )
    elif p is not None and unit.target is not None:
        checked += 1
        if not counts_for(unit.target, p):
            findings.append(_no_fit(label, p, f"no whole count out of {unit.target} gives {p}%"))
    elif p is not None and (unit.count is not None or unit.max_count is not None):
        checked += 1
        if bounds(p)[0] > 0 and not too_many_fits(unit.count, p, unit.max_count):
            fits = targets_for(unit.count, p, max_count=unit.max_count)
            if not fits:
                of = f"{unit.count}" if unit.count is not None else f"at most {unit.max_count}"
                findings.append(_no_fit(label, p, f"no whole target with a count of {of}"))
            elif len(fits) <= MAX_FITS:
                inferred.append((label, fits))
    if unit.window_count is not None and unit.count is not None:
        checked += 1
        if unit.window_count > unit.count:
            findings.append(
                Finding(
                    check=Check.WINDOW,
                    figure=f"{label} window count",
                    published=str(unit.window_count),
                    expected=f"at most {unit.count}",
                    detail=f"the window is part of the count {unit.count}",
                )
            )
    return checked


def _no_fit(label: str, p: Decimal, detail: str) -> Finding:
    return Finding(
        check=Check.NO_FIT,
        figure=f"{label} percent",
        published=str(p),
        expected="a percent some whole numbers give",
        detail=detail,
    )


def _decimal(value: Fraction, places: int) -> str:
    return str(percent(value / 100, places))


def _check_sums(figures: PublishedFigures, findings: list[Finding]) -> int:
    total = figures.total
    if total is None or not figures.units:
        return 0
    checked = 0
    n = len(figures.units)
    for name in ("count", "target", "window_count"):
        whole = getattr(total, name)
        parts = [getattr(u, name) for u in figures.units]
        given = [v for v in parts if v is not None]
        if whole is None or not given:
            continue
        checked += 1
        added = sum(given)
        words = name.replace("_", " ")
        if figures.complete and len(given) == n and added != whole:
            findings.append(
                Finding(
                    check=Check.SUM,
                    figure=f"total {words}",
                    published=str(whole),
                    expected=str(added),
                    detail=f"the {n} units' {words}s add up to {added}",
                )
            )
        elif added > whole:
            findings.append(
                Finding(
                    check=Check.SUM,
                    figure=f"total {words}",
                    published=str(whole),
                    expected=f"at least {added}",
                    detail=f"the {len(given)} published units' {words}s add up to {added}",
                )
            )
    return checked


def _check_ranks(figures: PublishedFigures, findings: list[Finding]) -> int:
    """Competition ranks by count: ``rank = 1 + (units with a larger count)``."""
    known = [u for u in figures.units if u.count is not None]
    exact = figures.complete and len(known) == len(figures.units)
    checked = 0
    for unit in known:
        if unit.rank is None or unit.count is None:
            continue
        checked += 1
        above = [o for o in known if o.count is not None and o.count > unit.count]
        expected: str | None = None
        if exact and unit.rank != len(above) + 1:
            expected = str(len(above) + 1)
        elif unit.rank < len(above) + 1:
            # Units not published can only push a rank down, never up.
            expected = f"at least {len(above) + 1}"
        else:
            for other in known:
                if other.rank is None or other is unit:
                    continue
                if other.count == unit.count and other.rank != unit.rank:
                    expected = f"{other.rank}, the rank of {other.label} with the same count"
                    break
                if other.count is not None and other.count > unit.count and other.rank >= unit.rank:
                    expected = f"more than {other.rank}, the rank of {other.label}"
                    break
        if expected is not None:
            findings.append(
                Finding(
                    check=Check.RANK,
                    figure=f"{unit.label} rank",
                    published=str(unit.rank),
                    expected=expected,
                    detail=f"{len(above)} published units have more than its {unit.count}",
                )
            )
    return checked


def audit(figures: PublishedFigures) -> AuditResult:
    """Check that a bulletin's published figures agree with each other.

    Args:
        figures: the published figures.

    Returns:
        Every disagreement found, the targets inferred from percents published without
        one, and the number of relations checked.

    Examples:
        >>> bad = PublishedFigures(
        ...     total=PublishedUnit(name="Tỉnh", count=101), complete=True,
        ...     units=[PublishedUnit(name="A", count=60), PublishedUnit(name="B", count=40)])
        >>> [str(f) for f in audit(bad).findings]
        ["total count: published 101, expected 100 (sum: the 2 units' counts add up to 100)"]
    """
    findings: list[Finding] = []
    inferred: list[tuple[str, tuple[TargetFit, ...]]] = []
    checked = 0
    if figures.total is not None:
        checked += _check_unit(figures.total, findings, inferred)
    for unit in figures.units:
        checked += _check_unit(unit, findings, inferred)
    checked += _check_sums(figures, findings)
    checked += _check_ranks(figures, findings)
    return AuditResult(findings=tuple(findings), inferred=tuple(inferred), checked=checked)
