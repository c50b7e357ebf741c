"""Relevance maps as pictures: a symmetric diverging colour map, red for evidence for the
explained class, blue for evidence against it, white for none, each map scaled by its own
largest absolute value (as the heatmapping.org demos do). numpy and Pillow only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

UPSCALE = 10  # 28 x 28 -> 280 x 280, nearest neighbour: one block per pixel the network saw


def colour(relevance: np.ndarray) -> np.ndarray:
    """(H, W) relevance -> (H, W, 3) uint8: +max red (255, 0, 0), 0 white, -max blue (0, 0, 255)."""
    scale = float(np.abs(relevance).max())
    signed = relevance / scale if scale > 0 else np.zeros_like(relevance)
    positive, negative = np.clip(signed, 0, 1), np.clip(-signed, 0, 1)
    rgb = np.stack((1 - negative, 1 - positive - negative, 1 - positive), axis=-1)  # (H, W, 3)
    return np.round(rgb * 255).astype(np.uint8)


def save_heatmap(relevance: np.ndarray, path: Path, *, upscale: int = UPSCALE) -> None:
    image = Image.fromarray(colour(np.asarray(relevance, dtype=np.float64)))
    image.resize((image.width * upscale, image.height * upscale), Image.Resampling.NEAREST).save(path, format="PNG")
