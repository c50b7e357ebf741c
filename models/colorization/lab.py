"""sRGB <-> CIE Lab (D65, 2° observer) in torch, vectorized over any leading dimensions.

Colorful Image Colorization (Zhang, Isola, Efros, ECCV 2016) works in Lab: the network sees L
and predicts ab. These functions follow scikit-image's `rgb2lab` / `lab2rgb` (same matrix,
white point and piecewise curves), so the demo needs no numpy round trip. Colour channels are
on dimension -3: tensors are (..., 3, H, W), with RGB in [0, 1].
"""

from __future__ import annotations

import torch

# Linear sRGB -> XYZ (the matrix scikit-image uses), and the D65 white point.
_XYZ_FROM_RGB = (
    (0.412453, 0.357580, 0.180423),
    (0.212671, 0.715160, 0.072169),
    (0.019334, 0.119193, 0.950227),
)
_WHITE_D65 = (0.95047, 1.0, 1.08883)
_EPSILON = 0.008856  # (6/29)^3, where the Lab curve turns from cube root to a line
_KAPPA = 7.787  # slope of that line


def _matrix(like: torch.Tensor, *, inverse: bool = False) -> torch.Tensor:
    # (3, 3); the inverse is taken in float64 so float32 callers lose no accuracy
    matrix = torch.tensor(_XYZ_FROM_RGB, dtype=torch.float64)
    if inverse:
        matrix = torch.linalg.inv(matrix)
    return matrix.to(device=like.device, dtype=like.dtype)


def _white(like: torch.Tensor) -> torch.Tensor:
    # (3, 1, 1): broadcasts against (..., 3, H, W)
    return torch.tensor(_WHITE_D65, device=like.device, dtype=like.dtype).view(3, 1, 1)


def _mix(matrix: torch.Tensor, colors: torch.Tensor) -> torch.Tensor:
    # (3, 3) x (..., 3, H, W) -> (..., 3, H, W)
    return torch.einsum("ij,...jhw->...ihw", matrix, colors)


def srgb_to_linear(rgb: torch.Tensor) -> torch.Tensor:
    """Undo the sRGB transfer curve: (..., 3, H, W) in [0, 1] -> linear light."""
    return torch.where(rgb > 0.04045, ((rgb + 0.055) / 1.055).clamp_min(0) ** 2.4, rgb / 12.92)


def linear_to_srgb(linear: torch.Tensor) -> torch.Tensor:
    """Apply the sRGB transfer curve; values outside [0, 1] are not clipped here."""
    return torch.where(
        linear > 0.0031308, 1.055 * linear.clamp_min(0.0031308) ** (1 / 2.4) - 0.055, linear * 12.92
    )


def rgb_to_lab(rgb: torch.Tensor) -> torch.Tensor:
    """sRGB (..., 3, H, W) in [0, 1] -> Lab (..., 3, H, W): L in [0, 100], ab roughly ±110."""
    xyz = _mix(_matrix(rgb), srgb_to_linear(rgb)) / _white(rgb)
    f = torch.where(xyz > _EPSILON, xyz.clamp_min(_EPSILON) ** (1 / 3), _KAPPA * xyz + 16 / 116)
    fx, fy, fz = f.unbind(dim=-3)  # each (..., H, W)
    return torch.stack((116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)), dim=-3)


def lab_to_linear_rgb(lab: torch.Tensor) -> torch.Tensor:
    """Lab (..., 3, H, W) -> linear RGB, unclipped: a colour is displayable iff all of it lies
    in [0, 1] (the transfer curve is monotone, so this is the sRGB gamut test too)."""
    light, a, b = lab.unbind(dim=-3)
    fy = (light + 16) / 116
    # scikit-image clips negative z to 0 (with a warning); do the same to agree with it
    f = torch.stack((fy + a / 500, fy, (fy - b / 200).clamp_min(0)), dim=-3)
    xyz = torch.where(f > 0.2068966, f**3, (f - 16 / 116) / _KAPPA) * _white(lab)
    return _mix(_matrix(lab, inverse=True), xyz)


def lab_to_rgb(lab: torch.Tensor) -> torch.Tensor:
    """Lab (..., 3, H, W) -> sRGB (..., 3, H, W), clipped to [0, 1] as scikit-image does."""
    return linear_to_srgb(lab_to_linear_rgb(lab)).clamp(0, 1)


def rgb_to_lightness(rgb: torch.Tensor) -> torch.Tensor:
    """sRGB (..., 3, H, W) -> L (..., 1, H, W), as rgb_to_lab's first channel but from the
    luminance row alone: a third of the work, for full-resolution photos."""
    linear = srgb_to_linear(rgb)
    luminance = torch.einsum("j,...jhw->...hw", _matrix(rgb)[1], linear).unsqueeze(-3)  # Y / Y_white, Y_white = 1
    f = torch.where(luminance > _EPSILON, luminance.clamp_min(_EPSILON) ** (1 / 3), _KAPPA * luminance + 16 / 116)
    return 116 * f - 16


def lightness_to_grey(light: torch.Tensor) -> torch.Tensor:
    """L (..., 1, H, W) -> the sRGB grey (..., 1, H, W) of Lab (L, 0, 0): neutral colours have
    R = G = B = Y, so the matrix drops out."""
    fy = (light + 16) / 116
    luminance = torch.where(fy > 0.2068966, fy**3, (fy - 16 / 116) / _KAPPA)
    return linear_to_srgb(luminance).clamp(0, 1)
