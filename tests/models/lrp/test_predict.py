"""The demo's entry points: loading a checkpoint, and classifying and explaining one digit
given as pixels or as a picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from models.lrp import predict
from models.lrp.config import LeNetConfig
from models.lrp.net import LeNet5
from models.lrp.params import RULES

KEYS = {"prediction", "probabilities", "logits", "rule", "target", "contrast", "logit", "relevance",
        "relevance_sum", "input", "heatmap"}


def _run(model, params: dict, inputs: dict, out_dir: Path) -> dict:
    out_dir.mkdir(exist_ok=True)
    steps: list[float] = []
    result = predict.predict(model, params, inputs, out_dir, steps.append)
    assert steps == sorted(steps) and all(0 <= step <= 1 for step in steps)
    return result


def test_load_reads_the_widths_off_the_checkpoint(tmp_path: Path) -> None:
    torch.manual_seed(0)
    net = LeNet5(LeNetConfig(conv_channels=(4, 6), hidden=(12, 8)))
    torch.save({name: tensor.half() for name, tensor in net.state_dict().items()}, tmp_path / "small.pt")
    loaded = predict.load([tmp_path / "small.pt"], torch.device("cpu"))
    assert not loaded.training and loaded.config.conv_channels == (4, 6) and loaded.config.hidden == (12, 8)
    assert loaded.conv1.weight.dtype == torch.float32
    assert torch.allclose(loaded.fc2.weight, net.fc2.weight, atol=1e-3)


def test_pixels_are_explained_and_a_heatmap_is_written(shipped, digits, tmp_path: Path) -> None:
    images, labels = digits
    pixels = images[4, 0].tolist()
    result = _run(shipped, {"pixels": pixels, "rule": "lrp0"}, {}, tmp_path / "job")
    assert set(result) == KEYS
    assert result["prediction"] == result["target"] == int(labels[4]) and result["contrast"] is None
    assert len(result["probabilities"]) == 10 and sum(result["probabilities"]) == pytest.approx(1, abs=1e-3)
    assert result["logit"] == pytest.approx(max(result["logits"]), abs=1e-3)
    relevance = np.array(result["relevance"])
    assert relevance.shape == (28, 28) and result["relevance_sum"] == pytest.approx(result["logit"], rel=1e-3)
    assert relevance.sum() == pytest.approx(result["relevance_sum"], abs=1e-2)  # rounding only
    assert np.allclose(result["input"], pixels, atol=1e-3)
    with Image.open(tmp_path / "job" / result["heatmap"]) as heatmap:
        assert heatmap.size == (280, 280) and heatmap.mode == "RGB"


def test_a_picture_is_normalised_and_a_contrast_explains_the_difference(shipped, digits, tmp_path: Path) -> None:
    images, labels = digits
    ink = Image.fromarray((255 - images[10, 0].numpy() * 255).astype(np.uint8)).resize((140, 100))
    paper = Image.new("RGB", (400, 300), "white")
    paper.paste(ink.convert("RGB"), (230, 150))
    paper.save(tmp_path / "upload.png")
    label = int(labels[10])
    contrast = (label + 1) % 10
    result = _run(shipped, {"contrast": str(contrast)}, {"image": tmp_path / "upload.png"}, tmp_path / "job")
    assert result["prediction"] == label and result["rule"] == "composite" and result["contrast"] == contrast
    assert result["logit"] == pytest.approx(result["logits"][label] - result["logits"][contrast], abs=2e-3)
    assert 0 < result["relevance_sum"] <= result["logit"] * 1.0001
    assert np.array(result["input"]).shape == (28, 28) and max(map(max, result["input"])) == pytest.approx(1, abs=1e-3)


def test_all_rules_at_once(shipped, digits, tmp_path: Path) -> None:
    images, _ = digits
    result = _run(shipped, {"rule": "all", "target": "3", "pixels": images[6, 0].tolist()}, {}, tmp_path / "job")
    assert result["rule"] == "all" and result["target"] == 3 and set(result["explanations"]) == set(RULES)
    assert result["relevance"] == result["explanations"]["composite"]["relevance"]
    for rule, answer in result["explanations"].items():
        assert (tmp_path / "job" / answer["heatmap"]).is_file(), rule
    assert (tmp_path / "job" / "heatmap.png").is_file()


def test_a_contrast_equal_to_the_prediction_is_refused(shipped, digits, tmp_path: Path) -> None:
    images, labels = digits
    with pytest.raises(ValueError, match="contrast must differ from the explained class"):
        _run(shipped, {"contrast": int(labels[2]), "pixels": images[2, 0].tolist()}, {}, tmp_path / "job")


def test_bad_or_missing_input_fails_before_any_file_is_written(shipped, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="send a digit"):
        _run(shipped, {}, {}, tmp_path / "none")
    with pytest.raises(ValueError, match="pixels must be 28 rows"):
        _run(shipped, {"pixels": [[0.5] * 28] * 27}, {}, tmp_path / "bad")
    Image.new("L", (60, 60), 255).save(tmp_path / "blank.png")
    with pytest.raises(ValueError, match="no digit found"):
        _run(shipped, {}, {"image": tmp_path / "blank.png"}, tmp_path / "blank")
    assert not any(path.is_file() for path in tmp_path.glob("*/*"))
