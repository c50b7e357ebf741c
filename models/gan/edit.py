"""Editing on the manifold with brush strokes (iGAN §4, Zhu et al. 2016).

The user's strokes become constraints on the image: a colour brush asks for its colour under
the stroke (a masked colour loss), a sketch brush asks for an edge along its line (an edge loss
on a differentiable edge map of the image). iGAN does not edit pixels: it moves the latent z so
that G(z) meets the constraints, and a prior lambda * ||z - z0||^2 keeps z near where the user
started, so the rest of the picture changes as little as the constraints allow and the result
stays an image the generator can make. Several candidates, each started from its own point near
z0, are optimised at once (one batch); the user picks among them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from models.gan.net import Generator

SUPERSAMPLE = 4  # strokes are drawn at 4x and averaged down: soft, antialiased masks
EDGE_SCALE = 0.5  # Sobel magnitude (on the [-1, 1] scale) that counts as a clear edge
LUMA = (0.299, 0.587, 0.114)


@dataclass
class Constraints:
    """Rasterised strokes, at the generator's size s."""

    colour: torch.Tensor  # (3, s, s) in [-1, 1]: the asked-for colours
    colour_mask: torch.Tensor  # (1, s, s) in [0, 1]: where colour is asked for
    sketch_mask: torch.Tensor  # (1, s, s) in [0, 1]: where an edge is asked for

    @property
    def empty(self) -> bool:
        return float(self.colour_mask.sum() + self.sketch_mask.sum()) == 0


def rasterise(strokes: list[dict], size: int) -> Constraints:
    """Checked strokes (models.gan.params.read_strokes) -> masks; later strokes paint over earlier."""
    from PIL import Image, ImageDraw

    big = size * SUPERSAMPLE
    colour = Image.new("RGB", (big, big), (0, 0, 0))
    colour_mask = Image.new("L", (big, big), 0)
    sketch_mask = Image.new("L", (big, big), 0)
    for stroke in strokes:
        points = [(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in stroke["points"]]
        width = max(1, round(stroke["width"] * SUPERSAMPLE))
        if stroke["kind"] == "colour":
            targets = ((colour, stroke["color"]), (colour_mask, 255))
        else:
            targets = ((sketch_mask, 255),)
        for canvas, ink in targets:
            draw = ImageDraw.Draw(canvas)
            if len(points) > 1:
                draw.line(points, fill=ink, width=width, joint="curve")
            for x, y in (points[0], points[-1]) if len(points) > 1 else points:  # round caps, and dots
                r = width / 2
                draw.ellipse((x - r, y - r, x + r, y + r), fill=ink)

    def shrink(picture: Image.Image) -> torch.Tensor:
        array = torch.from_numpy(np.asarray(picture, dtype=np.float32) / 255)
        array = array.unsqueeze(-1) if array.ndim == 2 else array
        return F.avg_pool2d(array.permute(2, 0, 1).unsqueeze(0), SUPERSAMPLE)[0]

    mask = shrink(colour_mask)
    # the colour averaged down is mixed with black at a stroke's rim: divide by the coverage
    rgb = shrink(colour) / mask.clamp(min=1e-6)
    return Constraints(colour=(rgb.clamp(0, 1) * 2 - 1) * (mask > 0), colour_mask=mask, sketch_mask=shrink(sketch_mask))


def edge_map(images: torch.Tensor) -> torch.Tensor:
    """(B, 3, s, s) -> (B, 1, s, s) in [0, 1): tanh of the Sobel gradient magnitude of luminance,
    1 on a clear edge, 0 on flat colour; differentiable, so the sketch loss can move z."""
    luma = (images * torch.tensor(LUMA, device=images.device).view(1, 3, 1, 1)).sum(1, keepdim=True)
    kx = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]], device=images.device) / 4
    kernels = torch.stack((kx, kx.T)).unsqueeze(1)  # (2, 1, 3, 3)
    gradient = F.conv2d(F.pad(luma, (1, 1, 1, 1), mode="replicate"), kernels)
    return torch.tanh(gradient.pow(2).sum(1, keepdim=True).add(1e-8).sqrt() / EDGE_SCALE)


def colour_loss(images: torch.Tensor, c: Constraints) -> torch.Tensor:
    """(B,) masked mean squared colour error: 0 when every stroke's colour is met."""
    weight = c.colour_mask.sum().clamp(min=1e-6) * 3
    return ((images - c.colour) ** 2 * c.colour_mask).flatten(1).sum(1) / weight


def sketch_loss(images: torch.Tensor, c: Constraints) -> torch.Tensor:
    """(B,) mean of (1 - edge strength)^2 along the sketch strokes, where an edge within one pixel
    of the line counts (a 3x3 max-pool): a line the user draws need not be pixel-exact."""
    edges = F.max_pool2d(edge_map(images), 3, stride=1, padding=1)
    weight = c.sketch_mask.sum().clamp(min=1e-6)
    return ((1 - edges) ** 2 * c.sketch_mask).flatten(1).sum(1) / weight


def constraint_losses(images: torch.Tensor, c: Constraints) -> dict[str, torch.Tensor]:
    return {"colour": colour_loss(images, c), "sketch": sketch_loss(images, c)}


@dataclass
class Edit:
    latents: torch.Tensor  # (K, nz), best candidate first
    images: torch.Tensor  # (K, 3, s, s)
    colour: torch.Tensor  # (K,) colour loss of each candidate
    sketch: torch.Tensor  # (K,)
    distance: torch.Tensor  # (K,) ||z - z0||^2 / nz


def starts(z0: torch.Tensor, candidates: int, *, spread: float = 0.4, seed: int = 0) -> torch.Tensor:
    """(nz,) -> (K, nz): z0 itself, then K-1 points scattered around it inside the box, so the
    candidates settle into different solutions of the same constraints."""
    g = torch.Generator().manual_seed(seed)
    noise = torch.randn(candidates, z0.numel(), generator=g) * spread
    noise[0] = 0
    return (z0.unsqueeze(0) + noise.to(z0.device)).clamp(-1, 1)


def edit(G: Generator, z0: torch.Tensor, constraints: Constraints, *, candidates: int = 4, iterations: int = 30,
         prior: float = 1.0, learning_rate: float = 0.05, clamp: bool = True, seed: int = 0) -> Edit:
    """iGAN's update: minimise colour + sketch + prior * ||z - z0||^2 / nz over K latents at once
    (Adam), keeping z in the latent box unless `clamp` is False. Candidates come back sorted by
    their total loss."""
    z = starts(z0, candidates, seed=seed).requires_grad_(True)
    optimiser = torch.optim.Adam([z], lr=learning_rate)
    for _ in range(iterations):
        loss = edit_step(G, z, z0, constraints, prior)
        optimiser.zero_grad(set_to_none=True)
        loss.sum().backward()
        optimiser.step()
        if clamp:
            with torch.no_grad():
                z.clamp_(-1, 1)
    with torch.no_grad():
        images = G(z)
        losses = constraint_losses(images, constraints)
        distance = ((z - z0) ** 2).mean(1)
        order = torch.argsort(losses["colour"] + losses["sketch"] + prior * distance)
    return Edit(z.detach()[order], images[order], losses["colour"][order], losses["sketch"][order], distance[order])


def edit_step(G: Generator, z: torch.Tensor, z0: torch.Tensor, constraints: Constraints, prior: float) -> torch.Tensor:
    """(K,) total loss of each candidate: what one update step differentiates."""
    losses = constraint_losses(G(z), constraints)
    return losses["colour"] + losses["sketch"] + prior * ((z - z0) ** 2).mean(1)


def pixel_edit(image: torch.Tensor, constraints: Constraints, *, iterations: int = 30,
               learning_rate: float = 0.05) -> torch.Tensor:
    """The unconstrained baseline: the same losses minimised over the pixels of (1, 3, s, s)
    directly, with no generator to keep the result on the manifold (the edit iGAN avoids)."""
    x = image.detach().clone().requires_grad_(True)
    optimiser = torch.optim.Adam([x], lr=learning_rate)
    for _ in range(iterations):
        losses = constraint_losses(x, constraints)
        optimiser.zero_grad(set_to_none=True)
        (losses["colour"] + losses["sketch"]).sum().backward()
        optimiser.step()
        with torch.no_grad():
            x.clamp_(-1, 1)
    return x.detach()
