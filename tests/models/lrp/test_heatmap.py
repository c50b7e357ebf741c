"""The heatmap picture: symmetric red/blue colours, scaled per map, upscaled 10x."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from models.lrp.heatmap import colour, save_heatmap


def test_colours_are_symmetric_around_white() -> None:
    relevance = np.array([[2.0, -2.0, 0.0, 1.0, -1.0]])
    rgb = colour(relevance)[0]
    assert rgb[0].tolist() == [255, 0, 0] and rgb[1].tolist() == [0, 0, 255] and rgb[2].tolist() == [255, 255, 255]
    assert rgb[3].tolist() == [255, 128, 128] and rgb[4].tolist() == [128, 128, 255]
    assert (colour(np.zeros((2, 2))) == 255).all()  # an empty map is white, not nan


def test_the_picture_is_the_map_upscaled(tmp_path: Path) -> None:
    relevance = np.zeros((28, 28))
    relevance[3, 5] = 1.0
    save_heatmap(relevance, tmp_path / "map.png")
    with Image.open(tmp_path / "map.png") as image:
        assert image.size == (280, 280) and image.mode == "RGB"
        pixels = np.asarray(image)
    assert (pixels[30:40, 50:60] == [255, 0, 0]).all() and (pixels[:30] == 255).all()
