"""Straighten a scanned page before OCR: the angle of its table rules and text lines, then a rotation.

A page fed to a scanner a little askew (0.5–2°) breaks the ruling finder (a tilted rule is no
longer one long pixel row) and the OCR's line detection. The angle is the one that makes the
page's dark pixels line up best in rows (the horizontal projection profile is sharpest when table
rules and text lines are level), searched coarse then fine; its *confidence* is how much sharper
the profile is at that angle than level. Specks of scanner noise (dark blobs of a few pixels) are
whitened when there are many. Layout only: nothing here knows the template.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..grid import ReaderIssue

MAX_ANGLE = 3.0  # degrees searched either way
COARSE_STEP = 0.25
FINE_STEP = 0.05
MIN_ANGLE = 0.15  # below this a page is left as it is
MIN_CONFIDENCE = 0.02
WORK_WIDTH = 800  # pixels: the angle is searched on a page scaled to this width
SPECK_SHARE = 0.0005  # isolated dark pixels above this share of the page: despeckle
MAX_SPECK_PX = 3  # dark blobs this small (pixels) are scanner specks, not strokes or points


@dataclass(frozen=True)
class Skew:
    """What straightening did to a page: ``angle`` in degrees (counter-clockwise rotation applied),
    ``confidence`` (0–1: how much sharper the rows are at that angle), ``denoised``."""

    angle: float
    confidence: float
    denoised: bool = False

    @property
    def applied(self) -> bool:
        return abs(self.angle) >= MIN_ANGLE and self.confidence >= MIN_CONFIDENCE


def _dark(gray):
    import cv2

    return cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 12)


def _rotate(image, angle: float, border: int):
    import cv2

    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _sharpness(mask, angle: float) -> float:
    import numpy as np

    rows = _rotate(mask, angle, 0).sum(axis=1, dtype=np.float64)
    return float((rows * rows).sum())


def estimate_angle(gray) -> tuple[float, float]:
    """(angle in degrees that levels the page, confidence 0–1) of a greyscale page image."""
    import cv2
    import numpy as np

    scale = min(1.0, WORK_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    mask = _dark(small).astype(np.float32)
    if mask.sum() == 0:
        return 0.0, 0.0
    level = _sharpness(mask, 0.0)
    steps = np.arange(-MAX_ANGLE, MAX_ANGLE + 1e-9, COARSE_STEP)
    scores = {float(a): _sharpness(mask, float(a)) for a in steps}
    best = max(scores, key=scores.get)
    for a in np.arange(best - COARSE_STEP, best + COARSE_STEP + 1e-9, FINE_STEP):
        scores[float(a)] = _sharpness(mask, float(a))
    best = max(scores, key=scores.get)
    confidence = (scores[best] - level) / scores[best] if scores[best] > 0 else 0.0
    return round(best, 2), round(max(0.0, confidence), 3)


def _specks(gray) -> float:
    """Share of the page's pixels that are dark specks with no dark neighbour."""
    import cv2
    import numpy as np

    dark = (gray < 128).astype(np.uint8)
    neighbours = cv2.filter2D(dark, -1, np.ones((3, 3), np.float32)) - dark
    return float(((dark == 1) & (neighbours == 0)).sum()) / dark.size


def straighten(pixels) -> tuple[object, Skew]:
    """``pixels`` (an RGB or grey page image) levelled and despeckled, with what was done."""
    import cv2

    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) if pixels.ndim == 3 else pixels
    denoised = _specks(gray) > SPECK_SHARE
    if denoised:
        # tiny blobs whitened (a median filter would thin one-pixel table rules away)
        import numpy as np

        n, labels, stats, _ = cv2.connectedComponentsWithStats((gray < 160).astype(np.uint8), connectivity=8)
        small = np.zeros(n, dtype=bool)
        small[1:] = stats[1:, cv2.CC_STAT_AREA] <= MAX_SPECK_PX
        pixels = pixels.copy()
        pixels[small[labels]] = 255
        gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) if pixels.ndim == 3 else pixels
    angle, confidence = estimate_angle(gray)
    skew = Skew(angle, confidence, denoised)
    if skew.applied:
        pixels = _rotate(pixels, angle, (255, 255, 255) if pixels.ndim == 3 else 255)
    return pixels, skew


def ocr_skew_issues(page: int, skew: Skew | None, props: dict) -> list[ReaderIssue]:
    """Record a page's skew in ``props["ocr_skew"]`` (page -> angle, confidence) and return the
    reader issue saying the page was straightened (an ``info`` note with angle and confidence)."""
    if skew is None:
        return []
    props.setdefault("ocr_skew", {})[page] = {"angle": skew.angle, "confidence": skew.confidence, "denoised": skew.denoised}
    if not skew.applied:
        return []
    return [ReaderIssue(
        "ocr_deskewed",
        f"page {page} was scanned rotated by {skew.angle:+.2f}° and straightened before OCR "
        f"(confidence {skew.confidence:.2f}{', specks removed' if skew.denoised else ''})",
        f"page {page}",
    )]


__all__ = ["Skew", "estimate_angle", "straighten", "ocr_skew_issues"]
