"""The same report, five ways: ours (DuckDB, polars and Python engines) and hand-written peers.

Every contender reads a campaign folder made by ``generate.py`` and returns the report in one
plain shape (`Report`), so the outputs can be checked equal:

- per district: code, new participants through the as-of day (each participant counted once,
  on their first record in the window), target, percent (half-up, 2 places), competition
  rank by actual and by exact rate, completion date, trailing 7-day count;
- per province and for the nation: actual, target, percent, trailing 7-day count.

The peers are what an analyst fluent in each tool would write by hand: no validation, no
exclusion tallies, floats for the rate ranking (exact here: equal fractions of small
integers give equal floats, different ones different floats).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

District = tuple[str, int, int, str, int, int, str | None, int]
Unit = tuple[str, int, int, str, int]
Report = tuple[list[District], list[Unit], Unit]

WINDOW_DAYS = 7


def hundredths(actual: int, target: int) -> str:
    """``100 x actual / target`` rounded half-up to 2 places, as text."""
    value = (actual * 20000 + target) // (2 * target)
    return f"{value // 100}.{value % 100:02d}"


# -- ours -------------------------------------------------------------------------------


def ours(engine: str) -> Callable[[Path, dt.date], Report]:
    """Our report, counted by ``engine``."""

    def run(folder: Path, as_of: dt.date) -> Report:
        from bhxh_campaign import campaign_report, load_campaign, load_plan  # noqa: PLC0415
        from bhxh_campaign.engines import daily_counts_for  # noqa: PLC0415

        if engine == "python":
            return from_report(load_campaign(folder).report(as_of))
        plan = load_plan(folder)
        units = [d.code for d in plan.districts]
        counts = daily_counts_for(
            folder,
            plan.campaign,
            engine=engine,  # type: ignore[arg-type]
            as_of=as_of,
            units=units,
        )
        report = campaign_report(
            plan.campaign, plan.districts, plan.targets, counts, provinces=plan.provinces
        )
        return from_report(report)

    return run


def from_report(report: Any) -> Report:
    """A `CampaignReport` in the plain shape."""

    def pct(value: Decimal) -> str:
        return f"{value:.2f}"

    districts = sorted(
        (
            d.code,
            d.actual,
            d.target,
            pct(d.percent),
            d.rank_by_actual,
            d.rank_by_completion,
            d.completed_on.isoformat() if d.completed_on else None,
            d.window_count,
        )
        for d in report.districts
    )
    provinces = sorted(
        (p.code, p.actual, p.target, pct(p.percent), p.window_count) for p in report.provinces
    )
    t = report.total
    return districts, provinces, ("national", t.actual, t.target, pct(t.percent), t.window_count)


# -- pandas ----------------------------------------------------------------------------


def pandas_peer(folder: Path, as_of: dt.date) -> Report:
    """The report in pandas."""
    import tomllib  # noqa: PLC0415

    import pandas as pd  # noqa: PLC0415

    meta = tomllib.loads((folder / "campaign.toml").read_text(encoding="utf-8"))
    start = pd.Timestamp(meta["start"])
    last = pd.Timestamp(min(as_of, meta["end"]))
    window_start = max(last - pd.Timedelta(days=WINDOW_DAYS - 1), start)
    districts = pd.read_csv(folder / "districts.csv", dtype=str)
    targets = pd.read_csv(folder / "targets.csv", dtype={"unit_code": "string", "target": "int64"})
    records = pd.read_csv(
        folder / "enrollments.csv",
        dtype=str,
        usecols=["record_id", "participant_id", "district_code", "enrolled_on"],
    )
    records["enrolled_on"] = pd.to_datetime(records["enrolled_on"], format="%Y-%m-%d")
    inside = records[
        records["enrolled_on"].between(start, last)
        & records["district_code"].isin(districts["code"])
    ]
    first = inside.sort_values(["enrolled_on", "record_id", "district_code"]).drop_duplicates(
        "participant_id"
    )
    daily = first.groupby(["district_code", "enrolled_on"]).size().rename("n").reset_index()

    plan = districts.merge(targets, left_on="code", right_on="unit_code")
    actual = daily.groupby("district_code")["n"].sum()
    window = daily[daily["enrolled_on"] >= window_start].groupby("district_code")["n"].sum()
    plan["actual"] = plan["code"].map(actual).fillna(0).astype("int64")
    plan["window"] = plan["code"].map(window).fillna(0).astype("int64")
    daily = daily.merge(plan[["code", "target"]], left_on="district_code", right_on="code")
    daily = daily.sort_values(["district_code", "enrolled_on"])
    daily["running"] = daily.groupby("district_code")["n"].cumsum()
    done = daily[daily["running"] >= daily["target"]].groupby("district_code")["enrolled_on"].min()
    plan["completed_on"] = plan["code"].map(done)
    plan["rank_actual"] = plan["actual"].rank(method="min", ascending=False).astype("int64")
    plan["rate"] = plan["actual"] / plan["target"]
    plan["rank_rate"] = plan["rate"].rank(method="min", ascending=False).astype("int64")

    plan_rows: list[Any] = list(plan.itertuples())
    rows: list[District] = sorted(
        (
            str(r.code),
            int(r.actual),
            int(r.target),
            hundredths(int(r.actual), int(r.target)),
            int(r.rank_actual),
            int(r.rank_rate),
            None if pd.isna(r.completed_on) else r.completed_on.date().isoformat(),
            int(r.window),
        )
        for r in plan_rows
    )
    by_province = plan.groupby("province_code")[["actual", "target", "window"]].sum()
    provinces: list[Unit] = [
        (str(code), int(a), int(t), hundredths(int(a), int(t)), int(w))
        for code, (a, t, w) in by_province.iterrows()
    ]
    a, t, w = (int(plan[c].sum()) for c in ("actual", "target", "window"))
    return rows, sorted(provinces), ("national", a, t, hundredths(a, t), w)


# -- polars ----------------------------------------------------------------------------


def polars_peer(folder: Path, as_of: dt.date) -> Report:
    """The report in polars (lazy, streaming where it can)."""
    import tomllib  # noqa: PLC0415

    import polars as pl  # noqa: PLC0415

    meta = tomllib.loads((folder / "campaign.toml").read_text(encoding="utf-8"))
    start: dt.date = meta["start"]
    last = min(as_of, meta["end"])
    window_start = max(last - dt.timedelta(days=WINDOW_DAYS - 1), start)
    districts = pl.read_csv(folder / "districts.csv", infer_schema=False)
    targets = pl.read_csv(
        folder / "targets.csv", schema_overrides={"unit_code": pl.String, "target": pl.Int64}
    )
    daily = (
        pl.scan_csv(folder / "enrollments.csv", infer_schema=False)
        .select(
            "record_id",
            "participant_id",
            "district_code",
            pl.col("enrolled_on").str.to_date("%Y-%m-%d"),
        )
        .filter(
            pl.col("enrolled_on").is_between(start, last),
            pl.col("district_code").is_in(districts["code"].implode()),
        )
        .sort("enrolled_on", "record_id", "district_code")
        .unique("participant_id", keep="first")
        .group_by("district_code", "enrolled_on")
        .len("n")
        .collect()
    )
    plan = districts.join(targets, left_on="code", right_on="unit_code")
    totals = daily.group_by("district_code").agg(
        actual=pl.col("n").sum(),
        window=pl.col("n").filter(pl.col("enrolled_on") >= window_start).sum(),
    )
    done = (
        daily.join(plan.select("code", "target"), left_on="district_code", right_on="code")
        .sort("district_code", "enrolled_on")
        .with_columns(running=pl.col("n").cum_sum().over("district_code"))
        .filter(pl.col("running") >= pl.col("target"))
        .group_by("district_code")
        .agg(completed_on=pl.col("enrolled_on").min())
    )
    plan = (
        plan.join(totals, left_on="code", right_on="district_code", how="left")
        .join(done, left_on="code", right_on="district_code", how="left")
        .with_columns(pl.col("actual", "window").fill_null(0))
        .with_columns(
            rank_actual=pl.col("actual").rank("min", descending=True),
            rank_rate=(pl.col("actual") / pl.col("target")).rank("min", descending=True),
        )
    )
    rows: list[District] = sorted(
        (
            r["code"],
            r["actual"],
            r["target"],
            hundredths(r["actual"], r["target"]),
            r["rank_actual"],
            r["rank_rate"],
            r["completed_on"].isoformat() if r["completed_on"] else None,
            r["window"],
        )
        for r in plan.iter_rows(named=True)
    )
    by_province = plan.group_by("province_code").agg(pl.col("actual", "target", "window").sum())
    provinces: list[Unit] = sorted(
        (code, a, t, hundredths(a, t), w) for code, a, t, w in by_province.iter_rows()
    )
    a, t, w = (int(plan[c].sum()) for c in ("actual", "target", "window"))
    return rows, provinces, ("national", a, t, hundredths(a, t), w)


# -- DuckDB SQL ------------------------------------------------------------------------

_SQL = """
WITH districts AS (SELECT * FROM read_csv($districts, all_varchar = true)),
targets AS (SELECT unit_code, CAST(target AS BIGINT) AS target
            FROM read_csv($targets, all_varchar = true)),
firsts AS (
    SELECT participant_id,
           arg_min(district_code, (enrolled_on, record_id, district_code)) AS unit,
           min(enrolled_on) AS day
    FROM read_csv($records, header = true,
                  columns = {'record_id': 'VARCHAR', 'participant_id': 'VARCHAR',
                             'district_code': 'VARCHAR', 'enrolled_on': 'DATE'})
    WHERE enrolled_on BETWEEN $start AND $last
      AND district_code IN (SELECT code FROM districts)
    GROUP BY participant_id
),
daily AS (SELECT unit, day, count(*) AS n FROM firsts GROUP BY unit, day),
running AS (
    SELECT d.unit, d.day, sum(d.n) OVER (PARTITION BY d.unit ORDER BY d.day) AS total, t.target
    FROM daily d JOIN targets t ON t.unit_code = d.unit
),
plan AS (
    SELECT d.code, d.province_code, t.target,
           coalesce(sum(y.n), 0) AS actual,
           coalesce(sum(y.n) FILTER (WHERE y.day >= $window_start), 0) AS win
    FROM districts d JOIN targets t ON t.unit_code = d.code
    LEFT JOIN daily y ON y.unit = d.code
    GROUP BY d.code, d.province_code, t.target
)
SELECT p.code, p.province_code, p.actual, p.target, p.win,
       rank() OVER (ORDER BY p.actual DESC) AS rank_actual,
       rank() OVER (ORDER BY p.actual / p.target DESC) AS rank_rate,
       (SELECT min(r.day) FROM running r WHERE r.unit = p.code AND r.total >= r.target) AS done
FROM plan p
"""


def sql_parameters(folder: Path, as_of: dt.date) -> dict[str, object]:
    """The values `_SQL` binds for a campaign folder and an as-of day."""
    import tomllib  # noqa: PLC0415

    meta = tomllib.loads((folder / "campaign.toml").read_text(encoding="utf-8"))
    start: dt.date = meta["start"]
    last = min(as_of, meta["end"])
    return {
        "districts": str(folder / "districts.csv"),
        "targets": str(folder / "targets.csv"),
        "records": str(folder / "enrollments.csv"),
        "start": start,
        "last": last,
        "window_start": max(last - dt.timedelta(days=WINDOW_DAYS - 1), start),
    }


def duckdb_peer(folder: Path, as_of: dt.date) -> Report:
    """The report in one DuckDB SQL query (the provinces and the nation added up after)."""
    import duckdb  # noqa: PLC0415

    with duckdb.connect() as connection:
        result = connection.execute(_SQL, sql_parameters(folder, as_of)).fetchall()
    rows: list[District] = sorted(
        (
            code,
            int(a),
            int(t),
            hundredths(int(a), int(t)),
            int(ra),
            int(rr),
            done.isoformat() if done else None,
            int(w),
        )
        for code, _, a, t, w, ra, rr, done in result
    )
    sums: dict[str, list[int]] = {}
    for _, province, a, t, w, *_ in result:
        acc = sums.setdefault(province, [0, 0, 0])
        acc[0] += int(a)
        acc[1] += int(t)
        acc[2] += int(w)
    provinces: list[Unit] = sorted(
        (code, a, t, hundredths(a, t), w) for code, (a, t, w) in sums.items()
    )
    a, t, w = (sum(v[i] for v in sums.values()) for i in range(3))
    return rows, provinces, ("national", a, t, hundredths(a, t), w)


CONTENDERS: dict[str, Callable[[Path, dt.date], Report]] = {
    "ours-arrow": ours("arrow"),
    "ours-duckdb": ours("duckdb"),
    "ours-polars": ours("polars"),
    "ours-python": ours("python"),
    "duckdb-sql": duckdb_peer,
    "polars": polars_peer,
    "pandas": pandas_peer,
}
