"""The ab gamut bins, soft-encoding, class rebalancing and the annealed mean."""

from __future__ import annotations

import torch

from models.colorization.bins import (
    annealed_mean,
    empirical_prior,
    gamut_bins,
    pixel_weights,
    rebalancing_weights,
    smooth_prior,
    soft_encode,
)
from models.colorization.lab import lab_to_linear_rgb, rgb_to_lab

OUR_BIN_COUNT = 262  # our rule on a grid of 10 (the paper's released set has 313)


def _in_gamut(lab: torch.Tensor) -> torch.Tensor:
    rgb = lab_to_linear_rgb(lab)
    return ((rgb >= 0) & (rgb <= 1)).all(dim=-3)


def test_count_is_stable_under_denser_sampling() -> None:
    centres = gamut_bins()
    assert len(centres) == OUR_BIN_COUNT
    assert torch.equal(gamut_bins(light_steps=201, cell_steps=21), centres)
    assert torch.equal(torch.unique(centres, dim=0), centres)  # distinct, sorted


def test_bins_lie_on_the_grid_and_each_cell_holds_a_displayable_colour() -> None:
    centres = gamut_bins().double()
    assert torch.equal(centres % 10, torch.zeros_like(centres))
    light = torch.linspace(0, 100, 101, dtype=torch.float64)
    offsets = torch.linspace(-5, 5, 11, dtype=torch.float64)
    da, db, dl = torch.meshgrid(offsets, offsets, light, indexing="ij")  # (11, 11, 101)
    for a, b in centres:
        lab = torch.stack((dl, a + da, b + db)).view(3, 1, -1)
        assert _in_gamut(lab).any(), (a, b)


def test_every_srgb_colour_falls_in_a_bin() -> None:
    steps = torch.linspace(0, 1, 33, dtype=torch.float64)
    rgb = torch.stack(torch.meshgrid(steps, steps, steps, indexing="ij")).view(3, 1, -1)
    ab = rgb_to_lab(rgb)[1:].reshape(2, -1).t()  # (N, 2)
    nearest = torch.cdist(ab, gamut_bins().double()).min(dim=1).values
    assert nearest.max() <= 5 * 2**0.5 + 1e-6  # within the half-diagonal of its cell


def test_soft_encoding_sums_to_one_and_peaks_at_the_true_bin() -> None:
    centres = gamut_bins()
    generator = torch.Generator().manual_seed(0)
    picks = centres[torch.randint(len(centres), (2 * 4 * 4,), generator=generator)]
    jitter = torch.rand(picks.shape, generator=generator) * 6 - 3  # stays nearest its own centre
    ab = (picks + jitter).view(2, 4, 4, 2).permute(0, 3, 1, 2)  # (2, 2, 4, 4)
    targets = soft_encode(ab, centres)
    assert targets.shape == (2, len(centres), 4, 4)
    assert torch.allclose(targets.sum(dim=1), torch.ones(2, 4, 4))
    assert ((targets > 0).sum(dim=1) == 5).all()
    true_bin = torch.cdist(picks, centres).argmin(dim=1).view(2, 4, 4)
    assert torch.equal(targets.argmax(dim=1), true_bin)


def test_rebalancing_weights_have_unit_expectation_and_favour_rare_bins() -> None:
    centres = gamut_bins()
    generator = torch.Generator().manual_seed(0)
    ab = torch.randn(1, 2, 64, 64, generator=generator) * 15  # mostly near-grey, like photos
    smoothed = smooth_prior(empirical_prior(ab, centres), centres)
    assert torch.isclose(smoothed.sum(), torch.tensor(1.0))
    weights = rebalancing_weights(smoothed, lam=0.5)
    assert torch.isclose((smoothed * weights).sum(), torch.tensor(1.0))
    assert weights[smoothed.argmax()] == weights.min() and weights[smoothed.argmin()] == weights.max()
    assert torch.allclose(rebalancing_weights(smoothed, lam=1.0), torch.ones(len(centres)))
    targets = soft_encode(ab, centres)
    assert pixel_weights(targets, weights).shape == (1, 64, 64)


def test_annealed_mean_limits() -> None:
    centres = gamut_bins()
    generator = torch.Generator().manual_seed(0)
    probs = torch.softmax(torch.randn(2, len(centres), 3, 3, generator=generator) * 3, dim=1)
    mean = torch.einsum("bqhw,qc->bchw", probs, centres)
    assert torch.allclose(annealed_mean(probs, centres, temperature=1.0), mean, atol=1e-3)
    mode = centres[probs.argmax(dim=1)].permute(0, 3, 1, 2)  # (2, 2, 3, 3)
    assert torch.allclose(annealed_mean(probs, centres, temperature=1e-3), mode, atol=1e-3)
    # the paper's case: a vivid mode (40%) against mass spread over near-grey bins; the mean
    # is dull, T = 0.38 gives back most of the saturation
    vivid = int(torch.cdist(torch.tensor([[60.0, 60.0]]), centres).argmin())
    greys = torch.cdist(torch.zeros(1, 2), centres)[0].topk(6, largest=False).indices
    split = torch.zeros(1, len(centres), 1, 1)
    split[0, vivid], split[0, greys] = 0.4, 0.1
    saturation = {t: annealed_mean(split, centres, temperature=t).norm().item() for t in (1.0, 0.38)}
    assert saturation[0.38] > 2 * saturation[1.0]
