"""Scans as they come off a real scanner: pages slightly rotated, speckled and JPEG-compressed."""

from __future__ import annotations

import io
import random


def skewed_scan(pdf: bytes, angle: float = 1.0, *, dpi: int = 200, noise: float = 0.002, jpeg: int | None = 70, seed: int = 0) -> bytes:
    """The pages of ``pdf`` as an image-only PDF at ``dpi``, each rotated by ``angle`` degrees
    (counter-clockwise; the sign alternating from page to page), with a share ``noise`` of pixels
    turned to dark or light specks and JPEG compression at quality ``jpeg`` (None: lossless)."""
    import pdfplumber
    from PIL import Image

    rng = random.Random(seed)
    images: list[Image.Image] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i, page in enumerate(doc.pages):
            image = page.to_image(resolution=dpi).original.convert("L")
            a = angle if i % 2 == 0 else -angle
            image = image.rotate(a, resample=Image.BICUBIC, expand=False, fillcolor=255)
            if noise:
                px = image.load()
                w, h = image.size
                for _ in range(int(w * h * noise)):
                    x, y = rng.randrange(w), rng.randrange(h)
                    px[x, y] = rng.choice((0, 60, 200, 255))
            if jpeg is not None:
                buf = io.BytesIO()
                image.save(buf, "JPEG", quality=jpeg)
                image = Image.open(io.BytesIO(buf.getvalue())).convert("L")
            images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out.getvalue()


__all__ = ["skewed_scan"]
