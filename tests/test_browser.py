"""Open the reports in headless Chromium as a reader would: no console errors, a screenshot kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ARTIFACTS

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver must be installed in CI (.ci/run installs them)")
        pytest.skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,2000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.parametrize("page", ["index.html", "quality/customers.html", "summary.html"])
def test_report_loads_without_console_errors(browser, sample_report_dir: Path, page: str) -> None:
    browser.get((sample_report_dir / page).as_uri())
    assert "Harbour Physio Group" in browser.page_source
    assert console_errors(browser) == []
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{page.replace('/', '_').replace('.html', '')}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_index_links_open_the_stage_reports(browser, sample_report_dir: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get((sample_report_dir / "index.html").as_uri())
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href$='.html']")]
    expected = sorted(str(p.relative_to(sample_report_dir)) for p in sample_report_dir.rglob("*.html"))
    expected.remove("index.html")
    assert sorted(link.split("harbour-physio-group/")[1] for link in links) == expected
    for link in links:
        browser.get(link)
        assert "Harbour Physio Group" in browser.page_source
        assert console_errors(browser) == []
