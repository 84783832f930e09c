"""`Registry`: lookups by code, name and day, successions, checks; `unit_registry`."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import itertools
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import Final, TypeVar, final

from attrs import field, frozen

from bhxh_campaign._validators import check_date
from bhxh_campaign.errors import InvalidValueError, UnknownUnitError
from bhxh_campaign.levels import REFORM_DAY, UnitKind, UnitLevel
from bhxh_campaign.registry._check import RegistryIssue, UnitRow, row_issues
from bhxh_campaign.registry._units import RegistryProvince, RegistryUnit, fold, periods

__all__ = ["LAST_LEGACY_DAY", "Registry", "unit_registry"]

LAST_LEGACY_DAY: Final = REFORM_DAY - dt.timedelta(days=1)
"""The day of the pre-reform state the registry holds in full, 2025-06-30."""

T = TypeVar("T")

_KIND_WORDS: Final = tuple(
    sorted(((fold(k.label_vi) + " ", k) for k in UnitKind), key=lambda w: (-len(w[0]), w[0]))
)
"""Folded kind words with a trailing space, longest first ("thi xa " before "xa ")."""


def _group(items: Iterable[T], key: Callable[[T], str]) -> dict[str, tuple[T, ...]]:
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return {k: tuple(v) for k, v in groups.items()}


def _order(unit: RegistryUnit | RegistryProvince) -> tuple[str, dt.date]:
    return unit.code, unit.valid_from or dt.date.min


def _level(level: UnitLevel | str | None) -> UnitLevel | None:
    return None if level is None else UnitLevel(level)


def _units(value: Iterable[RegistryUnit]) -> tuple[RegistryUnit, ...]:
    return tuple(sorted(value, key=_order))


def _provinces(value: Iterable[RegistryProvince]) -> tuple[RegistryProvince, ...]:
    return tuple(sorted(value, key=_order))


def _successions(value: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    return types.MappingProxyType({old: tuple(new) for old, new in value.items()})


def _code(unit: RegistryUnit | RegistryProvince) -> str:
    return unit.code


def _disjoint(spans: Sequence[RegistryUnit | RegistryProvince], name: str) -> None:
    for before, after in itertools.pairwise(spans):
        if before.valid_to is None or (
            after.valid_from is not None and after.valid_from <= before.valid_to
        ):
            msg = f"code {after.code!r} has overlapping periods: {before} and {after}"
            raise InvalidValueError(msg, field=name)


@final
@frozen(eq=False)
class Registry:
    """Provinces and units with their days in force, and the successors of former units.

    `unit_registry` gives the bundled data; the constructor takes any other. A code is
    read in the state of a day: no two periods of one code overlap.

    Attributes:
        provinces: province-level units, one per code and period, by code and day.
        units: district- and commune-level units, one per code and period, by code and day.
        successions: for a unit in force on 2025-06-30 (a province, a commune, a district
            without communes), the codes of the units that took it over from 2025-07-01,
            the default one first (for a commune divided between several, the source's
            single best match; see ``SOURCE.md``).

    Examples:
        >>> import datetime as dt
        >>> reg = unit_registry()
        >>> [u.full_name for u in reg.units_on("24", dt.date(2023, 5, 18), level="district")][:3]
        ['Thành phố Bắc Giang', 'Huyện Yên Thế', 'Huyện Tân Yên']
        >>> Registry([], [RegistryUnit("221", "Yên Dũng", "huyen", "24")], {}).find("YÊN DŨNG")
        (RegistryUnit(code='221', name='Yên Dũng', kind=<UnitKind.HUYEN: 'huyen'>,
                      province_code='24', district_code=None, valid_from=None, valid_to=None),)
    """

    provinces: tuple[RegistryProvince, ...] = field(converter=_provinces)
    units: tuple[RegistryUnit, ...] = field(converter=_units)
    successions: Mapping[str, tuple[str, ...]] = field(converter=_successions, repr=False)
    _by_code: dict[str, tuple[RegistryUnit, ...]] = field(init=False, repr=False)
    _by_province: dict[str, tuple[RegistryUnit, ...]] = field(init=False, repr=False)
    _by_name: dict[str, tuple[RegistryUnit, ...]] = field(init=False, repr=False)
    _communes_of: dict[str, tuple[RegistryUnit, ...]] = field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # Indexes over the (sorted) units, set once: the instance is frozen.
        indexes = {
            "_by_code": _code,
            "_by_province": lambda u: u.province_code,
            "_by_name": lambda u: fold(u.name),
            "_communes_of": lambda u: u.district_code or "",
        }
        for name, key in indexes.items():
            object.__setattr__(self, name, _group(self.units, key))
        for provinces in _group(self.provinces, _code).values():
            _disjoint(provinces, "provinces")
        for units in self._by_code.values():
            _disjoint(units, "units")

    def provinces_on(self, day: dt.date) -> tuple[RegistryProvince, ...]:
        """The provinces in force on ``day``, by code.

        Examples:
            >>> import datetime as dt
            >>> [p.name for p in unit_registry().provinces_on(dt.date(2026, 5, 1))][:3]
            ['Hà Nội', 'Cao Bằng', 'Tuyên Quang']
        """
        day = check_date("day", day)
        return tuple(p for p in self.provinces if p.is_valid_on(day))

    def province(self, code: str, day: dt.date) -> RegistryProvince:
        """The province with this code on ``day``.

        Raises:
            UnknownUnitError: no province had that code on that day.

        Examples:
            >>> import datetime as dt
            >>> reg = unit_registry()
            >>> [reg.province("24", dt.date(y, 7, 1)).name for y in (2023, 2025)]
            ['Bắc Giang', 'Bắc Ninh']
        """
        for province in self.provinces_on(day):
            if province.code == code:
                return province
        msg = f"no province had code {code!r} on {day}"
        raise UnknownUnitError(msg)

    def units_on(
        self, province_code: str, day: dt.date, *, level: UnitLevel | str | None = None
    ) -> tuple[RegistryUnit, ...]:
        """The units of a province in force on ``day`` (of one level, if given), by code.

        Raises:
            UnknownUnitError: no province had that code on that day.

        Examples:
            >>> import datetime as dt
            >>> len(unit_registry().units_on("24", dt.date(2026, 5, 1)))
            99
        """
        self.province(province_code, day)
        wanted = _level(level)
        return tuple(
            u
            for u in self._by_province.get(province_code, ())
            if u.is_valid_on(day) and (wanted is None or u.level is wanted)
        )

    def unit(
        self, code: str, day: dt.date, *, level: UnitLevel | str | None = None
    ) -> RegistryUnit:
        """The unit with this code on ``day`` (of ``level``, if given).

        Raises:
            UnknownUnitError: no such unit had that code on that day; the message says
                when the code was in force, if ever.

        Examples:
            >>> import datetime as dt
            >>> unit_registry().unit("07681", dt.date(2023, 5, 18)).full_name
            'Phường Nham Biền'
            >>> unit_registry().unit("221", dt.date(2025, 1, 1))
            Traceback (most recent call last):
            ...
            bhxh_campaign.errors.UnknownUnitError: no unit had code '221' on 2025-01-01
            (the registry has it as Huyện Yên Dũng until 2024-12-31)
        """
        day = check_date("day", day)
        wanted = _level(level)
        known = self._by_code.get(code, ())
        for unit in known:
            if unit.is_valid_on(day) and (wanted is None or unit.level is wanted):
                return unit
        msg = f"no {'' if wanted is None else wanted.value + ' '}unit had code {code!r} on {day}"
        if known:
            msg += f" (the registry has it {periods(known)})"
        raise UnknownUnitError(msg)

    def find(
        self,
        name: str,
        *,
        day: dt.date | None = None,
        province_code: str | None = None,
        level: UnitLevel | str | None = None,
    ) -> tuple[RegistryUnit, ...]:
        """The units called ``name``: any case, accents or none, kind word or none.

        A leading kind word (``"phường"``, ``"thi xa"``) must be the unit's kind. Filters
        by day, province and level when given. Districts come first, then by code and day.

        Examples:
            >>> import datetime as dt
            >>> reg = unit_registry()
            >>> [(u.code, u.full_name) for u in reg.find("Phường Yên Dũng")]
            [('07681', 'Phường Yên Dũng')]
            >>> [(u.code, u.valid_to) for u in reg.find("yen dung", province_code="24")]
            [('221', datetime.date(2024, 12, 31)), ('07681', None)]
            >>> [u.full_name for u in reg.find("QUAN 1", day=dt.date(2024, 1, 1))]
            ['Quận 1']
        """
        query = fold(name)
        found = list(self._by_name.get(query, ()))
        for word, kind in _KIND_WORDS:
            if query.startswith(word):
                found += [u for u in self._by_name.get(query[len(word) :], ()) if u.kind is kind]
        day = None if day is None else check_date("day", day)
        wanted = _level(level)
        chosen = {
            u
            for u in found
            if (day is None or u.is_valid_on(day))
            and (province_code is None or u.province_code == province_code)
            and (wanted is None or u.level is wanted)
        }
        return tuple(sorted(chosen, key=lambda u: (len(u.code), *_order(u))))

    def successors(self, old_code: str) -> tuple[str, ...]:
        """The codes of the units that took over a unit in force on 2025-06-30.

        A province's successor is a province. A commune's are communes, the default one
        first (for a commune divided between several, the source's single best match). A
        district's are the communes that took over any of its communes, by code.

        Raises:
            UnknownUnitError: no unit with that code was in force on 2025-06-30.

        Examples:
            >>> reg = unit_registry()
            >>> reg.successors("27"), reg.successors("00019"), reg.successors("498")
            (('24',), ('00004', '00070', '00190', '00226'), ('20333',))
            >>> len(reg.successors("213"))
            8
        """
        if old_code in self.successions:
            return self.successions[old_code]
        communes = self._communes_of.get(old_code, ()) if old_code else ()
        if not communes:
            msg = f"no unit with code {old_code!r} was in force on {LAST_LEGACY_DAY}"
            raise UnknownUnitError(msg)
        return tuple(sorted({new for c in communes for new in self.successions[c.code]}))

    def rekey_commune(self, old_code: str) -> str:
        """The code of the default successor of a former commune, to re-key its records.

        Raises:
            InvalidValueError: ``old_code`` is not five digits.
            UnknownUnitError: no commune with that code was in force on 2025-06-30.

        Examples:
            >>> unit_registry().rekey_commune("00016")
            '00004'
        """
        if not UnitLevel.COMMUNE.matches(old_code):
            msg = f"old_code must be a five-digit commune code, got {old_code!r}"
            raise InvalidValueError(msg, field="old_code")
        return self.successors(old_code)[0]

    def commune_crosswalk(self) -> dict[str, str]:
        """Every commune code of 2025-06-30 mapped to its `rekey_commune`.

        Examples:
            >>> walk = unit_registry().commune_crosswalk()
            >>> len(walk), walk["00016"]
            (10035, '00004')
        """
        commune = UnitLevel.COMMUNE.matches
        return {old: new[0] for old, new in self.successions.items() if commune(old)}

    def check(
        self,
        units: Iterable[UnitRow],
        *,
        start: dt.date,
        end: dt.date,
        source: str = "districts.csv",
    ) -> tuple[RegistryIssue, ...]:
        """Check a campaign's units against the registry on every day of the campaign.

        Args:
            units: the rows of the campaign's unit file, in file order (row ``i`` is on
                line ``i + 2``, below the header).
            start: the campaign's first day.
            end: the campaign's last day.
            source: the unit file's name, for the messages.

        Returns:
            The issues (see `RegistryIssue` for the codes) by line, then code; empty when
            every row is a unit of the registry on every day of the campaign.

        Raises:
            InvalidValueError: ``end`` is before ``start``.

        Examples:
            >>> import datetime as dt
            >>> from bhxh_campaign.model import District
            >>> rows = [District(code="221", name="Yên Dũng", kind="huyen", province_code="24"),
            ...         District(code="222", name="Viet Yen", kind="huyen", province_code="24"),
            ...         District(code="999", name="Nowhere", kind="huyen", province_code="24")]
            >>> january = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 1, 31)}
            >>> for issue in unit_registry().check(rows, **january):
            ...     print(issue.severity, issue.message)
            error districts.csv, line 2, unit '221': not in force on every day from 2025-01-01
            to 2025-01-31; the registry has it as Huyện Yên Dũng until 2024-12-31
            [not_valid_on_dates]
            warning districts.csv, line 3, unit '222': kind 'huyện' is not the registry's
            'thị xã' (kinds change under a kept code) [kind_mismatch]
            warning districts.csv, line 3, unit '222': name 'Viet Yen' differs from the
            registry's 'Việt Yên' only in accents, case or spacing [name_spelling]
            error districts.csv, line 4, unit '999': no unit has this code in the registry
            [unknown_unit]
        """
        start, end = check_date("start", start), check_date("end", end)
        if end < start:
            msg = f"end must not be before start, got start={start} and end={end}"
            raise InvalidValueError(msg, field="end")
        issues = {
            RegistryIssue(
                severity,
                code,
                f"{source}, line {line}, unit {row.code!r}: {detail} [{code}]",
                line,
                row.code,
            ): None
            for line, row in enumerate(units, start=2)
            for severity, code, detail in row_issues(
                self._by_code.get(row.code, ()), row, start, end
            )
        }
        return tuple(sorted(issues, key=lambda i: (i.line, i.code)))


_HEADERS: Final = {
    "provinces": ("code", "name", "full_name", "valid_from", "valid_to", "successor"),
    "units": ("code", "kind", "name", "province_code", "district_code", "valid_from", "valid_to"),
    "successions": ("old_code", "new_codes"),
}


def _table(name: str) -> Iterator[list[str]]:
    path = resources.files("bhxh_campaign").joinpath("data", "registry", f"{name}.tsv.gz")
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    if tuple(lines[0].split("\t")) != _HEADERS[name]:  # pragma: no cover - built by tools/
        msg = f"{name}.tsv.gz: the header is {lines[0]!r}, not {_HEADERS[name]}"
        raise InvalidValueError(msg)
    return (line.split("\t") for line in lines[1:])


@functools.cache
def unit_registry() -> Registry:
    """The bundled registry, read on first call (some 0.2 s) and kept.

    Examples:
        >>> reg = unit_registry()
        >>> reg is unit_registry(), len(reg.units)
        (True, 14055)
    """
    days: dict[str, dt.date | None] = {"": None}

    def day(value: str) -> dt.date | None:
        if value not in days:
            days[value] = dt.date.fromisoformat(value)
        return days[value]

    provinces: list[RegistryProvince] = []
    successions: dict[str, tuple[str, ...]] = {}
    for code, name, full_name, start, end, successor in _table("provinces"):
        provinces.append(RegistryProvince(code, name, full_name, day(start), day(end)))
        if successor:
            successions[code] = (successor,)
    units = [
        RegistryUnit(code, name, UnitKind(kind), province, district or None, day(a), day(b))
        for code, kind, name, province, district, a, b in _table("units")
    ]
    successions.update((old, tuple(new.split(","))) for old, new in _table("successions"))
    return Registry(provinces, units, successions)
