#!/usr/bin/env bash
# Optional system packages some tests use (LibreOffice for .doc/.wps, the text converters). Installed when missing and
# when we may (root with apt-get); tests that need them skip cleanly otherwise.
set -u
# A CJK font, so that PDF fixtures using a non-embedded CJK font can be rendered to images (OCR tests).
if [ "${REPORT_EXTRACT_NO_SYSTEM_DEPS:-}" != "1" ] && ! fc-list :lang=zh 2>/dev/null | grep -q . \
   && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei) >/dev/null 2>&1 \
    || echo "note: could not install fonts-wqy-zenhei; the PDF OCR test will be skipped"
fi
# Headless Chromium + its WebDriver, for the test that opens the HTML comparison report in a real browser.
if [ "${REPORT_EXTRACT_NO_SYSTEM_DEPS:-}" != "1" ] && ! { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } \
   && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver) >/dev/null 2>&1 \
    || echo "note: could not install chromium/chromium-driver; the browser tests (HTML report, web page of report-extract serve) will be skipped"
fi
# The converters researchers turn PDF and Word attachments into text with (tests run them for real):
# pdftotext (poppler-utils), catdoc, docx2txt.
if [ "${REPORT_EXTRACT_NO_SYSTEM_DEPS:-}" != "1" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 \
   && ! { command -v pdftotext && command -v catdoc && command -v docx2txt; } >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils catdoc docx2txt) >/dev/null 2>&1 \
    || echo "note: could not install poppler-utils/catdoc/docx2txt; the converter-text tests will be skipped"
fi
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then exit 0; fi
if [ "${REPORT_EXTRACT_NO_SYSTEM_DEPS:-}" = "1" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer) >/dev/null 2>&1 \
    || echo "note: could not install libreoffice-writer; .doc/.wps tests will be skipped"
fi
exit 0
