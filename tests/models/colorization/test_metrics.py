"""The model card's numbers: ab-error AuC, mean chroma and Hasler-Süsstrunk colourfulness."""

from __future__ import annotations

import math

import pytest
import torch
from skimage import data as skimage_data  # test-only dependency: pip install scikit-image

from models.colorization.lab import rgb_to_lab
from models.colorization.metrics import ab_error_auc, colourfulness, grey, mean_chroma

# Offsets (Δa, Δb) of Euclidean length exactly 30 in float32: 18² + 24² = 30².
DIRECTIONS_30 = torch.tensor([[30.0, 0.0], [0.0, -30.0], [18.0, 24.0], [-24.0, 18.0]])


def _integer_lab(batch: int = 1, side: int = 8) -> torch.Tensor:
    # integer-valued Lab so that predicted - truth is exact in float32
    generator = torch.Generator().manual_seed(0)
    light = torch.randint(10, 90, (batch, 1, side, side), generator=generator)
    ab = torch.randint(-60, 61, (batch, 2, side, side), generator=generator)
    return torch.cat((light, ab), dim=1).float()


def _offset(truth: torch.Tensor, directions: torch.Tensor) -> torch.Tensor:
    """Every pixel's ab moved by one of `directions` (K, 2), cycling over the pixels."""
    _, _, height, width = truth.shape
    picks = directions[torch.arange(height * width) % len(directions)]  # (H*W, 2)
    shift = picks.t().reshape(1, 2, height, width)
    return torch.cat((truth[:, :1], truth[:, 1:] + shift), dim=1)


def _photo_rgb() -> torch.Tensor:
    """A 64 x 64 patch of scikit-image's coffee photo, sRGB (1, 3, 64, 64) in [0, 1]."""
    pixels = torch.from_numpy(skimage_data.coffee()[100:228:2, 200:328:2].copy())
    return pixels.permute(2, 0, 1).unsqueeze(0).float() / 255


def _flat(rgb: tuple[float, float, float], *, side: int = 4) -> torch.Tensor:
    return torch.tensor(rgb).view(1, 3, 1, 1).expand(1, 3, side, side)


def test_auc_is_one_for_a_perfect_prediction() -> None:
    truth = _integer_lab(batch=2)
    assert ab_error_auc(truth, truth) == 1.0


@pytest.mark.parametrize("distance", [1, 30, 149])
def test_auc_of_a_constant_integer_offset(distance: int) -> None:
    # The curve is 0 for thresholds t < d and 1 for t >= d. The trapezoid over [0, 150] sums
    # 150 - d whole unit intervals plus half of the interval [d - 1, d] where the curve rises.
    truth = _integer_lab()
    axes = torch.tensor([[1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [0.0, 1.0]])
    predicted = _offset(truth, axes * distance)
    assert ab_error_auc(predicted, truth) == pytest.approx((150 - distance + 0.5) / 150, abs=1e-6)


def test_auc_of_an_offset_between_thresholds_is_exactly_the_linear_share() -> None:
    # d = 30.5: the curve rises between t = 30 and t = 31; the half interval there makes the
    # trapezoid equal to 150 - d exactly
    truth = _integer_lab()
    predicted = _offset(truth, DIRECTIONS_30 * (30.5 / 30))
    assert ab_error_auc(predicted, truth) == pytest.approx((150 - 30.5) / 150, abs=1e-6)


def test_auc_is_the_mean_over_images_and_zero_beyond_the_last_threshold() -> None:
    truth = _integer_lab(batch=2)
    predicted = truth.clone()
    predicted[1] = _offset(truth[1:], DIRECTIONS_30)[0]  # first image perfect, second off by 30
    assert ab_error_auc(predicted, truth) == pytest.approx((1 + 120.5 / 150) / 2, abs=1e-6)
    far = _offset(truth, torch.tensor([[200.0, 0.0]]))
    assert ab_error_auc(far, truth) == 0.0


def test_grey_keeps_lightness_and_scores_no_colour() -> None:
    lab = rgb_to_lab(_photo_rgb())
    flat = grey(lab)
    assert torch.equal(flat[:, 0], lab[:, 0]) and torch.equal(flat[:, 1:], torch.zeros_like(lab[:, 1:]))
    assert mean_chroma(flat) == pytest.approx(0.0, abs=0.05)
    assert colourfulness(flat) == pytest.approx(0.0, abs=0.05)
    assert 0 < ab_error_auc(flat, lab) < 1  # a photo is not grey, yet grey is not far off


def test_colourfulness_of_red_matches_the_formula_by_hand() -> None:
    # pure red in 0..255: rg = 255, yb = (255 + 0) / 2 - 0 = 127.5, no spread
    red = rgb_to_lab(_flat((1.0, 0.0, 0.0)))
    assert colourfulness(red) == pytest.approx(0.3 * math.hypot(255, 127.5), abs=0.5)
    # half red, half white: rg is 255 or 0 and yb 127.5 or 0, so each has mean = std = half
    half = torch.ones(1, 3, 4, 4)
    half[:, 1:, :2] = 0.0
    expected = math.hypot(127.5, 63.75) + 0.3 * math.hypot(127.5, 63.75)
    assert colourfulness(rgb_to_lab(half)) == pytest.approx(expected, abs=0.5)


def test_mean_chroma_of_red_is_its_lab_chroma() -> None:
    # sRGB red is Lab (53.24, 80.09, 67.20) under D65: chroma = hypot(80.09, 67.20)
    red = rgb_to_lab(_flat((1.0, 0.0, 0.0)))
    assert mean_chroma(red) == pytest.approx(math.hypot(80.09, 67.20), abs=0.1)


def test_out_of_gamut_colour_is_measured_as_displayed() -> None:
    # ab far beyond sRGB: the viewer sees a clipped colour, so chroma is less than asked for
    vivid = torch.tensor([50.0, 0.0, -150.0]).view(1, 3, 1, 1).expand(1, 3, 2, 2)
    assert 0 < mean_chroma(vivid) < 140


def test_more_saturated_photos_score_higher() -> None:
    rgb = _photo_rgb()
    neutral = rgb.mean(dim=1, keepdim=True)  # R = G = B: rg = yb = 0
    scores = {}
    for saturation in (0.25, 0.5, 1.0):
        lab = rgb_to_lab(neutral + saturation * (rgb - neutral))
        scores[saturation] = (mean_chroma(lab), colourfulness(lab))
    chroma = [scores[s][0] for s in (0.25, 0.5, 1.0)]
    colour = [scores[s][1] for s in (0.25, 0.5, 1.0)]
    assert chroma[0] < chroma[1] < chroma[2] and colour[0] < colour[1] < colour[2]
    # mixing towards R = G = B scales rg and yb, hence colourfulness, by the saturation
    assert colour[1] == pytest.approx(0.5 * colour[2], rel=0.01)


def test_the_rebalanced_auc_weighs_rare_colours_up() -> None:
    """Most pixels grey, a few strongly blue: grey prediction scores well on the plain AuC and
    worse on the rebalanced one, where the blue pixels count about as much as the rest together."""
    from models.colorization.bins import gamut_bins
    from models.colorization.metrics import ab_error_auc, rarity_weights, rebalanced_auc

    truth = torch.zeros(1, 3, 20, 20)
    truth[:, 0] = 50
    truth[:, 2, :2] = -60  # two rows of blue (b = -60): 10% of the pixels
    grey = truth.clone()
    grey[:, 1:] = 0
    # plain: 90% of pixels exact, 10% 60 off (their curve area 90/150) -> about 0.96; rebalanced:
    # the two colours weigh about half each -> about 0.8
    assert ab_error_auc(grey, truth) == pytest.approx(0.96, abs=0.01)
    assert rebalanced_auc(grey, truth, gamut_bins()) == pytest.approx(0.8, abs=0.04)
    weights = rarity_weights([truth[0]], gamut_bins())[0]
    assert weights[:2].mean() > 5 * weights[2:].mean()  # rare bins weigh more
    assert ab_error_auc(truth, truth, weights[None]) == pytest.approx(1.0, abs=0.01)  # perfect stays perfect
