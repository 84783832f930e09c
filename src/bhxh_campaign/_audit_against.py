"""Published figures beside the figures the data gives, figure by figure.

`bhxh_campaign.audit` re-exports the public names. `audit` checks a bulletin against
itself; `comparisons` checks it against a report computed from the records.
"""

from __future__ import annotations

import unicodedata
from typing import Final, Literal, final

from attrs import frozen

from bhxh_campaign._audit_figures import PublishedFigures, PublishedUnit
from bhxh_campaign._audit_fits import places_of
from bhxh_campaign.errors import UnknownUnitError
from bhxh_campaign.metrics import percent
from bhxh_campaign.report import CampaignReport, DistrictProgress, Progress

__all__ = ["FIGURES", "Comparison", "Figure", "comparisons"]

Figure = Literal["count", "target", "percent", "window_count", "rank", "max_count"]
"""A published figure that the data can give too (``max_count``: a bound on the count)."""

FIGURES: Final[tuple[Figure, ...]] = (
    "count",
    "target",
    "percent",
    "window_count",
    "rank",
    "max_count",
)
"""The figures compared, in the order each unit's are listed."""


@final
@frozen
class Comparison:
    """One published figure beside the figure the data gives.

    Attributes:
        unit: the unit as published (`PublishedUnit.label`); the total's name for the total.
        code: the unit's code in the data (the campaign's scope for the total), or None
            when the data has no such unit.
        figure: which figure (``None`` when the unit itself is not in the data).
        published: the figure as published (a percent with its decimals).
        computed: what the data gives: the count, target, window count or rank, the percent
            rounded half-up at the published decimals; for ``max_count``, the count. None
            when the unit is not in the data.
        agrees: whether they are equal (for ``max_count``: the count is not more).

    Examples:
        >>> c = Comparison(unit="Yên Dũng (221)", code="221", figure="count",
        ...                published="318", computed="318", agrees=True)
        >>> c.agrees, c.figure
        (True, 'count')
    """

    unit: str
    code: str | None
    figure: Figure | None
    published: str
    computed: str | None
    agrees: bool


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().strip()


def _row(report: CampaignReport, unit: PublishedUnit) -> DistrictProgress | None:
    """The unit's row: by its code if published, else by its name if exactly one has it."""
    if unit.code is not None:
        try:
            return report.unit(unit.code)
        except UnknownUnitError:
            return None
    named = [row for row in report.units if _key(row.name) == _key(unit.name)]
    return named[0] if len(named) == 1 else None


def _compare(
    unit: PublishedUnit, row: Progress | DistrictProgress, rank: int | None
) -> list[Comparison]:
    def one(figure: Figure, published: object, computed: object, *, agrees: bool) -> Comparison:
        return Comparison(
            unit=unit.label,
            code=row.code,
            figure=figure,
            published=str(published),
            computed=str(computed),
            agrees=agrees,
        )

    found: list[Comparison] = []
    if unit.count is not None:
        found.append(one("count", unit.count, row.actual, agrees=unit.count == row.actual))
    if unit.target is not None:
        found.append(one("target", unit.target, row.target, agrees=unit.target == row.target))
    if unit.percent is not None:
        given = percent(row.rate, places_of(unit.percent))
        found.append(one("percent", unit.percent, given, agrees=given == unit.percent))
    if unit.window_count is not None:
        window = row.window_count
        found.append(
            one("window_count", unit.window_count, window, agrees=unit.window_count == window)
        )
    if unit.rank is not None and rank is not None:
        found.append(one("rank", unit.rank, rank, agrees=unit.rank == rank))
    if unit.max_count is not None:
        found.append(
            one("max_count", unit.max_count, row.actual, agrees=row.actual <= unit.max_count)
        )
    return found


def comparisons(figures: PublishedFigures, report: CampaignReport) -> tuple[Comparison, ...]:
    """Every published figure beside the figure the report (computed from data) gives.

    The total is compared with the report's total, each unit with the report's unit of
    the same code (or, for a unit published without one, the only unit of the same name).
    A percent is compared at the decimals it is published with, rounded half-up; a rank
    is the rank by new participants; a window count is the report's trailing window's,
    so the report must have the bulletin's window. A unit the data does not have is one
    comparison with no figure, which does not agree.

    Args:
        figures: the published figures.
        report: the report of the data, as of the bulletin's day.

    Returns:
        The comparisons, the total first, then the units in the published order, each
        unit's figures in the order of `FIGURES`.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> from bhxh_campaign.audit import PublishedUnit
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> figures = PublishedFigures(
        ...     total=PublishedUnit(name="Bắc Giang", count=1928, percent="58.7"),
        ...     units=[PublishedUnit(name="Yên Dũng", rank=1, count=320),
        ...            PublishedUnit(name="Nowhere", count=1)])
        >>> for c in comparisons(figures, report):
        ...     print(c.unit, c.figure, c.published, c.computed, c.agrees)
        Bắc Giang count 1928 1928 True
        Bắc Giang percent 58.7 58.7 True
        Yên Dũng count 320 318 False
        Yên Dũng rank 1 1 True
        Nowhere None  None False
    """
    found: list[Comparison] = []
    if figures.total is not None:
        found += _compare(figures.total, report.total, None)
    for unit in figures.units:
        row = _row(report, unit)
        if row is None:
            found.append(
                Comparison(
                    unit=unit.label,
                    code=None,
                    figure=None,
                    published="",
                    computed=None,
                    agrees=False,
                )
            )
        else:
            found += _compare(unit, row, row.rank_by_actual)
    return tuple(found)
