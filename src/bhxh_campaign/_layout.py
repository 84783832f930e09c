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
    "ENROLLMENT_FILES",
    "INPUTS",
    "STOCKS",
    "TARGETS",
    "UNITS",
    "UNIT_FILES",
    "enrollments_file_of",
    "inputs",
    "misnamed_enrollments",
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
ENROLLMENT_FILES: Final = (
    ENROLLMENTS,
    "enrollments.xlsx",
    "enrollments.json",
    "enrollments.jsonl",
    ENROLLMENTS_PARQUET,
)
"""The names a folder's records file may have, one type each; a folder holds one of them."""
INPUTS: Final = (CAMPAIGN, DISTRICTS, TARGETS, ENROLLMENTS)
"""The files `load_campaign` reads from a folder of 2023, in the order it reads them."""
STOCKS: Final = "stocks.csv"
"""Optional: known levels (participants on a day) of the units with a stock goal."""


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


def enrollments_file_of(folder: Path) -> Path:
    """The records file of a campaign folder: the one of `ENROLLMENT_FILES` it holds.

    Without any, ``enrollments.csv`` (whose absence the loader reports).

    Raises:
        LoadError: the folder holds more than one (which one is meant is not ours to guess).

    Examples:
        >>> enrollments_file_of(Path("examples/bac_giang_2023")).name
        'enrollments.csv'
    """
    found = [folder / name for name in ENROLLMENT_FILES if (folder / name).is_file()]
    if len(found) > 1:
        names = " and ".join(path.name for path in found)
        msg = f"has both {names}: keep the one that holds the records"
        raise LoadError(msg, path=str(folder), code="misnamed_file")
    return found[0] if found else folder / ENROLLMENTS


def misnamed_enrollments(folder: Path) -> str | None:
    """Why a folder without a records file of `ENROLLMENT_FILES` has one it does not read.

    A file named like the records ("Enrollments.CSV", "enrollments.xls") is refused with a
    message that says how to name it; None when there is no such file.

    Examples:
        >>> misnamed_enrollments(Path("examples/bac_giang_2023")) is None
        True
    """
    if enrollments_file_of(folder).is_file() or not folder.is_dir():
        return None
    stem = ENROLLMENTS.split(".", maxsplit=1)[0]
    others = sorted(p.name for p in folder.iterdir() if p.name.casefold().startswith(stem))
    if not others:
        return None
    old = (
        " (an .xls or .ods workbook: save it as .xlsx first)"
        if any(name.casefold().endswith((".xls", ".ods")) for name in others)
        else ""
    )
    return (
        f"{', '.join(map(repr, others))} is not read: name the records file"
        f" {', '.join(ENROLLMENT_FILES)}{old}"
    )


def inputs(folder: Path) -> tuple[Path, ...]:
    """The files `load_campaign` reads from ``folder``, in the order it reads them."""
    return (folder / CAMPAIGN, unit_file_of(folder), folder / TARGETS, enrollments_file_of(folder))
