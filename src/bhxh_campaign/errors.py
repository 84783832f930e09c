"""The exception hierarchy of `bhxh_campaign`.

Every error the library raises is a `CampaignError`, and also the builtin exception a
caller would expect (`ValueError` for a bad value, `LookupError` for an unknown unit), so
``except ValueError`` keeps working in code that does not know this library.

Messages are lowercase, name the field (and the row, for loaders) and show the bad value,
masked when it is a personal identifier.

Examples:
    >>> from bhxh_campaign.errors import CampaignError, InvalidValueError
    >>> issubclass(InvalidValueError, ValueError) and issubclass(InvalidValueError, CampaignError)
    True
"""

from __future__ import annotations

__all__ = [
    "CampaignError",
    "InvalidValueError",
    "LoadError",
    "MissingMessageError",
    "MissingTargetError",
    "UnknownUnitError",
]


class CampaignError(Exception):
    """Base class of every error raised by `bhxh_campaign`.

    Examples:
        >>> from bhxh_campaign import load_campaign
        >>> try:
        ...     load_campaign("no/such/folder")
        ... except CampaignError as error:
        ...     print(f"{type(error).__name__}: {error}")
        LoadError: no/such/folder: not a campaign folder (no such directory)
    """


class InvalidValueError(CampaignError, ValueError):
    """Raised when a value breaks a rule of the domain.

    Examples are a district code that is not three digits, a target of zero, a campaign that
    ends before it starts, or an argument outside its range.

    Attributes:
        field: the name of the field or argument that holds the bad value, when known.

    Examples:
        >>> from bhxh_campaign import completion_rate
        >>> try:
        ...     completion_rate(10, 0)
        ... except ValueError as error:
        ...     print(f"{type(error).__name__} in {error.field!r}: {error}")
        InvalidValueError in 'target': target must be at least 1, got 0
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class UnknownUnitError(CampaignError, LookupError):
    """Raised when a unit code (a district, commune or province) is not among the known units.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> report.district("999")
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.UnknownUnitError: district '999' is not in the report
    """


class MissingMessageError(CampaignError, LookupError):
    """Raised when the message catalog has no text for a code (a bug the tests catch).

    Examples:
        >>> from bhxh_campaign.messages import message
        >>> message("exclusion", "lost", "en")
        Traceback (most recent call last):
        ...
        bhxh_campaign.errors.MissingMessageError: no message 'lost' in context 'exclusion' (en)
    """


class MissingTargetError(CampaignError, LookupError):
    """Raised when a report needs a unit's target and none was given.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import campaign_report, load_campaign
        >>> b = load_campaign("examples/bac_giang_2023")
        >>> try:
        ...     campaign_report(b.campaign, b.districts, [], b.counts(dt.date(2023, 5, 18)))
        ... except LookupError as error:
        ...     print(f"{type(error).__name__}: {error}")
        MissingTargetError: district '213' (Bắc Giang) has no target of new participants
    """


class LoadError(CampaignError, ValueError):
    """Raised when an input file cannot be read into the domain types.

    Attributes:
        path: the file that was being read.
        line: the physical line (1-based) where the bad record starts, or None.
        field: the column or key that held the bad value, or None.
        code: the loader's stable error code (see `bhxh_campaign.io.ERROR_CODES`), e.g.
            ``"bad_date"``, or None when the problem has no code (a malformed
            ``campaign.toml``). The message also ends with it, in brackets.

    Examples:
        >>> error = LoadError("enrolled_on is not a date [bad_date]", path="e.csv", line=3,
        ...                   field="enrolled_on", code="bad_date")
        >>> error.code, error.line, error.field
        ('bad_date', 3, 'enrolled_on')
        >>> str(error)
        "e.csv, line 3, field 'enrolled_on': enrolled_on is not a date [bad_date]"
    """

    def __init__(
        self,
        message: str,
        *,
        path: str,
        line: int | None = None,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.code = code
        where = path if line is None else f"{path}, line {line}"
        if field is not None:
            where = f"{where}, field {field!r}"
        super().__init__(f"{where}: {message}")
