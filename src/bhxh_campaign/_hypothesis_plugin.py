"""The ``hypothesis`` entry point: registers our strategies for `st.from_type`."""

from __future__ import annotations

import importlib
import sys


def _hypothesis_setup_hook() -> None:
    """Import `bhxh_campaign.strategies`, which registers the strategies on import.

    When Hypothesis is first imported *by* that module, the module is half-initialised
    here; it registers itself when its import finishes, so there is nothing to do.
    """
    module = sys.modules.get("bhxh_campaign.strategies")
    if module is not None and not hasattr(module, "_register"):
        return
    importlib.import_module("bhxh_campaign.strategies")
