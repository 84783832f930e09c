"""`daily_counts_frame` on PySpark DataFrames (``local[2]``): run with ``pytest -m spark``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bhxh_campaign import daily_counts
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.engines import daily_counts_frame
from bhxh_campaign.strategies import campaign_bundles

pytestmark = [
    pytest.mark.spark,
    pytest.mark.xdist_group("spark"),  # one worker, one Spark session
    # pyspark warns that it does not yet fully support pandas 3; it is not used here.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bac_giang_2023"
BULLETIN_DAY = dt.date(2023, 5, 18)
HEADER = ("record_id", "participant_id", "district_code", "enrolled_on")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local Spark session with two cores, stopped after the module."""
    from pyspark.sql import SparkSession  # noqa: PLC0415 - only with -m spark

    session = (
        SparkSession.builder.master("local[2]")
        .appName("bhxh-campaign-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "Asia/Ho_Chi_Minh")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


class TestDailyCountsFrameOnSpark:
    """`daily_counts_frame` pushes the count down to Spark and gets the pure path's value."""

    def test_example_csv(self, spark: Any, example: CampaignBundle) -> None:
        """Spark reading the example's CSV gives the example's counts, tallies included."""
        frame = spark.read.csv(str(EXAMPLE / "enrollments.csv"), header=True)
        units = [d.code for d in example.districts]
        got = daily_counts_frame(frame, example.campaign, as_of=BULLETIN_DAY, units=units)
        assert got == example.counts(BULLETIN_DAY)
        assert got.total() == 1928

    def test_date_column(self, spark: Any, example: CampaignBundle) -> None:
        """A DATE-typed enrolled_on counts like its ISO text."""
        frame = spark.read.csv(str(EXAMPLE / "enrollments.csv"), header=True)
        frame = frame.withColumn("enrolled_on", frame["enrolled_on"].cast("date"))
        got = daily_counts_frame(frame, example.campaign, as_of=BULLETIN_DAY)
        assert got == daily_counts(example.records, example.campaign, as_of=BULLETIN_DAY)

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(bundle=campaign_bundles(), data=st.data())
    def test_matches_python(self, spark: Any, bundle: CampaignBundle, data: st.DataObject) -> None:
        """On any bundle, Spark's DailyCounts equal the pure path's."""
        campaign = bundle.campaign
        as_of = data.draw(st.none() | st.dates(campaign.start, campaign.end), label="as_of")
        units = data.draw(st.none() | st.just([d.code for d in bundle.districts]), label="units")
        rows = [
            (r.record_id, r.participant_id, r.district_code, r.enrolled_on.isoformat())
            for r in bundle.records
        ]
        frame = spark.createDataFrame(rows, schema=", ".join(f"{c} string" for c in HEADER))
        expected = daily_counts(bundle.records, campaign, as_of=as_of, units=units)
        assert daily_counts_frame(frame, campaign, as_of=as_of, units=units) == expected
