"""Tests of `bhxh_campaign.ranking`: rank definitions against brute force."""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc

scores = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=2), st.integers(-5, 5))
rates = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=2),
    st.fractions(min_value=0, max_value=3, max_denominator=7),
)

# Scores a float cannot tell apart: one rate and others a hair above or below it (at most
# one part in 10^30), huge ones past the largest float, and whole numbers among them.
_base = st.fractions(min_value=-3, max_value=3, max_denominator=50)
close = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=2),
    st.one_of(
        st.builds(lambda b, k: b + Fraction(k, 10**30), _base, st.integers(-3, 3)),
        st.builds(
            lambda sign, k: sign * (10**400 + k), st.sampled_from([-1, 1]), st.integers(0, 2)
        ),
        st.integers(-2, 2),
    ),
)


class TestRank:
    @given(close, st.booleans(), st.sampled_from(["competition", "dense", "ordinal"]))
    def test_scores_closer_than_floats(
        self, s: dict[str, int | Fraction], descending: bool, ties: str
    ) -> None:
        """Ranks are exact where floats of the scores are equal: brute force by comparison."""
        better = operator.gt if descending else operator.lt
        if ties == "competition":
            expected = {k: 1 + sum(better(o, v) for o in s.values()) for k, v in s.items()}
        elif ties == "dense":
            expected = {k: 1 + len({o for o in s.values() if better(o, v)}) for k, v in s.items()}
        else:
            order = sorted(s, key=lambda k: (-s[k] if descending else s[k], k))
            expected = {k: i + 1 for i, k in enumerate(order)}
        assert bc.rank(s, ties=ties, descending=descending) == expected  # type: ignore[arg-type]

    @given(scores, st.booleans())
    def test_competition_definition(self, s: dict[str, int], descending: bool) -> None:
        """Competition rank = 1 + number of strictly better scores."""
        better = operator.gt if descending else operator.lt
        expected = {k: 1 + sum(better(o, v) for o in s.values()) for k, v in s.items()}
        assert bc.rank(s, descending=descending) == expected

    @given(scores)
    def test_dense_definition(self, s: dict[str, int]) -> None:
        """Dense rank = 1 + number of distinct strictly better scores."""
        expected = {k: 1 + len({o for o in s.values() if o > v}) for k, v in s.items()}
        assert bc.rank(s, ties="dense") == expected

    @given(scores)
    def test_ordinal_definition(self, s: dict[str, int]) -> None:
        """Ordinal rank is the position after sorting by score, then key."""
        order = sorted(s, key=lambda k: (-s[k], k))
        assert bc.rank(s, ties="ordinal") == {k: i + 1 for i, k in enumerate(order)}

    @given(rates, st.sampled_from(["competition", "dense", "ordinal"]), st.randoms())
    def test_input_order_does_not_matter(
        self, s: dict[str, Fraction], ties: bc.Ties, rnd: object
    ) -> None:
        """Shuffling the mapping never changes a rank."""
        items = list(s.items())
        rnd.shuffle(items)  # type: ignore[attr-defined]
        assert bc.rank(dict(items), ties=ties) == bc.rank(s, ties=ties)

    def test_exact_rates_are_not_rounded_first(self) -> None:
        """Two rates that print alike at two decimals still rank apart."""
        close = {"a": Fraction(318, 285), "b": Fraction(111579, 100000)}
        assert bc.percent(close["a"]) == bc.percent(close["b"]) == Decimal("111.58")
        assert bc.rank(close) == {"b": 1, "a": 2}

    def test_examples(self) -> None:
        """The three tie policies on 5, 3, 3, 1."""
        s = {"a": 5, "b": 3, "c": 3, "d": 1}
        assert list(bc.rank(s).values()) == [1, 2, 2, 4]
        assert list(bc.rank(s, ties="dense").values()) == [1, 2, 2, 3]
        assert list(bc.rank(s, ties="ordinal").values()) == [1, 2, 3, 4]

    def test_bad_arguments(self) -> None:
        """Unknown tie policies and float scores are refused."""
        with pytest.raises(bc.InvalidValueError, match="ties"):
            bc.rank({"a": 1}, ties="olympic")  # type: ignore[arg-type]
        with pytest.raises(bc.InvalidValueError, match="'a'"):
            bc.rank({"a": 0.5})  # type: ignore[dict-item]

    def test_keys_that_do_not_order(self) -> None:
        """Tied keys that cannot be compared are our error, not Python's TypeError."""
        mixed: dict[object, int] = {1: 5, "a": 5}
        with pytest.raises(bc.InvalidValueError, match="orderable"):
            bc.rank(mixed)
        assert bc.rank({1: 5, "a": 4}) == {1: 1, "a": 2}  # no tie, no comparison of keys


class TestCompletionRanks:
    @given(
        st.dictionaries(
            st.text("abcdef", min_size=1, max_size=2),
            st.none() | st.dates(dt.date(2023, 5, 1), dt.date(2023, 5, 31)),
        )
    )
    def test_definition(self, done: dict[str, dt.date | None]) -> None:
        """Rank = 1 + units that finished strictly earlier; never finishing ranks after all who did."""
        finished = [d for d in done.values() if d is not None]
        expected = {
            k: 1 + (len(finished) if d is None else sum(o < d for o in finished))
            for k, d in done.items()
        }
        assert bc.completion_ranks(done) == expected


class TestMappingsOfAnyKind:
    """`rank` reads any mapping (a pandas Series too) and refuses others with its own error."""

    def test_pandas_series(self) -> None:
        """rank(pd.Series) ranks by index, as the dict of the same pairs does."""
        import pandas as pd  # noqa: PLC0415 - test-only dependency

        scores = {"221": 318, "223": 302, "219": 302, "220": 169}
        assert bc.rank(pd.Series(scores)) == bc.rank(scores)
        assert bc.rank(pd.Series(scores), ties="dense") == bc.rank(scores, ties="dense")

    def test_mapping_that_is_not_a_dict(self) -> None:
        """A read-only Mapping (MappingProxyType) is a mapping."""
        import types  # noqa: PLC0415

        scores = {"a": 2, "b": 1}
        assert bc.rank(types.MappingProxyType(scores)) == {"a": 1, "b": 2}

    @given(st.dictionaries(st.text(max_size=3), st.integers(0, 50), max_size=8))
    def test_numpy_scores_rank_as_ints(self, scores: dict[str, int]) -> None:
        """Scores as numpy integers rank exactly as the same ints."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        as_numpy = {key: np.int64(score) for key, score in scores.items()}
        assert bc.rank(as_numpy) == bc.rank(scores)  # type: ignore[arg-type]

    @pytest.mark.parametrize("scores", [[1, 2], "ab", 3, None])
    def test_not_a_mapping(self, scores: object) -> None:
        """A list, text or number is refused with the library's error, not a KeyError."""
        with pytest.raises(bc.InvalidValueError, match="scores must be a mapping of key to score"):
            bc.rank(scores)  # type: ignore[arg-type]

    def test_float_scores_are_refused(self) -> None:
        """Float scores (pandas' mean, say) are refused: rank exact rates."""
        import pandas as pd  # noqa: PLC0415 - test-only dependency

        with pytest.raises(bc.InvalidValueError, match="score of 'a' must be an int or a Fraction"):
            bc.rank(pd.Series({"a": 1.5, "b": 2.0}))  # type: ignore[arg-type]
