"""Uploads and drawings brought to MNIST's format: ink found, box 20 x 20, centre of mass at
the centre; and digits drawn off-centre, at another scale, are still recognised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from models.lrp import preprocess


def _as_image(digit: torch.Tensor, *, size: tuple[int, int]) -> Image.Image:
    """A 28 x 28 digit (ink bright) enlarged to `size` (width, height) with its aspect changed."""
    return Image.fromarray((digit.numpy() * 255).astype(np.uint8)).resize(size, Image.Resampling.BILINEAR)


def _drawing(digit: torch.Tensor, path: Path, *, canvas=(320, 240), size=(100, 150), at=(200, 60)) -> Path:
    """Dark ink on white paper, off-centre and at another scale than MNIST's."""
    paper = Image.new("L", canvas, 255)
    paper.paste(Image.eval(_as_image(digit, size=size), lambda value: 255 - value), at)
    paper.save(path)
    return path


def test_a_drawing_off_centre_and_at_another_scale_is_recognised(shipped, digits, tmp_path: Path) -> None:
    images, labels = digits
    placements = [dict(size=(100, 150), at=(200, 60)), dict(size=(60, 60), at=(10, 10)),
                  dict(size=(200, 230), at=(0, 5))]
    correct = 0
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        path = _drawing(image[0], tmp_path / f"{i}.png", **placements[i % 3])
        pixels = torch.from_numpy(preprocess.digit_from_image(path)).view(1, 1, 28, 28)
        with torch.no_grad():
            correct += int(shipped(pixels).argmax()) == int(label)
    assert correct >= len(labels) - 1  # 20 digits, two of each class


def test_the_result_has_mnist_geometry(digits, tmp_path: Path) -> None:
    digit = _drawing(digits[0][3, 0], tmp_path / "d.png", size=(90, 180), at=(5, 40))
    pixels = preprocess.digit_from_image(digit)
    assert pixels.shape == (28, 28) and pixels.dtype == np.float32
    assert pixels.min() >= 0 and pixels.max() == pytest.approx(1, abs=1e-6)
    rows, cols = np.nonzero(pixels > 0.1)
    assert max(rows.max() - rows.min() + 1, cols.max() - cols.min() + 1) in (19, 20, 21)
    centre = preprocess.centre_of_mass(pixels)
    assert abs(centre[0] - 14) <= 0.5 and abs(centre[1] - 14) <= 0.5


def test_a_canvas_with_a_transparent_background_uses_the_strokes(digits, tmp_path: Path) -> None:
    ink = np.asarray(_as_image(digits[0][5, 0], size=(200, 200)))
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[..., :3] = 20  # black strokes on a transparent canvas: grey alone would see nothing
    rgba[40:240, 40:240, 3] = ink
    Image.fromarray(rgba).save(tmp_path / "canvas.png")
    from_alpha = preprocess.digit_from_image(tmp_path / "canvas.png")
    Image.fromarray(ink).save(tmp_path / "grey.png")
    assert np.abs(from_alpha - preprocess.digit_from_image(tmp_path / "grey.png")).max() < 0.02


def test_light_ink_on_dark_and_dark_ink_on_light_give_the_same_digit(digits, tmp_path: Path) -> None:
    digit = _as_image(digits[0][7, 0], size=(140, 140))
    digit.save(tmp_path / "light-on-dark.png")
    Image.eval(digit, lambda value: 255 - value).convert("RGB").save(tmp_path / "dark-on-light.png")
    a, b = (preprocess.digit_from_image(tmp_path / name) for name in ("light-on-dark.png", "dark-on-light.png"))
    assert np.abs(a - b).max() < 0.02


def test_an_mnist_digit_is_almost_unchanged(digits) -> None:
    digit = digits[0][9, 0].numpy()
    assert np.abs(preprocess.normalise_digit(digit) - digit).mean() < 0.05


@pytest.mark.parametrize("fill", [0, 255])
def test_a_blank_picture_is_refused(tmp_path: Path, fill: int) -> None:
    Image.new("L", (50, 40), fill).save(tmp_path / "blank.png")
    with pytest.raises(ValueError, match="no digit found"):
        preprocess.digit_from_image(tmp_path / "blank.png")


def test_a_thin_stroke_keeps_its_aspect(tmp_path: Path) -> None:
    stroke = np.zeros((300, 300), dtype=np.uint8)
    stroke[20:280, 148:153] = 255  # a "1": 260 tall, 5 wide
    Image.fromarray(stroke).save(tmp_path / "one.png")
    pixels = preprocess.digit_from_image(tmp_path / "one.png")
    rows, cols = np.nonzero(pixels > 0.1)
    assert rows.max() - rows.min() + 1 == 20 and cols.max() - cols.min() + 1 <= 2
