"""Shared fixtures of the GAN demo's tests: the shipped networks, and strokes to edit with."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from models.gan.predict import GANModel, load

WEIGHTS = Path(__file__).resolve().parents[3] / "models" / "gan" / "weights"


@pytest.fixture(scope="session")
def shipped() -> GANModel:
    files = [WEIGHTS / name for name in ("generator.pt", "discriminator.pt", "encoder.pt")]
    assert all(f.is_file() for f in files), f"{WEIGHTS} lacks weights; make them with `marginalia train gan`"
    torch.set_num_threads(1)  # small batches: one thread is fastest on a busy 2-core machine
    return load(files, torch.device("cpu"))


@pytest.fixture
def strokes() -> list[dict]:
    """A red band across the upper half and a vertical sketch line: a checked stroke list."""
    return [{"kind": "colour", "color": "#d62828", "width": 8.0, "points": [[14.0, 20.0], [50.0, 20.0]]},
            {"kind": "sketch", "width": 2.0, "points": [[32.0, 30.0], [32.0, 56.0]]}]
