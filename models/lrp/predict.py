"""The LRP demo's entry points: load the classifier, classify one digit and explain it.

The digit comes as `params["pixels"]` (28 x 28 numbers in [0, 1], used as they are: what the
network sees) or as an uploaded or drawn picture (`inputs["image"]`, any size), which is first
brought to MNIST's format (`preprocess`). The answer holds the class probabilities, the map of
the chosen rule (and the number it explains, with the map's sum beside it, so conservation can
be seen), and the 28 x 28 input itself; `heatmap.png` shows the map. With `rule` "all", every
rule is computed (a few milliseconds each): the main fields are the default rule's, and
`explanations` holds each rule's map and sum, drawn to `heatmap-<rule>.png`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from models.lrp.config import LeNetConfig
from models.lrp.explain import NO_CONTRAST, Explanation, explain
from models.lrp.heatmap import save_heatmap
from models.lrp.net import LeNet5
from models.lrp.params import ALL, DEFAULT_RULE, RULES, read_params
from models.lrp.preprocess import digit_from_image

DECIMALS = 5  # of relevance values in the answer: maps of logits O(10) over ~150 ink pixels


def load(weights: list[Path], device: torch.device) -> LeNet5:
    """A LeNet5 checkpoint (state_dict); the widths are read off the tensors."""
    state = torch.load(weights[0], map_location="cpu", weights_only=True)
    config = LeNetConfig(
        conv_channels=(state["conv1.weight"].shape[0], state["conv2.weight"].shape[0]),
        hidden=(state["fc1.weight"].shape[0], state["fc2.weight"].shape[0]),
        classes=state["logits.weight"].shape[0],
    )
    model = LeNet5(config)
    model.load_state_dict({name: tensor.float() for name, tensor in state.items()})
    return model.to(device).eval()


def read_digit(params: dict, inputs: dict[str, Path]) -> np.ndarray:
    """(28, 28) float32 in [0, 1], ink bright."""
    if params["pixels"] is not None:
        return np.asarray(params["pixels"], dtype=np.float32)
    if inputs.get("image") is not None:
        return digit_from_image(inputs["image"])
    raise ValueError("send a digit: `pixels` (28 x 28 numbers in [0, 1]) or an `image`")


def _rounded(values: torch.Tensor, decimals: int) -> list:
    return np.round(values.detach().cpu().double().numpy(), decimals).tolist()


def _explain_one(model: LeNet5, images: torch.Tensor, rule: str, target: int, contrast: int | None) -> Explanation:
    targets = torch.tensor([target], device=images.device)
    contrasts = torch.tensor([NO_CONTRAST if contrast is None else contrast], device=images.device)
    return explain(model, images, rule=rule, targets=targets, contrasts=contrasts)


def predict(model: LeNet5, params: dict, inputs: dict[str, Path], out_dir: Path,
            progress: Callable[[float], None]) -> dict:
    checked = read_params(params)
    pixels = read_digit(checked, inputs)
    progress(0.2)
    images = torch.from_numpy(pixels).view(1, 1, 28, 28).to(next(model.parameters()).device)
    with torch.inference_mode():
        logits = model(images)[0]  # (10,)
    prediction = int(logits.argmax())
    target = prediction if checked["target"] is None else checked["target"]
    if checked["contrast"] == target:
        raise ValueError(f"contrast must differ from the explained class {target} (the network predicts {prediction})")
    rules = list(RULES) if checked["rule"] == ALL else [checked["rule"]]
    explanations = {rule: _explain_one(model, images, rule, target, checked["contrast"]) for rule in rules}
    progress(0.8)
    main = explanations[DEFAULT_RULE if checked["rule"] == ALL else checked["rule"]]
    save_heatmap(main.relevance[0].cpu().numpy(), out_dir / "heatmap.png")
    result = {
        "prediction": prediction,
        "probabilities": _rounded(torch.softmax(logits, dim=0), 4),
        "logits": _rounded(logits, 3),
        "rule": checked["rule"],
        "target": target,
        "contrast": checked["contrast"],
        "logit": round(float(main.explained[0]), 4),  # the explained number f(x)
        "relevance": _rounded(main.relevance[0], DECIMALS),
        "relevance_sum": round(float(main.relevance[0].sum()), 4),
        "input": _rounded(images[0, 0], 3),
        "heatmap": "heatmap.png",
    }
    if checked["rule"] == ALL:
        result["explanations"] = _write_all(explanations, out_dir)
    return result


def _write_all(explanations: dict[str, Explanation], out_dir: Path) -> dict:
    answer = {}
    for rule, explanation in explanations.items():
        save_heatmap(explanation.relevance[0].cpu().numpy(), out_dir / f"heatmap-{rule}.png")
        answer[rule] = {"relevance": _rounded(explanation.relevance[0], DECIMALS),
                        "relevance_sum": round(float(explanation.relevance[0].sum()), 4),
                        "heatmap": f"heatmap-{rule}.png"}
    return answer
