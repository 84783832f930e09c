"""League tables: `rank` by any exact score, and `completion_ranks` by who finished first.

Examples:
    >>> rank({"221": 318, "223": 302, "219": 268})
    {'221': 1, '223': 2, '219': 3}
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping
from fractions import Fraction
from typing import Any, Literal, TypeVar

from bhxh_campaign._validators import SupportsItems, items_of, whole
from bhxh_campaign.errors import InvalidValueError

__all__ = ["Ties", "completion_ranks", "rank"]

K = TypeVar("K", bound=Hashable)

Ties = Literal["competition", "dense", "ordinal"]
"""How equal scores are ranked: ``competition`` (1, 2, 2, 4), ``dense`` (1, 2, 2, 3) or
``ordinal`` (1, 2, 3, 4, ties broken by key, ascending)."""

_TIES = ("competition", "dense", "ordinal")


def rank(
    scores: Mapping[K, int | Fraction] | SupportsItems[K, int | Fraction],
    *,
    ties: Ties = "competition",
    descending: bool = True,
) -> dict[K, int]:
    """Rank units by their scores, best first.

    Scores are compared exactly (ints and Fractions); round them for display only after
    ranking, or two different rates that print alike would tie.

    Args:
        scores: a score per key: a dict, any `Mapping`, or anything with ``items()`` (a
            pandas Series); a score is an int (numpy's and pandas' too) or a Fraction.
            Keys must be orderable among themselves (district codes are): the result
            lists tied keys in key order in every mode, and ``ordinal`` breaks ties by key.
        ties: how equal scores rank (see `Ties`).
        descending: whether a higher score is better (the default) or a lower one.

    Returns:
        The rank of every key, ordered by rank then key.

    Raises:
        InvalidValueError: ``scores`` is not a mapping, a score is not a whole number or a
            Fraction (floats are refused: rank exact rates), or keys are not orderable.

    Examples:
        >>> s = {"a": 5, "b": 3, "c": 3, "d": 1}
        >>> rank(s)
        {'a': 1, 'b': 2, 'c': 2, 'd': 4}
        >>> rank(s, ties="dense")
        {'a': 1, 'b': 2, 'c': 2, 'd': 3}
        >>> rank(s, ties="ordinal")
        {'a': 1, 'b': 2, 'c': 3, 'd': 4}
    """
    if ties not in _TIES:
        msg = f"ties must be one of {', '.join(map(repr, _TIES))}, got {ties!r}"
        raise InvalidValueError(msg)
    checked: dict[K, int | Fraction] = {}
    for key, value in items_of("scores", scores, "key to score"):
        score = whole(value)  # a numpy or pandas integer (a pandas sum) is an int
        if isinstance(score, bool) or not isinstance(score, int | Fraction):
            msg = f"score of {key!r} must be an int or a Fraction, got {value!r}"
            raise InvalidValueError(msg)
        checked[key] = score
    sign = -1 if descending else 1
    try:
        # The float of a score first: floats compare in C, and rounding to the nearest
        # float never reverses an order, so only scores of one float are compared exactly.
        order = sorted(
            checked,
            key=lambda key: (sign * _nearest(checked[key]), sign * checked[key], key),
        )
    except TypeError:
        msg = "keys of scores must be orderable among themselves (e.g. all str)"
        raise InvalidValueError(msg) from None
    result: dict[K, int] = {}
    previous: Any = None
    current = 0
    for position, key in enumerate(order, start=1):
        score = checked[key]
        if ties == "ordinal":
            current = position
        elif position == 1 or score != previous:
            current = position if ties == "competition" else current + 1
        result[key] = current
        previous = score
    return result


def _nearest(score: int | Fraction) -> float:
    """The float nearest ``score`` (infinite past the largest float): never out of order."""
    try:
        return float(score)
    except OverflowError:
        return math.inf if score > 0 else -math.inf


def completion_ranks(completed_on: Mapping[K, dt.date | None]) -> dict[K, int]:
    """Rank units by the day they reached their target: earliest first.

    Units that reached it on the same day share a rank (competition ranking); units that
    never reached it share the last rank, one after every unit that did.

    Examples:
        >>> import datetime as dt
        >>> completion_ranks({"220": dt.date(2023, 5, 13), "221": dt.date(2023, 5, 16),
        ...                   "223": None, "219": None})
        {'220': 1, '221': 2, '219': 3, '223': 3}
    """
    never = dt.date.max.toordinal() + 1
    scores = {unit: never if day is None else day.toordinal() for unit, day in completed_on.items()}
    return rank(scores, descending=False)
