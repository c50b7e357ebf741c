"""`marginalia train style-transfer --style NAME`: one feed-forward generator per artwork.

Johnson et al. 2016's recipe on the random features of `features`: the generator sees random
crops of the content photos and is trained so its output keeps the crop's content-layer maps
and takes on the artwork's Gram matrices (the same losses as the optimisation method, same
weights). Seeded and resumable: a checkpoint every `checkpoint_every` steps holds the
generator, the optimiser, the crop generator's state and the wall time so far; starting the
command again continues from it. At the end the generator is exported to
models/style_transfer/weights/<style>.pt; `evaluate.py` then writes the model card.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from models.checkpoints import save_atomically
from models.spec import sha256_of
from models.style_transfer.data import STYLE_NAMES, load_style, random_crops, training_photos
from models.style_transfer.features import RandomFeatures, content_loss, style_loss, style_targets, tv_loss
from models.style_transfer.net import Generator
from models.style_transfer.optimise import CONTENT_WEIGHT, STYLE_WEIGHT, TV_WEIGHT
from models.style_transfer.texture import TexturePlan, train_texture
from models.style_transfer.training_loop import run_steps

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
RUNS_DIR = Path(__file__).resolve().parents[2] / "data" / "train" / "style-transfer"


@dataclass(frozen=True)
class TrainingPlan:
    style: str = "elephants"
    steps: int = 800
    batch: int = 4
    crop: int = 128
    width: int = 16
    blocks: int = 3
    learning_rate: float = 2e-3
    content_weight: float = CONTENT_WEIGHT
    # a quarter of the optimisation's: a generator finds the global trade-off (fade the photo into
    # the artwork's statistics), where the optimisation stops near the photo it starts from
    style_weight: float = STYLE_WEIGHT / 4
    tv_weight: float = TV_WEIGHT
    seed: int = 1603  # arXiv 1603.08155 (Johnson et al.)
    checkpoint_every: int = 50
    log_every: int = 25
    threads: int = 1


def weights_path(style: str, weights_dir: Path = WEIGHTS_DIR) -> Path:
    return weights_dir / f"{style}.pt"


def generator_loss(generator: Generator, features: RandomFeatures, crops: torch.Tensor,
                   targets: list[torch.Tensor], plan: TrainingPlan) -> dict[str, torch.Tensor]:
    with torch.no_grad():
        content_maps = features(crops)
    out = generator(crops)
    maps = features(out)
    terms = {"content": content_loss(maps, content_maps), "style": style_loss(maps, targets), "tv": tv_loss(out)}
    terms["total"] = (plan.content_weight * terms["content"] + plan.style_weight * terms["style"]
                      + plan.tv_weight * terms["tv"])
    return terms


def train(plan: TrainingPlan, run_dir: Path, *, weights_dir: Path | None = WEIGHTS_DIR,
          log: Callable[[str], None] = print) -> dict:
    """Run (or resume) the plan in `run_dir`; export to `weights_dir` (None: don't). Returns the
    run's summary."""
    torch.set_num_threads(plan.threads)
    torch.manual_seed(plan.seed)
    run_dir.mkdir(parents=True, exist_ok=True)
    features = RandomFeatures()
    targets = style_targets(features, load_style(plan.style))
    generator = Generator(plan.width, plan.blocks)
    # the skip's gain (3 numbers) learns 10x faster: a style may need the photo faded a lot
    body = [p for name, p in generator.named_parameters() if name != "skip"]
    optimiser = torch.optim.Adam([{"params": body}, {"params": [generator.skip], "lr": 10 * plan.learning_rate}],
                                 lr=plan.learning_rate)
    crop_generator = torch.Generator().manual_seed(plan.seed)
    photos = training_photos()

    def one_step() -> dict[str, torch.Tensor]:
        generator.train()
        crops = random_crops(photos, plan.batch, plan.crop, crop_generator)
        terms = generator_loss(generator, features, crops, targets, plan)
        optimiser.zero_grad()
        terms["total"].backward()
        optimiser.step()
        return terms

    step, seconds = run_steps(plan, run_dir, parts={"generator": generator, "optimiser": optimiser},
                              random=crop_generator, step=one_step, label=plan.style, log=log)
    summary = {"style": plan.style, "plan": asdict(plan), "steps": step, "wall_time_minutes": round(seconds / 60, 2),
               "parameters": sum(p.numel() for p in generator.parameters())}
    if weights_dir is not None:
        weights_dir.mkdir(parents=True, exist_ok=True)
        target = weights_path(plan.style, weights_dir)
        save_atomically(generator.state_dict(), target)
        summary |= {"file": target.name, "sha256": sha256_of(target),
                    "size_mb": round(target.stat().st_size / 2**20, 3)}
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    log(json.dumps(summary))
    return summary


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="marginalia train style-transfer", description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--style", choices=STYLE_NAMES, help="train the stylising generator of this artwork")
    target.add_argument("--texture", choices=STYLE_NAMES,
                        help="train a texture generator (noise -> texture) on this artwork instead")
    defaults = TrainingPlan()
    parser.add_argument("--steps", type=int, help=f"default {defaults.steps} ({TexturePlan.steps} for a texture)")
    parser.add_argument("--batch", type=int, default=defaults.batch)
    parser.add_argument("--crop", type=int, default=defaults.crop)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--threads", type=int, default=defaults.threads)
    parser.add_argument("--run-dir", type=Path, help="checkpoints and log (default data/train/style-transfer/<style>)")
    parser.add_argument("--no-export", action="store_true", help="keep the shipped weights as they are")
    args = parser.parse_args(argv)
    export_to = None if args.no_export else WEIGHTS_DIR
    if args.texture:
        texture_plan = TexturePlan(texture=args.texture, steps=args.steps or TexturePlan.steps, batch=args.batch,
                                   seed=args.seed, threads=args.threads)
        train_texture(texture_plan, args.run_dir or RUNS_DIR / f"texture-{args.texture}", weights_dir=export_to)
        return 0
    plan = TrainingPlan(style=args.style, steps=args.steps or defaults.steps, batch=args.batch, crop=args.crop,
                        seed=args.seed, threads=args.threads)
    train(plan, args.run_dir or RUNS_DIR / args.style, weights_dir=export_to)
    return 0


main = cli

if __name__ == "__main__":
    raise SystemExit(cli())
