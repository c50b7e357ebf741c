"""A tiny training run: it trains both phases, stops when its time is up and resumes from its
checkpoint, and refuses a checkpoint of another plan."""

import pytest
import torch

from models.gan.net import Generator
from models.gan.train import Run, TrainingPlan, reestimate_batchnorm, train

TINY = TrainingPlan(size=32, nz=8, width=4, batch=8, gan_steps=4, encoder_steps=2, early_step=2, checkpoint_every=2,
                    log_every=2)


def test_a_run_stops_resumes_and_finishes(tmp_path) -> None:
    logs = []
    assert train(TINY, tmp_path, minutes=0, export=False, log=logs.append) is False  # out of time at once
    assert (tmp_path / "checkpoint.pt").exists()
    assert train(TINY, tmp_path, export=False, log=logs.append) is True
    assert any("resumed at step 0" in line for line in logs)
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=False)
    assert state["step"] == 6 and state["frozen_G"] is not None
    assert (tmp_path / "generator-early.pt").exists()
    phases = [record["phase"] for record in state["history"]]
    assert phases == ["gan", "gan", "encoder"]
    resumed = Run(TINY, tmp_path, print)
    assert resumed.resume() and resumed.step == 6
    with pytest.raises(SystemExit, match="another plan"):
        Run(TrainingPlan(size=32, nz=8, width=4, batch=4), tmp_path, print).resume()


def test_reestimated_batchnorm_makes_images_independent_of_their_batch() -> None:
    G = Generator(nz=8, width=4, size=32)
    frozen = reestimate_batchnorm(G, batches=3, batch=8)
    assert not frozen.training and G.training  # a copy: the trained network is left alone
    z = torch.rand(4, 8) * 2 - 1
    with torch.no_grad():
        assert torch.allclose(frozen(z)[:1], frozen(z[:1]), atol=1e-6)
