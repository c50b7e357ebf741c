"""How good a colorization is: the numbers of the model card and of the model tests.

- AuC of the cumulative ab-error curve (Zhang et al. 2016, Table 1 "AuC"): for thresholds
  t = 0..150, the share of pixels whose predicted ab lies within Euclidean distance t of the
  truth; the area under that curve, normalised to [0, 1]. Grey (ab = 0) already scores well,
  since most pixels of photos are close to neutral: that is the paper's point about this metric.
- Mean chroma: mean sqrt(a² + b²) of the displayed result (after clipping to sRGB).
- Colourfulness of Hasler and Süsstrunk (2003): on sRGB in 0..255, rg = R - G,
  yb = (R + G) / 2 - B, M = sqrt(σ_rg² + σ_yb²) + 0.3 sqrt(μ_rg² + μ_yb²).

Inputs are Lab images (N, 3, H, W); every metric is the mean over the N images.
"""

from __future__ import annotations

import torch

from models.colorization.lab import lab_to_rgb, rgb_to_lab

MAX_THRESHOLD = 150


def ab_error_auc(predicted: torch.Tensor, truth: torch.Tensor) -> float:
    error = (predicted[:, 1:] - truth[:, 1:]).norm(dim=1).flatten(1)  # (N, P)
    # error <= t for a whole t is ceil(error) <= t: count pixels per ceiling, then accumulate
    # (a pixels x thresholds comparison would hold 151 copies of the image)
    bucket = error.ceil().clamp(max=MAX_THRESHOLD + 1).long()
    counts = torch.zeros(error.shape[0], MAX_THRESHOLD + 2, dtype=error.dtype).scatter_add_(
        1, bucket, torch.ones_like(error)
    )
    within = counts[:, : MAX_THRESHOLD + 1].cumsum(dim=1) / error.shape[1]  # (N, 151): the curve
    thresholds = torch.arange(MAX_THRESHOLD + 1, dtype=error.dtype)  # 0..150
    return float(torch.trapezoid(within, thresholds, dim=-1).mean() / MAX_THRESHOLD)


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


def report(predicted: torch.Tensor, truth: torch.Tensor) -> dict[str, float]:
    return {
        "auc": round(ab_error_auc(predicted, truth), 4),
        "mean_chroma": round(mean_chroma(predicted), 2),
        "colourfulness": round(colourfulness(predicted), 2),
    }
