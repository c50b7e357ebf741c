"""The GAN demo's entry points: load generator, discriminator and encoder; run one operation.

Every operation answers JSON with links to the PNGs it wrote and the latents behind them, so a
page can send a latent back (to edit it further, or to interpolate from it) without another
projection. The discriminator's probability that an image is real ("realism") is reported
beside each image: it is what the GAN itself thinks of the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from models.gan.edit import constraint_losses, edit, rasterise
from models.gan.net import Discriminator, Encoder, Generator
from models.gan.params import read_params
from models.gan.project import image_to_tensor, interpolate, project, save_png

DECIMALS = 4  # of latents in the answer: 1e-4 changes no pixel


class GANModel(nn.Module):
    """The three networks of the demo, moved and put in eval mode together."""

    def __init__(self, G: Generator, D: Discriminator, E: Encoder) -> None:
        super().__init__()
        self.G, self.D, self.E = G, D, E
        for p in self.parameters():
            p.requires_grad_(False)  # only latents are optimised

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def realism(self, images: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return torch.sigmoid(self.D(images))


def load_net(kind: type, path: Path) -> nn.Module:
    stored = torch.load(path, map_location="cpu", weights_only=True)
    config = stored["config"]
    net = kind(width=config["width"], size=config["size"]) if kind is Discriminator else kind(**config)
    net.load_state_dict(stored["state"])
    return net.eval()


def load(weights: list[Path], device: torch.device) -> GANModel:
    """weights: generator, discriminator, encoder checkpoints ({"config", "state"})."""
    G, D, E = (load_net(kind, path) for kind, path in zip((Generator, Discriminator, Encoder), weights, strict=True))
    return GANModel(G, D, E).to(device).eval()


def sample_latents(seed: int, count: int, nz: int) -> torch.Tensor:
    """(count, nz) uniform in [-1, 1], a function of the seed alone (the same on every device)."""
    return torch.rand(count, nz, generator=torch.Generator().manual_seed(seed)) * 2 - 1


def _rounded(latent: torch.Tensor) -> list[float]:
    return [round(v, DECIMALS) for v in latent.detach().cpu().double().tolist()]


def _write(model: GANModel, latents: torch.Tensor, images: torch.Tensor, out_dir: Path, stem: str) -> list[dict]:
    realism = model.realism(images)
    answer = []
    for i, (latent, image) in enumerate(zip(latents, images, strict=True)):
        name = f"{stem}-{i}.png"
        save_png(image, out_dir / name)
        answer.append({"image": name, "latent": _rounded(latent), "realism": round(float(realism[i]), 4)})
    return answer


def _start(model: GANModel, latent: list[float] | None, image: Path | None,
           iterations: int) -> tuple[torch.Tensor, dict]:
    """A latent to start from: the one given, or the projection of the uploaded image."""
    if latent is not None:
        return torch.tensor(latent, device=model.device), {}
    target = image_to_tensor(image, model.G.size).to(model.device)
    projection = project(model.G, model.E, target, iterations=iterations)
    return projection.latent[0], {"projected_error": round(float(projection.error[0]), 5)}


def predict(model: GANModel, params: dict, inputs: dict[str, Path], out_dir: Path,
            progress: Callable[[float], None]) -> dict:
    checked = read_params(params)
    operation = checked["operation"]
    run = {"sample": _sample, "project": _project, "edit": _edit, "interpolate": _interpolate}[operation]
    with torch.inference_mode(False), torch.enable_grad():  # whatever mode the worker runs in: z needs gradients
        return {"operation": operation, **run(model, checked, inputs, out_dir, progress)}


def _sample(model, checked, inputs, out_dir, progress) -> dict:
    latents = sample_latents(checked["seed"], checked["count"], model.G.nz).to(model.device)
    with torch.no_grad():
        images = model.G(latents)
    return {"seed": checked["seed"], "images": _write(model, latents, images, out_dir, "sample")}


def _project(model, checked, inputs, out_dir, progress) -> dict:
    target = image_to_tensor(inputs["image"], model.G.size).to(model.device)
    save_png(target[0], out_dir / "target.png")
    result = project(model.G, model.E, target, iterations=checked["iterations"])
    progress(0.8)
    with torch.no_grad():
        images = model.G(torch.cat((result.start, result.latent)))
    written = _write(model, torch.cat((result.start, result.latent)), images, out_dir, "projection")
    encoder, optimised = written
    encoder["error"] = round(float(result.start_error[0]), 5)
    optimised["error"] = round(float(result.error[0]), 5)
    return {"target": "target.png", "encoder": encoder, "projection": optimised,
            "images": [optimised], "latent": optimised["latent"]}


def _edit(model, checked, inputs, out_dir, progress) -> dict:
    z0, extra = _start(model, checked["latent"], inputs.get("image"), checked["iterations"])
    constraints = rasterise(checked["strokes"], model.G.size)
    with torch.no_grad():
        before = model.G(z0.unsqueeze(0))
    start_losses = constraint_losses(before, constraints)
    result = edit(model.G, z0, constraints, candidates=checked["candidates"], iterations=checked["iterations"],
                  prior=checked["prior"])
    progress(0.9)
    save_png(before[0], out_dir / "start.png")
    candidates = _write(model, result.latents, result.images, out_dir, "candidate")
    for i, candidate in enumerate(candidates):
        candidate.update(colour_loss=round(float(result.colour[i]), 5), sketch_loss=round(float(result.sketch[i]), 5),
                         distance=round(float(result.distance[i]), 5))
    return {"start": {"image": "start.png", "latent": _rounded(z0),
                      "colour_loss": round(float(start_losses["colour"][0]), 5),
                      "sketch_loss": round(float(start_losses["sketch"][0]), 5)},
            "candidates": candidates, **extra}


def _interpolate(model, checked, inputs, out_dir, progress) -> dict:
    z_a, _ = _start(model, checked["latent"], inputs.get("image"), checked["iterations"])
    z_b, _ = _start(model, checked["latent_b"], inputs.get("image_b"), checked["iterations"])
    latents = interpolate(z_a, z_b, checked["steps"])
    with torch.no_grad():
        images = model.G(latents)
    frames = _write(model, latents, images, out_dir, "frame")
    strip = torch.cat(list(images), dim=2)  # (3, s, steps * s)
    save_png(strip, out_dir / "strip.png")
    return {"frames": frames, "strip": "strip.png"}
