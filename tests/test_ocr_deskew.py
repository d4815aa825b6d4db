"""Scans fed a little askew: the page angle is found and the page levelled before OCR."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import report_extract as rx
from report_synth import make_report


def _cv2():
    return pytest.importorskip("cv2", reason="the ocr extra (opencv via rapidocr-onnxruntime) is not installed")


def _page(angle: float):
    """A synthetic page: a ruled table and lines of text-like dashes, rotated by ``angle``."""
    cv2 = _cv2()
    import numpy as np

    img = np.full((1100, 800), 255, np.uint8)
    for y in range(200, 700, 40):
        cv2.line(img, (80, y), (720, y), 0, 1)
    for x in (80, 300, 500, 720):
        cv2.line(img, (x, 200), (x, 680), 0, 1)
    for y in range(760, 1000, 30):
        for x in range(80, 700, 24):
            cv2.rectangle(img, (x, y), (x + 14, y + 12), 0, -1)
    m = cv2.getRotationMatrix2D((400, 550), angle, 1.0)
    return cv2.warpAffine(img, m, (800, 1100), borderValue=255)


@pytest.mark.parametrize("angle", [-2.0, -0.6, 0.8, 1.5])
def test_the_angle_of_a_rotated_page_is_found(angle):
    from report_extract.readers.ocr_deskew import estimate_angle, straighten

    found, confidence = estimate_angle(_page(angle))
    assert abs(found + angle) <= 0.1  # the rotation that levels it undoes the skew
    assert confidence > 0.1
    levelled, skew = straighten(_page(angle))
    assert skew.applied and abs(skew.angle + angle) <= 0.1
    again, _ = estimate_angle(levelled)
    assert abs(again) <= 0.1


def test_a_level_page_is_left_alone_and_specks_are_whitened():
    import numpy as np

    from report_extract.readers.ocr_deskew import straighten

    page = _page(0.0)
    rng = np.random.default_rng(0)
    noisy = page.copy()
    ys, xs = rng.integers(0, 1100, 2000), rng.integers(0, 800, 2000)
    noisy[ys, xs] = 0
    out, skew = straighten(noisy)
    assert not skew.applied and skew.denoised
    # the specks are gone, the one-pixel rules are kept
    assert int((out < 128).sum()) <= int((page < 128).sum()) * 1.02
    assert (out[200, 100:700] < 128).all()


def _cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout.strip())


def _right(r: rx.Report, rep) -> int:
    got = r.cells.set_index(["table", "row", "column"])["value"]
    truth = rep.truth().set_index(["table", "row", "column"])["value"]
    return sum(1 for k, v in truth.items() if k in got.index and (got[k] == v or (v != v and got[k] != got[k])))


def test_a_rotated_noisy_scan_reads_like_a_level_one():
    """Slow (two OCR runs): a scan rotated 1.2° (alternating per page), speckled and JPEG'd reads
    as well as the same scan level, reports the angle per page and flags what it misses."""
    from report_extract.readers import ocr
    from report_synth.pdf import render_pdf
    from report_synth.scan import skewed_scan

    if not ocr.available():
        pytest.skip("the ocr extra (rapidocr-onnxruntime) is not installed")
    if not _cjk_font():
        pytest.skip("no CJK system font to render the fixture with (scripts/system-deps.sh installs one)")
    rep = make_report(0, "2021")
    vector = render_pdf(rep, white_boxes=False)
    level = rx.read_report(skewed_scan(vector, 0.0), format="pdf")
    rotated = rx.read_report(skewed_scan(vector, 1.2), format="pdf")
    skew = rotated.meta["properties"]["ocr_skew"]
    assert abs(skew[1]["angle"] + 1.2) <= 0.15 and abs(skew[2]["angle"] - 1.2) <= 0.15
    assert "ocr_deskewed" in set(rotated.issues["code"])
    assert _right(rotated, rep) >= 0.95 * _right(level, rep)
    assert _right(rotated, rep) >= 0.75 * len(rep.truth())
    if _right(rotated, rep) < len(rep.truth()):
        assert rotated.issues["severity"].isin(["warning", "error"]).any()
