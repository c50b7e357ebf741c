"""Training distortions that make MNIST digits look like digits drawn on a canvas.

A canvas drawing, once normalised like MNIST (`preprocess`), differs from the training digits
mostly in slant, placement and stroke width, so each batch gets a random affine map (rotation,
shear, scale, shift) and a random change of stroke thickness. Everything is drawn from the
caller's generator, so a seeded run sees the same batches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class Distortions:
    rotation_degrees: float = 12.0
    shear: float = 0.15
    scale: tuple[float, float] = (0.85, 1.1)
    shift_pixels: float = 2.5
    thickness_share: float = 0.6  # share of digits whose strokes get thicker or thinner


def _uniform(n: int, low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    return low + (high - low) * torch.rand(n, generator=generator)


def affine_matrices(n: int, d: Distortions, generator: torch.Generator, *, size: int = 28) -> torch.Tensor:
    """(n, 2, 3) maps from output to input coordinates in affine_grid's [-1, 1] units."""
    angle = _uniform(n, -d.rotation_degrees, d.rotation_degrees, generator) * math.pi / 180
    shear = _uniform(n, -d.shear, d.shear, generator)
    scale = _uniform(n, *d.scale, generator)
    shift = _uniform(2 * n, -d.shift_pixels, d.shift_pixels, generator).view(n, 2) * 2 / size
    cos, sin = angle.cos() / scale, angle.sin() / scale
    # rotation and scale, then a horizontal shear: x' = x + shear * y
    linear = torch.stack((torch.stack((cos, -sin + shear * cos), 1), torch.stack((sin, cos + shear * sin), 1)), 1)
    return torch.cat((linear, shift.unsqueeze(2)), dim=2)


def change_thickness(images: torch.Tensor, generator: torch.Generator, share: float) -> torch.Tensor:
    """Blend each chosen digit towards its 3x3 dilation (thicker, up to all the way) or erosion
    (thinner, up to half way: a full erosion wipes out thin strokes); the others stay as they
    are. Each result is brought back to a peak of 1, as `preprocess` does with an upload.
    images (B, 1, H, W)."""
    n = len(images)
    dilated = F.max_pool2d(images, 3, stride=1, padding=1)
    eroded = -F.max_pool2d(-images, 3, stride=1, padding=1)
    amount = (torch.rand(n, generator=generator).view(n, 1, 1, 1)
              * (torch.rand(n, generator=generator) < share).view(n, 1, 1, 1))
    thicker = (torch.rand(n, generator=generator) < 0.5).view(n, 1, 1, 1)
    amount = torch.where(thicker, amount, amount / 2)
    changed = images + amount * (torch.where(thicker, dilated, eroded) - images)
    return changed / changed.amax(dim=(1, 2, 3), keepdim=True).clamp_min(1e-6)


def distort(images: torch.Tensor, generator: torch.Generator, d: Distortions | None = None) -> torch.Tensor:
    """images (B, 1, 28, 28) in [0, 1] -> distorted copies of the same shape and range."""
    d = d or Distortions()
    grid = F.affine_grid(affine_matrices(len(images), d, generator, size=images.shape[-1]), list(images.shape),
                         align_corners=False)
    moved = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return change_thickness(moved, generator, d.thickness_share).clamp(0, 1)
