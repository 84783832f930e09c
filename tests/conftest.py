"""Shared test settings: Hypothesis profiles, the slow tests and the bundled example.

Hypothesis: the ``dev`` profile (the default) tries 25 examples a property, for a quick
answer; ``.ci/run`` sets ``HYPOTHESIS_PROFILE=ci`` for 100.

Slow tests: a test marked ``notebook``, ``browser``, ``spark`` or ``dask`` is also ``slow``,
and ``-m "not slow"`` in pyproject's addopts leaves the slow tests out of a plain ``pytest``
(the header says so). After ``pip install -e '.[test-slow]'``, ``pytest -m slow --cov-append``
runs only them and checks the coverage of both runs together (alone they cover too little for
the 95% gate: add ``--no-cov``); ``pytest -m ""`` runs everything. ``.ci/run`` runs the
README's test line, then ``pytest -m slow --cov-append`` with ``BHXH_CI=1``: there a slow test
that skips (no Chromium, say) fails, and so does a test file whose extra is missing, so CI
cannot pass without them.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Generator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import bhxh_campaign as bc

settings.register_profile(
    "dev",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
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

SLOW_MARKERS = ("notebook", "browser", "spark", "dask")
DEFAULT_MARKEXPR = "not slow"  # pyproject's addopts
CI = os.environ.get("BHXH_CI") == "1"

# Test files that import, at their top, a package only a slow-test extra installs: without it
# they are not collected (the header says so), except in CI, where the import error fails.
NEEDS = {"test_browser.py": ("selenium", "browser")}
collect_ignore = [
    name
    for name, (module, _) in NEEDS.items()
    if not CI and importlib.util.find_spec(module) is None
]


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which tests a plain ``pytest`` leaves out, and how to run them."""
    lines = []
    if config.option.markexpr == DEFAULT_MARKEXPR:
        lines.append(
            "slow tests (notebook, browser, spark, dask, big files) deselected: "
            "pytest -m slow --cov-append runs them after this run, pytest -m '' runs everything"
        )
    lines.extend(
        f"tests/{name} not collected: {NEEDS[name][0]} is not installed "
        f"(pip install -e '.[{NEEDS[name][1]}]')"
        for name in collect_ignore
    )
    if CI:
        lines.append("BHXH_CI=1: a slow test that skips fails")
    return lines


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked notebook, browser, spark or dask is slow too (before ``-m`` selects)."""
    for item in items:
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """With BHXH_CI=1, a slow test that skips is a failure: CI must run it."""
    report = yield
    if (
        CI
        and report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("slow")
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} skipped, but CI (BHXH_CI=1) must run it: {reason}"
    return report


@pytest.fixture(scope="session")
def example() -> bc.CampaignBundle:
    """The bundled Bắc Giang example, loaded once."""
    return bc.load_campaign(EXAMPLE)


@pytest.fixture(scope="session")
def example_report(example: bc.CampaignBundle) -> bc.CampaignReport:
    """The example's report as of the bulletin's day, 18/05/2023."""
    return example.report(BULLETIN_DAY)
