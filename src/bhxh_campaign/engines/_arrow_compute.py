"""pyarrow's compute functions for the arrow engine, without importing `pyarrow.compute`.

``import pyarrow.compute`` builds a Python wrapper, with its signature and docstring, for
each of the ~300 functions of pyarrow's registry: about 0.03 s, a tenth of a report's whole
run at 10^6 rows, spent on every run. The methods ``Array.cast``, ``Array.filter`` and
``Array.take`` import it on first use. The engine calls the few functions it needs by name
through `call`, pyarrow's ``call_function`` from the compiled module that `pyarrow.compute`
itself re-exports (where a pyarrow lacks it, from `pyarrow.compute`).
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["call", "cast", "options"]


@functools.cache
def _module() -> Any:
    """The module that holds ``call_function`` and the option classes."""
    try:
        import pyarrow._compute as module  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:  # pragma: no cover - every pyarrow since 1.0 has it
        import pyarrow.compute as module  # type: ignore[import-untyped]  # noqa: PLC0415
    return module


def call(name: str, *args: Any, options: Any = None) -> Any:
    """The compute function ``name`` of pyarrow, applied to ``args``.

    Examples:
        >>> import pyarrow as pa
        >>> call("filter", pa.chunked_array([["a", "b", "c"]]),
        ...      pa.chunked_array([[True, False, True]])).to_pylist()
        ['a', 'c']
    """
    return _module().call_function(name, list(args), options)


def options(kind: str, *args: Any, **kwargs: Any) -> Any:
    """An options object of pyarrow's compute functions, by its class name.

    Examples:
        >>> options("CastOptions", allow_int_overflow=True).allow_int_overflow
        True
    """
    return getattr(_module(), kind)(*args, **kwargs)


def cast(array: Any, kind: Any) -> Any:
    """``array`` cast to the pyarrow type ``kind`` (safely: a text that is no number fails).

    Examples:
        >>> import pyarrow as pa
        >>> cast(pa.chunked_array([["0100486717"]]), pa.int64()).to_pylist()
        [100486717]
    """
    return call("cast", array, options=options("CastOptions", kind))
