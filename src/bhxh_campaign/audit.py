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

import decimal
import enum
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import check_int, is_text, optional_text, text
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.metrics import percent

__all__ = [
    "AuditResult",
    "Check",
    "Finding",
    "PublishedFigures",
    "PublishedUnit",
    "TargetFit",
    "audit",
    "published_figures_from_dict",
    "targets_for",
]

# An inferred target list longer than this is not a finding, it is no information.
_MAX_FITS = 10_000


def published_percent(value: Decimal | str) -> Decimal:
    """A published percent as a `Decimal` that keeps its decimals (``"58,69"`` too).

    Floats are refused: ``3.70`` as a float has forgotten its second decimal.

    Examples:
        >>> published_percent("58,69"), published_percent(Decimal("3.70"))
        (Decimal('58.69'), Decimal('3.70'))
    """
    # Callers outside mypy pass floats and ints: check the value as an object.
    given: object = value
    if isinstance(given, str):
        raw = given.strip().removesuffix("%").strip().replace(",", ".")
        try:
            given = Decimal(raw)
        except decimal.InvalidOperation:
            msg = f"percent must be a number written as text, e.g. '58.69', got {value!r}"
            raise InvalidValueError(msg, field="percent") from None
    if not isinstance(given, Decimal):
        msg = (
            f"percent must be a Decimal or text such as '58.69' (a float loses its"
            f" trailing zeros), got {type(given).__name__} {given!r}"
        )
        raise InvalidValueError(msg, field="percent")
    if not given.is_finite() or given < 0:
        msg = f"percent must be a finite number >= 0, got {value!r}"
        raise InvalidValueError(msg, field="percent")
    return given


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _bounds(published: Decimal) -> tuple[Fraction, Fraction]:
    """The half-open interval ``[low, high)`` of exact percents that round to ``published``."""
    half = Fraction(1, 2 * 10 ** _places(published))
    value = Fraction(published)
    return max(value - half, Fraction(0)), value + half


@final
@frozen
class TargetFit:
    """A count and a whole-number target whose percent rounds to a published percent.

    Attributes:
        count: the count (published, or inferred when it was not).
        target: the target.

    Examples:
        >>> TargetFit(count=318, target=285).rate
        Fraction(106, 95)
    """

    count: int
    target: int

    @property
    def rate(self) -> Fraction:
        """``count / target``, exact."""
        return Fraction(self.count, self.target)


def _targets_of(count: int, low: Fraction, high: Fraction) -> range:
    # low <= 100 count / t < high  <=>  100 count / high < t <= 100 count / low
    first = math.floor(100 * count / high) + 1
    last = math.floor(100 * count / low)
    return range(max(first, 1), last + 1)


def targets_for(
    count: int | None, published: Decimal | str, *, max_count: int | None = None
) -> tuple[TargetFit, ...]:
    """Every whole-number target that a published percent allows, for a count.

    A percent ``p`` published with ``d`` decimals, rounded half-up, says that the exact
    ``100 x count / target`` lies in ``[p - h, p + h)`` with ``h = 0.5 x 10**-d``. With the
    count unknown, every count from 0 to ``max_count`` is tried.

    Args:
        count: the published count, or None when it was not published.
        published: the published percent, as text or `Decimal` (not a float).
        max_count: with ``count`` None, the largest count possible (required then).

    Returns:
        The fits, ordered by target, then count.

    Raises:
        InvalidValueError: the percent is malformed; ``count`` and ``max_count`` are both
            missing; or the percent is 0 (every target fits a count of 0).

    Examples:
        >>> targets_for(318, "111.58")
        (TargetFit(count=318, target=285),)
        >>> targets_for(None, "112.67", max_count=267)
        (TargetFit(count=169, target=150), TargetFit(count=249, target=221))
        >>> [f.target for f in targets_for(1928, "58.7")]  # one decimal allows more
        [3282, 3283, 3284, 3285, 3286, 3287]
    """
    value = published_percent(published)
    if count is None:
        if max_count is None:
            msg = "max_count is required when the count is not published"
            raise InvalidValueError(msg, field="max_count")
        counts: Iterable[int] = range(check_int("max_count", max_count, minimum=0) + 1)
    else:
        counts = (check_int("count", count, minimum=0),)
    low, high = _bounds(value)
    if low == 0:
        msg = f"a percent of {value} fits a count of 0 with any target: nothing to infer"
        raise InvalidValueError(msg, field="percent")
    fits = [TargetFit(count=c, target=t) for c in counts for t in _targets_of(c, low, high)]
    return tuple(sorted(fits, key=lambda f: (f.target, f.count)))


def _too_many_fits(count: int | None, published: Decimal, max_count: int | None) -> bool:
    """Whether more than ``_MAX_FITS`` (count, target) pairs fit: then nothing is inferred.

    Counted by ranges, without building the pairs, and stopping as soon as it is known.
    """
    low, high = _bounds(published)
    counts = (count,) if count is not None else range((max_count or 0) + 1)
    total = 0
    for c in counts:
        total += len(_targets_of(c, low, high))
        if total > _MAX_FITS:
            return True
    return False


def _counts_for(target: int, published: Decimal) -> range:
    # low <= 100 c / target < high  <=>  target low / 100 <= c < target high / 100
    low, high = _bounds(published)
    return range(math.ceil(target * low / 100), math.ceil(target * high / 100))


def _nonnegative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_int(attribute.name, value, minimum=1 if attribute.name in {"target", "rank"} else 0)


def _optional_percent(value: Decimal | str | None) -> Decimal | None:
    return None if value is None else published_percent(value)


def _count_or_bound(
    instance: PublishedUnit, attribute: attrs.Attribute[Any], value: object
) -> None:
    _nonnegative(instance, attribute, value)
    if value is not None and instance.count is not None:
        msg = "max_count is for a count that is not published; this unit has a count"
        raise InvalidValueError(msg, field="max_count")


@final
@frozen
class PublishedUnit:
    """The published figures of one unit (a district, or the total). All are optional.

    Attributes:
        name: the unit's name as published, e.g. ``"Yên Dũng"``.
        code: its code, if known.
        count: the published count (new participants).
        target: the published target.
        percent: the published completion percent, with the decimals it was published with.
        rank: the published rank by count (1 = most).
        window_count: the published count of a recent window (e.g. the last 7 days).
        max_count: for a unit whose count is not published, the largest it can be (e.g.
            one less than the third-ranked unit's count, for a unit outside the top three).

    Examples:
        >>> PublishedUnit(name="Sơn Động", percent="112,67", max_count=267).percent
        Decimal('112.67')
    """

    name: str = field(converter=text, validator=is_text)
    code: str | None = field(default=None, converter=optional_text)
    count: int | None = field(default=None, validator=_nonnegative)
    target: int | None = field(default=None, validator=_nonnegative)
    percent: Decimal | None = field(default=None, converter=_optional_percent)
    rank: int | None = field(default=None, validator=_nonnegative)
    window_count: int | None = field(default=None, validator=_nonnegative)
    max_count: int | None = field(default=None, validator=_count_or_bound)

    @property
    def label(self) -> str:
        """How findings name the unit: its name, with its code when known."""
        return self.name if self.code is None else f"{self.name} ({self.code})"


def _units(value: Iterable[PublishedUnit]) -> tuple[PublishedUnit, ...]:
    return tuple(value)


@final
@frozen
class PublishedFigures:
    """A bulletin's published figures: a total and some (or all) of its units.

    Attributes:
        total: the total (province or campaign), or None if not published.
        units: the units published, in the order the bulletin gives them.
        complete: whether ``units`` is every unit of the total (then counts and targets
            must add up exactly and ranks must be exact); otherwise the published parts
            must only not exceed the total.
        source: where the figures come from (free text).

    Examples:
        >>> PublishedFigures(units=[PublishedUnit(name="A", count=1)]).complete
        False
    """

    total: PublishedUnit | None = None
    units: tuple[PublishedUnit, ...] = field(default=(), converter=_units)
    complete: bool = False
    source: str = field(default="", converter=text)


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
        places = _places(p)
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
        if not _counts_for(unit.target, p):
            findings.append(_no_fit(label, p, f"no whole count out of {unit.target} gives {p}%"))
    elif p is not None and (unit.count is not None or unit.max_count is not None):
        checked += 1
        if _bounds(p)[0] > 0 and not _too_many_fits(unit.count, p, unit.max_count):
            fits = targets_for(unit.count, p, max_count=unit.max_count)
            if not fits:
                of = f"{unit.count}" if unit.count is not None else f"at most {unit.max_count}"
                findings.append(_no_fit(label, p, f"no whole target with a count of {of}"))
            elif len(fits) <= _MAX_FITS:
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


_UNIT_KEYS = frozenset(attrs.fields_dict(PublishedUnit))
_FIGURES_KEYS = frozenset({"source", "complete", "total", "units"})
# Said in a published-figures file, but not figures the audit checks.
_NOT_AUDITED = frozenset({"published_on", "as_of", "stock_goal"})


def _unit_from(data: object, where: str) -> PublishedUnit:
    if not isinstance(data, Mapping):
        msg = f"{where} must be a table, got {data!r}"
        raise InvalidValueError(msg, field=where)
    unknown = sorted(set(data) - _UNIT_KEYS)
    if unknown:
        msg = f"{where} has unknown keys {unknown} (known: {', '.join(sorted(_UNIT_KEYS))})"
        raise InvalidValueError(msg, field=where)
    try:
        return PublishedUnit(**data)
    except (InvalidValueError, TypeError) as error:
        msg = f"{where}: {error}"
        raise InvalidValueError(msg, field=where) from None


def published_figures_from_dict(data: Mapping[str, Any]) -> PublishedFigures:
    """Build `PublishedFigures` from plain data, such as a parsed TOML file.

    Keys: ``source`` (text), ``complete`` (bool), ``total`` (a table) and ``units`` (a
    list of tables), each table with the fields of `PublishedUnit`; percents are text.
    ``published_on``, ``as_of`` and ``stock_goal`` may be given and are kept out of the
    audit; any other key is refused, so that a misspelt ``[[unit]]`` cannot drop every
    unit from the audit unseen.

    Raises:
        InvalidValueError: a table is malformed, or a key is unknown; the message names it.

    Examples:
        >>> f = published_figures_from_dict({"total": {"name": "Bắc Giang", "count": 1928,
        ...     "target": 3285, "percent": "58.69"}})
        >>> audit(f).consistent
        True
    """
    unknown = sorted(set(data) - _FIGURES_KEYS - _NOT_AUDITED)
    if unknown:
        known = ", ".join(sorted(_FIGURES_KEYS | _NOT_AUDITED))
        msg = f"unknown keys {unknown} (known: {known})"
        raise InvalidValueError(msg, field=unknown[0])
    total = data.get("total")
    units = data.get("units", [])
    if not isinstance(units, list):
        msg = f"units must be a list of tables, got {units!r}"
        raise InvalidValueError(msg, field="units")
    complete = data.get("complete", False)
    if not isinstance(complete, bool):
        msg = f"complete must be true or false, got {complete!r}"
        raise InvalidValueError(msg, field="complete")
    source = data.get("source", "")
    if not isinstance(source, str):
        msg = f"source must be text, got {source!r}"
        raise InvalidValueError(msg, field="source")
    return PublishedFigures(
        total=None if total is None else _unit_from(total, "total"),
        units=[_unit_from(u, f"units[{i}]") for i, u in enumerate(units)],
        complete=complete,
        source=source,
    )
