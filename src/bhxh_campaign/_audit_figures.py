"""A bulletin's published figures, as `bhxh_campaign.audit` reads them.

Every figure is optional: a bulletin publishes some counts, targets, percents and ranks,
rarely all of them. `bhxh_campaign.audit` re-exports the public names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, final

import attrs
from attrs import field, frozen

from bhxh_campaign._audit_fits import published_percent
from bhxh_campaign._validators import check_int, is_plain_text, optional_text, text
from bhxh_campaign.errors import InvalidValueError

__all__ = ["PublishedFigures", "PublishedUnit", "published_figures_from_dict"]


_MAX_FIGURE = 10**15
"""Published figures are below a quadrillion: a longer number is a typing error."""


def _nonnegative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_int(attribute.name, value, minimum=1 if attribute.name in {"target", "rank"} else 0)
        if isinstance(value, int) and value >= _MAX_FIGURE:
            msg = f"{attribute.name} must have at most 15 digits, got {len(str(value))} digits"
            raise InvalidValueError(msg, field=attribute.name)


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

    name: str = field(converter=text, validator=is_plain_text)
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
        >>> f.total.percent, f.units
        (Decimal('58.69'), ())
        >>> from bhxh_campaign.audit import audit
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
