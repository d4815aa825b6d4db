"""The web page of ``report-extract serve`` end to end in a real headless Chromium (Debian
``chromium`` + ``chromium-driver``, driven by Selenium): the server runs in a subprocess on a
free localhost port; files go in through the page's file input; the tables, the highlighted
failed checks, the unreadable file's reason and the XLSX download are checked against the API.

Screenshots go to ``tests/artifacts/`` (ignored by git); their paths are printed.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from browser import chromium, requires_chromium
from conftest import DOCS, LABELS, ROOT

pytest.importorskip("starlette", reason="the web app needs the 'serve' extra: pip install 'report_extract[serve]'")
pytest.importorskip("uvicorn", reason="the web app needs the 'serve' extra: pip install 'report_extract[serve]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="browser tests need selenium: pip install selenium")

ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = requires_chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "report_extract.cli", "serve", "--port", str(port), "--jobs", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail(f"the server stopped: {proc.stderr.read()}")
            try:
                urllib.request.urlopen(url + "/api/dictionary", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    assert f"http://127.0.0.1:{port}/" in proc.stderr.read()  # the address is printed


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path / "profile", "1280,1000") as driver:
        yield driver


def _corpus_with_publisher_errors() -> Path | None:
    """A corpus document whose printed numbers fail checks (its label's ``published_check_failures``)."""
    if not LABELS.is_dir():
        return None
    for meta in sorted(LABELS.glob("*.meta.json")):
        if json.loads(meta.read_text(encoding="utf-8")).get("published_check_failures"):
            doc = DOCS / meta.name.removesuffix(".meta.json")
            if doc.is_file():
                return doc
    return None


def _fixtures(folder: Path) -> list[Path]:
    from report_synth import make_report
    from report_synth.docx import render_docx
    from report_synth.html import render_html
    from report_synth.pdf import render_pdf
    from report_synth.text import render_text

    files = {
        "报告甲.pdf": render_pdf(make_report(41, publisher_error=True)),
        "报告乙.docx": render_docx(make_report(42)),
        "报告丙.html": render_html(make_report(43)),
        "损坏的文件.pdf": b"%PDF-1.5\n% cut short",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("文件夹/报告丁.txt", render_text(make_report(44)))
    files["一批.zip"] = buf.getvalue()
    paths = []
    for name, data in files.items():
        p = folder / name
        p.write_bytes(data)
        paths.append(p)
    corpus = _corpus_with_publisher_errors()
    if corpus is not None:
        paths.append(corpus)
    return paths


def _api_read(url: str, paths: list[Path]) -> list[dict]:
    import httpx

    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    r = httpx.post(url + "/api/read", files=files, timeout=600)
    r.raise_for_status()
    return r.json()


def _shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


PAGE_CELLS = """
var out = {};
document.querySelectorAll('article.report').forEach(function(a){
  var cells = {};
  a.querySelectorAll('td[data-cell]').forEach(function(td){
    cells[td.getAttribute('data-cell')] = {text: td.firstChild ? td.firstChild.textContent : '',
      classes: td.className, title: td.getAttribute('title') || ''};
  });
  out[a.getAttribute('data-name')] = {cells: cells, error: a.getAttribute('data-error'),
    reason: (a.querySelector('.error-reason') || {}).textContent || null, text: a.textContent};
});
return out;
"""


def _involved(dictionary: dict, check: dict) -> list[str]:
    fam = next(f for f in dictionary["checks"] if f["family"] == check["family"])
    key = check["check"][len(fam["family"]) + 1:]
    return [f"{fam['table']}.{p}.{key}" if fam["axis"] == "column" else f"{fam['table']}.{key}.{p}"
            for p in fam["lhs"] + fam["rhs"]]


def test_upload_view_and_download(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    paths = _fixtures(tmp_path)
    api = _api_read(server, paths)
    dictionary = json.loads(urllib.request.urlopen(server + "/api/dictionary").read())

    browser.get("about:blank")
    browser.get_log("performance")
    browser.get(server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.body.getAttribute('data-ready')") == "1")
    _shot(browser, "serve_empty")
    browser.find_element(By.ID, "file-input").send_keys("\n".join(str(p) for p in paths))
    WebDriverWait(browser, 600).until(lambda d: d.execute_script("return document.body.getAttribute('data-loaded')"))
    page = browser.execute_script(PAGE_CELLS)
    _shot(browser, "serve_results")

    # one entry per file in upload order, the ZIP unpacked in place
    names = [e["name"] for e in api]
    assert names[:5] == ["报告甲.pdf", "报告乙.docx", "报告丙.html", "损坏的文件.pdf", "一批.zip/文件夹/报告丁.txt"]
    assert sorted(page) == sorted(names)  # (the browser lists the chosen files in its own order)
    # the tables show every printed number in place, as the API gives them
    for entry in api:
        shown = page[entry["name"]]
        if "error" in entry:
            assert shown["error"] == entry["error"]["code"] == "corrupt_input"
            assert shown["reason"] == entry["error"]["reason"]
            continue
        assert entry["cells"], entry["name"]
        for cell in entry["cells"]:
            key = f"{cell['table']}.{cell['row']}.{cell['column']}"
            assert shown["cells"][key]["text"] == cell["raw"], (entry["name"], key)
        assert entry["meta"]["agency"] in shown["text"]
        # failed checks highlighted on the cells they involve, with expected and actual sums
        failed = [c for c in entry["checks"] if not c["passed"]]
        for check in failed:
            for key in _involved(dictionary, check):
                if key in shown["cells"] and "missing" not in shown["cells"][key]["classes"]:
                    assert "check-failed" in shown["cells"][key]["classes"], (entry["name"], check["check"], key)
                    assert f"应为 {check['expected']:g}，实为 {check['actual']:g}" in shown["cells"][key]["title"]
        highlighted = [k for k, c in shown["cells"].items() if "check-failed" in c["classes"]]
        assert bool(highlighted) == bool(failed), entry["name"]
    assert [c for c in api[0]["checks"] if not c["passed"]], "the synthetic publisher error fails a check"
    if len(api) > 5:  # the corpus report with publisher errors
        assert [c for c in api[5]["checks"] if not c["passed"]]
        name = api[5]["name"]
        row = next(a for a in browser.find_elements(By.CSS_SELECTOR, "article.report")
                   if a.get_attribute("data-name") == name).find_element(By.CSS_SELECTOR, "td.check-failed")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", row)
        _shot(browser, "serve_corpus_failed_check")
    card = browser.find_element(By.CSS_SELECTOR, "article.report[data-error]")  # the corrupt file's card
    assert "损坏的文件.pdf" in card.text and "无法读取" in card.text
    browser.execute_script("arguments[0].scrollIntoView();", card)
    _shot(browser, "serve_corrupt_file")

    # the batch's comparison (rankings, time series, data quality) in its frame, charts drawn
    frame_js = "var d = document.getElementById('compare').contentDocument; return d ? d.querySelectorAll('.chart[data-rendered=\"1\"]').length : 0;"
    browser.execute_script("document.getElementById('compare-box').scrollIntoView();")
    WebDriverWait(browser, 120).until(lambda d: d.execute_script(frame_js) >= 3)
    frame_text = browser.execute_script("return document.getElementById('compare').contentDocument.body.textContent;")
    assert "排名" in frame_text and "数据质量" in frame_text
    _shot(browser, "serve_comparison")

    # nothing requested beyond the local server
    urls = [json.loads(e["message"])["message"]["params"]["request"]["url"] for e in browser.get_log("performance")
            if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
    assert urls and [u for u in urls if not u.startswith((server, "data:", "blob:", "about:"))] == []
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors

    # the XLSX download, read back
    openpyxl = pytest.importorskip("openpyxl")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.find_element(By.ID, "dl-xlsx").click()
    WebDriverWait(browser, 120).until(lambda _d: (downloads / "reports.xlsx").is_file()
                                      and not list(downloads.glob("*.crdownload")))
    wb = openpyxl.load_workbook(downloads / "reports.xlsx")
    sheet = wb["reports"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == sum("meta" in e for e in api)
    agencies = {e["meta"]["agency"] for e in api if "meta" in e}
    assert agencies <= {v for r in rows for v in r.values()}


def test_folder_upload(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from report_synth import make_report
    from report_synth.text import render_text

    folder = tmp_path / "年报"
    (folder / "2024").mkdir(parents=True)
    (folder / "甲.txt").write_text(render_text(make_report(61)), encoding="utf-8")
    (folder / "2024" / "乙.txt").write_text(render_text(make_report(62)), encoding="utf-8")
    browser.get(server + "/")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.body.getAttribute('data-ready')") == "1")
    browser.find_element(By.ID, "folder-input").send_keys(str(folder))
    WebDriverWait(browser, 300).until(lambda d: d.execute_script("return document.body.getAttribute('data-loaded')"))
    cards = {a.get_attribute("data-name"): a.text for a in browser.find_elements(By.CSS_SELECTOR, "article.report")}
    assert set(cards) == {"年报/甲.txt", "年报/2024/乙.txt"}
    assert make_report(61).agency in cards["年报/甲.txt"] and make_report(62).agency in cards["年报/2024/乙.txt"]
    _shot(browser, "serve_folder")
