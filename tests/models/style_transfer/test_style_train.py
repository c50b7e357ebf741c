"""The trainer: a tiny seeded run exports a loadable generator, and starting it again resumes."""

from __future__ import annotations

import json

import pytest
import torch

from models.style_transfer.predict import load_generator
from models.style_transfer.train import TrainingPlan, cli, train


def test_a_tiny_run_exports_and_resumes(tmp_path) -> None:
    plan = TrainingPlan(style="shell", steps=2, batch=2, crop=32, width=4, blocks=1, checkpoint_every=1, log_every=1)
    messages: list[str] = []
    summary = train(plan, tmp_path / "run", weights_dir=tmp_path / "weights", log=messages.append)
    assert summary["steps"] == 2 and summary["file"] == "shell.pt" and len(summary["sha256"]) == 64
    generator = load_generator(tmp_path / "weights" / "shell.pt")
    assert generator.width == 4 and generator.blocks == 1
    records = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [1, 2] and all(r["total"] > 0 for r in records)
    again: list[str] = []
    train(plan, tmp_path / "run", weights_dir=None, log=again.append)
    assert again[0].startswith("resumed shell at step 2")
    with pytest.raises(SystemExit, match="another plan"):
        train(TrainingPlan(style="shell", steps=3, batch=2, crop=32, width=4, blocks=1), tmp_path / "run",
              weights_dir=None, log=again.append)
    torch.set_num_threads(1)


def test_cli_refuses_an_unknown_style() -> None:
    with pytest.raises(SystemExit):
        cli(["--style", "monet"])


def test_a_tiny_texture_run_lowers_its_loss_exports_and_resumes(tmp_path) -> None:
    from models.style_transfer.texture import TexturePlan, load_texture_generator, train_texture

    plan = TexturePlan(steps=6, batch=2, size=32, width=4, scales=3, checkpoint_every=3, log_every=1)
    summary = train_texture(plan, tmp_path / "run", weights_dir=tmp_path, log=lambda _: None)
    assert summary["file"] == "texture-elephants.pt"
    generator = load_texture_generator(tmp_path / "texture-elephants.pt")
    assert (generator.width, generator.scales) == (4, 3)
    records = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert records[-1]["style"] < records[0]["style"]  # the Gram loss falls
    again: list[str] = []
    train_texture(plan, tmp_path / "run", weights_dir=None, log=again.append)
    assert again[0].startswith("resumed texture elephants at step 6")
    torch.set_num_threads(1)


def test_cli_takes_a_style_or_a_texture_not_both() -> None:
    with pytest.raises(SystemExit):
        cli(["--style", "shell", "--texture", "elephants"])
