"""Loading demo networks: checked weights, the configured device, once per process.

`ModelCache.get(spec)` imports the spec's entry point and calls it with the verified weight
paths and the device, puts the network in eval mode, and keeps it for the life of the
process. Concurrent first calls for one demo load it once (a lock per demo); other demos load
in parallel. Callers run the network under `torch.inference_mode()`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import torch

from models.spec import DemoSpec, WeightsFile, resolve_entry_point, sha256_of


class WeightsError(RuntimeError):
    """A weights file is missing or does not match its checksum; the message says which file
    and the command that makes or fetches it."""


def resolve_device(setting: str) -> torch.device:
    """`auto` takes CUDA when present; `cuda` without a GPU is an error, not a silent CPU."""
    if setting == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if setting == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("MARGINALIA_DEVICE=cuda, but torch sees no CUDA device")
    if setting not in ("cpu", "cuda"):
        raise ValueError(f"unknown device {setting!r}; use auto, cpu or cuda")
    return torch.device(setting)


def configure_threads(workers: int = 1) -> int:
    """Split the cores between `workers` jobs that run at once, so they do not oversubscribe
    the machine (torch would give each of them every core)."""
    threads = max(1, (os.cpu_count() or 1) // max(1, workers))
    torch.set_num_threads(threads)
    return threads


def verify_weights(weights: WeightsFile) -> Path:
    path = weights.location
    if not path.is_file():
        raise WeightsError(f"weights file {path} is missing; make it with `{weights.make_command}`")
    actual = sha256_of(path)
    if actual != weights.sha256:
        raise WeightsError(
            f"weights file {path} is corrupt (sha256 {actual[:12]}…, expected {weights.sha256[:12]}…); "
            f"make it again with `{weights.make_command}`"
        )
    return path


class ModelCache:
    """Networks by demo name, loaded on first use. `on_load(name, seconds)` reports load times
    (the app sends them to /metrics; this package never imports the app)."""

    def __init__(self, device: torch.device, *, on_load: Callable[[str, float], None] | None = None) -> None:
        self.device = device
        self._on_load = on_load
        self._models: dict[str, torch.nn.Module] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, spec: DemoSpec) -> torch.nn.Module:
        model = self._models.get(spec.name)
        if model is not None:
            return model
        with self._guard:
            lock = self._locks.setdefault(spec.name, threading.Lock())
        with lock:  # one loader per demo; other demos are not held up
            if spec.name not in self._models:
                self._models[spec.name] = self._load(spec)
        return self._models[spec.name]

    def loaded(self) -> list[str]:
        return sorted(self._models)

    def _load(self, spec: DemoSpec) -> torch.nn.Module:
        started = time.perf_counter()
        paths = [verify_weights(weights) for weights in spec.weights]
        model = resolve_entry_point(spec.entry_point)(paths, self.device)
        model.eval()
        if self._on_load is not None:
            self._on_load(spec.name, time.perf_counter() - started)
        return model

