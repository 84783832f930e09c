"""Tests for `bhxh_campaign.errors`: the hierarchy and the formatting of `LoadError`."""

from __future__ import annotations

import pytest

from bhxh_campaign.errors import (
    CampaignError,
    InvalidValueError,
    LoadError,
    MissingTargetError,
    UnknownUnitError,
)

HIERARCHY: list[tuple[type[CampaignError], type[Exception]]] = [
    (InvalidValueError, ValueError),
    (UnknownUnitError, LookupError),
    (MissingTargetError, LookupError),
    (LoadError, ValueError),
]


class TestHierarchy:
    def test_base_is_an_exception(self) -> None:
        """CampaignError is a plain Exception, so `except Exception` catches it."""
        assert issubclass(CampaignError, Exception)
        assert not issubclass(CampaignError, (ValueError, LookupError))

    @pytest.mark.parametrize(("error", "builtin"), HIERARCHY)
    def test_subclasses_base_and_builtin(
        self, error: type[CampaignError], builtin: type[Exception]
    ) -> None:
        """Every error is a CampaignError and the builtin a caller expects."""
        assert issubclass(error, CampaignError)
        assert issubclass(error, builtin)

    @pytest.mark.parametrize(
        ("instance", "builtin"),
        [
            (InvalidValueError("bad"), ValueError),
            (UnknownUnitError("bad"), LookupError),
            (MissingTargetError("bad"), LookupError),
            (LoadError("bad", path="x.csv"), ValueError),
        ],
    )
    def test_caught_by_builtin(self, instance: CampaignError, builtin: type[Exception]) -> None:
        """Code that knows only the builtin still catches our errors."""
        with pytest.raises(builtin, match="bad"):
            raise instance

    @pytest.mark.parametrize("error", [error for error, _ in HIERARCHY])
    def test_has_a_docstring(self, error: type[CampaignError]) -> None:
        """Each error documents when it is raised."""
        assert error.__doc__
        assert "raised" in error.__doc__.lower()


class TestInvalidValueError:
    def test_field_is_kept(self) -> None:
        """The field name passed in is kept on the error."""
        error = InvalidValueError("code must be 3 digits, got '22'", field="code")
        assert error.field == "code"
        assert str(error) == "code must be 3 digits, got '22'"

    def test_field_defaults_to_none(self) -> None:
        """Without a field, `field` is None and the message is unchanged."""
        error = InvalidValueError("bad")
        assert error.field is None
        assert str(error) == "bad"
        assert error.args == ("bad",)


class TestLoadError:
    def test_path_only(self) -> None:
        """With only a path, the message is prefixed by the path."""
        error = LoadError("not a CSV file", path="data/enrollments.csv")
        assert str(error) == "data/enrollments.csv: not a CSV file"

    def test_path_and_line(self) -> None:
        """A line number follows the path."""
        error = LoadError("too few columns", path="targets.csv", line=7)
        assert str(error) == "targets.csv, line 7: too few columns"

    def test_path_line_and_field(self) -> None:
        """The field is quoted after the line."""
        error = LoadError("must be 3 digits", path="districts.csv", line=3, field="code")
        assert str(error) == "districts.csv, line 3, field 'code': must be 3 digits"

    def test_path_and_field_without_line(self) -> None:
        """A field can be named without a line (e.g. a TOML key)."""
        error = LoadError("must not be empty", path="campaign.toml", field="name")
        assert str(error) == "campaign.toml, field 'name': must not be empty"

    def test_attributes_are_kept(self) -> None:
        """path, line and field stay available as attributes."""
        error = LoadError("x", path="a.csv", line=12, field="district_code")
        assert (error.path, error.line, error.field) == ("a.csv", 12, "district_code")

    def test_attributes_default_to_none(self) -> None:
        """line, field and code default to None."""
        error = LoadError("x", path="a.csv")
        assert (error.line, error.field, error.code) == (None, None, None)

    def test_code_is_kept_and_not_added_to_the_message(self) -> None:
        """The code is an attribute; the message is the caller's, unchanged."""
        error = LoadError("bad [bad_date]", path="a.csv", line=3, field="d", code="bad_date")
        assert error.code == "bad_date"
        assert str(error) == "a.csv, line 3, field 'd': bad [bad_date]"

    def test_line_zero_is_shown(self) -> None:
        """A line of 0 is a line, not a missing one."""
        error = LoadError("x", path="a.csv", line=0)
        assert str(error) == "a.csv, line 0: x"

    def test_raised_with_match(self) -> None:
        """The formatted message is what `pytest.raises(match=...)` sees."""
        msg = "must be above zero"
        with pytest.raises(LoadError, match=r"^a\.csv, line 2, field 'value': must be above zero$"):
            raise LoadError(msg, path="a.csv", line=2, field="value")
