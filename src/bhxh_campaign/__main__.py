"""``python -m bhxh_campaign``: the same as the ``bhxh-campaign`` command."""

from bhxh_campaign.cli import run

run()
