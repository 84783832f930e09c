"""Renderers of a `CampaignReport`: text bulletins, tables and JSON.

They sit at the end of the data flow: each takes a finished report and returns text.
`day` writes a date as the bulletins do.
"""

from __future__ import annotations

from bhxh_campaign.render._format import day
from bhxh_campaign.render.json import report_to_dict, report_to_json
from bhxh_campaign.render.table import TableFormat, report_table
from bhxh_campaign.render.text import Lang, bulletin

__all__ = [
    "Lang",
    "TableFormat",
    "bulletin",
    "day",
    "report_table",
    "report_to_dict",
    "report_to_json",
]


def __dir__() -> list[str]:
    return __all__
