"""Hypothesis strategies of messy records files, and every engine's verdict on one.

Used by the differential engine tests (`test_engines_agree.py`) and the validate-implies-
report property (`test_validate_report.py`). A file mixes clean rows with the cases the
engines once decided differently: repeated record ids, unknown or Python-only columns,
invalid ``payment_method`` or ``commune_code`` values, a NUL byte or mojibake in a record
id, short and long rows, blank and ``,,,`` rows, aware timestamps, padded cells, record
ids in decomposed Unicode, spreadsheet error values.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from bhxh_campaign import CampaignBundle, CampaignError, LoadError
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.engines import Engine, daily_counts_for, last_data_day_for

from .conftest import EXAMPLE

ENGINES: tuple[Engine, ...] = ("python", "duckdb", "polars", "arrow", "auto")
BASE = ("record_id", "participant_id", "district_code", "enrolled_on")
UNITS = ("213", "215", "221", "223")
EXTRA_COLUMNS = ("payment_method", "commune_code", "cancelled_on", "note", "Mã hồ sơ")

# Record ids drawn from a few, so that repeats happen; mutations of one record id.
_IDS = st.sampled_from(["r1", "r2", "r3", "R-10", "9", "10", "a1", "á0", "b"])
_RID_MUTATIONS: dict[str, str] = {
    "nul": "r\x00{}",
    "mojibake": "Ã¡{}",
    "decomposed": "a\u0301{}",
    "padded": " {} ",
    "formula error": "#N/A",
    "hash": "#{}",
    "empty": "",
}
_PIDS = st.sampled_from(["2400000001", "2400000002", "240000000003", "2400000004"])
_BAD_PIDS = st.sampled_from(["24000001", "24000000x1", " 2400000001", "2.4E+09"])
_DAYS = st.sampled_from(
    [
        "2023-04-30",
        "2023-05-01",
        "2023-05-02",
        "2023-05-17",
        "2023-05-18",
        "2023-05-19",
        "2023-05-31",
        "2023-06-01",
    ]
)
_BAD_DAYS = st.sampled_from(
    ["2023-04-30T20:00:00Z", "2023-05-18T23:00:00+07:00", " 2023-05-02", "2023-5-2", "", "x"]
)
_UNIT_CELLS = st.sampled_from([*UNITS, "999", "07600", "21", " 221"])
_PAYMENTS = st.sampled_from(["", "monthly", "annual", "Monthly", "weekly", " annual"])
_COMMUNES = st.sampled_from(["", "07600", "12", "7600", "x"])
_CANCELLED = st.sampled_from(["", "2023-05-03", "2023-05-20"])


@st.composite
def _row(draw: st.DrawFn, columns: Sequence[str], *, messy: bool, unknown: bool) -> str:
    """One data line for ``columns``: valid if not ``messy``, else often broken.

    A tidy row's record id is drawn from many (a repeat is rare); ``unknown`` lets a
    tidy row be in a unit the campaign does not have (counted apart, not an error).
    """
    rid = draw(_IDS) if messy else draw(st.text("abcdefghijk0123456789", min_size=2, max_size=8))
    mutations = [None] * 6 + (list(_RID_MUTATIONS) if messy else ["decomposed", "padded"])
    mutation = draw(st.sampled_from(mutations))
    if mutation is not None:
        rid = _RID_MUTATIONS[mutation].format(rid)
    cells = {
        "record_id": rid,
        "participant_id": draw(_PIDS if not messy or draw(st.integers(0, 7)) else _BAD_PIDS),
        "district_code": draw(
            _UNIT_CELLS if messy else st.sampled_from([*UNITS, "999"] if unknown else UNITS)
        ),
        "enrolled_on": draw(_DAYS if not messy or draw(st.integers(0, 5)) else _BAD_DAYS),
        "payment_method": draw(_PAYMENTS if messy else st.sampled_from(["", "annual"])),
        "commune_code": draw(_COMMUNES if messy else st.sampled_from(["", "07600"])),
        "cancelled_on": draw(_CANCELLED),
        "note": "x",
        "Mã hồ sơ": "y",
    }
    values = [cells.get(name, cells["record_id"]) for name in columns]
    shapes = ["same"] * 12 + (["extra", "short", "blank", "commas"] if messy else ["blank"])
    shape = draw(st.sampled_from(shapes))
    if shape == "extra":
        values.append("zz")
    elif shape == "short":
        values.pop()
    elif shape == "blank":
        return ""
    elif shape == "commas":
        values = [""] * len(columns)
    return ",".join(values)


@st.composite
def messy_csv(draw: st.DrawFn, *, unknown: bool = True) -> str:
    """The text of a messy ``enrollments.csv``: a header and up to 12 rows.

    Half the files are tidy (every row valid but for a rare repeated record id); with
    ``unknown``, a tidy row may be in a unit the campaign does not have.
    """
    extra = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), max_size=2, unique=True))
    if draw(st.integers(0, 2)):
        extra = [name for name in extra if name in {"payment_method", "commune_code"}]
    columns = [*BASE, *extra]
    messy = draw(st.booleans())
    # Record ids unique in a tidy file (a repeat is an error), except now and then.
    rows = draw(st.lists(_row(columns, messy=messy, unknown=unknown), max_size=12))
    return "\n".join([",".join(columns), *rows]) + "\n"


@st.composite
def messy_files(draw: st.DrawFn) -> tuple[str, str | dict[str, Any]]:
    """A messy records file: ``("csv", text)`` or ``("parquet", columns)``.

    A Parquet file has text columns of the CSV's well-formed rows; its ``enrolled_on`` is
    sometimes an aware timestamp (20:00 UTC, the next day in Vietnam) instead of text.
    """
    text = draw(messy_csv())
    if not draw(st.integers(0, 3)):
        lines = text.splitlines()
        names = lines[0].split(",")
        rows = [line.split(",") for line in lines[1:] if line.count(",") == len(names) - 1]
        columns: dict[str, Any] = {name: [row[i] for row in rows] for i, name in enumerate(names)}
        if draw(st.booleans()) and all(_iso(day) for day in columns["enrolled_on"]):
            columns["enrolled_on"] = [
                dt.datetime.combine(_iso(day), dt.time(20), tzinfo=dt.UTC)  # type: ignore[arg-type]
                for day in columns["enrolled_on"]
            ]
        return "parquet", columns
    return "csv", text


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def write_folder(folder: Path, drawn: tuple[str, str | dict[str, Any]]) -> Path:
    """A copy of the example campaign folder whose records are the drawn file."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(EXAMPLE, folder)
    (folder / "enrollments.csv").unlink()
    kind, content = drawn
    if kind == "csv":
        assert isinstance(content, str)
        (folder / "enrollments.csv").write_text(content, encoding="utf-8")
    else:
        import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

        assert isinstance(content, dict)
        pq.write_table(pa.table(content), folder / "enrollments.parquet")
    return folder


Verdict = tuple[Any, ...]


def verdict(folder: Path, plan: CampaignBundle, engine: Engine) -> Verdict:
    """What ``engine`` decides on the folder: its counts and last day, or the error's place.

    An error is compared by its type, file, line, field and code: the words may differ.
    """
    units = [d.code for d in plan.districts]
    try:
        last = last_data_day_for(folder, plan.campaign, engine=engine)
        counts: DailyCounts = daily_counts_for(
            folder, plan.campaign, engine=engine, as_of=dt.date(2023, 5, 18), units=units
        )
    except LoadError as error:
        return ("LoadError", Path(error.path).name, error.line, error.field, error.code)
    except CampaignError as error:  # shown whole, so that a disagreement says what it was
        return (type(error).__name__, str(error))
    return ("ok", last, counts)
