"""How good an explanation is: region perturbation, most relevant first (MoRF), and the area
over the perturbation curve (AOPC), after Samek et al. 2016 (IEEE TNNLS, §III).

For each test digit, the map of a method is summed over a grid of square regions and the
regions are ranked, most relevant first. Region after region, its pixels are replaced, and the
logit of the class the network predicted on the intact digit is measured after each step. A map
that finds what the network relies on makes that logit fall fast:

    AOPC(L) = 1 / (L + 1) * mean over digits of sum_{k=0..L} (f(x^(0)) - f(x^(k)))

Higher is better; a random ranking is the floor. Two replacements are measured:

- "background" (the card's main table): the region is set to 0, MNIST's blank background, i.e.
  its ink is deleted. This asks what LRP answers: which of the ink present made the logit.
- "uniform": uniform random values, the paper's choice for photos (one random image per digit,
  shared by every method). On a black background this mostly *adds* ink, and rewards maps
  that mark the empty pixels next to a stroke where new ink hurts most; the card reports it too.

`ink` is a reference ranking, not a rule: regions by their amount of ink. A map that beats it
tells more than where the digit is.

    .venv/bin/python -m models.lrp.evaluate [--digits 1000] [--write-card]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
from torch import nn

from models.lrp.data import test_digits
from models.lrp.explain import explain
from models.lrp.params import RULES

FILLS = ("background", "uniform")
REFERENCE = "ink"  # ranks regions by ink: evaluated beside the rules, not offered as one
CHUNK = 100  # images per forward pass: small batches stay in cache (3x faster than 1,000)


@dataclass(frozen=True)
class PerturbationPlan:
    region: int = 2  # 2 x 2 pixel regions: a 14 x 14 grid on the 28 x 28 digit
    steps: int = 50  # regions replaced, one per step: 200 pixels, more than a digit's ink
    seed: int = 2016  # of the uniform replacement values and of the random baseline
    fills: tuple[str, ...] = FILLS
    methods: tuple[str, ...] = (*RULES, REFERENCE)


def region_order(relevance: torch.Tensor, region: int) -> torch.Tensor:
    """Maps (B, H, W) -> region indices (B, H/region * W/region), most relevant first; ties
    keep reading order (a map that is flat somewhere does not gain from chance)."""
    summed = nn.functional.avg_pool2d(relevance.unsqueeze(1), region).flatten(1)  # (B, R), sum / region²
    return torch.argsort(summed, dim=1, descending=True, stable=True)


def replacement(images: torch.Tensor, fill: str, seed: int) -> torch.Tensor:
    """What a replaced pixel becomes: (B, 1, H, W)."""
    if fill == "background":
        return torch.zeros_like(images)
    if fill == "uniform":
        return torch.rand(images.shape, generator=torch.Generator().manual_seed(seed)).to(images.device)
    raise ValueError(f"fill must be one of {', '.join(FILLS)}, not {fill!r}")


def _target_logits(model: nn.Module, images: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    logits = torch.cat([model(chunk) for chunk in images.split(CHUNK)])  # (B, 10)
    return logits[torch.arange(len(images), device=images.device), targets]


def perturbation_scores(model: nn.Module, images: torch.Tensor, targets: torch.Tensor, order: torch.Tensor,
                        fill_values: torch.Tensor, plan: PerturbationPlan) -> torch.Tensor:
    """f(x^(k)) for k = 0..steps: (B, steps + 1), the target logit as regions are replaced."""
    batch, _, height, width = images.shape
    side = height // plan.region
    rows = torch.arange(batch, device=images.device)
    replaced = torch.zeros(batch, side * (width // plan.region), dtype=torch.bool, device=images.device)
    scores = []
    with torch.inference_mode():
        for step in range(plan.steps + 1):
            if step:
                replaced[rows, order[:, step - 1]] = True
            mask = replaced.view(batch, 1, side, -1).repeat_interleave(plan.region, 2).repeat_interleave(plan.region, 3)
            scores.append(_target_logits(model, torch.where(mask, fill_values, images), targets))
    return torch.stack(scores, dim=1)


def aopc_curve(scores: torch.Tensor) -> torch.Tensor:
    """(B, L + 1) scores -> AOPC(L) for L = 0..steps, averaged over the digits."""
    drops = scores[:, :1] - scores  # (B, L + 1), f(x^(0)) - f(x^(k))
    steps = torch.arange(1, scores.shape[1] + 1, dtype=scores.dtype, device=scores.device)
    return (drops.cumsum(dim=1) / steps).mean(dim=0)


def relevance_of(model: nn.Module, images: torch.Tensor, method: str, targets: torch.Tensor, seed: int) -> torch.Tensor:
    if method == REFERENCE:
        return images[:, 0]
    return explain(model, images, rule=method, targets=targets, seed=seed).relevance


def _rounded(values: torch.Tensor) -> list[float]:
    return [round(float(value), 4) for value in values]


def evaluate(model: nn.Module, *, plan: PerturbationPlan | None = None, images: torch.Tensor | None = None,
             labels: torch.Tensor | None = None, log: Callable[[str], None] = lambda message: None) -> dict:
    """Accuracy and, for each fill, the AOPC of every method in `plan` on `images` (default:
    the 1,000 test digits). The figures of the model card; `marginalia evaluate lrp` prints them."""
    plan = plan or PerturbationPlan()
    if images is None:
        images, labels = test_digits()
    model = model.eval()
    images = images.to(next(model.parameters()).device)
    with torch.inference_mode():
        predicted = torch.cat([model(chunk).argmax(dim=1) for chunk in images.split(CHUNK)])
    fill_values = {fill: replacement(images, fill, plan.seed) for fill in plan.fills}
    result = {"aopc": {fill: {} for fill in plan.fills}, "aopc_curves": {fill: {} for fill in plan.fills},
              "logit_drop": {fill: {} for fill in plan.fills}}
    for method in plan.methods:
        order = region_order(relevance_of(model, images, method, predicted, plan.seed), plan.region)
        for fill in plan.fills:
            scores = perturbation_scores(model, images, predicted, order, fill_values[fill], plan)
            curve = _rounded(aopc_curve(scores))
            result["aopc"][fill][method] = curve[-1]
            result["aopc_curves"][fill][method] = curve
            result["logit_drop"][fill][method] = _rounded((scores[:, :1] - scores).mean(dim=0))
        log(f"{method:>15}: AOPC " + ", ".join(f"{result['aopc'][fill][method]:.3f} ({fill})" for fill in plan.fills))
    accuracy = None if labels is None else round(float((predicted.cpu() == labels).float().mean()), 4)
    return {"digits": len(images), "accuracy": accuracy, "plan": asdict(plan), **result}


def main(argv: list[str] | None = None) -> int:
    from models.lrp import card  # reading the shipped weights and card: only this command needs it
    from models.lrp.predict import load

    parser = argparse.ArgumentParser(prog="marginalia evaluate lrp",
                                     description="AOPC of every explanation method (Samek et al. 2016)")
    parser.add_argument("--digits", type=int, default=1000,
                        help="every n-th test digit so that N remain (default all 1,000)")
    parser.add_argument("--write-card", action="store_true", help="store the figures in models/lrp/weights/")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1: batches are small, and "
                        "two threads on a busy 2-core machine wait on each other)")
    args = parser.parse_args(argv)
    if args.write_card and args.digits != 1000:
        parser.error("--write-card takes the whole test set; leave out --digits")
    torch.set_num_threads(args.threads)
    model = load([card.weights_path()], torch.device("cpu"))
    images, labels = test_digits()
    every = max(1, len(images) // args.digits)  # the file is sorted by class: spread the subset
    result = evaluate(model, images=images[::every], labels=labels[::every],
                      log=lambda message: print(message, flush=True))
    print(json.dumps({"digits": result["digits"], "accuracy": result["accuracy"], "aopc": result["aopc"]}, indent=2))
    if args.write_card:
        card.update_evaluation(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
