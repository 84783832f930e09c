"""The files of a campaign folder, named once for the loader, the engines and the commands.

Examples:
    >>> INPUTS
    ('campaign.toml', 'districts.csv', 'targets.csv', 'enrollments.csv')
"""

from __future__ import annotations

from typing import Final

__all__ = ["CAMPAIGN", "DISTRICTS", "ENROLLMENTS", "ENROLLMENTS_PARQUET", "INPUTS", "TARGETS"]

CAMPAIGN: Final = "campaign.toml"
"""The campaign, its stock goals and its provinces."""
DISTRICTS: Final = "districts.csv"
"""The campaign's districts."""
TARGETS: Final = "targets.csv"
"""The targets."""
ENROLLMENTS: Final = "enrollments.csv"
"""The enrollment records, as `load_campaign` reads them."""
ENROLLMENTS_PARQUET: Final = "enrollments.parquet"
"""The enrollment records for the columnar engines, in place of `ENROLLMENTS`."""
INPUTS: Final = (CAMPAIGN, DISTRICTS, TARGETS, ENROLLMENTS)
"""The files `load_campaign` reads, in the order it reads them."""
