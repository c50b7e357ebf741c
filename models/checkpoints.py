"""Training checkpoints shared by the demos' trainers: atomic saves, and resuming only a run
made with the same plan."""

from __future__ import annotations

import os
from pathlib import Path

import torch


def save_atomically(state: object, path: Path) -> None:
    """torch.save through a temporary file: a stop mid-write never spoils the last checkpoint,
    and a worker checking exported weights never sees half of them."""
    partial = path.with_suffix(".partial")
    torch.save(state, partial)
    os.replace(partial, path)


def load_checkpoint(path: Path, plan: dict, added_defaults: dict | None = None) -> dict | None:
    """The checkpoint at `path`, or None when there is none yet; a checkpoint of another plan
    stops the run (resuming it would mix two experiments). `added_defaults` holds plan fields
    added since older checkpoints were written, at the values those runs trained with."""
    if not path.exists():
        return None
    state = torch.load(path, weights_only=False)
    if {**(added_defaults or {}), **state["plan"]} != plan:
        raise SystemExit(f"{path} was made with another plan; use a new --run-dir")
    return state
