"""The HTML page in a real browser: Debian's headless Chromium, driven by Selenium.

Marked ``browser`` (so slow): they run with ``pytest -m browser`` where ``/usr/bin/chromium``
and ``/usr/bin/chromedriver`` exist (CI installs ``chromium`` and ``chromium-driver``). Nothing is downloaded:
Selenium is given Debian's chromedriver, so Selenium Manager never runs. Screenshots are
saved under ``build/`` for CI to keep as artifacts.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import bhxh_campaign as bc
from bhxh_campaign.render._collate import vi_sort_key
from bhxh_campaign.render._format import Lang
from bhxh_campaign.render.columns import COLUMNS
from bhxh_campaign.render.html import fingerprint_files, report_html, report_iframe

from .conftest import BULLETIN_DAY, EXAMPLE, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
BUILD = ROOT / "build"
TIMEOUT = 20  # seconds: the longest any explicit wait may take
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),  # one worker, one Chromium
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs /usr/bin/chromium and /usr/bin/chromedriver (apt: chromium chromium-driver)",
    ),
]

FIGURES = {"vi": ("1.928", "58,69%", "3.285"), "en": ("1,928", "58.69%", "3,285")}


@pytest.fixture(scope="module")
def pages(example: bc.CampaignBundle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's page in each language, written to a temporary folder."""
    folder = tmp_path_factory.mktemp("pages")
    fingerprint = fingerprint_files(
        EXAMPLE / n for n in ("campaign.toml", "districts.csv", "targets.csv", "enrollments.csv")
    )
    report = example.report(BULLETIN_DAY)
    counts = example.counts(BULLETIN_DAY)
    paths = {}
    for lang in ("vi", "en"):
        path = folder / f"report-{lang}.html"
        path.write_text(
            report_html(report, lang, counts=counts, fingerprint=fingerprint), encoding="utf-8"
        )
        paths[lang] = path
    return paths


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a fresh profile, closed at the end of the module."""
    profile = tempfile.mkdtemp(prefix="bhxh-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size=1100,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    browser.set_page_load_timeout(TIMEOUT)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: webdriver.Chrome, path: Path) -> None:
    """Load a page and wait until its script has turned the headers into buttons."""
    driver.get(path.as_uri())
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#league thead th button")) == len(COLUMNS)
    )


def console(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """The browser console's entries since the last call (Selenium leaves this untyped)."""
    get_log: Callable[[str], list[dict[str, Any]]] = driver.get_log
    return get_log("browser")


def full_page_png(driver: webdriver.Chrome) -> bytes:
    """A screenshot of the whole page, beyond the window, through the DevTools protocol."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    return base64.b64decode(shot["data"])


def first_names(driver: webdriver.Chrome) -> list[str]:
    cells = driver.find_elements(By.CSS_SELECTOR, "#league tbody tr th")
    return [cell.text.strip() for cell in cells]


class TestDumpDom:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_rendered_dom(self, pages: dict[str, Path], lang: Lang, tmp_path: Path) -> None:
        """Chromium's rendered DOM has the figures, ten rows and a button per column."""
        result = subprocess.run(
            [
                str(CHROMIUM),
                *FLAGS,
                f"--user-data-dir={tmp_path / 'profile'}",
                "--dump-dom",
                pages[lang].as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        dom = result.stdout
        for figure in FIGURES[lang]:
            assert figure in dom
        body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        assert body.count("<tr ") == 10
        assert dom.count('<button type="button">') == len(COLUMNS)


class TestReportPage:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_figures_rows_and_screenshot(
        self, driver: webdriver.Chrome, pages: dict[str, Path], lang: Lang
    ) -> None:
        """The headline figures and ten district rows show; a full-page screenshot is kept."""
        open_page(driver, pages[lang])
        figures = driver.find_element(By.CSS_SELECTOR, "dl.figures").text
        for figure in FIGURES[lang]:
            assert figure in figures
        assert len(driver.find_elements(By.CSS_SELECTOR, "#league tbody tr")) == 10
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
        shot = BUILD / f"report-{lang}.png"
        BUILD.mkdir(exist_ok=True)
        shot.write_bytes(full_page_png(driver))
        assert shot.stat().st_size > 10_000

    def test_click_completion_header(
        self, driver: webdriver.Chrome, pages: dict[str, Path]
    ) -> None:
        """Clicking the completion header puts Sơn Động (112,67%) first; again reverses."""
        open_page(driver, pages["vi"])
        assert first_names(driver)[0] == "Yên Dũng"
        header = driver.find_element(By.CSS_SELECTOR, 'th[data-key="percent"]')
        header.find_element(By.TAG_NAME, "button").click()
        WebDriverWait(driver, TIMEOUT).until(lambda d: first_names(d)[0] == "Sơn Động")
        assert first_names(driver)[:2] == ["Sơn Động", "Yên Dũng"]
        assert header.get_attribute("aria-sort") == "descending"
        header.find_element(By.TAG_NAME, "button").click()
        WebDriverWait(driver, TIMEOUT).until(lambda d: first_names(d)[0] == "Tân Yên")
        assert header.get_attribute("aria-sort") == "ascending"

    def test_sort_by_name_is_vietnamese(
        self, driver: webdriver.Chrome, pages: dict[str, Path]
    ) -> None:
        """The browser's Intl.Collator('vi') order agrees with the server's sort key."""
        open_page(driver, pages["vi"])
        cells = driver.find_elements(By.CSS_SELECTOR, "#league tbody tr th")
        server = [
            c.text.strip()
            for c in sorted(cells, key=lambda c: int(c.get_attribute("data-sort") or 0))
        ]
        driver.find_element(By.CSS_SELECTOR, 'th[data-key="district"] button').click()
        WebDriverWait(driver, TIMEOUT).until(lambda d: first_names(d)[0] == "Bắc Giang")
        assert first_names(driver) == server
        names = ["Yên Dũng", "Đông Anh", "Dương Kinh", "Ân Thi", "Anh Sơn", "An Lão", "Hà", "Há"]
        browser = driver.execute_script(
            "return arguments[0].slice().sort(new Intl.Collator('vi').compare);", names
        )
        assert browser == sorted(names, key=vi_sort_key)

    def test_no_console_errors(self, driver: webdriver.Chrome, pages: dict[str, Path]) -> None:
        """The page loads with no error in the console: nothing blocked, nothing failed."""
        console(driver)  # forget what earlier tests logged
        open_page(driver, pages["en"])
        errors = [e for e in console(driver) if e["level"] == "SEVERE"]
        assert errors == []


class TestReportIframe:
    def test_sorts_inside_the_frame(
        self, driver: webdriver.Chrome, example_report: bc.CampaignReport, tmp_path: Path
    ) -> None:
        """In a notebook-like host page the framed report renders and sorts."""
        host = tmp_path / "notebook.html"
        frame = report_iframe(example_report, "en", height=600)
        host.write_text(f"<!DOCTYPE html><title>notebook</title>{frame}", encoding="utf-8")
        driver.get(host.as_uri())
        driver.switch_to.frame(0)
        try:
            WebDriverWait(driver, TIMEOUT).until(
                lambda d: (
                    len(d.find_elements(By.CSS_SELECTOR, "#league thead th button")) == len(COLUMNS)
                )
            )
            assert "1,928" in driver.find_element(By.CSS_SELECTOR, "dl.figures").text
            driver.find_element(By.CSS_SELECTOR, 'th[data-key="percent"] button').click()
            WebDriverWait(driver, TIMEOUT).until(lambda d: first_names(d)[0] == "Sơn Động")
        finally:
            driver.switch_to.default_content()
