"""Tests for `bhxh_campaign._validators`: converters, validators, argument checks."""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign._validators import (
    check_date,
    check_int,
    date,
    digits,
    is_date,
    is_member,
    is_optional_date,
    is_text,
    items_of,
    member,
    optional_date,
    optional_text,
    positive_int,
    series_day,
    text,
    vietnam,
    whole,
)
from bhxh_campaign.errors import InvalidValueError

UTC = dt.UTC
ICT = dt.timezone(dt.timedelta(hours=7))


class Fruit(enum.Enum):
    APPLE = "apple"
    PEAR = "pear"


@attrs.define
class _Holder:
    """A throwaway class, so validators see a real `attrs.Attribute`."""

    code: object = None


CODE = attrs.fields(_Holder).code


class TestText:
    def test_nfd_becomes_nfc(self) -> None:
        """Decomposed text is composed (NFC)."""
        decomposed = unicodedata.normalize("NFD", "Yên Dũng")
        assert decomposed != "Yên Dũng"
        assert text(decomposed) == "Yên Dũng"

    def test_strips(self) -> None:
        """Surrounding white space is removed, inner kept."""
        assert text("  Bắc Giang\t\n") == "Bắc Giang"

    def test_non_text_passes_unchanged(self) -> None:
        """A non-text value is left for the validator to refuse."""
        number: Any = 221
        assert text(number) is number

    @given(st.text())
    def test_idempotent(self, value: str) -> None:
        """Converting twice is converting once (so evolve is stable)."""
        assert text(text(value)) == text(value)

    @pytest.mark.parametrize("value", [None, "", "   "])
    def test_optional_text_empty_is_none(self, value: str | None) -> None:
        """None, empty and blank text become None."""
        assert optional_text(value) is None

    def test_optional_text_normalises(self) -> None:
        """Non-empty text is normalised like `text`."""
        assert optional_text(" 07210 ") == "07210"


class TestDate:
    """`date` is the converter behind every day field (formerly ``to_date``)."""

    def test_plain_date_unchanged(self) -> None:
        """A `datetime.date` is taken as it is."""
        day = dt.date(2023, 5, 18)
        assert date(day) is day

    def test_aware_utc_evening_is_next_day_in_vietnam(self) -> None:
        """20:00 UTC on 18 May is 03:00 on 19 May in Vietnam."""
        assert date(dt.datetime(2023, 5, 18, 20, 0, tzinfo=UTC)) == dt.date(2023, 5, 19)

    def test_aware_utc_afternoon_is_same_day(self) -> None:
        """16:59 UTC is still 23:59 the same day in Vietnam."""
        assert date(dt.datetime(2023, 5, 18, 16, 59, tzinfo=UTC)) == dt.date(2023, 5, 18)

    def test_result_is_a_date_not_a_datetime(self) -> None:
        """The converted value is a plain date."""
        result = date(dt.datetime(2023, 5, 18, 20, 0, tzinfo=UTC))
        assert type(result) is dt.date

    @given(
        st.datetimes(
            min_value=dt.datetime(1976, 1, 1),  # noqa: DTZ001
            max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
            timezones=st.sampled_from([UTC, dt.timezone(dt.timedelta(hours=-5)), ICT]),
        )
    )
    def test_agrees_with_a_fixed_utc_plus_7(self, moment: dt.datetime) -> None:
        """Vietnam is UTC+7 all year since 1975: the day is the UTC+7 wall-clock day."""
        assert date(moment) == moment.astimezone(ICT).date()

    def test_naive_datetime_passes_to_the_validator(self) -> None:
        """A naive datetime is not guessed at: it is left for `is_date` to refuse."""
        naive = dt.datetime(2023, 5, 18, 20, 0)  # noqa: DTZ001
        assert date(naive) is naive

    def test_vietnam_zone_is_found(self) -> None:
        """The zone database has Asia/Ho_Chi_Minh (else days would be the host's)."""
        assert vietnam().utcoffset(dt.datetime(2023, 5, 18)) == dt.timedelta(hours=7)  # noqa: DTZ001

    def test_optional_date(self) -> None:
        """None passes; a datetime is converted like `date`."""
        assert optional_date(None) is None
        assert optional_date(dt.datetime(2023, 5, 18, 20, tzinfo=UTC)) == dt.date(2023, 5, 19)


class TestMember:
    def test_member_passes(self) -> None:
        """A member is returned as it is."""
        assert member(Fruit, Fruit.PEAR) is Fruit.PEAR

    def test_value_text_is_normalised(self) -> None:
        """Text is stripped before lookup."""
        assert member(Fruit, " apple ") is Fruit.APPLE

    def test_unknown_value_is_returned(self) -> None:
        """An unknown value is returned for the validator to refuse."""
        assert member(Fruit, "plum") == "plum"


class TestValidators:
    def test_digits_accepts(self) -> None:
        """Text of the right number of ASCII digits passes, and so does None."""
        digits(3)(None, CODE, "021")
        digits((2, 3))(None, CODE, "24")
        digits(3)(None, CODE, None)

    @pytest.mark.parametrize("value", ["21", "2210", "2a1", "２２１", " 221", 221, ""])
    def test_digits_refuses(self, value: object) -> None:
        """Wrong length, non-digits, full-width digits or non-text are refused, naming the field."""
        with pytest.raises(InvalidValueError, match=r"^code must be 3 digits, got ") as info:
            digits(3)(None, CODE, value)
        assert info.value.field == "code"

    def test_digits_names_every_length(self) -> None:
        """With several lengths allowed, the message lists them."""
        with pytest.raises(InvalidValueError, match="must be 2 or 3 digits"):
            digits((2, 3))(None, CODE, "1")

    def test_is_text(self) -> None:
        """Non-empty text passes; empty text and non-text are refused with the field."""
        is_text(None, CODE, "x")
        with pytest.raises(InvalidValueError, match=r"^code must not be empty$") as empty:
            is_text(None, CODE, "")
        assert empty.value.field == "code"
        with pytest.raises(InvalidValueError, match=r"^code must be text, got int 5$"):
            is_text(None, CODE, 5)

    def test_is_date(self) -> None:
        """Dates pass; None, naive datetimes and other values are refused."""
        is_date(None, CODE, dt.date(2023, 5, 18))
        is_optional_date(None, CODE, None)
        with pytest.raises(InvalidValueError, match=r"^code must be a date, got NoneType"):
            is_date(None, CODE, None)
        with pytest.raises(InvalidValueError, match=r"^code must be a date; a naive datetime"):
            is_optional_date(None, CODE, dt.datetime(2023, 5, 18))  # noqa: DTZ001
        with pytest.raises(InvalidValueError, match=r"^code must be a date; a naive datetime"):
            is_date(None, CODE, dt.datetime(2023, 5, 18))  # noqa: DTZ001
        with pytest.raises(InvalidValueError, match=r"^code must be a date, got str") as info:
            is_date(None, CODE, "2023-05-18")
        assert info.value.field == "code"

    def test_is_member(self) -> None:
        """Members pass, None only when optional; the rest is refused, listing allowed values."""
        check = is_member(Fruit)
        check(None, CODE, Fruit.APPLE)
        is_member(Fruit, optional=True)(None, CODE, None)
        with pytest.raises(
            InvalidValueError, match=r"^code must be one of 'apple', 'pear', got None"
        ):
            check(None, CODE, None)
        with pytest.raises(InvalidValueError, match=r"^code must be one of 'apple', 'pear'"):
            check(None, CODE, "plum")

    @pytest.mark.parametrize("value", [0, -1, True, False, 1.5, "3", None])
    def test_positive_int_refuses(self, value: object) -> None:
        """Zero, negatives, bools, floats and text are refused."""
        with pytest.raises(InvalidValueError, match=r"^code must be a whole number above zero"):
            positive_int(None, CODE, value)

    @given(st.integers(min_value=1))
    def test_positive_int_accepts(self, value: int) -> None:
        """Every whole number above zero passes."""
        positive_int(None, CODE, value)


class TestCheckInt:
    @given(st.integers(min_value=1))
    def test_returns_the_value(self, value: int) -> None:
        """A whole number at or above the minimum is returned unchanged."""
        assert check_int("days", value, minimum=1) == value

    @given(st.integers())
    def test_no_minimum(self, value: int) -> None:
        """Without a minimum, any whole number passes."""
        assert check_int("days", value) == value

    @pytest.mark.parametrize("value", [True, False, 1.0, "7", None, 7.5])
    def test_refuses_non_integers(self, value: Any) -> None:
        """Bools, floats, text and None are refused, naming the argument."""
        with pytest.raises(InvalidValueError, match=r"^days must be a whole number, got ") as info:
            check_int("days", value, minimum=1)
        assert info.value.field == "days"

    def test_below_minimum(self) -> None:
        """A value below the minimum is refused with the minimum in the message."""
        with pytest.raises(InvalidValueError, match=r"^days must be at least 1, got 0$") as info:
            check_int("days", 0, minimum=1)
        assert info.value.field == "days"

    def test_minimum_is_inclusive(self) -> None:
        """The minimum itself is allowed."""
        assert check_int("window_days", 1, minimum=1) == 1


class TestCheckDate:
    @given(st.dates())
    def test_returns_the_date(self, day: dt.date) -> None:
        """Any date is returned unchanged."""
        assert check_date("as_of", day) == day

    @pytest.mark.parametrize(
        "value",
        [
            dt.datetime(2023, 5, 18),  # noqa: DTZ001
            dt.datetime(2023, 5, 18, tzinfo=UTC),
            "2023-05-18",
            None,
            20230518,
        ],
    )
    def test_refuses_non_dates(self, value: object) -> None:
        """Datetimes (naive or aware), text, None and numbers are refused."""
        with pytest.raises(
            InvalidValueError, match=r"^as_of must be a datetime\.date, got "
        ) as info:
            check_date("as_of", value)
        assert info.value.field == "as_of"


class TestWhole:
    """`whole`: integers of other libraries become ints; nothing else changes."""

    def test_numpy_integers(self) -> None:
        """numpy integers of every width become Python ints of the same value."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        for kind in (np.int8, np.int64, np.uint32):
            got = whole(kind(7))
            assert type(got) is int
            assert got == 7

    @pytest.mark.parametrize("value", [True, 3.0, "3", None])
    def test_others_pass_unchanged(self, value: object) -> None:
        """Bools, floats, text and None are left for the checks to refuse."""
        assert whole(value) is value

    def test_an_index_that_refuses(self) -> None:
        """A value whose __index__ raises TypeError passes unchanged."""

        class Refuses:
            def __index__(self) -> int:
                msg = "not an integer"
                raise TypeError(msg)

        value = Refuses()
        assert whole(value) is value
        with pytest.raises(InvalidValueError, match="must be a whole number"):
            check_int("n", value)

    @given(st.integers())
    def test_check_int_of_numpy_is_the_int(self, n: int) -> None:
        """check_int gives the same int for a numpy int64 as for the int."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        n = max(min(n, 2**63 - 1), -(2**63))
        assert check_int("n", np.int64(n)) == n


class TestItemsAndDays:
    def test_items_of_refuses_non_mappings(self) -> None:
        """A list is not a mapping: the error names the argument and what it should map."""
        with pytest.raises(
            InvalidValueError, match="daily must be a mapping of day to count, got list"
        ):
            items_of("daily", [1, 2], "day to count")

    def test_series_day(self) -> None:
        """A date is itself; a naive midnight datetime its date; a time of day is refused."""
        day = dt.date(2023, 5, 18)
        assert series_day("d", day) == day
        assert series_day("d", dt.datetime(2023, 5, 18)) == day  # noqa: DTZ001 - a day label
        with pytest.raises(InvalidValueError, match="has a time of day or a zone"):
            series_day("d", dt.datetime(2023, 5, 18, 0, 0, 1))  # noqa: DTZ001
        with pytest.raises(InvalidValueError, match="has a time of day or a zone"):
            series_day("d", dt.datetime(2023, 5, 18, tzinfo=ICT))
