"""Training: the schedule, the distortions, and a seeded run that resumes where it stopped."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from models.lrp.augment import distort
from models.lrp.predict import load
from models.lrp.train import Run, TrainingPlan, batch_indices, learning_rate, train

TINY = TrainingPlan(epochs=2, batch=20, train_digits=40, warmup_steps=2, eval_every=2, checkpoint_every=2, threads=1)


def _quiet(message: str) -> None:
    pass


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """One uninterrupted TINY run (4 steps); tests copy it before changing anything."""
    run_dir = tmp_path_factory.mktemp("uninterrupted") / "run"
    train(TINY, run_dir, export=False, log=_quiet)
    return run_dir


def _log_steps(run_dir: Path) -> list[int]:
    return [json.loads(line)["step"] for line in (run_dir / "log.jsonl").read_text().splitlines()]


def test_learning_rate_warms_up_then_decays_to_one_percent() -> None:
    plan = TrainingPlan(learning_rate=1e-3, warmup_steps=10)
    assert learning_rate(plan, 0, 110) == pytest.approx(1e-4) and learning_rate(plan, 9, 110) == pytest.approx(1e-3)
    assert learning_rate(plan, 60, 110) == pytest.approx(1e-3 * (0.01 + 0.99 * 0.5))
    assert learning_rate(plan, 110, 110) == pytest.approx(1e-5)


def test_each_epoch_is_a_permutation_fixed_by_the_seed() -> None:
    plan = TrainingPlan(batch=30)
    epoch = torch.cat([batch_indices(plan, step, 100) for step in range(4)])  # 4 steps: 30 + 30 + 30 + 10
    assert sorted(epoch.tolist()) == list(range(100))
    assert torch.equal(batch_indices(plan, 5, 100), batch_indices(plan, 5, 100))
    assert not torch.equal(batch_indices(plan, 0, 100), batch_indices(plan, 4, 100))  # next epoch, new order


def test_distortions_keep_shape_and_range_and_follow_the_generator(digits) -> None:
    images, _ = digits
    first = distort(images, torch.Generator().manual_seed(1))
    assert first.shape == images.shape and first.min() >= 0 and first.max() <= 1
    assert torch.equal(first, distort(images, torch.Generator().manual_seed(1)))
    assert not torch.equal(first, images)
    assert torch.allclose(first.amax(dim=(1, 2, 3)), torch.ones(len(images)))  # peak brought back to 1


def test_a_tiny_run_logs_and_writes_a_loadable_network(finished: Path) -> None:
    summary = json.loads((finished / "summary.json").read_text())
    assert summary["steps"] == 4 and summary["data"]["training"] == 40 and 0 <= summary["test_accuracy"] <= 1
    assert _log_steps(finished) == [2, 4]
    model = load([finished / "lenet5.pt"], torch.device("cpu"))
    assert not model.training and model(torch.zeros(1, 1, 28, 28)).shape == (1, 10)


def test_starting_a_finished_run_again_does_not_retrain(finished: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(finished, again)
    messages: list[str] = []
    train(TINY, again, export=False, log=messages.append)
    assert messages[0].startswith("resumed at step 4") and _log_steps(again) == [2, 4]


def test_a_run_stopped_at_step_two_ends_as_an_uninterrupted_one(finished: Path, tmp_path: Path) -> None:
    torch.set_num_threads(TINY.threads)  # as `train` does: thread count can change float sums
    run = Run(TINY, tmp_path / "stopped", log=_quiet)
    (tmp_path / "stopped").mkdir()
    for step in range(2):
        run.train_step()
        run.step = step + 1
    run.save()  # the process stops here
    train(TINY, tmp_path / "stopped", export=False, log=_quiet)
    expected = torch.load(finished / "lenet5.pt", weights_only=True)
    resumed = torch.load(tmp_path / "stopped" / "lenet5.pt", weights_only=True)
    assert all(torch.allclose(resumed[key], tensor, rtol=0, atol=1e-6) for key, tensor in expected.items())


def test_a_checkpoint_of_another_plan_is_refused(finished: Path, tmp_path: Path) -> None:
    shutil.copytree(finished, tmp_path / "other")
    with pytest.raises(SystemExit, match="another plan"):
        train(replace(TINY, epochs=3), tmp_path / "other", export=False, log=_quiet)
