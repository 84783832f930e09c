"""Public names imported on first use (PEP 562), for the package and its subpackages."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_attribute"]


def lazy_attribute(
    package: str, exports: Mapping[str, str], namespace: MutableMapping[str, Any], name: str
) -> Any:
    """The public ``name`` of ``package``, imported from its module and kept in ``namespace``.

    Args:
        package: the package's dotted name (its ``__name__``).
        exports: each public name and the module, relative to ``package``, defining it.
        namespace: the package's globals; the value is stored there, so the next lookup
            does not come back here.
        name: the attribute asked for.

    Raises:
        AttributeError: ``name`` is not one of ``exports``.

    Examples:
        >>> names = {}
        >>> lazy_attribute("bhxh_campaign", {"percent": "metrics"}, names, "percent").__name__
        'percent'
        >>> sorted(names)
        ['percent']
    """
    module = exports.get(name)
    if module is None:
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(f"{package}.{module}"), name)
    namespace[name] = value
    return value
