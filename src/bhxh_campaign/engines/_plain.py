"""Whether a records file is plain: every cell as the folder loader would read it.

A columnar engine counts a file itself only when the file is plain (see
`bhxh_campaign.engines._common.PLAIN_COLUMNS` and `PLAIN_RECORD_ID`); anything else is
counted by the folder loader, so that every engine makes the same decision on the same
file. These are the checks the polars engine cannot make in its own pass (the arrow
engine makes all of its checks in its one pass).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bhxh_campaign.engines._common import (
    DATE_PATTERN,
    OPTIONAL_PLAIN,
    PARTICIPANT_PATTERN,
    PLAIN_PAYMENTS,
    PLAIN_RECORD_ID,
    UNIT_PATTERN,
)
from bhxh_campaign.levels import UnitLevel

__all__ = ["all_lines_read", "data_lines", "polars_plain", "rows_complete"]


def polars_plain(frame: Any, *, empty_optional: bool = False) -> bool:
    """Whether a polars DataFrame read from a records file is plain.

    Every counted cell present and plainly valid, record ids unique, optional cells
    present (polars pads a short row with nulls, which the loader refuses) and valid;
    with ``empty_optional`` (no row is short: `rows_complete`) an optional cell may be
    empty.

    Examples:
        >>> import polars as pl
        >>> row = {"record_id": ["r1"], "participant_id": ["0240000001"],
        ...        "district_code": ["221"], "enrolled_on": ["2023-05-02"]}
        >>> polars_plain(pl.DataFrame(row))
        True
        >>> polars_plain(pl.DataFrame({**row, "record_id": ["#N/A"]}))
        False
    """
    import polars as pl  # noqa: PLC0415 - optional dependency, imported only when used

    schema = frame.schema
    texts = [name for name in schema if name != "enrolled_on" or schema[name] != pl.Date]
    if any(schema[name] != pl.String for name in texts):
        return False  # a number column has lost its leading zeros: the loader refuses it
    if frame.height == 0:
        return True
    nullable = set(OPTIONAL_PLAIN) if empty_optional else set()
    if any(frame[name].null_count() for name in frame.columns if name not in nullable):
        return False
    checks = [
        pl.col("record_id").str.contains(f"^{PLAIN_RECORD_ID}$"),
        pl.col("participant_id").str.contains(PARTICIPANT_PATTERN),
        pl.col("district_code").str.contains(UNIT_PATTERN),
    ]
    if schema["enrolled_on"] == pl.String:
        day = pl.col("enrolled_on")
        parsed = day.str.to_date("%Y-%m-%d", strict=False)
        checks.append(day.str.contains(DATE_PATTERN) & parsed.is_not_null())
    if "payment_method" in schema:
        payment = pl.col("payment_method")
        known = payment.is_in(list(PLAIN_PAYMENTS)).fill_null(value=False)
        checks.append(payment.is_null() | known)
    if "commune_code" in schema:
        commune = pl.col("commune_code")
        pattern = f"^{UnitLevel.COMMUNE.pattern}$"
        checks.append(commune.is_null() | commune.str.contains(pattern).fill_null(value=False))
    plain = frame.select(pl.all_horizontal(checks).all()).item()
    unique = frame["record_id"].n_unique() == frame.height
    return bool(plain) and unique


def all_lines_read(path: Path, read: int) -> bool:
    """Whether an engine that read ``read`` rows of a file read each of its data lines.

    Always for Parquet; for CSV, when the count equals `data_lines` (a blank line, a
    quoted line break or a skipped row makes them differ: the exact path then decides).

    Examples:
        >>> all_lines_read(Path("examples/bac_giang_2023/enrollments.csv"), 3091)
        True
    """
    return path.suffix.lower() == ".parquet" or data_lines(path) == read


def data_lines(path: Path) -> int | None:
    """The number of data lines of a CSV file (lines after the header), or None.

    None for a Parquet file (no lines), and for a file with a carriage return that does
    not end a line (where Python's csv module and DuckDB may see different lines). An
    engine that read a different number of rows skipped one, or split one: the exact
    path then decides.

    Examples:
        >>> data_lines(Path("examples/bac_giang_2023/enrollments.csv"))
        3091
    """
    if path.suffix.lower() == ".parquet":
        return None
    newlines = returns = pairs = 0
    last = b"\n"
    tail = b""
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            newlines += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            joined = tail + chunk
            pairs += joined.count(b"\r\n") - tail.count(b"\r\n")
            tail, last = chunk[-1:], chunk[-1:]
    if returns != pairs:
        return None
    lines = newlines + (0 if last == b"\n" else 1)
    return max(lines - 1, 0)


def rows_complete(path: Path, width: int) -> bool:
    """Whether every non-blank line of a CSV file has ``width`` cells, by its commas.

    Only a file without quotes or lone carriage returns can be judged so (a quoted cell
    may hold a comma or a line break): any other is not judged complete. polars pads a
    short row with empty cells, which this tells apart from cells left empty.

    Examples:
        >>> rows_complete(Path("examples/bac_giang_2023/enrollments.csv"), 6)
        True
    """
    if path.suffix.lower() == ".parquet":
        return True
    commas = width - 1
    with path.open("rb") as file:
        next(file, None)  # the header
        for line in file:
            if b'"' in line or b"\r" in line.rstrip(b"\r\n") or line.endswith(b"\r"):
                return False
            if line.strip() and line.count(b",") != commas:
                return False
    return True
