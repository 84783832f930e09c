"""A campaign folder's optional ``stocks.csv``: known levels beside its stock goals.

``unit_code,participants,on``: the participants of a stock goal's unit at the end of a
day (a level, "số người đang tham gia"), one row per unit and day. Read as the folder's
other CSV files are (header aliases, title rows, the folder's ``encoding`` and
``[columns]``, "52.139" as a Vietnamese number, day-first dates), each row a
`StockBaseline`. Besides the cells, a row is refused (``invalid_value``, naming its line
and field) when its unit has no stock goal, or its day is before the eve of the campaign
(the new participants in between are not in the records) or after its last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, Final

from bhxh_campaign._layout import STOCKS
from bhxh_campaign._settings import FolderSettings
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.io import _pipeline
from bhxh_campaign.io._cells import Context
from bhxh_campaign.io._pipeline import FileProblem, Raw
from bhxh_campaign.io._readers import csv_rows
from bhxh_campaign.io._schema import Schema, _columns
from bhxh_campaign.io.load_report import LoadReport
from bhxh_campaign.model import Campaign, Measure, Target
from bhxh_campaign.stock import StockBaseline

__all__ = ["read_stocks", "schema"]

_ALIASES: Final = {
    "unit_code": ("mã đơn vị", "unit code", "mã tỉnh", "mã huyện", "mã xã", "mã đvhc"),
    "participants": (
        "số người tham gia",
        "số người đang tham gia",
        "số người",
        "người tham gia",
        "số đối tượng",
    ),
    "on": ("ngày", "tính đến ngày", "đến hết ngày", "ngày số liệu", "date", "day", "as of"),
}


def schema(campaign: Campaign | None = None, goals: Collection[str] = ()) -> Schema:
    """The schema of ``stocks.csv``; with a campaign, rows are checked against it.

    ``goals`` are the units that have a stock goal: a stock of another unit is refused,
    as is a day outside the eve of the campaign through its last day.
    """

    def build(**values: Any) -> StockBaseline:
        stock = StockBaseline(**values)
        if campaign is not None:
            _check(stock, campaign, goals)
        return stock

    return Schema(
        kind="stocks",
        model=build,
        columns=_columns(StockBaseline),
        key=lambda s: f"{s.unit_code} on {s.on}",
        key_field="unit_code",
        duplicate_code="duplicate_unit",
        own_aliases=_ALIASES,
    )


def _check(stock: StockBaseline, campaign: Campaign, goals: Collection[str]) -> None:
    if stock.unit_code not in goals:
        listed = ", ".join(sorted(goals)) or "none"
        msg = (
            f"unit_code {stock.unit_code!r} has no stock goal (units with one: {listed}):"
            " a stock is compared only with a stock goal"
        )
        raise InvalidValueError(msg, field="unit_code")
    eve = campaign.start - dt.timedelta(days=1)
    if stock.on < eve:
        msg = (
            f"on {stock.on} is before the eve of the campaign ({eve}): the new participants"
            f" in between are not in the records; give the participants at the end of {eve}"
            " or of a later day"
        )
        raise InvalidValueError(msg, field="on")
    if stock.on > campaign.end:
        msg = f"on {stock.on} is after the campaign's last day ({campaign.end})"
        raise InvalidValueError(msg, field="on")


def _problem(error: FileProblem) -> Iterator[Raw]:
    yield from ()
    raise error


def read_stocks(
    folder: Path,
    campaign: Campaign,
    targets: Collection[Target],
    settings: FolderSettings,
    *,
    strict: bool,
) -> LoadReport[StockBaseline] | None:
    """The report of the folder's ``stocks.csv``, or None when the folder has none.

    Raises:
        LoadError: in strict mode, the first bad row, naming the file, line and field.
    """
    path = folder / STOCKS
    if not path.is_file():
        return None
    goals = {t.unit_code for t in targets if t.measure is Measure.STOCK}
    checked = schema(campaign, goals)
    checked = checked.with_columns(settings.columns_of(checked.fields()))
    context = Context(day_first=True, vietnamese_numbers=True, unquote=True)
    try:
        rows = csv_rows(path, encoding=settings.encoding or "utf-8-sig")
    except FileProblem as error:  # pragma: no cover - the reader fails as it is read
        rows = _problem(error)
    outcomes = _pipeline.outcomes(rows, checked, context)
    report: LoadReport[StockBaseline] = _pipeline.collect(outcomes, path=str(path), strict=strict)
    return report
