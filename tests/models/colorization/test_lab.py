"""sRGB <-> Lab against scikit-image (rgb2lab / lab2rgb, D65) and round trips."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from skimage import color  # test-only dependency: pip install scikit-image

from models.colorization.lab import lab_to_linear_rgb, lab_to_rgb, lightness_to_grey, rgb_to_lab, rgb_to_lightness


def _random_rgb(dtype: torch.dtype) -> torch.Tensor:
    generator = torch.Generator().manual_seed(0)
    rgb = torch.rand(2, 3, 24, 20, generator=generator, dtype=torch.float64)
    rgb[0, :, 0, :4] = torch.tensor([[0.0, 1.0, 0.0, 1.0]] * 3).to(rgb)  # black, white, corners
    return rgb.to(dtype)


def _skimage(function, images: torch.Tensor) -> np.ndarray:
    # (B, 3, H, W) -> skimage's channel-last layout, image by image, and back
    out = [function(image.double().permute(1, 2, 0).numpy()) for image in images]
    return np.stack(out).transpose(0, 3, 1, 2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_rgb_to_lab_matches_skimage(dtype: torch.dtype) -> None:
    rgb = _random_rgb(dtype)
    expected = _skimage(color.rgb2lab, rgb)
    assert np.abs(rgb_to_lab(rgb).double().numpy() - expected).max() < 1e-3


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_lab_to_rgb_matches_skimage_including_out_of_gamut(dtype: torch.dtype) -> None:
    generator = torch.Generator().manual_seed(1)
    lab = torch.rand(2, 3, 16, 16, generator=generator, dtype=torch.float64)
    lab = (lab * torch.tensor([100.0, 220.0, 220.0]).view(3, 1, 1)
           - torch.tensor([0.0, 110.0, 110.0]).view(3, 1, 1)).to(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skimage warns about the negative Z it clips
        expected = _skimage(color.lab2rgb, lab)
    assert np.abs(lab_to_rgb(lab).double().numpy() - expected).max() < 1e-3


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_round_trip(dtype: torch.dtype) -> None:
    rgb = _random_rgb(dtype)
    assert (lab_to_rgb(rgb_to_lab(rgb)) - rgb).abs().max() < 1e-3


def test_known_values_and_shapes() -> None:
    # white is neutral up to skimage's matrix, whose rows do not sum exactly to D65 (ab ~ 5e-3)
    white = torch.ones(3, 1, 1, dtype=torch.float64)
    assert torch.allclose(rgb_to_lab(white).flatten(), torch.tensor([100.0, 0.0, 0.0]).double(), atol=1e-2)
    assert torch.allclose(rgb_to_lab(torch.zeros(3, 1, 1)).flatten(), torch.zeros(3), atol=1e-3)
    assert rgb_to_lab(torch.rand(4, 2, 3, 5, 7)).shape == (4, 2, 3, 5, 7)
    # a saturated Lab colour lies outside sRGB: unclipped linear RGB leaves [0, 1]
    outside = lab_to_linear_rgb(torch.tensor([50.0, 0.0, -110.0]).view(3, 1, 1))
    assert ((outside < 0) | (outside > 1)).any()


def test_lightness_alone_matches_the_full_conversion() -> None:
    rgb = torch.rand(2, 3, 17, 23, dtype=torch.float64)
    assert torch.allclose(rgb_to_lightness(rgb), rgb_to_lab(rgb)[:, :1], atol=1e-6)


def test_grey_of_a_lightness_is_lab_with_no_chroma() -> None:
    light = torch.linspace(0, 100, 101, dtype=torch.float64).view(1, 1, 101)
    neutral = torch.cat((light, torch.zeros(2, 1, 101, dtype=torch.float64)))
    # 1e-4, not 1e-6: the matrix maps white to (0.950456, 1, 1.088754), a hair off D65
    assert torch.allclose(lightness_to_grey(light).expand(3, -1, -1), lab_to_rgb(neutral), atol=1e-4)
