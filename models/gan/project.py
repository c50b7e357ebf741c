"""Projection onto the generator's manifold and interpolation along it (iGAN §3.2).

The manifold is the set of images G(z) for z in the latent box [-1, 1]^nz. Projecting a photo x
means finding z* = argmin_z ||G(z) - x||^2. iGAN's hybrid method starts from the encoder's guess
E(x), which is fast but approximate, then refines z by gradient descent (Adam here), clamping z to
the box after every step so the result stays a sample the generator was trained to make.
Interpolation walks the straight line between two latents, so every frame is itself on the manifold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from models.gan.net import Encoder, Generator


def image_to_tensor(path: Path, size: int) -> torch.Tensor:
    """An uploaded picture -> (1, 3, size, size) in [-1, 1]: transparency over white (the
    emoji's background), the longer side fitted into the square, the shorter one padded white."""
    from PIL import Image

    with Image.open(path) as opened:
        picture = opened.convert("RGBA")
    sheet = Image.new("RGBA", picture.size, (255, 255, 255, 255))
    sheet.alpha_composite(picture)
    side = max(sheet.size)
    square = Image.new("RGB", (side, side), (255, 255, 255))
    square.paste(sheet.convert("RGB"), ((side - sheet.width) // 2, (side - sheet.height) // 2))
    square = square.resize((size, size), Image.Resampling.LANCZOS)
    array = np.asarray(square, dtype=np.float32) / 127.5 - 1
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).contiguous()


def save_png(image: torch.Tensor, path: Path) -> None:
    """(3, H, W) in [-1, 1] -> an 8-bit PNG, written whole (by rename) so a poll never sees half."""
    from PIL import Image

    array = ((image.detach().cpu().clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).numpy()
    partial = path.with_name(f".{path.name}.partial")
    Image.fromarray(array).save(partial, format="PNG")
    partial.replace(path)


def reconstruction_error(images: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """(B,) mean squared error per image, on the [-1, 1] scale."""
    return ((images - targets) ** 2).flatten(1).mean(1)


@dataclass
class Projection:
    start: torch.Tensor  # (B, nz): the encoder's guess
    latent: torch.Tensor  # (B, nz): after optimisation
    start_error: torch.Tensor  # (B,)
    error: torch.Tensor  # (B,)


def project(G: Generator, E: Encoder, targets: torch.Tensor, *, iterations: int = 100,
            learning_rate: float = 0.05) -> Projection:
    """iGAN's hybrid projection of (B, 3, s, s) images: z0 = E(x), then Adam on ||G(z) - x||^2
    with z kept in the box; the best z seen for each image is kept, so the error can only fall."""
    with torch.no_grad():
        start = E(targets).clamp(-1, 1)
        start_error = reconstruction_error(G(start), targets)
    z = start.clone().requires_grad_(True)
    optimiser = torch.optim.Adam([z], lr=learning_rate)
    best, best_error = start.clone(), start_error.clone()
    for _ in range(iterations):
        errors = reconstruction_error(G(z), targets)  # (B,)
        with torch.no_grad():
            better = errors < best_error
            best[better], best_error[better] = z.detach()[better], errors.detach()[better]
        optimiser.zero_grad(set_to_none=True)
        errors.sum().backward()
        optimiser.step()
        with torch.no_grad():
            z.clamp_(-1, 1)
    with torch.no_grad():
        errors = reconstruction_error(G(z), targets)
        better = errors < best_error
        best[better], best_error[better] = z.detach()[better], errors[better]
    return Projection(start, best, start_error, best_error)


def interpolate(z_a: torch.Tensor, z_b: torch.Tensor, steps: int) -> torch.Tensor:
    """(nz,), (nz,) -> (steps, nz): evenly spaced points on the segment, both ends included."""
    t = torch.linspace(0, 1, steps).unsqueeze(1)
    return (1 - t) * z_a.unsqueeze(0) + t * z_b.unsqueeze(0)
