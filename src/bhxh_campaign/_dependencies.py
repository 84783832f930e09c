"""Optional dependencies, imported on first use, each named with the extra that installs it.

The core's values offer dataframes (`CampaignReport.to_frame`, `DailyCounts.to_frame`)
without depending on a dataframe library: the library is imported here, by name, only
when such a method runs, and a missing one says what to install.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["optional"]


def optional(module: str, extra: str | None, *, purpose: str) -> Any:
    """The optional module ``module``, imported now.

    Args:
        module: the module's import name (``"narwhals"``, ``"pyarrow"``).
        extra: the ``bhxh-campaign`` extra that installs it, or None for a library the
            caller brings (pandas).
        purpose: what needs it, for the error (``"to_frame"``).

    Raises:
        ModuleNotFoundError: the module is not installed; the message says what to install.

    Examples:
        >>> optional("json", None, purpose="a doctest").__name__
        'json'
        >>> optional("not_installed_here", "dataframes", purpose="to_frame")
        Traceback (most recent call last):
        ...
        ModuleNotFoundError: to_frame needs not_installed_here: pip install 'bhxh-campaign[...]'
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        hint = f"pip install {module}" if extra is None else f"pip install 'bhxh-campaign[{extra}]'"
        msg = f"{purpose} needs {module}: {hint}"
        raise ModuleNotFoundError(msg, name=module) from error
