"""`marginalia train wavenet`: the shipped WaveNet and its two baselines, trained in lockstep.

Three networks see the same windows in the same order for the same number of steps:

- main: globally conditioned on the instrument or voice, 2 stacks of dilations 1..512
  (receptive field 2048 samples, 128 ms at 16 kHz);
- unconditioned: the same network without the condition embeddings;
- short receptive field: the same layers with every dilation 1 (receptive field 22 samples).

So the validation figures on the card differ only in what the comparison names. The corpus is
rendered first if absent (data/wavenet/corpus.npz). The run is seeded and resumable: every
`checkpoint_every` steps an atomic checkpoint holds the three networks, their optimisers, the
window generator and the wall time so far; starting the command again continues from it. At
the end the three networks go to models/wavenet/weights/ with card.json and a held-out slice.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from models.checkpoints import load_checkpoint, save_atomically
from models.wavenet import mulaw
from models.wavenet.config import CONDITION_KEYS, SAMPLE_RATE, WaveNetConfig
from models.wavenet.data import CORPUS_DIR, CORPUS_FILE, SEED, ensure_corpus, load_corpus
from models.wavenet.net import WaveNet

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
NAMES = {"main": "wavenet.pt", "unconditioned": "wavenet-unconditioned.pt", "short_rf": "wavenet-short-rf.pt"}
HELDOUT_FILE = "heldout.npz"
HELDOUT_SECONDS = 1.5  # per condition, from the start of its validation audio


@dataclass(frozen=True)
class TrainingPlan:
    steps: int = 1500
    batch: int = 4  # windows per step
    targets: int = 4000  # predicted samples per window (each window also carries a receptive field)
    residual: int = 32
    skip: int = 32
    head: int = 64
    stacks: int = 2
    layers_per_stack: int = 10
    learning_rate: float = 2e-3
    warmup_steps: int = 100
    seed: int = SEED
    eval_every: int = 200
    checkpoint_every: int = 50
    threads: int = 1


def configs(plan: TrainingPlan) -> dict[str, WaveNetConfig]:
    main = WaveNetConfig(residual=plan.residual, skip=plan.skip, head=plan.head, stacks=plan.stacks,
                         layers_per_stack=plan.layers_per_stack, conditions=len(CONDITION_KEYS))
    return {
        "main": main,
        "unconditioned": WaveNetConfig(**{**asdict(main), "conditions": 0}),
        "short_rf": WaveNetConfig(**{**asdict(main), "dilate": False}),
    }


def learning_rate(plan: TrainingPlan, step: int) -> float:
    """Linear warm-up, then cosine decay to 5% of the peak: a function of the step alone."""
    if step < plan.warmup_steps:
        return plan.learning_rate * (step + 1) / plan.warmup_steps
    progress = (step - plan.warmup_steps) / max(1, plan.steps - plan.warmup_steps)
    return plan.learning_rate * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def with_silence(levels: np.ndarray, samples: int) -> np.ndarray:
    """`samples` of silence, then the levels: the history every stream starts from."""
    return np.concatenate([np.full(samples, mulaw.SILENCE, dtype=np.int64), levels.astype(np.int64)])


@torch.inference_mode()
def stream_nll_bits(net: WaveNet, levels: np.ndarray, condition: int | None, chunk: int = 16000) -> tuple[float, int]:
    """Total negative log-likelihood in bits of every sample of `levels` after a silent history,
    and the count of samples: the sum over chunks, each carrying its receptive field."""
    was_training = net.training
    net.eval()
    rf = net.receptive_field
    padded = torch.from_numpy(with_silence(levels, rf))
    cond = None if condition is None else torch.tensor([condition])
    total, count = 0.0, 0
    for start in range(0, len(levels), chunk):
        stop = min(start + chunk, len(levels))
        window = padded[start : rf + stop].unsqueeze(0)  # predicts padded[rf + start : rf + stop]
        total += float(net.nll_bits(window, cond)) * (stop - start)
        count += stop - start
    net.train(was_training)
    return total, count


def nll_table(net: WaveNet, streams: dict[str, np.ndarray]) -> dict[str, float]:
    """Bits per sample per condition and over all samples ("all")."""
    conditioned = bool(net.config.conditions)
    table, total, count = {}, 0.0, 0
    for key, levels in streams.items():
        bits, n = stream_nll_bits(net, levels, CONDITION_KEYS.index(key) if conditioned else None)
        table[key] = bits / n
        total, count = total + bits, count + n
    table["all"] = total / count
    return table


class Windows:
    """Random training windows: a condition (uniform), then a start (uniform) in its audio."""

    def __init__(self, streams: dict[str, np.ndarray], length: int, seed: int) -> None:
        self.streams = [with_silence(streams[key], length) for key in CONDITION_KEYS]
        self.length = length
        self.rng = np.random.default_rng(seed)

    def batch(self, size: int) -> tuple[torch.Tensor, torch.Tensor]:
        conditions = self.rng.integers(0, len(self.streams), size=size)
        rows = []
        for c in conditions:
            stream = self.streams[c]
            start = int(self.rng.integers(0, len(stream) - self.length + 1))
            rows.append(stream[start : start + self.length])
        return torch.from_numpy(np.stack(rows)), torch.from_numpy(conditions.astype(np.int64))


class Run:
    def __init__(self, plan: TrainingPlan, run_dir: Path, log: Callable[[str], None],
                 corpus: Path = CORPUS_FILE) -> None:
        self.plan, self.run_dir, self.log = plan, run_dir, log
        torch.manual_seed(plan.seed)
        self.configs = configs(plan)
        self.nets = {name: WaveNet(config) for name, config in self.configs.items()}
        self.optimisers = {name: torch.optim.Adam(net.parameters(), lr=plan.learning_rate)
                           for name, net in self.nets.items()}
        self.rf = self.configs["main"].receptive_field
        _, splits = load_corpus(corpus)
        train = {key: mulaw.encode(audio) for key, audio in splits["train"].items()}
        self.val = {key: mulaw.encode(audio) for key, audio in splits["val"].items()}
        self.windows = Windows(train, self.rf + plan.targets, plan.seed)
        self.step, self.seconds, self.history = 0, 0.0, []

    @property
    def checkpoint_path(self) -> Path:
        return self.run_dir / "checkpoint.pt"

    def save(self) -> None:
        save_atomically({
            "plan": asdict(self.plan),
            "step": self.step,
            "seconds": self.seconds,
            "history": self.history,
            "nets": {name: net.state_dict() for name, net in self.nets.items()},
            "optimisers": {name: opt.state_dict() for name, opt in self.optimisers.items()},
            "windows": self.windows.rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
        }, self.checkpoint_path)

    def resume(self) -> bool:
        state = load_checkpoint(self.checkpoint_path, asdict(self.plan))
        if state is None:
            return False
        for name, net in self.nets.items():
            net.load_state_dict(state["nets"][name])
            self.optimisers[name].load_state_dict(state["optimisers"][name])
        self.windows.rng.bit_generator.state = state["windows"]
        torch.set_rng_state(state["torch_rng"])
        self.step, self.seconds, self.history = state["step"], state["seconds"], state["history"]
        return True

    def train_step(self) -> dict[str, float]:
        levels, conditions = self.windows.batch(self.plan.batch)
        rate = learning_rate(self.plan, self.step)
        losses = {}
        for name, net in self.nets.items():
            rf = net.receptive_field
            window = levels[:, self.rf - rf :]  # the same targets: the last `targets` samples
            loss = net.nll_bits(window, conditions if net.config.conditions else None)
            optimiser = self.optimisers[name]
            for group in optimiser.param_groups:
                group["lr"] = rate
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            losses[name] = float(loss.detach())
        return losses

    def quick_validation(self) -> dict[str, float]:
        """Bits per sample on the first second of each condition's validation audio."""
        short = {key: levels[:SAMPLE_RATE] for key, levels in self.val.items()}
        return {name: round(nll_table(net, short)["all"], 4) for name, net in self.nets.items()}

    def train(self) -> None:
        plan = self.plan
        running: dict[str, float] = {}
        while self.step < plan.steps:
            started = time.perf_counter()
            losses = self.train_step()
            self.step += 1
            self.seconds += time.perf_counter() - started
            running = {k: 0.98 * running.get(k, v) + 0.02 * v for k, v in losses.items()}
            if self.step % 25 == 0:
                figures = " ".join(f"{k} {v:.3f}" for k, v in running.items())
                self.log(f"step {self.step}/{plan.steps} {self.seconds / 60:.1f} min  train bits {figures}")
            if self.step % plan.eval_every == 0 or self.step == plan.steps:
                started = time.perf_counter()
                figures = self.quick_validation()
                self.seconds += time.perf_counter() - started
                self.history.append({"step": self.step, "minutes": round(self.seconds / 60, 2), "val_bits": figures})
                self.log(f"step {self.step}: validation bits (first second per condition) {figures}")
            if self.step % plan.checkpoint_every == 0 or self.step == plan.steps:
                self.save()


def export(run: Run, weights_dir: Path = WEIGHTS_DIR, log: Callable[[str], None] = print) -> dict:
    """Write the three networks, the held-out slice and card.json (full validation figures)."""
    from models.wavenet.evaluate import card_figures, training_summary

    weights_dir.mkdir(parents=True, exist_ok=True)
    for name, net in run.nets.items():
        save_atomically({"config": run.configs[name].as_dict(), "conditions": list(CONDITION_KEYS),
                         "state_dict": net.state_dict()}, weights_dir / NAMES[name])
    heldout = {key: levels[: int(HELDOUT_SECONDS * SAMPLE_RATE)] for key, levels in run.val.items()}
    np.savez_compressed(weights_dir / HELDOUT_FILE, **heldout)
    card = card_figures(run.nets, run.val, heldout)
    card["training"] = {"plan": asdict(run.plan), "steps": run.step, "minutes": round(run.seconds / 60, 1),
                        "history": run.history}
    card.update(training_summary(card))
    (weights_dir / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    log(json.dumps({k: v for k, v in card.items() if k != "training"}, indent=2))
    return card


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="marginalia train wavenet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=TrainingPlan.steps)
    parser.add_argument("--run-dir", type=Path, default=CORPUS_DIR / "run")
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--no-export", action="store_true", help="train only; leave the shipped weights alone")
    args = parser.parse_args(argv)
    plan = TrainingPlan(steps=args.steps)
    torch.set_num_threads(plan.threads)
    args.run_dir.mkdir(parents=True, exist_ok=True)
    log_file = (args.run_dir / "train.log").open("a")

    def log(line: str) -> None:
        stamped = f"{time.strftime('%H:%M:%S')} {line}"
        print(stamped, flush=True)
        log_file.write(stamped + "\n")
        log_file.flush()

    ensure_corpus(log=log)
    run = Run(plan, args.run_dir, log)
    if run.resume():
        log(f"resumed at step {run.step} ({run.seconds / 60:.1f} min so far)")
    else:
        log(f"new run: {json.dumps(asdict(plan))}; receptive field {run.rf} samples")
    run.train()
    if not args.no_export:
        export(run, args.weights_dir, log)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
