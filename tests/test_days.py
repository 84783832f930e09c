"""Tests of `bhxh_campaign._days`: the one reading of a day written as text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign._days import DayError, written_day

# Four-digit years: the forms written have exactly four.
DAYS = st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31))


def oracle(text: str, *, day_first: bool) -> dt.date | str | None:  # noqa: PLR0911
    """By brute force: the one day of four-digit years whose spellings include ``text``.

    A day-first spelling whose first part could only be a month and second only a day is
    month-first: "month_first_date". A spelling of a day that is not one: "impossible".
    """
    parts = text.replace("/", "-").replace(".", "-").split("-")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if len(parts[0]) == 4 and len(parts[1]) == len(parts[2]) == 2 and "-" in text[4:5]:
        if text.count("-") != 2:
            return None
        year, month, day = map(int, parts)
    elif day_first and len(parts[2]) == 4 and 1 <= len(parts[0]) <= 2 and 1 <= len(parts[1]) <= 2:
        separators = {c for c in text if not c.isdigit()}
        if len(separators) != 1:
            return None
        day, month, year = map(int, parts)
        if month > 12 and 1 <= day <= 12:
            return "month_first_date"
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return "impossible_date"


def outcome(text: str, *, day_first: bool) -> dt.date | str | None:
    try:
        return written_day(text, day_first=day_first)
    except DayError as error:
        return error.code


class TestWrittenDay:
    @given(DAYS, st.sampled_from("/.-"), st.booleans(), st.booleans())
    def test_every_day_every_spelling(
        self, day: dt.date, separator: str, pad_day: bool, pad_month: bool
    ) -> None:
        """ISO, and day-first with any separator and padding, give the day back."""
        d = f"{day.day:02d}" if pad_day else str(day.day)
        m = f"{day.month:02d}" if pad_month else str(day.month)
        assert written_day(day.isoformat()) == day
        assert written_day(f"{d}{separator}{m}{separator}{day.year}") == day

    @given(
        st.text(st.sampled_from("0123456789/-. x"), max_size=12)
        | st.builds(
            "{}{}{}{}{}".format,
            st.integers(0, 99),
            st.sampled_from("/.-"),
            st.integers(0, 99),
            st.sampled_from("/.-"),
            st.integers(0, 9999),
        ),
        st.booleans(),
    )
    def test_matches_the_oracle(self, text: str, day_first: bool) -> None:
        """Any text: the day, None or the refusal that brute force finds."""
        assert outcome(text, day_first=day_first) == oracle(text, day_first=day_first)

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("05/18/2023", "month_first_date"),
            ("2023-02-30", "impossible_date"),
            ("31/4/2023", "impossible_date"),
        ],
    )
    def test_refusals(self, text: str, code: str) -> None:
        """A month-first day and a day the calendar does not have are refused by name."""
        with pytest.raises(DayError) as info:
            written_day(text)
        assert info.value.code == code
