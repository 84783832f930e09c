"""Tables for dataframes: a report's league table and its daily counts, in any dataframe.

A `Table` is a plain, typed, column-wise value. It is read without glue:

- ``table.to_frame("pandas" | "polars" | "pyarrow")`` builds the frame through narwhals
  (the ``dataframes`` extra, and the library asked for);
- the Arrow PyCapsule interface (``__arrow_c_stream__``, built with pyarrow: the ``arrow``
  extra) lets ``pl.DataFrame(table)``, ``pd.DataFrame.from_arrow(table)`` (pandas 3.0 and
  later: pandas' constructor itself does not read the capsule) and DuckDB
  (``duckdb.from_arrow(table)``, or ``con.register("league", table)``) read it directly;
- iterating a table gives its rows as dicts, so ``pd.DataFrame(table)`` works too (pandas
  infers the types from the values, as it does for any list of dicts).

`CampaignReport.table` and `DailyCounts.table` build the tables; their ``to_frame``
methods are shortcuts. Numbers are numbers: a percent is a ``float64`` column a plot can
use (the report's figure, rounded half-up to two decimals), and the exact value stays
there as two whole-number columns, ``actual / target``. No column holds a `Decimal` or a
`Fraction`.

Examples:
    >>> import datetime as dt
    >>> may = dt.date(2023, 5, 1), dt.date(2023, 5, 2)
    >>> table = counts_table(*may, [("220", (1, 0)), ("221", (2, 3))])
    >>> table.names, len(table)
    (('unit_code', 'day', 'new'), 4)
    >>> next(iter(table))
    {'unit_code': '220', 'day': datetime.date(2023, 5, 1), 'new': 1}
    >>> counts_table(*may, [("220", (1, 0)), ("221", (2, 3))], "wide").to_dict()
    {'day': [datetime.date(2023, 5, 1), datetime.date(2023, 5, 2)], '220': [1, 0], '221': [2, 3]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final, Literal, final

from attrs import field, frozen

from bhxh_campaign._dependencies import optional
from bhxh_campaign._report_rows import DistrictProgress, Progress
from bhxh_campaign.errors import InvalidValueError

__all__ = [
    "BACKENDS",
    "Backend",
    "Cell",
    "ColumnType",
    "ReportTable",
    "Shape",
    "Table",
    "counts_table",
    "report_table",
]

Backend = Literal["pandas", "polars", "pyarrow"]
"""The dataframe libraries `Table.to_frame` builds frames of."""

BACKENDS: Final = ("pandas", "polars", "pyarrow")

Shape = Literal["long", "wide"]
"""How daily counts are laid out: ``long``, a row per unit and day (``unit_code``, ``day``,
``new``); ``wide``, a row per day (``day``) and a column per unit, named by its code."""

ReportTable = Literal["units", "provinces", "total"]
"""A report's tables: the league table (a row per unit, in the report's order), the
provinces (a row per province, by code) and the total (one row)."""

ColumnType = Literal["string", "int64", "float64", "date", "bool"]
"""A column's type: the same in Arrow (``date`` is ``date32``) and in every backend."""

Cell = str | int | float | dt.date | bool | None
"""A value of a table: None is a null."""

_SHAPES: Final = ("long", "wide")
_TYPES: Final = ("string", "int64", "float64", "date", "bool")
_PLACEHOLDERS: Final[dict[str, Cell]] = {
    "string": "",
    "int64": 0,
    "float64": 0.0,
    "date": dt.date(1970, 1, 1),
    "bool": False,
}
_EXTRAS: Final = {"pandas": None, "polars": "polars", "pyarrow": "arrow"}


def _schema(value: Iterable[tuple[str, ColumnType]]) -> tuple[tuple[str, ColumnType], ...]:
    return tuple((str(name), kind) for name, kind in value)


def _columns(value: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(column) for column in value)


@final
@frozen
class Table:
    """A table of named, typed columns: what dataframes are built from.

    Attributes:
        name: what the table is (``"units"``, ``"provinces"``, ``"total"``,
            ``"daily_counts"``).
        schema: ``(name, type)`` per column, in order (see `ColumnType`); names unique.
        columns: the values, one tuple per column, all of the same length.

    Examples:
        >>> t = Table("t", [("code", "string"), ("percent", "float64")],
        ...           [("220", "221"), (112.67, 111.58)])
        >>> t.names, len(t), t.column("percent")
        (('code', 'percent'), 2, (112.67, 111.58))
        >>> list(t)[1]
        {'code': '221', 'percent': 111.58}
    """

    name: str
    schema: tuple[tuple[str, ColumnType], ...] = field(converter=_schema)
    columns: tuple[tuple[Cell, ...], ...] = field(converter=_columns, repr=False)

    @columns.validator
    def _check(self, _attribute: object, value: tuple[tuple[Cell, ...], ...]) -> None:
        names = [name for name, _ in self.schema]
        if len(set(names)) != len(names):
            msg = f"table {self.name!r} has a column name twice: {names}"
            raise InvalidValueError(msg, field="schema")
        for name, kind in self.schema:
            if kind not in _TYPES:
                msg = f"column {name!r} has type {kind!r}, not one of {', '.join(_TYPES)}"
                raise InvalidValueError(msg, field="schema")
        if len(value) != len(names):
            msg = f"table {self.name!r} has {len(names)} column names, {len(value)} columns"
            raise InvalidValueError(msg, field="columns")
        if len({len(column) for column in value}) > 1:
            msg = f"the columns of table {self.name!r} are not of the same length"
            raise InvalidValueError(msg, field="columns")

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(name for name, _ in self.schema)

    def __len__(self) -> int:
        """The number of rows."""
        return len(self.columns[0]) if self.columns else 0

    def __iter__(self) -> Iterator[dict[str, Cell]]:
        """The rows, each a dict of column name to value (``pd.DataFrame(table)`` reads them)."""
        names = self.names
        return (dict(zip(names, row, strict=True)) for row in zip(*self.columns, strict=True))

    def column(self, name: str) -> tuple[Cell, ...]:
        """The values of one column.

        Raises:
            InvalidValueError: the table has no such column.
        """
        for (key, _), values in zip(self.schema, self.columns, strict=True):
            if key == name:
                return values
        msg = f"table {self.name!r} has no column {name!r} (columns: {', '.join(self.names)})"
        raise InvalidValueError(msg, field="name")

    def to_dict(self) -> dict[str, list[Cell]]:
        """The columns as a dict of lists, in order (``pd.DataFrame(table.to_dict())``)."""
        return {name: list(values) for name, values in zip(self.names, self.columns, strict=True)}

    def to_arrow(self) -> Any:
        """The table as a `pyarrow.Table`, with the schema's types (needs pyarrow).

        Raises:
            ModuleNotFoundError: pyarrow is not installed (the ``arrow`` extra).

        Examples:
            >>> t = Table("t", [("n", "int64")], [(1, None)])
            >>> t.to_arrow().schema.field("n").type
            DataType(int64)
        """
        pa = optional("pyarrow", "arrow", purpose="the Arrow interface of a table")
        kinds: dict[str, Callable[[], Any]] = {
            "string": pa.string,
            "int64": pa.int64,
            "float64": pa.float64,
            "date": pa.date32,
            "bool": pa.bool_,
        }
        schema = pa.schema([(name, kinds[kind]()) for name, kind in self.schema])
        return pa.table(self.to_dict(), schema=schema)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream of the table (built with pyarrow).

        polars, DuckDB, pyarrow and ``pd.DataFrame.from_arrow`` read a table through it.
        """
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def to_frame(self, backend: Backend = "pandas") -> Any:
        """The table as a dataframe of ``backend``, built through narwhals.

        Columns keep their types in every backend, nulls included, with one exception:
        pandas has no null in an ``int64`` column, so an integer column holding a null
        (``original_target``) becomes ``float64`` with NaN there, as pandas itself does.
        In pandas a ``date`` column is ``date32[pyarrow]``.

        Args:
            backend: ``"pandas"``, ``"polars"`` or ``"pyarrow"``.

        Raises:
            InvalidValueError: an unknown backend.
            ModuleNotFoundError: narwhals (the ``dataframes`` extra) or the backend is not
                installed.

        Examples:
            >>> t = Table("t", [("code", "string"), ("percent", "float64")],
            ...           [("220", "221"), (112.67, 111.58)])
            >>> t.to_frame("polars")["percent"].to_list()
            [112.67, 111.58]
            >>> t.to_frame("pandas").dtypes["percent"]
            dtype('float64')
        """
        if backend not in BACKENDS:
            msg = f"backend must be one of {', '.join(map(repr, BACKENDS))}, got {backend!r}"
            raise InvalidValueError(msg, field="backend")
        nw = optional("narwhals", "dataframes", purpose="to_frame")
        optional(backend, _EXTRAS[backend], purpose=f"to_frame({backend!r})")
        kinds = {
            "string": nw.String,
            "int64": nw.Int64,
            "float64": nw.Float64,
            "date": nw.Date,
            "bool": nw.Boolean,
        }
        schema = {}
        for (name, kind), values in zip(self.schema, self.columns, strict=True):
            if backend == "pandas" and kind == "int64" and None in values:
                kind = "float64"  # noqa: PLW2901 - pandas' own type for integers with nulls
            schema[name] = kinds[kind]()
        data: dict[str, list[Cell]] = self.to_dict()
        if not len(self):
            # narwhals cannot cast an empty pandas column to a date: build one row, keep none.
            data = {name: [_PLACEHOLDERS[kind]] for name, kind in self.schema}
        frame = nw.from_dict(data, schema=nw.Schema(schema), backend=backend)
        return (frame if len(self) else frame.head(0)).to_native()


_UNIT_COLUMNS: Final[tuple[tuple[str, ColumnType, Callable[[DistrictProgress], Cell]], ...]] = (
    ("rank", "int64", lambda r: r.rank_by_actual),
    ("code", "string", lambda r: r.code),
    ("name", "string", lambda r: r.name),
    ("kind", "string", lambda r: r.kind),
    ("province_code", "string", lambda r: r.province_code),
    ("actual", "int64", lambda r: r.actual),
    ("target", "int64", lambda r: r.target),
    ("percent", "float64", lambda r: float(r.percent)),
    ("rank_by_completion", "int64", lambda r: r.rank_by_completion),
    ("rank_by_completed_on", "int64", lambda r: r.rank_by_completed_on),
    ("completed_on", "date", lambda r: r.completed_on),
    ("window_count", "int64", lambda r: r.window_count),
    ("reached", "bool", lambda r: r.reached),
    ("original_target", "int64", lambda r: r.original_target),
)
"""The league table's own columns, before the pace columns."""

_PROGRESS_COLUMNS: Final[tuple[tuple[str, ColumnType, Callable[[Progress], Cell]], ...]] = (
    ("code", "string", lambda r: r.code),
    ("name", "string", lambda r: r.name),
    ("actual", "int64", lambda r: r.actual),
    ("target", "int64", lambda r: r.target),
    ("percent", "float64", lambda r: float(r.percent)),
    ("window_count", "int64", lambda r: r.window_count),
    ("completed_on", "date", lambda r: r.completed_on),
    ("reached", "bool", lambda r: r.reached),
)
"""A province's or the total's own columns, before the pace columns."""

_PACE_COLUMNS: Final[tuple[tuple[str, ColumnType, Callable[[Any], Cell]], ...]] = (
    ("remaining", "int64", lambda r: r.pace.remaining),
    ("days_left", "int64", lambda r: r.pace.days_left),
    (
        "required_per_day",
        "float64",
        lambda r: None if r.pace.required_per_day is None else float(r.pace.required_per_day),
    ),
    ("recent_per_day", "float64", lambda r: float(r.pace.recent_per_day)),
    ("projected_on", "date", lambda r: r.pace.projected_on),
    ("status", "string", lambda r: r.pace.status.value),
)
"""The pace of a row (`bhxh_campaign.metrics.Pace`), as numbers."""


def report_table(
    name: ReportTable,
    *,
    as_of: dt.date,
    units: Sequence[DistrictProgress],
    provinces: Sequence[Progress],
    total: Progress,
) -> Table:
    """One of a report's tables (`CampaignReport.table` passes its fields).

    Every table starts with ``as_of`` (so reports of several days stack into one frame).
    The ``units`` table then has ``rank`` (by actual), ``code``, ``name``, ``kind``,
    ``province_code``, ``actual``, ``target``, ``percent``, ``rank_by_completion``,
    ``rank_by_completed_on``, ``completed_on``, ``window_count``, ``reached`` and
    ``original_target``; the ``provinces`` and ``total`` tables ``code``, ``name``,
    ``actual``, ``target``, ``percent``, ``window_count``, ``completed_on`` and
    ``reached``. All end with the pace: ``remaining``, ``days_left``,
    ``required_per_day``, ``recent_per_day``, ``projected_on`` and ``status``.

    ``percent`` is the report's percent (rounded half-up to two decimals) as a float; the
    exact rate is ``actual / target`` (both whole numbers: ``Fraction(actual, target)``).
    The per-day rates are floats too; exactly, ``required_per_day`` is ``remaining /
    days_left`` and ``recent_per_day`` is ``window_count`` over the window's days.

    Raises:
        InvalidValueError: an unknown table name.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> r = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> t = report_table("units", as_of=r.as_of, units=r.units, provinces=r.provinces,
        ...                  total=r.total)
        >>> t.column("code")[:3], t.column("percent")[:3], t.column("actual")[0]
        (('221', '223', '219'), (111.58, 71.9, 67.0), 318)
    """
    rows: Sequence[DistrictProgress] | Sequence[Progress]
    own: Sequence[tuple[str, ColumnType, Callable[[Any], Cell]]]
    if name == "units":
        rows, own = units, _UNIT_COLUMNS
    elif name in {"provinces", "total"}:
        rows, own = (provinces if name == "provinces" else (total,)), _PROGRESS_COLUMNS
    else:
        msg = f"table must be 'units', 'provinces' or 'total', got {name!r}"
        raise InvalidValueError(msg, field="table")
    columns: list[tuple[str, ColumnType, Callable[[Any], Cell]]] = [*own, *_PACE_COLUMNS]
    return Table(
        name,
        [("as_of", "date"), *((key, kind) for key, kind, _ in columns)],
        [(as_of,) * len(rows), *(tuple(get(row) for row in rows) for _, _, get in columns)],
    )


def counts_table(
    start: dt.date,
    end: dt.date,
    grid: Iterable[tuple[str, Sequence[int]]],
    shape: Shape = "long",
) -> Table:
    """A grid of daily counts (`DailyCounts.table` passes its own) as a `Table`.

    Args:
        start: the grid's first day.
        end: its last day, inclusive.
        grid: ``(unit_code, counts)`` pairs in order; ``counts[i]`` is the count of day
            ``start + i``, one count a day from ``start`` to ``end``.
        shape: ``"long"``: a row per unit and day, columns ``unit_code``, ``day`` and
            ``new``, by unit then day; ``"wide"``: a row per day, columns ``day`` then
            one per unit, named by its code, in the grid's order.

    Raises:
        InvalidValueError: an unknown shape.

    Examples:
        >>> import datetime as dt
        >>> t = counts_table(dt.date(2023, 5, 1), dt.date(2023, 5, 2), [("220", (1, 0))])
        >>> t.to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'unit_code': ['220', '220'],
         'day': [datetime.date(2023, 5, 1), datetime.date(2023, 5, 2)],
         'new': [1, 0]}
    """
    if shape not in _SHAPES:
        msg = f"shape must be 'long' or 'wide', got {shape!r}"
        raise InvalidValueError(msg, field="shape")
    rows = [(unit, tuple(counts)) for unit, counts in grid]
    days = tuple(start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    if shape == "long":
        return Table(
            "daily_counts",
            [("unit_code", "string"), ("day", "date"), ("new", "int64")],
            [
                tuple(unit for unit, _ in rows for _ in days),
                days * len(rows),
                tuple(n for _, counts in rows for n in counts),
            ],
        )
    return Table(
        "daily_counts",
        [("day", "date"), *((unit, "int64") for unit, _ in rows)],
        [days, *(counts for _, counts in rows)],
    )
