"""How good a colorization is: the numbers of the model card and of the model tests.

- AuC of the cumulative ab-error curve (Zhang et al. 2016, Table 1 "AuC"): for thresholds
  t = 0..150, the share of pixels whose predicted ab lies within Euclidean distance t of the
  truth; the area under that curve, normalised to [0, 1]. Grey (ab = 0) already scores well,
  since most pixels of photos are close to neutral: that is the paper's point about this metric.
- Class-rebalanced AuC (Table 1's "rebal."): the same curve with each pixel weighted by the
  rarity of its true colour, so the common near-grey pixels no longer dominate (`rarity_weights`).
- Mean chroma: mean sqrt(a² + b²) of the displayed result (after clipping to sRGB).
- Colourfulness of Hasler and Süsstrunk (2003): on sRGB in 0..255, rg = R - G,
  yb = (R + G) / 2 - B, M = sqrt(σ_rg² + σ_yb²) + 0.3 sqrt(μ_rg² + μ_yb²).

Inputs are Lab images (N, 3, H, W); every metric is the mean over the N images.
"""

from __future__ import annotations

import torch

from models.colorization import bins
from models.colorization.lab import lab_to_rgb, rgb_to_lab

MAX_THRESHOLD = 150


def ab_error_auc(predicted: torch.Tensor, truth: torch.Tensor, weights: torch.Tensor | None = None) -> float:
    """The AuC; with `weights` (N, H, W) each pixel counts by its weight (see `rebalanced_auc`)."""
    error = (predicted[:, 1:] - truth[:, 1:]).norm(dim=1).flatten(1)  # (N, P)
    mass = torch.ones_like(error) if weights is None else weights.flatten(1).to(error)
    # error <= t for a whole t is ceil(error) <= t: count pixels per ceiling, then accumulate
    # (a pixels x thresholds comparison would hold 151 copies of the image)
    bucket = error.ceil().clamp(max=MAX_THRESHOLD + 1).long()
    counts = torch.zeros(error.shape[0], MAX_THRESHOLD + 2, dtype=error.dtype).scatter_add_(1, bucket, mass)
    within = counts[:, : MAX_THRESHOLD + 1].cumsum(dim=1) / mass.sum(dim=1, keepdim=True)  # (N, 151): the curve
    thresholds = torch.arange(MAX_THRESHOLD + 1, dtype=error.dtype)  # 0..150
    return float(torch.trapezoid(within, thresholds, dim=-1).mean() / MAX_THRESHOLD)


def rarity_weights(truths: list[torch.Tensor], centres: torch.Tensor) -> list[torch.Tensor]:
    """Per-pixel weights (H, W) of each Lab image (3, H, W) for the class-rebalanced AuC (Zhang
    et al. 2016, Table 1): a pixel counts in inverse proportion to how common its true colour
    bin is among all the evaluated pixels (the frequencies smoothed as in training, σ = 5), so
    a pixel of rare blue sky weighs more than one of the many near-grey ones."""
    nearest = []
    for truth in truths:
        points = truth[1:].permute(1, 2, 0).reshape(-1, 2)
        # nearest bin per pixel, in chunks: a whole pixels x bins distance matrix would not fit
        nearest.append(torch.cat([torch.cdist(chunk, centres.to(points)).argmin(dim=1)
                                  for chunk in points.split(65536)]))
    prior = torch.bincount(torch.cat(nearest), minlength=len(centres)).float()
    rarity = 1.0 / bins.smooth_prior(prior / prior.sum(), centres).clamp_min(1e-6)
    return [rarity[index].view(truth.shape[1:]) for index, truth in zip(nearest, truths, strict=True)]


def rebalanced_auc(predicted: torch.Tensor, truth: torch.Tensor, centres: torch.Tensor) -> float:
    """Over a batch (N, 3, H, W), the bins' frequencies taken over the whole batch."""
    weights = torch.stack(rarity_weights(list(truth), centres))
    return ab_error_auc(predicted, truth, weights)


def displayed(lab: torch.Tensor) -> torch.Tensor:
    """The sRGB image (N, 3, H, W) in [0, 1] a viewer sees: out-of-gamut colours clipped."""
    return lab_to_rgb(lab)


def mean_chroma(lab: torch.Tensor) -> float:
    shown = rgb_to_lab(displayed(lab))
    return float(shown[:, 1:].norm(dim=1).mean())


def colourfulness(lab: torch.Tensor) -> float:
    rgb = displayed(lab).flatten(2) * 255  # (N, 3, H*W)
    red, green, blue = rgb.unbind(dim=1)
    rg, yb = red - green, (red + green) / 2 - blue
    spread = (rg.var(dim=1, unbiased=False) + yb.var(dim=1, unbiased=False)).sqrt()
    centre = (rg.mean(dim=1) ** 2 + yb.mean(dim=1) ** 2).sqrt()
    return float((spread + 0.3 * centre).mean())


def grey(lab: torch.Tensor) -> torch.Tensor:
    """The all-grey prediction: the true L, ab = 0."""
    return torch.cat((lab[:, :1], torch.zeros_like(lab[:, 1:])), dim=1)
