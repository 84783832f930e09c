"""Hypothesis strategies for the domain types, for our tests and yours.

Install the ``strategies`` extra (Hypothesis). Importing this module registers every type
with `hypothesis.strategies.register_type_strategy`, so ``st.from_type(Campaign)`` works;
the ``hypothesis`` entry point does that for you when Hypothesis starts.

Examples:
    >>> from hypothesis import given
    >>> from bhxh_campaign.strategies import enrollment_records
    >>> @given(enrollment_records())
    ... def test_ids_are_digits(record):
    ...     assert record.participant_id.isdigit()
    >>> test_ids_are_digits()
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import (
    NATIONAL,
    Campaign,
    Commune,
    District,
    EnrollmentRecord,
    Measure,
    PaymentMethod,
    Province,
    Target,
    Unit,
    UnitKind,
    unit_type,
)

__all__ = [
    "campaign_bundles",
    "campaigns",
    "communes",
    "daily_counts_grids",
    "daily_series",
    "district_codes",
    "districts",
    "enrollment_records",
    "participant_ids",
    "province_codes",
    "targets",
    "unit_codes",
    "unit_levels",
    "units",
]

_DAY_MIN = dt.date(2015, 1, 1)
_DAY_MAX = dt.date(2035, 12, 31)
_NAMES = st.sampled_from(
    [
        "Yên Dũng",
        "Hiệp Hòa",
        "Lục Ngạn",
        "Sơn Động",
        "Bắc Giang",
        "Đồng Văn",
        "Ba Đình",
        "Thủ Đức",
        "Ea H'leo",
        "Mường Tè",
        "Quỳnh Lưu",
        "Cần Giờ",
    ]
)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def province_codes() -> st.SearchStrategy[str]:
    """Two-digit province codes, leading zeros included (``"01"``..``"96"``).

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> find(province_codes(), lambda code: code.endswith("9"), settings=minimal)
        '09'
    """
    return st.integers(1, 96).map(lambda n: f"{n:02d}")


def district_codes() -> st.SearchStrategy[str]:
    """Three-digit district codes, leading zeros included.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> find(district_codes(), lambda code: code.startswith("0"), settings=minimal)
        '001'
    """
    return unit_codes(UnitLevel.DISTRICT)


def unit_levels() -> st.SearchStrategy[UnitLevel]:
    """Administrative levels a campaign can report on: districts, then communes.

    Examples:
        >>> from hypothesis import find
        >>> find(unit_levels(), lambda level: True)
        <UnitLevel.DISTRICT: 'district'>
    """
    return st.sampled_from(list(UnitLevel))


def unit_codes(level: UnitLevel) -> st.SearchStrategy[str]:
    """Unit codes of ``level`` (3 digits for districts, 5 for communes), leading zeros kept.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> find(unit_codes(UnitLevel.COMMUNE), lambda code: code.startswith("0"),
        ...      settings=minimal)
        '00001'
    """
    width = level.code_length
    return st.integers(1, 10**width - 1).map(lambda n: f"{n:0{width}d}")


def _kinds(level: UnitLevel) -> list[UnitKind]:
    return [kind for kind in UnitKind if kind in level.kinds]


def participant_ids() -> st.SearchStrategy[str]:
    """Valid-format participant ids: 10-digit BHXH numbers or 12-digit citizen ids.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> find(participant_ids(), lambda pid: len(pid) > 10, settings=minimal)
        '000000000000'
    """
    return st.one_of(_digits(10), _digits(12))


# Aliases for parameters of `enrollment_records` that share these names.
_any_participant_id = participant_ids
_any_district_code = district_codes


def districts(*, province_code: str | None = None) -> st.SearchStrategy[District]:
    """Valid districts, in ``province_code`` when given.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> district = find(districts(province_code="24"), lambda d: True, settings=minimal)
        >>> district.code, district.name, district.province_code
        ('001', 'Yên Dũng', '24')
    """
    return units(UnitLevel.DISTRICT, province_code=province_code).map(_as_district)


def _as_district(unit: Unit) -> District:
    assert isinstance(unit, District)
    return unit


def _as_commune(unit: Unit) -> Commune:
    assert isinstance(unit, Commune)
    return unit


def communes(*, province_code: str | None = None) -> st.SearchStrategy[Commune]:
    """Valid communes and wards (5-digit codes), in ``province_code`` when given.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> c = find(communes(province_code="24"), lambda c: True, settings=minimal)
        >>> c.code, c.kind.value, c.province_code
        ('00001', 'xa', '24')
    """
    return units(UnitLevel.COMMUNE, province_code=province_code).map(_as_commune)


def units(level: UnitLevel, *, province_code: str | None = None) -> st.SearchStrategy[Unit]:
    """Valid units of ``level`` (a `District` or a `Commune`), in ``province_code`` if given.

    Examples:
        >>> from hypothesis import find
        >>> type(find(units(UnitLevel.COMMUNE), lambda u: True)).__name__
        'Commune'
    """
    return st.builds(
        unit_type(level),
        code=unit_codes(level),
        name=_NAMES,
        kind=st.sampled_from(_kinds(level)),
        province_code=st.just(province_code) if province_code else province_codes(),
    )


@st.composite
def campaigns(
    draw: st.DrawFn,
    *,
    max_days: int = 45,
    scope: str | None = None,
    level: UnitLevel | None = None,
) -> Campaign:
    """Valid campaigns of 1 to ``max_days`` days, in ``scope`` and at ``level`` when given.

    A campaign's days fall where its level is in force: district campaigns end by
    2025-06-30, commune campaigns start on 2025-07-01 or later.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> c = find(campaigns(scope="24"), lambda c: c.end > c.start, settings=minimal)
        >>> c.id, c.scope, c.start, c.end
        ('a', '24', datetime.date(2015, 1, 1), datetime.date(2015, 1, 2))
    """
    level = draw(unit_levels()) if level is None else level
    days = draw(st.integers(1, max_days))
    first = max(_DAY_MIN, level.valid_from or _DAY_MIN)
    last = min(_DAY_MAX, level.valid_to or _DAY_MAX) - dt.timedelta(days=days - 1)
    start = draw(st.dates(first, last))
    return Campaign(
        id=draw(st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)),
        name=draw(_NAMES),
        scope=scope or draw(st.one_of(province_codes(), st.just(NATIONAL))),
        start=start,
        end=start + dt.timedelta(days=days - 1),
        level=level,
    )


def targets(
    *, unit_codes: st.SearchStrategy[str] | None = None, campaign_id: str = "c"
) -> st.SearchStrategy[Target]:
    """Valid targets of new participants (or stock goals) for ``campaign_id``.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> t = find(targets(campaign_id="c-2023"), lambda t: t.value > 100, settings=minimal)
        >>> t.unit_code, t.campaign_id, t.value, t.measure.value
        ('001', 'c-2023', 101, 'new')
    """
    return st.builds(
        Target,
        unit_code=district_codes() if unit_codes is None else unit_codes,
        campaign_id=st.just(campaign_id),
        value=st.integers(1, 10_000),
        measure=st.sampled_from(Measure),
    )


@st.composite
def _revised(
    draw: st.DrawFn, plain: st.SearchStrategy[EnrollmentRecord], max_delay: int
) -> EnrollmentRecord:
    record = draw(plain)
    delay = st.integers(0, max_delay).map(lambda n: dt.timedelta(days=n))
    recorded = draw(st.none() | delay.map(lambda d: record.enrolled_on + d))
    known = record.enrolled_on if recorded is None else recorded
    cancelled = draw(st.none() | st.none() | delay.map(lambda d: known + d))
    return attrs.evolve(record, recorded_on=recorded, cancelled_on=cancelled)


def enrollment_records(
    *,
    district_codes: st.SearchStrategy[str] | None = None,
    days: st.SearchStrategy[dt.date] | None = None,
    participant_ids: st.SearchStrategy[str] | None = None,
    revisions: bool = False,
    max_delay: int = 10,
) -> st.SearchStrategy[EnrollmentRecord]:
    """Valid enrollment records, optionally drawing codes, days and ids from given strategies.

    With ``revisions``, records may be recorded up to ``max_delay`` days late
    (``recorded_on``) and cancelled up to ``max_delay`` days after that (``cancelled_on``);
    without, both stay None.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> late = lambda r: r.recorded_on is not None and r.recorded_on > r.enrolled_on
        >>> r = find(enrollment_records(revisions=True), late, settings=minimal)
        >>> r.district_code, r.enrolled_on, r.recorded_on, r.cancelled_on
        ('001', datetime.date(2015, 1, 1), datetime.date(2015, 1, 2), None)
    """
    plain = st.builds(
        EnrollmentRecord,
        record_id=st.integers(1, 999_999).map(lambda n: f"R-{n:06d}"),
        participant_id=_any_participant_id() if participant_ids is None else participant_ids,
        district_code=_any_district_code() if district_codes is None else district_codes,
        enrolled_on=st.dates(_DAY_MIN, _DAY_MAX) if days is None else days,
        commune_code=st.none() | unit_codes(UnitLevel.COMMUNE),
        payment_method=st.none() | st.sampled_from(PaymentMethod),
    )
    if not revisions:
        return plain
    return _revised(plain, max_delay)


@st.composite
def daily_series(
    draw: st.DrawFn, *, max_days: int = 40, max_count: int = 50, gaps: bool = True
) -> dict[dt.date, int]:
    """Daily counts over a run of days; with ``gaps``, some days may be missing.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> gap = lambda series: len(series) == 2 and (max(series) - min(series)).days == 2
        >>> find(daily_series(max_days=3), gap, settings=minimal)
        {datetime.date(2015, 1, 1): 0, datetime.date(2015, 1, 3): 0}
    """
    start = draw(st.dates(_DAY_MIN, _DAY_MAX))
    length = draw(st.integers(0, max_days))
    series = {}
    for i in range(length):
        if gaps and draw(st.booleans()) and draw(st.booleans()):
            continue
        series[start + dt.timedelta(days=i)] = draw(st.integers(0, max_count))
    return series


@st.composite
def daily_counts_grids(draw: st.DrawFn, *, max_units: int = 6, max_days: int = 40) -> DailyCounts:
    """Valid `DailyCounts` grids of up to ``max_units`` districts.

    Examples:
        >>> from hypothesis import Phase, find, settings
        >>> minimal = settings(max_examples=1000, derandomize=True,
        ...                    phases=[Phase.generate, Phase.shrink])
        >>> two_units = daily_counts_grids(max_units=2, max_days=3)
        >>> grid = find(two_units, lambda g: len(g.units) == 2, settings=minimal)
        >>> grid.start, grid.end, grid.grid
        (datetime.date(2015, 1, 1), datetime.date(2015, 1, 1), (('001', (0,)), ('002', (0,))))
    """
    start = draw(st.dates(_DAY_MIN, _DAY_MAX))
    width = draw(st.integers(1, max_days))
    units = draw(st.lists(district_codes(), max_size=max_units, unique=True))
    row = st.lists(st.integers(0, 30), min_size=width, max_size=width)
    return DailyCounts(
        start=start,
        end=start + dt.timedelta(days=width - 1),
        grid={unit: draw(row) for unit in units},
    )


@st.composite
def campaign_bundles(
    draw: st.DrawFn,
    *,
    max_districts: int = 6,
    max_records: int = 60,
    max_days: int = 30,
    revisions: bool = False,
    level: UnitLevel | None = None,
) -> CampaignBundle:
    """Consistent campaigns: units of one province, a target each, records around it.

    The units are districts or communes (``level``, drawn when None), as the campaign's
    dates allow.

    Records fall a few days either side of the campaign too, repeat participants, and
    sometimes name a district outside the campaign, so every `Exclusion` is exercised.
    With ``revisions``, records are also recorded late and cancelled (see
    `enrollment_records`).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10, deadline=None, derandomize=True)
        ... @given(campaign_bundles(revisions=True))
        ... def test_each_record_counted_or_excluded(bundle):
        ...     r = bundle.report()
        ...     assert r.total.actual + sum(n for _, n in r.excluded) == len(bundle.records)
        >>> test_each_record_counted_or_excluded()
    """
    province = draw(province_codes())
    campaign = draw(campaigns(max_days=max_days, scope=province, level=level))
    level = campaign.level
    codes = draw(st.lists(unit_codes(level), min_size=1, max_size=max_districts, unique=True))
    drawn = [draw(units(level, province_code=province)) for _ in codes]
    plan_units = [attrs.evolve(u, code=code) for code, u in zip(codes, drawn, strict=True)]
    plan = [
        Target(unit_code=code, campaign_id=campaign.id, value=draw(st.integers(1, 40)))
        for code in codes
    ]
    margin = dt.timedelta(days=3)
    pool = draw(
        st.lists(participant_ids(), min_size=1, max_size=max(1, max_records // 2), unique=True)
    )
    # A unit outside the campaign, of its level or of the other one.
    outside = draw(st.one_of(unit_codes(level), *(unit_codes(other) for other in UnitLevel)))
    records = draw(
        st.lists(
            enrollment_records(
                district_codes=st.sampled_from([*codes, outside]),
                days=st.dates(campaign.start - margin, campaign.end + margin),
                participant_ids=st.sampled_from(pool),
                revisions=revisions,
            ),
            max_size=max_records,
            unique_by=lambda r: r.record_id,
        )
    )
    names = [Province(code=province, name=draw(_NAMES))]
    return CampaignBundle(
        campaign=campaign, districts=plan_units, targets=plan, records=records, provinces=names
    )


def _register() -> None:
    registrations: dict[type[Any], st.SearchStrategy[Any]] = {
        Campaign: campaigns(),
        District: districts(),
        Commune: communes(),
        EnrollmentRecord: enrollment_records(),
        Target: targets(),
        DailyCounts: daily_counts_grids(),
        CampaignBundle: campaign_bundles(),
    }
    for kind, strategy in registrations.items():
        st.register_type_strategy(kind, strategy)


_register()
