"""Training: the schedule, the rebalanced loss, validation, and a seeded run that resumes.

The runs train on the real photos, so the Debian wallpaper packages must be installed and the
other packages' photos unpacked (`make test` does both); without them these tests fail rather
than skip.
"""

from __future__ import annotations

import itertools
import json
import math
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from models.colorization import bins, predict
from models.colorization.data import MATE, PHOTO_SETS, training_photos
from models.colorization.net import ECCV16Colorizer
from models.colorization.train import (
    Run,
    TrainingPlan,
    classification_loss,
    command_line,
    crop_weights,
    learning_rate,
    measure_batch_norm,
    plan_of,
    train,
)
from models.colorization.validation import FIGURES as FIGURE_NAMES
from models.colorization.validation import validation_set

TINY = TrainingPlan(steps=4, batch=2, crop=32, width=0.0625, eval_every=2, checkpoint_every=2, threads=1)
FIGURES = set(FIGURE_NAMES)


def _missing_wallpapers() -> str | None:
    missing = [str(photo.path) for photo in training_photos() if not photo.exists()]
    if not MATE.is_dir() or missing:
        return (f"training photos missing ({MATE} and the others); install them with `apt-get install "
                f"mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers-16.04 opencv-doc`, then unpack "
                f"the rest with `python -m models.colorization.fetch`: {missing}")
    return None


def _state(path: Path) -> dict[str, torch.Tensor]:
    return torch.load(path, weights_only=True)


def _log_steps(run_dir: Path) -> list[int]:
    return [json.loads(line)["step"] for line in (run_dir / "log.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """One uninterrupted TINY run; tests copy it before changing anything."""
    if problem := _missing_wallpapers():
        pytest.fail(problem)
    run_dir = tmp_path_factory.mktemp("uninterrupted") / "run"
    train(TINY, run_dir, export=False, log=lambda message: None)
    return run_dir


def test_the_training_photos_are_installed() -> None:
    assert _missing_wallpapers() is None, _missing_wallpapers()


def test_learning_rate_warms_up_linearly_then_follows_a_cosine_to_two_percent() -> None:
    plan = TrainingPlan(steps=1000, warmup_steps=100, learning_rate=1e-3)
    assert learning_rate(plan, 0) == pytest.approx(1e-5)
    assert learning_rate(plan, 49) == pytest.approx(5e-4)
    assert learning_rate(plan, 99) == pytest.approx(1e-3) == learning_rate(plan, 100)
    assert learning_rate(plan, 550) == pytest.approx(1e-3 * (0.02 + 0.98 * 0.5))  # half way down
    assert learning_rate(plan, 1000) == pytest.approx(2e-5)
    rates = [learning_rate(plan, step) for step in range(100, 1001)]
    assert all(a >= b for a, b in itertools.pairwise(rates))


def _soft_targets() -> torch.Tensor:
    generator = torch.Generator().manual_seed(0)
    ab = torch.randn(2, 2, 4, 4, generator=generator) * 30  # (B, 2, h, w)
    return bins.soft_encode(ab, bins.gamut_bins())  # (B, Q, h, w)


def test_the_command_line_defaults_to_the_shipped_plan_and_each_flag_reaches_it() -> None:
    assert plan_of(command_line().parse_args([])) == TrainingPlan()
    flags = ["--steps", "7", "--threads", "1", "--width", "0.5", "--rebalance-lambda", "0.4",
             "--learning-rate", "0.002", "--photos", "all", "--curated-share", "0.3", "--ema-decay", "0.99"]
    assert plan_of(command_line().parse_args(flags)) == replace(
        TrainingPlan(), steps=7, threads=1, width=0.5, rebalance_lambda=0.4, learning_rate=0.002, photos="all",
        curated_share=0.3, ema_decay=0.99)


def test_the_loss_is_least_when_the_prediction_is_the_target() -> None:
    targets = _soft_targets()
    ones = torch.ones(targets.shape[1])
    exact = targets.clamp_min(1e-12).log()  # softmax(exact) = targets
    entropy = -(targets * exact).sum(dim=1).mean()  # cross-entropy of Z with itself
    assert classification_loss(exact, targets, ones) == pytest.approx(float(entropy), abs=1e-4)
    assert classification_loss(exact + 3.0, targets, ones) == pytest.approx(float(entropy), abs=1e-4)
    generator = torch.Generator().manual_seed(1)
    for _ in range(3):
        noisy = exact + torch.randn(exact.shape, generator=generator) * 0.5
        assert classification_loss(noisy, targets, ones) > classification_loss(exact, targets, ones)


def test_rebalancing_weights_scale_each_pixel_by_its_most_likely_bin() -> None:
    ab = torch.tensor([[40.0, 0.0], [-30.0, 30.0]]).t().reshape(1, 2, 1, 2)  # two pixels, far apart
    targets = bins.soft_encode(ab, bins.gamut_bins())  # (1, Q, 1, 2)
    first, second = targets[0, :, 0].argmax(dim=0).tolist()
    assert first != second
    logits = torch.randn(targets.shape, generator=torch.Generator().manual_seed(2))
    per_pixel = -(targets * torch.log_softmax(logits, dim=1)).sum(dim=1)[0, 0]  # (2,)
    weights = torch.ones(targets.shape[1])
    assert classification_loss(logits, targets, 3 * weights) == pytest.approx(3 * float(per_pixel.mean()), rel=1e-5)
    weights[first] = 4.0
    expected = (4 * per_pixel[0] + per_pixel[1]) / 2
    assert classification_loss(logits, targets, weights) == pytest.approx(float(expected), rel=1e-5)


def test_a_curated_share_splits_the_crops_between_the_two_sets() -> None:
    everything = training_photos()
    curated = set(PHOTO_SETS["curated"]())
    weights = crop_weights(everything, 0.5)
    assert sum(weights) == pytest.approx(1.0)
    assert sum(w for photo, w in zip(everything, weights, strict=True) if photo in curated) == pytest.approx(0.5)
    assert crop_weights(everything, None) is None
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="between 0 and 1"):
            crop_weights(everything, bad)
    with pytest.raises(ValueError, match="curated and other photos"):
        crop_weights(PHOTO_SETS["curated"](), 0.5)


def test_a_tiny_run_on_all_the_photos_with_a_curated_share(tmp_path: Path) -> None:
    if problem := _missing_wallpapers():
        pytest.fail(problem)
    plan = replace(TINY, steps=2, photos="all", curated_share=0.5)
    summary = train(plan, tmp_path / "run", export=False, log=lambda message: None)
    assert len(summary["training_data"]) == len(training_photos()) and summary["plan"]["curated_share"] == 0.5
    assert "50% of the crops from the 58 curated photos" in summary["crops"]["training"]
    assert _log_steps(tmp_path / "run") == [2]


def test_a_tiny_run_writes_its_summary_and_networks(finished: Path) -> None:
    summary = json.loads((finished / "summary.json").read_text())
    assert summary["steps"] == 4 and summary["plan"]["width"] == 0.0625
    assert len(summary["training_data"]) == len(PHOTO_SETS[TINY.photos]())  # the plan's set
    validation = summary["validation"]
    assert set(validation) == {"classification", "regression", "grey", "ground_truth"}
    assert all(set(figures) == FIGURES for figures in validation.values())
    assert all(0 <= figures["auc"] <= 1 and math.isfinite(figures["colourfulness"]) for figures in validation.values())
    assert validation["ground_truth"]["auc"] == 1.0 and validation["grey"]["mean_chroma"] == 0.0
    assert summary["validation_data"] == [photo.id for photo in validation_set()]
    per_photo = summary["validation_per_photo"]["classification"]
    assert set(per_photo) == set(summary["validation_data"]) | {"mean"}
    assert per_photo["mean"] == validation["classification"]
    assert set(summary["targets"]) == {"plain_auc_vs_grey", "rebalanced_auc_vs_grey", "colourfulness_vs_truth"}
    assert list(summary["temperatures"]) == ["0.2", "0.38", "0.5", "0.7", "1.0"]
    assert _log_steps(finished) == [2, 4]  # eval_every = 2
    shipped = predict.load([finished / "classification.pt"], torch.device("cpu"))
    assert shipped.model1[0].out_channels == 4 and shipped.model8[6].out_channels == len(bins.gamut_bins())
    assert torch.allclose(shipped.bin_centres, bins.gamut_bins(), atol=1e-4)


def test_starting_a_finished_run_again_does_not_retrain(finished: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(finished, again)
    messages: list[str] = []
    summary = train(TINY, again, export=False, log=messages.append)
    assert messages and messages[0].startswith("resumed at step 4")
    assert summary["steps"] == 4 and _log_steps(again) == [2, 4]  # nothing logged twice
    for name in ("classification.pt", "regression.pt"):
        expected = _state(finished / name)
        assert all(torch.equal(tensor, expected[key]) for key, tensor in _state(again / name).items())


def test_a_run_interrupted_at_step_two_ends_as_an_uninterrupted_one(finished: Path, tmp_path: Path) -> None:
    if problem := _missing_wallpapers():
        pytest.fail(problem)
    torch.set_num_threads(TINY.threads)  # as `train` does: thread count can change float sums
    run_dir = tmp_path / "interrupted"
    run_dir.mkdir()
    run = Run(TINY, run_dir, log=lambda message: None)
    for step in range(2):
        run.train_step()
        run.step = step + 1  # the schedule reads the step
    run.save()  # the process stops here
    messages: list[str] = []
    train(TINY, run_dir, export=False, log=messages.append)
    assert messages[0].startswith("resumed at step 2")
    for name in ("classification.pt", "regression.pt"):
        expected = _state(finished / name)
        for key, tensor in _state(run_dir / name).items():
            assert torch.allclose(tensor.float(), expected[key].float(), rtol=0, atol=1e-7), (name, key)
    # four steps at warm-up rates (1e-5 .. 4e-5) move the weights far more than that tolerance
    torch.manual_seed(TINY.seed)
    initial = ECCV16Colorizer(num_bins=len(bins.gamut_bins()), width=TINY.width).state_dict()
    trained = _state(finished / "classification.pt")
    assert (trained["model1.0.weight"] - initial["model1.0.weight"]).abs().max() > 1e-5


def test_a_checkpoint_of_another_plan_is_refused(finished: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(finished / "checkpoint.pt", other / "checkpoint.pt")
    with pytest.raises(SystemExit, match="another plan"):
        train(replace(TINY, steps=6), other, export=False, log=lambda message: None)


def test_the_card_lists_compared_runs_from_folders_and_from_an_earlier_card(finished: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(finished, again)
    summary = json.loads((finished / "summary.json").read_text())
    row = {"name": "gone", "plan": {**summary["plan"], "steps": 9}, "steps": 9, "photos": 3,
           "validation": summary["validation"], "targets": summary["targets"]}
    stale_self = {**row, "name": "again", "steps": 1}  # an old card's copy of this very run
    old_card = tmp_path / "card.json"
    old_card.write_text(json.dumps({"runs_compared": [stale_self, row]}))
    train(TINY, again, export=tmp_path / "weights", log=lambda message: None, compare=(finished, old_card))
    card = json.loads((tmp_path / "weights" / "card.json").read_text())
    assert [run["name"] for run in card["runs_compared"]] == ["again", "run", "gone"]
    assert card["runs_compared"][0]["steps"] == 4 and card["runs_compared"][2] == row
    assert "| gone |" in (tmp_path / "weights" / "README.md").read_text()


def test_weight_averaging_ships_the_moving_average_of_every_step(tmp_path: Path) -> None:
    if problem := _missing_wallpapers():
        pytest.fail(problem)
    torch.set_num_threads(TINY.threads)
    plan = replace(TINY, ema_decay=0.5)
    run = Run(plan, tmp_path / "by-hand", log=lambda message: None)
    expected = None
    for step in range(plan.steps):
        run.train_step()
        run.step = step + 1
        weight = run.classifier.model1[0].weight.detach().clone()
        expected = weight if expected is None else 0.5 * expected + 0.5 * weight
    shipped, _ = run.networks()
    assert shipped is not run.classifier
    assert torch.allclose(shipped.model1[0].weight, expected, atol=1e-7)
    assert not torch.allclose(shipped.model1[0].weight, run.classifier.model1[0].weight, atol=1e-6)
    running_mean = run.classifier.model1[4].running_mean  # statistics measured for the average
    assert not torch.allclose(shipped.model1[4].running_mean, running_mean, atol=1e-7)
    again, _ = run.networks()  # the same crops at the same step: the same statistics
    assert torch.equal(again.model1[4].running_var, shipped.model1[4].running_var)


def test_batch_norm_statistics_are_measured_as_plain_means_over_the_batches() -> None:
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(1, 3, 3)
    net = torch.nn.Sequential(conv, torch.nn.BatchNorm2d(3, momentum=0.1)).eval()
    batches = [torch.randn(4, 1, 8, 8) * (1 + index) for index in range(3)]
    measure_batch_norm(net, net, batches)
    with torch.no_grad():
        features = [conv(batch) for batch in batches]
    expected_mean = torch.stack([f.mean(dim=(0, 2, 3)) for f in features]).mean(dim=0)
    expected_var = torch.stack([f.var(dim=(0, 2, 3), unbiased=True) for f in features]).mean(dim=0)
    norm = net[1]
    assert torch.allclose(norm.running_mean, expected_mean, atol=1e-6)
    assert torch.allclose(norm.running_var, expected_var, atol=1e-5)
    assert norm.momentum == 0.1 and not net.training  # left as it was


def test_an_averaged_run_interrupted_at_step_two_ends_as_an_uninterrupted_one(tmp_path: Path) -> None:
    if problem := _missing_wallpapers():
        pytest.fail(problem)
    plan = replace(TINY, ema_decay=0.5)
    whole = tmp_path / "whole"
    train(plan, whole, export=False, log=lambda message: None)
    torch.set_num_threads(plan.threads)
    run_dir = tmp_path / "interrupted"
    run_dir.mkdir()
    run = Run(plan, run_dir, log=lambda message: None)
    for step in range(2):
        run.train_step()
        run.step = step + 1
    run.save()
    train(plan, run_dir, export=False, log=lambda message: None)
    for name in ("classification.pt", "regression.pt"):
        expected = _state(whole / name)
        for key, tensor in _state(run_dir / name).items():
            assert torch.allclose(tensor.float(), expected[key].float(), rtol=0, atol=1e-7), (name, key)


def test_a_checkpoint_from_before_weight_averaging_still_resumes(finished: Path, tmp_path: Path) -> None:
    older = tmp_path / "older"
    shutil.copytree(finished, older)
    state = torch.load(older / "checkpoint.pt", weights_only=False)
    del state["plan"]["ema_decay"]  # as written before the field existed
    torch.save(state, older / "checkpoint.pt")
    messages: list[str] = []
    train(TINY, older, export=False, log=messages.append)
    assert messages[0].startswith("resumed at step 4")
