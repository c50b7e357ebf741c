"""`marginalia evaluate colorization`: the shipped classifier's figures on the held-out crops,
recomputed from the weights and set beside grey and the model card's own figures."""

from __future__ import annotations

import argparse
import json

import torch

from models.colorization import metrics
from models.colorization.data import validation_crops
from models.colorization.predict import load
from models.colorization.spec import SHIPPED_WEIGHTS
from models.loading import verify_weights


def colorize_crops(classifier, crops: torch.Tensor) -> torch.Tensor:  # an ECCV16Colorizer
    """Lab crops (N, 3, H, W) -> the same crops with the predicted ab, in chunks of five."""
    with torch.inference_mode():
        ab = torch.cat([classifier.colorize_ab(chunk) for chunk in crops[:, :1].split(5)])
    return torch.cat((crops[:, :1], ab), dim=1)


def evaluate() -> dict[str, dict[str, float]]:
    classifier = load([verify_weights(SHIPPED_WEIGHTS)], torch.device("cpu"))
    crops = validation_crops()
    return {"classification": metrics.report(colorize_crops(classifier, crops), crops),
            "grey": metrics.report(metrics.grey(crops), crops)}


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="marginalia evaluate colorization", description=__doc__)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads")
    parser.add_argument("--turing", action="store_true",
                        help="(re)write the Turing test's pairs (page/turing/) from the shipped weights")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.turing:
        from models.colorization.turing import write_pairs

        manifest = write_pairs(load([verify_weights(SHIPPED_WEIGHTS)], torch.device("cpu")), SHIPPED_WEIGHTS.sha256)
        print(f"wrote {len(manifest['pairs'])} pairs for weights {manifest['weights_sha256'][:12]}")
        return 0
    card = json.loads(SHIPPED_WEIGHTS.location.with_name("card.json").read_text())
    measured = evaluate()
    for name, figures in measured.items():
        print(f"{name:15s} " + "  ".join(f"{key} {value:.4g} (card {card['validation'][name][key]:.4g})"
                                          for key, value in figures.items()))
    return 0
