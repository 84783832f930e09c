"""Shared test settings: Hypothesis profiles and the bundled example."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import bhxh_campaign as bc

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bac_giang_2023"
BULLETIN_DAY = dt.date(2023, 5, 18)


@pytest.fixture(scope="session")
def example() -> bc.CampaignBundle:
    """The bundled Bắc Giang example, loaded once."""
    return bc.load_campaign(EXAMPLE)


@pytest.fixture(scope="session")
def example_report(example: bc.CampaignBundle) -> bc.CampaignReport:
    """The example's report as of the bulletin's day, 18/05/2023."""
    return example.report(BULLETIN_DAY)
