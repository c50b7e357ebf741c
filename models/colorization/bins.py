"""The quantized ab output space of Colorful Image Colorization (Zhang, Isola, Efros, ECCV 2016).

Targets are soft-encoded over the nearest bin centres (§3.1), the loss is reweighted by colour
rarity (§3.2, eq. 3-4) and a predicted distribution becomes one ab value by the annealed mean
(§3.3, eq. 5). Bin centres are a (Q, 2) tensor of (a, b); maps are (B, Q, H, W) or (B, 2, H, W).
"""

from __future__ import annotations

from functools import lru_cache

import torch

from models.colorization.lab import lab_to_linear_rgb
from models.colorization.params import TEMPERATURE

_SEARCH = 120.0  # candidate centres span ±120: wider than any sRGB colour's a or b (|ab| < 115)


@lru_cache(maxsize=8)
def _gamut_bins(grid: float, light_steps: int, cell_steps: int) -> torch.Tensor:
    # Gamut rule: the cell [a ± grid/2] x [b ± grid/2] around a centre (a, b) on the grid counts
    # when some point of it (sampled cell_steps x cell_steps, edges included), at some lightness L
    # in [0, 100] (light_steps values), maps to linear RGB inside [0, 1]^3, i.e. is displayable.
    centres_1d = torch.arange(-_SEARCH, _SEARCH + grid / 2, grid, dtype=torch.float64)
    a, b = torch.meshgrid(centres_1d, centres_1d, indexing="ij")  # (N, N) each
    light = torch.linspace(0, 100, light_steps, dtype=torch.float64).view(-1, 1, 1)  # (S, 1, 1)
    offsets = torch.linspace(-grid / 2, grid / 2, cell_steps, dtype=torch.float64)
    inside = torch.zeros_like(a, dtype=torch.bool)  # (N, N)
    for da in offsets:
        for db in offsets:
            lab = torch.stack(torch.broadcast_tensors(light, a + da, b + db), dim=-3)  # (S, 3, N, N)
            rgb = lab_to_linear_rgb(lab)
            inside |= ((rgb >= 0) & (rgb <= 1)).all(dim=-3).any(dim=0)
    return torch.stack((a[inside], b[inside]), dim=1).float()  # (Q, 2), sorted by a then b


def gamut_bins(grid: float = 10.0, *, light_steps: int = 101, cell_steps: int = 11) -> torch.Tensor:
    """Centres (Q, 2) of the ab cells that hold a displayable colour. Our rule gives Q = 262 on
    a grid of 10, not the paper's 313: the released 313 centres (pts_in_hull.npy) admit cells
    no sRGB colour reaches; the official checkpoint carries its own centres in `model_out`."""
    return _gamut_bins(float(grid), light_steps, cell_steps).clone()


def soft_encode(ab: torch.Tensor, centres: torch.Tensor, *, neighbours: int = 5, sigma: float = 5.0) -> torch.Tensor:
    """Spread each ab value (B, 2, H, W) over its nearest bin centres with a Gaussian kernel on
    distance; returns soft targets Z (B, Q, H, W) that sum to 1 over Q."""
    batch, _, height, width = ab.shape
    points = ab.permute(0, 2, 3, 1).reshape(-1, 2)  # (P, 2), P = B*H*W
    distances = torch.cdist(points, centres.to(points))  # (P, Q)
    nearest, index = distances.topk(neighbours, dim=1, largest=False)  # (P, k) each
    kernel = torch.softmax(-nearest**2 / (2 * sigma**2), dim=1)  # normalised Gaussian weights
    targets = torch.zeros_like(distances).scatter_(1, index, kernel)  # (P, Q)
    return targets.view(batch, height, width, -1).permute(0, 3, 1, 2)


def empirical_prior(ab: torch.Tensor, centres: torch.Tensor) -> torch.Tensor:
    """Share of pixels (Q,) whose ab (B, 2, H, W) lies nearest each bin centre."""
    points = ab.permute(0, 2, 3, 1).reshape(-1, 2)
    nearest = torch.cdist(points, centres.to(points)).argmin(dim=1)  # (P,)
    counts = torch.bincount(nearest, minlength=len(centres)).to(points.dtype)
    return counts / counts.sum()


def smooth_prior(prior: torch.Tensor, centres: torch.Tensor, *, sigma: float = 5.0) -> torch.Tensor:
    """Smooth a distribution over bins (Q,) with a Gaussian over their ab positions; mass is
    kept: each bin hands its mass to its neighbours in proportion to the kernel."""
    squared = torch.cdist(centres, centres).to(prior) ** 2  # (Q, Q)
    kernel = torch.exp(-squared / (2 * sigma**2))
    kernel = kernel / kernel.sum(dim=1, keepdim=True)  # row r: where bin r's mass goes
    return prior @ kernel


def rebalancing_weights(smoothed_prior: torch.Tensor, *, lam: float = 0.5) -> torch.Tensor:
    """Class weights w (Q,) ∝ 1 / ((1 - λ) p̃ + λ / Q), scaled so that Σ_q p̃_q w_q = 1 (eq. 4)."""
    weights = 1.0 / ((1 - lam) * smoothed_prior + lam / len(smoothed_prior))
    return weights / (smoothed_prior * weights).sum()


def pixel_weights(targets: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """v(Z) (B, H, W): the weight of each pixel's most likely bin in its soft target (eq. 3)."""
    return weights.to(targets)[targets.argmax(dim=1)]


def annealed_mean(
    probs: torch.Tensor, centres: torch.Tensor, *, temperature: float = TEMPERATURE.default
) -> torch.Tensor:
    """H(Z): sharpen probabilities (B, Q, H, W) with temperature T, then take the mean bin
    centre; returns ab (B, 2, H, W). T = 1 is the mean, T -> 0 the mode (eq. 5)."""
    tiny = torch.finfo(probs.dtype).tiny
    sharpened = torch.softmax(probs.clamp_min(tiny).log() / temperature, dim=1)  # (B, Q, H, W)
    return torch.einsum("bqhw,qc->bchw", sharpened, centres.to(probs))
