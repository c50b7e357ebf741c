"""The loop both trainers share (stylising generators in train.py, the texture network in
texture.py): resume from the run's checkpoint, take steps, log the mean of each loss term every
`log_every` steps to `log.jsonl`, checkpoint atomically every `checkpoint_every` steps."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch

from models.checkpoints import load_checkpoint, save_atomically


def run_steps(plan: Any, run_dir: Path, *, parts: dict[str, Any], random: torch.Generator,
              step: Callable[[], dict[str, torch.Tensor]], label: str,
              log: Callable[[str], None]) -> tuple[int, float]:
    """Run `step` (one optimiser step; it returns the loss terms) until `plan.steps`, resuming
    `parts` (anything with a state_dict) and `random` from the checkpoint in `run_dir` if one
    was made by the same plan. Returns the steps done and the seconds trained, all runs together."""
    done, seconds = 0, 0.0
    checkpoint = run_dir / "checkpoint.pt"
    state = load_checkpoint(checkpoint, asdict(plan))
    if state is not None:
        for name, part in parts.items():
            part.load_state_dict(state[name])
        random.set_state(state["random"])
        done, seconds = state["step"], state["seconds"]
        log(f"resumed {label} at step {done} ({seconds / 60:.1f} min trained)")
    started, base = time.perf_counter(), seconds
    running: dict[str, float] = {}
    with (run_dir / "log.jsonl").open("a") as log_file:
        while done < plan.steps:
            terms = step()
            done += 1
            for name, value in terms.items():
                running[name] = running.get(name, 0.0) + float(value.detach())
            seconds = base + time.perf_counter() - started
            if done % plan.log_every == 0 or done == plan.steps:
                count = plan.log_every if done % plan.log_every == 0 else done % plan.log_every
                record = {"step": done, "minutes": round(seconds / 60, 2)} | {
                    name: round(value / count, 5) for name, value in running.items()}
                running = {}
                log_file.write(json.dumps(record) + "\n")
                log_file.flush()
                log(json.dumps(record))
            if done % plan.checkpoint_every == 0 or done == plan.steps:
                save_atomically({"plan": asdict(plan), **{name: part.state_dict() for name, part in parts.items()},
                                 "random": random.get_state(), "step": done, "seconds": seconds}, checkpoint)
    return done, seconds
