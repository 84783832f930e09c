"""The national register of administrative units, before and after the 2025 reform.

`unit_registry` reads the bundled data (``bhxh_campaign/data/registry/``, sources and
licence in its ``SOURCE.md``) on first call: the 34 provinces and 3,321 commune-level
units in force from 2025-07-01; the 63 provinces, 696 district-level units and 10,035
communes in force on 2025-06-30; Bắc Giang's district history back to 2023; and the
commune(s) that took over each former commune. Old and new commune codes overlap (a
merged commune often keeps one predecessor's code), so a code is always read in the state
of a given day.

Examples:
    >>> import datetime as dt
    >>> reg = unit_registry()
    >>> len(reg.provinces_on(dt.date(2026, 5, 1))), len(reg.provinces_on(dt.date(2023, 5, 18)))
    (34, 63)
    >>> reg.unit("07210", dt.date(2026, 5, 1)).full_name
    'Phường Bắc Giang'
    >>> reg.unit("07210", dt.date(2025, 6, 30)).full_name
    'Phường Hoàng Văn Thụ'
    >>> [u.full_name for u in reg.find("yen dung", day=dt.date(2026, 5, 1))]
    ['Phường Yên Dũng']
    >>> reg.successors("07681"), reg.rekey_commune("00019")
    (('07681',), '00004')
"""

from __future__ import annotations

from bhxh_campaign.registry._check import RegistryIssue, Severity, UnitRow
from bhxh_campaign.registry._registry import LAST_LEGACY_DAY, Registry, unit_registry
from bhxh_campaign.registry._units import RegistryProvince, RegistryUnit, fold

__all__ = [
    "LAST_LEGACY_DAY",
    "Registry",
    "RegistryIssue",
    "RegistryProvince",
    "RegistryUnit",
    "Severity",
    "UnitRow",
    "fold",
    "unit_registry",
]


def __dir__() -> list[str]:
    return __all__
