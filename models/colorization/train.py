"""`marginalia train colorization`: the shipped classifier and the L2 baseline, side by side.

Both networks (same narrow ECCV16 body) train in lockstep on the same random crops, so the
comparison the paper makes (§3.2, Table 1: classification with rebalancing and annealed mean
vs plain regression) differs only in the loss. The run is seeded and resumable: a checkpoint
every `checkpoint_every` steps holds both networks, both optimisers, the crop generator and
the wall time so far; starting the command again continues from it. At the end the classifier
is exported to models/colorization/weights/ with a model card of validation figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from models.checkpoints import load_checkpoint, save_atomically
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
    classifier.eval()
    regressor.eval()
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
    classifier.train(was_training)
    regressor.train(was_training)
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
            name: torch.optim.AdamW(net.parameters(), lr=plan.learning_rate, betas=(0.9, 0.99),
                                    weight_decay=plan.weight_decay)
            for name, net in (("classification", self.classifier), ("regression", self.regressor))
        }
        self.sampler = CropSampler(training_photos(), crop=plan.crop)
        prior = bins.smooth_prior(bins.empirical_prior(self.sampler.all_pixels_ab(), self.centres), self.centres)
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
        save_atomically(state, self.checkpoint_path)

    def resume(self) -> bool:
        state = load_checkpoint(self.checkpoint_path, asdict(self.plan))
        if state is None:
            return False
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


def train(plan: TrainingPlan, run_dir: Path, *, export: bool | Path = True, log: Callable[[str], None] = print) -> dict:
    """Train (or finish) the run in `run_dir`; `export` True writes the weights and card into
    the package's weights/ folder, a Path into that folder, False nowhere."""
    torch.set_num_threads(plan.threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    run = Run(plan, run_dir, log)
    if run.resume():
        log(f"resumed at step {run.step} ({run.seconds / 60:.1f} min trained)")
    crops = validation_crops()
    started = time.monotonic()
    base_seconds = run.seconds
    with (run_dir / "log.jsonl").open("a") as log_file:
        _train_steps(run, crops, log_file, started, base_seconds)
    summary = summarize(run, crops)
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    torch.save(run.regressor.state_dict(), run_dir / "regression.pt")
    torch.save(run.classifier.state_dict(), run_dir / "classification.pt")
    if export:
        export_weights(run, summary, WEIGHTS_DIR if export is True else Path(export))
    return summary


def _train_steps(run: Run, crops: torch.Tensor, log_file, started: float, base_seconds: float) -> None:
    plan, log, losses = run.plan, run.log, []
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
        "reading": "The paper's argument in numbers: the classifier with class rebalancing, decoded by the "
        "annealed mean, should beat plain grey on the AuC of ab error and be far more colourful than the same "
        "network trained with an L2 loss (regression), which hedges towards brown. Grey scores well on AuC "
        "because most pixels of photos are nearly neutral; ground truth is the photos themselves.",
    }


def export_weights(run: Run, summary: dict, folder: Path = WEIGHTS_DIR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / WEIGHTS_NAME
    save_atomically(run.classifier.state_dict(), target)
    summary = {**summary, "file": WEIGHTS_NAME, "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
               "size_mb": round(target.stat().st_size / 1e6, 2)}
    (folder / "card.json").write_text(json.dumps(summary, indent=2) + "\n")
    (folder / "README.md").write_text(model_card(summary))
    run.log(f"wrote {target} ({summary['size_mb']} MB, sha256 {summary['sha256']}), card.json and README.md;"
            " put the sha256 in models/colorization/spec.py")
    return target


def model_card(card: dict) -> str:
    """The weights folder's README: prose that holds for any run, figures from `card`."""
    rows = "\n".join(
        f"| {name} | {figures['auc']:.3f} | {figures['mean_chroma']:.1f} | {figures['colourfulness']:.1f} |"
        for name, figures in card["validation"].items()
    )
    photos = ", ".join(f"{p['name']} ({p['package']})" for p in card["training_data"])
    held_out = ", ".join(f"{p['name']} ({p['package']})" for p in card["validation_data"])
    plan = card["plan"]
    return MODEL_CARD.format(card=card, plan=plan, rows=rows, photos=photos, held_out=held_out)


MODEL_CARD = """# Colorization weights: `{card[file]}`

{card[architecture]}; {card[parameters]:,} parameters, {card[size_mb]} MB, sha256
`{card[sha256]}`. Made by `marginalia train colorization` (`make train-colorization`);
`card.json` holds every figure below and the full training plan.

## Data

Colour photos that ship offline, split by whole image. Training: {photos}.
Validation (never trained on): {held_out}.

- Training: {card[crops][training]}.
- Validation: {card[crops][validation]}.

## Training

{card[steps]} steps of {plan[batch]} crops, AdamW (peak learning rate {plan[learning_rate]}, warm-up
{plan[warmup_steps]} steps, cosine decay, weight decay {plan[weight_decay]}), seed {plan[seed]},
{card[threads]} CPU threads: {card[wall_time_minutes]} minutes of wall time for both networks, which train in
lockstep on the same crops. The classifier minimises the rebalanced multinomial cross-entropy
against soft-encoded targets (5 nearest bins, sigma 5; prior from the training photos, smoothed
with sigma 5, mixed with uniform at lambda 0.5); the baseline, the same network ending in two
channels, minimises the L2 distance to the true ab. The shipped weights are those of the last
step: the validation crops were watched during training (`log.jsonl` in the run folder), never
used to pick a checkpoint. Wall time is on a 2-core machine that was also doing other work.

## Validation

On the held-out crops, results decoded at T = {card[temperature]} for the classifier:

| prediction | AuC of ab error, 0-150 | mean chroma | colourfulness (Hasler-Süsstrunk) |
| --- | --- | --- | --- |
{rows}

AuC is the area under the share of pixels whose predicted ab lies within a threshold of the
truth, for thresholds 0 to 150 (the paper's Table 1 metric without rebalancing); grey scores
well on it because most pixels of photos are nearly neutral. Mean chroma and colourfulness are
measured on the displayed sRGB result; `ground_truth` is the photos themselves.

## Using the official checkpoint instead

At width 1.0 the network's keys and shapes are those of the authors' PyTorch port
(richzhang/colorization, `colorizers/eccv16.py`), and `models.colorization.predict.load` reads the
width and the bin centres off the tensors. With their `colorization_release_v2-9b330a0b.pth`
on disk, register it in a module of your own and point the server at it:

```python
# mydemos.py
from pathlib import Path
from models.colorization.spec import colorization_spec
from models.spec import WeightsFile
DEMOS = (colorization_spec(WeightsFile(Path("/srv/colorization_release_v2-9b330a0b.pth"), \
"<its sha256>", "download it")),)
```

then `MARGINALIA_DEMO_SPECS=mydemos:DEMOS marginalia serve`. The full network is about 16 times
slower than this one on a CPU (`make bench` prints both).
"""


def cli(argv: list[str]) -> int:
    """`marginalia train colorization [--run-dir DIR] [--steps N] [--threads N] [--no-export]`."""
    parser = argparse.ArgumentParser(prog="marginalia train colorization", description=train.__doc__)
    parser.add_argument("--run-dir", default="data/train/colorization", help="checkpoints and log")
    parser.add_argument("--steps", type=int, help="training steps (default: the shipped model's)")
    parser.add_argument("--threads", type=int, help="CPU threads (default 2)")
    parser.add_argument("--no-export", action="store_true", help="leave models/colorization/weights alone")
    args = parser.parse_args(argv)
    defaults = TrainingPlan()
    plan = TrainingPlan(steps=args.steps or defaults.steps, threads=args.threads or defaults.threads)
    train(plan, Path(args.run_dir), export=not args.no_export)
    return 0
