"""Shared fixtures of the face heat-map tests: the shipped cascade, loaded once."""

from __future__ import annotations

import pytest
import torch

from models.face_heatmap.fetch import weight_paths
from models.face_heatmap.predict import load


@pytest.fixture(scope="session")
def cascade():
    """The three released networks (`python -m models.face_heatmap.fetch` puts them in place)."""
    torch.set_num_threads(2)
    return load(weight_paths(), torch.device("cpu"))
