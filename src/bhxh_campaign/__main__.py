"""``python -m bhxh_campaign``: the same as the ``bhxh-campaign`` command."""

import sys

from bhxh_campaign.cli import main

sys.exit(main())
