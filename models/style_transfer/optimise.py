"""Gatys et al.'s method (optimise the image itself) and texture synthesis from noise (the
first half of Ulyanov et al.'s Texture Networks), both on the random features of `features`.

Both run Adam on the pixels (parametrised through a logit so they stay in [0, 1]) and call
`on_step(step, steps, image, losses)` every `preview_every` steps and at the end, so a caller
can report progress and save previews.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from models.style_transfer.features import RandomFeatures, content_loss, style_loss, style_targets, tv_loss

# The weights of the three terms at the demo's default strength (5 scales STYLE_WEIGHT by 5 / 5);
# chosen by eye on the astronaut photo, with both loss terms relative (see features.py).
CONTENT_WEIGHT = 1.0
STYLE_WEIGHT = 4.0
TV_WEIGHT = 2.0

StepCallback = Callable[[int, int, torch.Tensor, dict[str, float]], None]


def _logit(x: torch.Tensor) -> torch.Tensor:
    x = x.clamp(1e-3, 1 - 1e-3)
    return (x / (1 - x)).log()


def stylise_by_optimisation(features: RandomFeatures, content: torch.Tensor, style: torch.Tensor, *,
                            steps: int = 200, style_weight: float = STYLE_WEIGHT,
                            content_weight: float = CONTENT_WEIGHT, tv_weight: float = TV_WEIGHT,
                            learning_rate: float = 0.05, preview_every: int = 50,
                            on_step: StepCallback | None = None) -> tuple[torch.Tensor, dict[str, float]]:
    """Content (3, H, W) and style (3, h, w) in [0, 1] -> the image (3, H, W) started from the
    content photo and moved to match the style's Gram matrices, and its final losses."""
    targets = style_targets(features, style)
    with torch.no_grad():
        content_maps = features(content[None])
    pixels = _logit(content)[None].clone().requires_grad_(True)
    optimiser = torch.optim.Adam([pixels], lr=learning_rate)
    losses: dict[str, float] = {}
    for step in range(1, steps + 1):
        optimiser.zero_grad()
        image = torch.sigmoid(pixels)
        maps = features(image)
        terms = {"content": content_loss(maps, content_maps), "style": style_loss(maps, targets),
                 "tv": tv_loss(image)}
        total = content_weight * terms["content"] + style_weight * terms["style"] + tv_weight * terms["tv"]
        total.backward()
        optimiser.step()
        losses = {name: float(value.detach()) for name, value in terms.items()} | {"total": float(total.detach())}
        if on_step and (step % preview_every == 0 or step == steps):
            on_step(step, steps, torch.sigmoid(pixels.detach())[0], losses)
    return torch.sigmoid(pixels.detach())[0], losses


def synthesise_texture(features: RandomFeatures, sample: torch.Tensor, size: tuple[int, int] = (256, 256), *,
                       steps: int = 300, learning_rate: float = 0.05, tv_weight: float = 0.5, seed: int = 0,
                       preview_every: int = 50,
                       on_step: StepCallback | None = None) -> tuple[torch.Tensor, dict[str, float]]:
    """A texture sample (3, h, w) -> a new (3, *size) image grown from seeded noise to match its
    Gram matrices (no content term), and its final losses."""
    targets = style_targets(features, sample)
    generator = torch.Generator().manual_seed(seed)
    noise = 0.5 + 0.1 * torch.randn(1, 3, *size, generator=generator)
    pixels = _logit(noise).requires_grad_(True)
    optimiser = torch.optim.Adam([pixels], lr=learning_rate)
    losses: dict[str, float] = {}
    for step in range(1, steps + 1):
        optimiser.zero_grad()
        image = torch.sigmoid(pixels)
        terms = {"style": style_loss(features(image), targets), "tv": tv_loss(image)}
        total = terms["style"] + tv_weight * terms["tv"]
        total.backward()
        optimiser.step()
        losses = {name: float(value.detach()) for name, value in terms.items()} | {"total": float(total.detach())}
        if on_step and (step % preview_every == 0 or step == steps):
            on_step(step, steps, torch.sigmoid(pixels.detach())[0], losses)
    return torch.sigmoid(pixels.detach())[0], losses
