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
from bhxh_campaign.messages import Lang, message
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
        unit: the unit's label (`PublishedUnit.label`); empty for the total's sums.
        measure: the figure's kind: ``count``, ``target``, ``percent``, ``window_count``
            or ``rank`` (empty for a finding built by hand).
        expected_key: the message of ``expected`` in the catalog (context
            ``audit.expected``).
        detail_key: the message of ``detail`` (context ``audit.detail``).
        data: the values the messages are filled with, as text.

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
    unit: str = ""
    measure: str = ""
    expected_key: str = ""
    detail_key: str = ""
    data: tuple[tuple[str, str], ...] = ()

    def text(self, lang: Lang = "en") -> str:
        """The finding in one line, in a language (in English, the same as `str`).

        Examples:
            >>> bad = PublishedFigures(total=PublishedUnit(name="T", count=3, window_count=5))
            >>> finding = audit(bad).findings[0]
            >>> finding.text("vi").split(" (")[0]
            'số tăng mới trong cửa sổ của T: công bố 5, đúng ra là tối đa 3'
            >>> finding.text("en") == str(finding)
            True
        """
        if not self.detail_key:
            return str(self)
        data = dict(self.data)
        words = message("audit.figure", self.measure, lang)
        figure = (
            message("audit.finding", "figure", lang, unit=self.unit, measure=words)
            if self.unit
            else message("audit.finding", "total_figure", lang, measure=words)
        )
        return message(
            "audit.finding",
            "line",
            lang,
            figure=figure,
            published=self.published,
            expected=message("audit.expected", self.expected_key, lang, **data),
            check=self.check.value,
            detail=message("audit.detail", self.detail_key, lang, measure=words, **data),
        )

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


def _finding(
    check: Check, unit: str, measure: str, published: object, keys: tuple[str, str], **data: object
) -> Finding:
    """A finding whose English text comes from the catalog, as its other languages do.

    ``keys`` are the messages of its expected value and of its detail.
    """
    expected_key, detail_key = keys
    words = {key: str(value) for key, value in data.items()}
    en = message("audit.figure", measure, "en")
    return Finding(
        check=check,
        figure=f"{unit} {en}" if unit else f"total {en}",
        published=str(published),
        expected=message("audit.expected", expected_key, "en", **words),
        detail=message("audit.detail", detail_key, "en", measure=en, **words),
        unit=unit,
        measure=measure,
        expected_key=expected_key,
        detail_key=detail_key,
        data=tuple(words.items()),
    )


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
                _finding(
                    Check.PERCENT, label, "percent", p, ("value", "percent"),
                    value=expected, count=unit.count, target=unit.target,
                    exact=_decimal(exact, places + 4), places=places,
                )
            )  # fmt: skip
    elif p is not None and unit.target is not None:
        checked += 1
        if not counts_for(unit.target, p):
            findings.append(_no_fit(label, p, "no_count", target=unit.target, percent=p))
    elif p is not None and (unit.count is not None or unit.max_count is not None):
        checked += 1
        if bounds(p)[0] > 0 and not too_many_fits(unit.count, p, unit.max_count):
            fits = targets_for(unit.count, p, max_count=unit.max_count)
            if not fits:
                if unit.count is not None:
                    findings.append(_no_fit(label, p, "no_target", count=unit.count))
                else:
                    findings.append(_no_fit(label, p, "no_target_bound", count=unit.max_count))
            elif len(fits) <= MAX_FITS:
                inferred.append((label, fits))
    if unit.window_count is not None and unit.count is not None:
        checked += 1
        if unit.window_count > unit.count:
            findings.append(
                _finding(
                    Check.WINDOW, label, "window_count", unit.window_count, ("at_most", "window"),
                    count=unit.count,
                )
            )  # fmt: skip
    return checked


def _no_fit(label: str, p: Decimal, detail_key: str, **data: object) -> Finding:
    return _finding(Check.NO_FIT, label, "percent", p, ("no_fit", detail_key), **data)


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
        if figures.complete and len(given) == n and added != whole:
            findings.append(
                _finding(
                    Check.SUM, "", name, whole, ("value", "sum"), value=added, n=n, added=added
                )
            )
        elif added > whole:
            findings.append(
                _finding(
                    Check.SUM, "", name, whole, ("at_least", "sum_partial"),
                    value=added, n=len(given), added=added,
                )
            )  # fmt: skip
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
        expected: tuple[str, dict[str, object]] | None = None
        if exact and unit.rank != len(above) + 1:
            expected = ("value", {"value": len(above) + 1})
        elif unit.rank < len(above) + 1:
            # Units not published can only push a rank down, never up.
            expected = ("at_least", {"value": len(above) + 1})
        else:
            for other in known:
                if other.rank is None or other is unit:
                    continue
                if other.count == unit.count and other.rank != unit.rank:
                    expected = ("rank_tie", {"value": other.rank, "other": other.label})
                    break
                if other.count is not None and other.count > unit.count and other.rank >= unit.rank:
                    expected = ("rank_above", {"value": other.rank, "other": other.label})
                    break
        if expected is not None:
            key, data = expected
            findings.append(
                _finding(
                    Check.RANK, unit.label, "rank", unit.rank, (key, "rank"),
                    above=len(above), count=unit.count, **data,
                )
            )  # fmt: skip
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
