"""The shipped texture generator (Texture Networks, Ulyanov et al. 2016, first half): a
multi-scale noise network trained so that every sample it makes has the Gram matrices of one
texture. Trained by `marginalia train style-transfer --texture NAME`, seeded and resumable like
the stylising generators; exported to weights/texture-<name>.pt.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from models.checkpoints import save_atomically
from models.spec import sha256_of
from models.style_transfer.data import load_style
from models.style_transfer.features import RandomFeatures, style_loss, style_targets, tv_loss
from models.style_transfer.net import TextureGenerator
from models.style_transfer.training_loop import run_steps

TEXTURE_NAME = "elephants"  # the most stationary of the four artworks: a texture more than a picture


@dataclass(frozen=True)
class TexturePlan:
    texture: str = TEXTURE_NAME
    steps: int = 600
    batch: int = 4
    size: int = 128
    width: int = 8
    scales: int = 4
    learning_rate: float = 1e-2
    tv_weight: float = 0.5  # as in optimise.synthesise_texture, so the two methods aim at the same thing
    seed: int = 1603  # arXiv 1603.03417 (Ulyanov et al.)
    checkpoint_every: int = 50
    log_every: int = 25
    threads: int = 1


def texture_weights_path(texture: str, weights_dir: Path) -> Path:
    return weights_dir / f"texture-{texture}.pt"


def load_texture_generator(path: Path) -> TextureGenerator:
    state = torch.load(path, map_location="cpu", weights_only=True)
    width = state["noise_blocks.0.1.weight"].shape[0]
    scales = len({key.split(".")[1] for key in state if key.startswith("noise_blocks.")})
    generator = TextureGenerator(width, scales)
    generator.load_state_dict(state)
    return generator.eval()


def texture_loss(generator: TextureGenerator, features: RandomFeatures, targets: list[torch.Tensor],
                 plan: TexturePlan, noise_source: torch.Generator) -> dict[str, torch.Tensor]:
    out = generator(generator.noise(plan.batch, plan.size, plan.size, noise_source))
    terms = {"style": style_loss(features(out), targets), "tv": tv_loss(out)}
    terms["total"] = terms["style"] + plan.tv_weight * terms["tv"]
    return terms


def train_texture(plan: TexturePlan, run_dir: Path, *, weights_dir: Path | None,
                  log: Callable[[str], None] = print) -> dict:
    """Run (or resume) the plan in `run_dir`; export to `weights_dir` (None: don't)."""
    torch.set_num_threads(plan.threads)
    torch.manual_seed(plan.seed)
    run_dir.mkdir(parents=True, exist_ok=True)
    features = RandomFeatures()
    targets = style_targets(features, load_style(plan.texture))
    generator = TextureGenerator(plan.width, plan.scales)
    optimiser = torch.optim.Adam(generator.parameters(), lr=plan.learning_rate)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, plan.steps)
    noise_source = torch.Generator().manual_seed(plan.seed)

    def one_step() -> dict[str, torch.Tensor]:
        terms = texture_loss(generator, features, targets, plan, noise_source)
        optimiser.zero_grad()
        terms["total"].backward()
        optimiser.step()
        schedule.step()
        return terms

    parts = {"generator": generator, "optimiser": optimiser, "schedule": schedule}
    step, seconds = run_steps(plan, run_dir, parts=parts, random=noise_source, step=one_step,
                              label=f"texture {plan.texture}", log=log)
    summary = {"texture": plan.texture, "plan": asdict(plan), "steps": step,
               "wall_time_minutes": round(seconds / 60, 2),
               "parameters": sum(p.numel() for p in generator.parameters())}
    if weights_dir is not None:
        target = texture_weights_path(plan.texture, weights_dir)
        save_atomically(generator.state_dict(), target)
        summary |= {"file": target.name, "sha256": sha256_of(target),
                    "size_mb": round(target.stat().st_size / 2**20, 3)}
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    log(json.dumps(summary))
    return summary


def judge_texture(generator: TextureGenerator, features: RandomFeatures, share_of: Callable[[list], float], *,
                  seeds: tuple[int, ...] = (0, 1, 2, 3), size: int = 256, optimise_steps: int = 150) -> dict:
    """The card's texture figures: the style (Gram) loss against the sample of the network's
    textures (mean over `seeds`), of the optimisation's (Ulyanov et al.'s comparison) and of
    plain noise; the share of their crops the style classifier (`share_of`) calls the sample's
    style; how different two seeds' textures are (mean absolute pixel difference, 0-255: a
    network that memorised one image would score near 0); and the time each takes."""
    from models.style_transfer.optimise import synthesise_texture  # optimise imports nothing from here

    targets = style_targets(features, load_style(TEXTURE_NAME))

    def loss(image: torch.Tensor) -> float:
        with torch.inference_mode():
            return float(style_loss(features(image[None]), targets))

    started = time.perf_counter()
    textures = [generator.sample(size, size, seed) for seed in seeds]
    network_seconds = (time.perf_counter() - started) / len(seeds)
    started = time.perf_counter()
    optimised, _ = synthesise_texture(features, load_style(TEXTURE_NAME), (size, size), steps=optimise_steps)
    optimise_seconds = time.perf_counter() - started
    noise = torch.rand(3, size, size, generator=torch.Generator().manual_seed(0))
    pairs = [(a, b) for i, a in enumerate(textures) for b in textures[i + 1:]]
    return {
        "texture": TEXTURE_NAME,
        "gram_loss_network": round(sum(loss(t) for t in textures) / len(textures), 4),
        "gram_loss_optimised": round(loss(optimised), 4),
        "gram_loss_noise": round(loss(noise), 4),
        "own_style_share_network": round(share_of(textures), 3),
        "own_style_share_optimised": round(share_of([optimised]), 3),
        "seed_difference": round(sum(float((a - b).abs().mean()) * 255 for a, b in pairs) / len(pairs), 1),
        "network_seconds": round(network_seconds, 3),
        "optimise_seconds": round(optimise_seconds, 2),
        "optimise_steps": optimise_steps,
        "size": size,
    }
