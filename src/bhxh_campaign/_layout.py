"""The files of a campaign folder, named once for the loader, the engines and the commands.

Examples:
    >>> INPUTS
    ('campaign.toml', 'districts.csv', 'targets.csv', 'enrollments.csv')
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from bhxh_campaign.errors import LoadError

__all__ = [
    "CAMPAIGN",
    "DISTRICTS",
    "ENROLLMENTS",
    "ENROLLMENTS_PARQUET",
    "INPUTS",
    "TARGETS",
    "UNITS",
    "UNIT_FILES",
    "inputs",
    "unit_file_of",
]

CAMPAIGN: Final = "campaign.toml"
"""The campaign, its stock goals and its provinces."""
UNITS: Final = "units.csv"
"""The campaign's units, at its level (districts or communes and wards)."""
DISTRICTS: Final = "districts.csv"
"""The unit file's name in folders of 2023 (district campaigns), still read."""
UNIT_FILES: Final = (UNITS, DISTRICTS)
"""The names a folder's unit file may have: the current one, then 2023's."""
TARGETS: Final = "targets.csv"
"""The targets."""
ENROLLMENTS: Final = "enrollments.csv"
"""The enrollment records, as `load_campaign` reads them."""
ENROLLMENTS_PARQUET: Final = "enrollments.parquet"
"""The enrollment records for the columnar engines, in place of `ENROLLMENTS`."""
INPUTS: Final = (CAMPAIGN, DISTRICTS, TARGETS, ENROLLMENTS)
"""The files `load_campaign` reads from a folder of 2023, in the order it reads them."""


def unit_file_of(folder: Path) -> Path:
    """The unit file of a campaign folder: ``units.csv``, else 2023's ``districts.csv``.

    Raises:
        LoadError: the folder has both (which one is meant is not ours to guess).

    Examples:
        >>> unit_file_of(Path("examples/bac_giang_2023")).name
        'districts.csv'
    """
    found = [folder / name for name in UNIT_FILES if (folder / name).exists()]
    if len(found) > 1:
        msg = f"has both {UNIT_FILES[0]} and {UNIT_FILES[1]}: keep one unit file"
        raise LoadError(msg, path=str(folder))
    return found[0] if found else folder / UNIT_FILES[0]


def inputs(folder: Path) -> tuple[Path, ...]:
    """The files `load_campaign` reads from ``folder``, in the order it reads them."""
    return (folder / CAMPAIGN, unit_file_of(folder), folder / TARGETS, folder / ENROLLMENTS)
