"""What each kind of file holds: its columns, their aliases and parsers, read off the model.

The columns of a kind are the fields of its model type (`attrs.fields`), so an optional
field added to `EnrollmentRecord` is an optional column at once. Header names match after
case, space, underscore and diacritic folding: "Mã số BHXH", "ma_so_bhxh" and "MA SO BHXH"
are one column.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
from attrs import frozen

from bhxh_campaign._text import fold_diacritics
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io import _cells
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import (
    District,
    EnrollmentRecord,
    PaymentMethod,
    Target,
    Unit,
    unit_type,
)

_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    # enrollments
    "record_id": ("mã hồ sơ", "số hồ sơ", "mã giao dịch", "record", "id"),
    "participant_id": (
        "mã số BHXH",
        "số BHXH",
        "mã BHXH",
        "mã số bảo hiểm xã hội",
        "số CCCD",
        "CCCD",
        "số định danh",
        "số định danh cá nhân",
        "participant",
        "social insurance number",
    ),
    "district_code": (
        "mã huyện",
        "mã quận huyện",
        "mã đơn vị hành chính cấp huyện",
        "district",
        "unit code",
        "mã đvhc",
    ),
    "enrolled_on": ("ngày tham gia", "ngày đăng ký", "enrollment date", "enrolled"),
    "commune_code": ("mã xã", "mã phường xã", "commune"),
    "payment_method": ("phương thức đóng", "phương thức", "payment"),
    "recorded_on": ("ngày ghi nhận", "ngày nhập"),
    "cancelled_on": ("ngày hủy", "ngày huỷ", "ngày dừng"),
    # districts
    "code": ("mã", "mã đơn vị", "mã đvhc", "district code", "unit code"),
    "name": (
        "tên",
        "tên đơn vị",
        "tên huyện",
        "tên xã",
        "tên phường",
        "district name",
        "unit name",
    ),
    "kind": ("loại", "loại đơn vị", "cấp"),
    "province_code": ("mã tỉnh", "province"),
    "valid_from": ("hiệu lực từ", "từ ngày"),
    "valid_to": ("hiệu lực đến", "đến ngày"),
    # targets (the model's ``value`` is the file's ``target`` column)
    "unit_code": ("mã đơn vị", "unit code"),
    "target": ("chỉ tiêu", "kế hoạch", "chỉ tiêu giao", "value"),
    "measure": ("loại chỉ tiêu", "đo"),
}


# What offices write for a payment method (phương thức đóng), matched after folding. A
# bare "Một lần" is the lump sum for years to come: the lump sum for missing years is
# only for people at retirement age, and exports spell it out ("... còn thiếu").
PAYMENT_WORDS: Final[Mapping[str, PaymentMethod]] = {
    "hằng tháng": PaymentMethod.MONTHLY,
    "hàng tháng": PaymentMethod.MONTHLY,
    "1 tháng": PaymentMethod.MONTHLY,
    "3 tháng": PaymentMethod.QUARTERLY,
    "3 tháng một lần": PaymentMethod.QUARTERLY,
    "hằng quý": PaymentMethod.QUARTERLY,
    "hàng quý": PaymentMethod.QUARTERLY,
    "6 tháng": PaymentMethod.SEMIANNUAL,
    "6 tháng một lần": PaymentMethod.SEMIANNUAL,
    "12 tháng": PaymentMethod.ANNUAL,
    "12 tháng một lần": PaymentMethod.ANNUAL,
    "hằng năm": PaymentMethod.ANNUAL,
    "hàng năm": PaymentMethod.ANNUAL,
    "một lần": PaymentMethod.LUMP_SUM_FUTURE,
    "một lần cho nhiều năm về sau": PaymentMethod.LUMP_SUM_FUTURE,
    "một lần cho những năm còn thiếu": PaymentMethod.LUMP_SUM_PAST,
}
"""Vietnamese words for each `PaymentMethod`, accepted with or without diacritics."""


def fold(name: str) -> str:
    """A header name folded for matching: no diacritics, case, or space differences.

    Examples:
        >>> fold(" Mã số  BHXH "), fold("record_id"), fold("NGÀY-THAM-GIA")
        ('ma so bhxh', 'record id', 'ngay tham gia')
    """
    return re.sub(r"[\s_\-.]+", " ", fold_diacritics(name)).strip()


@frozen
class Column:
    """One column of a kind of file: the field it fills and how its cells are parsed."""

    name: str
    field: str
    required: bool
    parse: _cells.Parser
    personal: bool = False


@frozen
class Schema:
    """A kind of file: its model type, its columns and the key that must not repeat."""

    kind: str
    model: Any  # a model type, or a function that builds one (`_any_unit`)
    columns: tuple[Column, ...]
    key: Callable[[Any], str]
    key_field: str
    duplicate_code: str
    fixed: Mapping[str, object] = attrs.field(factory=dict)
    # Column name -> aliases that replace the default ones (the unit column's names
    # depend on the campaign's level).
    own_aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    # Header text -> column name, given by the user: it wins over every alias.
    mapped: Mapping[str, str] = attrs.field(factory=dict)

    def aliases(self) -> dict[str, Column]:
        """Folded header name -> column."""
        found: dict[str, Column] = {}
        for column in self.columns:
            extra = self.own_aliases.get(column.name, _ALIASES.get(column.name, ()))
            for name in (column.name, column.field, *extra):
                found.setdefault(fold(name), column)
        by_name = {c.name: c for c in self.columns}
        for header, name in self.mapped.items():
            found[fold(header)] = by_name[name]
        return found

    def fields(self) -> frozenset[str]:
        """The names a column mapping may give: each column's name and its field's."""
        return frozenset(n for c in self.columns for n in (c.name, c.field))

    def with_columns(self, columns: Mapping[str, str] | None) -> Schema:
        """This schema with headers mapped to fields explicitly (header text -> field).

        Raises:
            InvalidValueError: a field that is not one of this kind of file's.

        Examples:
            >>> schema = enrollments().with_columns({"Số sổ": "participant_id"})
            >>> schema.aliases()["so so"].name
            'participant_id'
        """
        if not columns:
            return self
        by_field = {n: c.name for c in self.columns for n in (c.name, c.field)}
        unknown = sorted({f for f in columns.values() if f not in by_field})
        if unknown:
            listed = ", ".join(map(repr, unknown))
            msg = (
                f"columns maps to {listed}, not a field of {self.kind} files;"
                f" the fields are {', '.join(c.name for c in self.columns)}"
            )
            raise InvalidValueError(msg, field="columns")
        mapped = {str(header): by_field[f] for header, f in columns.items()}
        return attrs.evolve(self, mapped={**self.mapped, **mapped})


def _parser(name: str, hint: object) -> tuple[_cells.Parser, bool]:
    """The parser for a field with this annotation, and whether it holds personal data."""
    args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    args = tuple(a for a in args if a is not type(None))
    base = args[0] if len(args) == 1 else None
    if name == "participant_id":
        return _cells.participant_id, True
    if base is dt.date:
        return _cells.date, False
    if base is int:
        return _cells.whole, False
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return _cells.member_of(base, PAYMENT_WORDS if base is PaymentMethod else None), False
    if name.endswith("_code") or name == "code":
        return _cells.code, False
    return _cells.text, False


def _columns(
    model: type[Any], *, skip: Sequence[str] = (), rename: Mapping[str, str] | None = None
) -> tuple[Column, ...]:
    hints = typing.get_type_hints(model)
    rename = rename or {}
    columns = []
    for attribute in attrs.fields(model):
        if attribute.name in skip:
            continue
        parse, personal = _parser(attribute.name, hints[attribute.name])
        columns.append(
            Column(
                name=rename.get(attribute.name, attribute.name),
                field=attribute.name,
                required=attribute.default is attrs.NOTHING,
                parse=parse,
                personal=personal,
            )
        )
    return tuple(columns)


def enrollments(level: UnitLevel | None = None) -> Schema:
    """The schema of enrollment files (one `EnrollmentRecord` per row).

    At the commune level the reporting unit's column is the commune's ("Mã xã", "Mã
    phường"), so those headings name ``district_code`` rather than ``commune_code``.
    """
    own: dict[str, tuple[str, ...]] = {}
    if level is UnitLevel.COMMUNE:
        own = {"district_code": (*level.aliases, "unit code", "unit"), "commune_code": ()}
    return Schema(
        kind="enrollments",
        model=EnrollmentRecord,
        columns=_columns(EnrollmentRecord),
        key=lambda r: r.record_id,
        key_field="record_id",
        duplicate_code="duplicate_record_id",
        own_aliases=own,
    )


def _any_unit(**values: Any) -> Unit:
    """A `District` or a `Commune`, by the length of its code (District when neither)."""
    level = UnitLevel.of_code(values.get("code")) or UnitLevel.DISTRICT
    return unit_type(level)(**values)


def districts(level: UnitLevel | None = None) -> Schema:
    """The schema of unit files (one `District` or `Commune` per row, at ``level``).

    Without a level, each row's code decides its type.
    """
    return Schema(
        kind="districts",
        model=_any_unit if level is None else unit_type(level),
        columns=_columns(District),
        key=lambda d: d.code,
        key_field="code",
        duplicate_code="duplicate_unit",
    )


def targets(campaign_id: str) -> Schema:
    """The schema of target files (one `Target` per row, all of one campaign)."""
    return Schema(
        kind="targets",
        model=Target,
        columns=_columns(Target, skip=("campaign_id",), rename={"value": "target"}),
        # A unit may have several versions of a target, each from its own day.
        key=lambda t: f"{t.unit_code} ({t.measure.value}, from {t.effective_from or 'the start'})",
        key_field="unit_code",
        duplicate_code="duplicate_unit",
        fixed={"campaign_id": campaign_id},
    )
