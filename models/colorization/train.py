"""`marginalia train colorization`: the shipped classifier and the L2 baseline, side by side.

Both networks (same narrow ECCV16 body) train in lockstep on the same random crops, so the
comparison the paper makes (§3.2, Table 1: classification with rebalancing and annealed mean
vs plain regression) differs only in the loss. The run is seeded and resumable: a checkpoint
every `checkpoint_every` steps holds both networks, both optimisers, the crop generator and
the wall time so far; starting the command again continues from it. At the end the classifier
is exported to models/colorization/weights/ with a model card of validation figures.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

from models.colorization import bins, metrics
from models.colorization.config import ColorizationConfig
from models.colorization.data import CropSampler, training_photos, validation_crops, validation_photos
from models.colorization.net import ECCV16Colorizer, ECCV16Regressor

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_NAME = "eccv16-narrow.pt"


@dataclass(frozen=True)
class TrainingPlan:
    steps: int = 3000
    batch: int = 16
    crop: int = 128  # training crops; the network output is crop / 4 on a side
    width: float = 0.25  # channel multiplier of the shipped network
    learning_rate: float = 1e-3
    warmup_steps: int = 100
    weight_decay: float = 1e-4
    seed: int = 1603  # arXiv 1603.08511
    eval_every: int = 250
    checkpoint_every: int = 50
    threads: int = 2


def learning_rate(plan: TrainingPlan, step: int) -> float:
    """Linear warm-up, then cosine decay to 2% of the peak: a function of the step alone, so a
    resumed run needs no scheduler state."""
    if step < plan.warmup_steps:
        return plan.learning_rate * (step + 1) / plan.warmup_steps
    progress = (step - plan.warmup_steps) / max(1, plan.steps - plan.warmup_steps)
    return plan.learning_rate * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * progress)))


def classification_loss(logits: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Eq. 2-3: cross-entropy against soft targets Z, each pixel weighted by v(Z)."""
    per_pixel = -(targets * F.log_softmax(logits, dim=1)).sum(dim=1)  # (B, h, w)
    return (per_pixel * bins.pixel_weights(targets, weights)).mean()


@torch.inference_mode()
def evaluate(classifier: ECCV16Colorizer, regressor: ECCV16Regressor, crops: torch.Tensor) -> dict:
    """Validation figures of both networks and of the all-grey prediction on Lab crops."""
    was_training = classifier.training
    classifier.eval(), regressor.eval()
    light = crops[:, :1]
    predicted = {"classification": [], "regression": []}
    for chunk in light.split(4):
        predicted["classification"].append(classifier.colorize_ab(chunk))
        predicted["regression"].append(regressor.colorize_ab(chunk))
    result = {
        name: metrics.report(torch.cat((light, torch.cat(ab)), dim=1), crops) for name, ab in predicted.items()
    }
    result["grey"] = metrics.report(metrics.grey(crops), crops)
    result["ground_truth"] = metrics.report(crops, crops)
    classifier.train(was_training), regressor.train(was_training)
    return result


class Run:
    """One training run in `run_dir`: networks, optimisers, data, and its log."""

    def __init__(self, plan: TrainingPlan, run_dir: Path, log: Callable[[str], None]) -> None:
        self.plan, self.run_dir, self.log = plan, run_dir, log
        self.config = ColorizationConfig(width=plan.width)
        torch.manual_seed(plan.seed)
        self.centres = bins.gamut_bins(self.config.grid_size)  # (Q, 2)
        self.classifier = ECCV16Colorizer(num_bins=len(self.centres), width=plan.width, config=self.config)
        self.classifier.set_bin_centres(self.centres)
        self.regressor = ECCV16Regressor(width=plan.width, config=self.config)
        self.optimisers = {
            name: torch.optim.AdamW(net.parameters(), lr=plan.learning_rate, betas=(0.9, 0.99), weight_decay=plan.weight_decay)
            for name, net in (("classification", self.classifier), ("regression", self.regressor))
        }
        self.sampler = CropSampler(training_photos(), crop=plan.crop)
        prior = bins.smooth_prior(bins.empirical_prior(self.sampler.all_pixels_ab(), self.centres), self.centres)
        self.prior = prior
        self.weights = bins.rebalancing_weights(prior, lam=self.config.rebalance_lambda)  # (Q,)
        self.generator = torch.Generator().manual_seed(plan.seed)
        self.step = 0
        self.seconds = 0.0  # training wall time over all sessions of this run
        self.history: list[dict] = []

    @property
    def checkpoint_path(self) -> Path:
        return self.run_dir / "checkpoint.pt"

    def save(self) -> None:
        state = {
            "plan": asdict(self.plan),
            "step": self.step,
            "seconds": self.seconds,
            "history": self.history,
            "classifier": self.classifier.state_dict(),
            "regressor": self.regressor.state_dict(),
            "optimisers": {name: opt.state_dict() for name, opt in self.optimisers.items()},
            "generator": self.generator.get_state(),
        }
        partial = self.checkpoint_path.with_suffix(".partial")
        torch.save(state, partial)
        os.replace(partial, self.checkpoint_path)  # a stop mid-write never spoils the last checkpoint

    def resume(self) -> bool:
        if not self.checkpoint_path.exists():
            return False
        state = torch.load(self.checkpoint_path, weights_only=False)
        if state["plan"] != asdict(self.plan):
            raise SystemExit(f"{self.checkpoint_path} was made with another plan; use a new --run-dir")
        self.classifier.load_state_dict(state["classifier"])
        self.regressor.load_state_dict(state["regressor"])
        for name, opt in self.optimisers.items():
            opt.load_state_dict(state["optimisers"][name])
        self.generator.set_state(state["generator"])
        self.step, self.seconds, self.history = state["step"], state["seconds"], state["history"]
        return True

    def train_step(self) -> dict[str, float]:
        lab = self.sampler.batch(self.plan.batch, self.generator)  # (B, 3, crop, crop)
        light = lab[:, :1]
        ab_small = F.avg_pool2d(lab[:, 1:], 4)  # (B, 2, crop/4, crop/4): the output grid
        targets = bins.soft_encode(ab_small, self.centres, neighbours=self.config.neighbours, sigma=self.config.sigma)
        losses = {
            "classification": classification_loss(self.classifier.logits(light), targets, self.weights),
            "regression": F.mse_loss(self.regressor.regress(light), ab_small / self.config.ab_norm),
        }
        rate = learning_rate(self.plan, self.step)
        for name, loss in losses.items():
            optimiser = self.optimisers[name]
            for group in optimiser.param_groups:
                group["lr"] = rate
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
        return {name: loss.item() for name, loss in losses.items()}


def train(plan: TrainingPlan, run_dir: Path, *, export: bool = True, log: Callable[[str], None] = print) -> dict:
    torch.set_num_threads(plan.threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    run = Run(plan, run_dir, log)
    if run.resume():
        log(f"resumed at step {run.step} ({run.seconds / 60:.1f} min trained)")
    crops = validation_crops()
    log_file = (run_dir / "log.jsonl").open("a")
    started, losses = time.monotonic(), []
    base_seconds = run.seconds
    while run.step < plan.steps:
        losses.append(run.train_step())
        run.step += 1
        run.seconds = base_seconds + time.monotonic() - started
        if run.step % plan.eval_every == 0 or run.step == plan.steps:
            record = {
                "step": run.step,
                "minutes": round(run.seconds / 60, 2),
                "loss": {k: round(sum(x[k] for x in losses) / len(losses), 5) for k in losses[0]},
                "validation": evaluate(run.classifier, run.regressor, crops),
            }
            losses = []
            run.history.append(record)
            log_file.write(json.dumps(record) + "\n")
            log_file.flush()
            log(json.dumps(record))
        if run.step % plan.checkpoint_every == 0 or run.step == plan.steps:
            run.save()
    summary = summarize(run, crops)
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    torch.save(run.regressor.state_dict(), run_dir / "regression.pt")
    torch.save(run.classifier.state_dict(), run_dir / "classification.pt")
    if export:
        export_weights(run, summary)
    return summary


def summarize(run: Run, crops: torch.Tensor) -> dict:
    plan = run.plan
    return {
        "paper": "Colorful Image Colorization (Zhang, Isola, Efros, ECCV 2016), arXiv:1603.08511",
        "architecture": f"ECCV16 at width {plan.width}, {len(run.centres)} ab bins (grid 10, sRGB gamut)",
        "parameters": sum(p.numel() for p in run.classifier.parameters()),
        "training_data": [{"name": p.name, "package": p.package} for p in training_photos()],
        "validation_data": [{"name": p.name, "package": p.package} for p in validation_photos()],
        "crops": {
            "training": f"{plan.steps * plan.batch} random {plan.crop}x{plan.crop} crops "
            "(side 1-2x the crop from photos shrunk to a 512 px shorter side, random horizontal flip)",
            "validation": f"{len(crops)} fixed 256x256 crops (corners and centre of each held-out photo)",
        },
        "plan": asdict(plan),
        "steps": run.step,
        "wall_time_minutes": round(run.seconds / 60, 1),
        "threads": plan.threads,
        "temperature": run.config.temperature,
        "validation": evaluate(run.classifier, run.regressor, crops),
    }


def export_weights(run: Run, summary: dict) -> Path:
    WEIGHTS_DIR.mkdir(exist_ok=True)
    target = WEIGHTS_DIR / WEIGHTS_NAME
    torch.save(run.classifier.state_dict(), target)
    (WEIGHTS_DIR / "card.json").write_text(json.dumps(summary, indent=2) + "\n")
    run.log(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) and card.json")
    return target
