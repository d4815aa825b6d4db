"""The HTML comparison report in a real headless Chromium (Debian ``chromium`` + ``chromium-driver``,
driven by Selenium): no console errors, no network requests, charts rendered with Chinese labels.

Screenshots go to ``tests/artifacts/`` (ignored by git); their paths are printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser import chromium, requires_chromium
from conftest import ROOT

pytest.importorskip("altair", reason="the report needs the 'report' extra: pip install 'report_extract[report]'")
pytest.importorskip("vl_convert", reason="the report needs the 'report' extra: pip install 'report_extract[report]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="browser tests need selenium: pip install selenium")

ARTIFACTS = ROOT / "tests" / "artifacts"
SHARED = ROOT.parent / "shared"
pytestmark = requires_chromium


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path / "profile", "1200,900") as driver:
        yield driver


def _report(tmp_path: Path, inputs: list[Path], name: str, **kw) -> Path:
    import report_extract as rx
    from report_extract.html_report import build_report, write_outputs

    rs = rx.read_reports(inputs, jobs=1)
    cmp = build_report(rs, **kw)
    return write_outputs(cmp, tmp_path / f"{name}.html", ["html"])[0]


def _open_and_check(driver, page: Path, shot: str) -> dict:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get_log("performance")  # drop the start-up tab's internal (chrome://) requests
    driver.get_log("browser")
    driver.get(page.as_uri())
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script(
            "var c = document.querySelectorAll('.chart'); if (!c.length) return false;"
            "return Array.prototype.every.call(c, function(e){ return e.getAttribute('data-rendered') === '1'; });"))
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    assert urls, "the performance log recorded no request at all (not even the page)"
    assert [u for u in urls if not u.startswith(("file://", "data:", "blob:", "about:"))] == []
    info = driver.execute_script("""
        var out = {};
        document.querySelectorAll('.chart').forEach(function(c){
          var svg = c.querySelector('svg');
          out[c.id] = {marks: svg ? svg.querySelectorAll('path, rect, line').length : 0,
                       text: svg ? svg.textContent : ''};
        });
        return out;""")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{shot}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return info


def test_report_renders_offline_with_chinese_labels(browser, tmp_path):
    page = _report(tmp_path, [ROOT / "fixtures" / "examples"], "examples", indicator="received", year=2024)
    info = _open_and_check(browser, page, "report_examples")
    assert set(info) == {"chart-ranking", "chart-timeseries", "chart-outcomes", "chart-quality"}
    for chart_id, chart in info.items():
        assert chart["marks"] > 5, chart_id
    assert "发布机关" in info["chart-ranking"]["text"]
    assert "芷江侗族自治县罗旧镇" in info["chart-ranking"]["text"]
    assert "予以公开" in info["chart-outcomes"]["text"]
    # the summary table sorts on a click
    from selenium.webdriver.common.by import By

    header = browser.find_elements(By.CSS_SELECTOR, "#summary-table th")[4]  # received
    header.click()
    header.click()  # descending
    first = browser.find_element(By.CSS_SELECTOR, "#summary-table tbody tr td").text
    assert first == "楠木坪镇"  # 543 received, the most of the bundled examples


@pytest.mark.skipif(not (SHARED / "archive" / "docs").is_dir(), reason="../shared/archive not available")
def test_report_on_the_archive(browser, tmp_path):
    page = _report(tmp_path, [SHARED / "archive" / "docs"], "archive", indicator="received", level="department")
    info = _open_and_check(browser, page, "report_archive")
    assert "平潭综合实验区" in info["chart-ranking"]["text"]
    assert info["chart-timeseries"]["marks"] > 10
