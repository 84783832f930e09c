"""Percents as published, and the whole-number targets (and counts) a percent allows.

A percent ``p`` published with ``d`` decimals, rounded half-up, says that the exact
``100 x count / target`` lies in ``[p - h, p + h)`` with ``h = 0.5 x 10**-d``: `bounds`
gives that interval, and the rest reads whole numbers off it with exact fractions.
`bhxh_campaign.audit` re-exports the public names.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import final

from attrs import frozen

from bhxh_campaign._validators import check_int
from bhxh_campaign.errors import InvalidValueError

__all__ = [
    "MAX_FITS",
    "TargetFit",
    "bounds",
    "counts_for",
    "places_of",
    "published_percent",
    "targets_for",
    "targets_of",
    "too_many_fits",
]

MAX_FITS = 10_000
"""An inferred target list longer than this is not a finding, it is no information."""


def published_percent(value: Decimal | str) -> Decimal:
    """A published percent as a `Decimal` that keeps its decimals (``"58,69"`` too).

    Floats are refused: ``3.70`` as a float has forgotten its second decimal.

    Examples:
        >>> published_percent("58,69"), published_percent(Decimal("3.70"))
        (Decimal('58.69'), Decimal('3.70'))
    """
    # Callers outside mypy pass floats and ints: check the value as an object.
    given: object = value
    if isinstance(given, str):
        raw = given.strip().removesuffix("%").strip().replace(",", ".")
        try:
            given = Decimal(raw)
        except decimal.InvalidOperation:
            msg = f"percent must be a number written as text, e.g. '58.69', got {value!r}"
            raise InvalidValueError(msg, field="percent") from None
    if not isinstance(given, Decimal):
        msg = (
            f"percent must be a Decimal or text such as '58.69' (a float loses its"
            f" trailing zeros), got {type(given).__name__} {given!r}"
        )
        raise InvalidValueError(msg, field="percent")
    if not given.is_finite() or given < 0:
        msg = f"percent must be a finite number >= 0, got {value!r}"
        raise InvalidValueError(msg, field="percent")
    return given


def places_of(value: Decimal) -> int:
    """The decimals a percent was published with (``58.69`` has 2, ``58.7`` has 1)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def bounds(published: Decimal) -> tuple[Fraction, Fraction]:
    """The half-open interval ``[low, high)`` of exact percents that round to ``published``."""
    half = Fraction(1, 2 * 10 ** places_of(published))
    value = Fraction(published)
    return max(value - half, Fraction(0)), value + half


@final
@frozen
class TargetFit:
    """A count and a whole-number target whose percent rounds to a published percent.

    Attributes:
        count: the count (published, or inferred when it was not).
        target: the target.

    Examples:
        >>> TargetFit(count=318, target=285).rate
        Fraction(106, 95)
    """

    count: int
    target: int

    @property
    def rate(self) -> Fraction:
        """``count / target``, exact."""
        return Fraction(self.count, self.target)


def targets_of(count: int, low: Fraction, high: Fraction) -> range:
    """The whole targets that put ``count`` within the percents ``[low, high)``."""
    # low <= 100 count / t < high  <=>  100 count / high < t <= 100 count / low
    first = math.floor(100 * count / high) + 1
    last = math.floor(100 * count / low)
    return range(max(first, 1), last + 1)


def targets_for(
    count: int | None, published: Decimal | str, *, max_count: int | None = None
) -> tuple[TargetFit, ...]:
    """Every whole-number target that a published percent allows, for a count.

    A percent ``p`` published with ``d`` decimals, rounded half-up, says that the exact
    ``100 x count / target`` lies in ``[p - h, p + h)`` with ``h = 0.5 x 10**-d``. With the
    count unknown, every count from 0 to ``max_count`` is tried.

    Args:
        count: the published count, or None when it was not published.
        published: the published percent, as text or `Decimal` (not a float).
        max_count: with ``count`` None, the largest count possible (required then).

    Returns:
        The fits, ordered by target, then count.

    Raises:
        InvalidValueError: the percent is malformed; ``count`` and ``max_count`` are both
            missing; or the percent is 0 (every target fits a count of 0).

    Examples:
        >>> targets_for(318, "111.58")
        (TargetFit(count=318, target=285),)
        >>> targets_for(None, "112.67", max_count=267)
        (TargetFit(count=169, target=150), TargetFit(count=249, target=221))
        >>> [f.target for f in targets_for(1928, "58.7")]  # one decimal allows more
        [3282, 3283, 3284, 3285, 3286, 3287]
    """
    value = published_percent(published)
    if count is None:
        if max_count is None:
            msg = "max_count is required when the count is not published"
            raise InvalidValueError(msg, field="max_count")
        counts: Iterable[int] = range(check_int("max_count", max_count, minimum=0) + 1)
    else:
        counts = (check_int("count", count, minimum=0),)
    low, high = bounds(value)
    if low == 0:
        msg = f"a percent of {value} fits a count of 0 with any target: nothing to infer"
        raise InvalidValueError(msg, field="percent")
    fits = [TargetFit(count=c, target=t) for c in counts for t in targets_of(c, low, high)]
    return tuple(sorted(fits, key=lambda f: (f.target, f.count)))


def too_many_fits(count: int | None, published: Decimal, max_count: int | None) -> bool:
    """Whether more than `MAX_FITS` (count, target) pairs fit: then nothing is inferred.

    Counted by ranges, without building the pairs, and stopping as soon as it is known.
    """
    low, high = bounds(published)
    counts = (count,) if count is not None else range((max_count or 0) + 1)
    total = 0
    for c in counts:
        total += len(targets_of(c, low, high))
        if total > MAX_FITS:
            return True
    return False


def counts_for(target: int, published: Decimal) -> range:
    """The whole counts out of ``target`` whose percent rounds to ``published``."""
    # low <= 100 c / target < high  <=>  target low / 100 <= c < target high / 100
    low, high = bounds(published)
    return range(math.ceil(target * low / 100), math.ceil(target * high / 100))
