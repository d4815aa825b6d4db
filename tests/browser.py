"""Headless Chromium for the browser tests (Debian ``chromium`` + ``chromium-driver``, driven by
Selenium): where the binaries are, the flags that keep it off the network, and one driver per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)

requires_chromium = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="headless Chromium not installed: apt-get install chromium chromium-driver (scripts/system-deps.sh)",
)

# no background traffic: this machine's network is closed, and a test must see only its own requests
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@contextmanager
def chromium(profile: Path, window: str = "1200,900") -> Iterator:
    """A Selenium driver on a fresh profile, with the browser console and network logs kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for f in [*FLAGS, f"--window-size={window}", f"--user-data-dir={profile}"]:
        opts.add_argument(f)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
