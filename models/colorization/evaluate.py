"""`marginalia evaluate colorization`: the shipped classifier's figures on the held-out crops,
recomputed from the weights and set beside grey and the model card's own figures."""

from __future__ import annotations

import argparse
import json

import torch

from models.colorization import metrics
from models.colorization.data import load_rgb, validation_crops
from models.colorization.params import DEFAULT_TEMPERATURE
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


def held_out_report(classifier) -> dict[str, dict[str, float]]:  # an ECCV16Colorizer
    """Whole photos never trained on (the Turing test's real copies, <= 384 px): per photo and
    on average, plain and class-rebalanced AuC of the model and of grey, and the model's
    colourfulness as a share of the truth's (issue 15's targets)."""
    from models.colorization.lab import rgb_to_lab
    from models.colorization.predict import colorize
    from models.colorization.turing import PAIRS_DIR, turing_photos

    truths, predictions = [], []
    for item in turing_photos():
        rgb = load_rgb(PAIRS_DIR / f"{item.id}-real.jpg")
        truths.append(rgb_to_lab(rgb[None])[0])
        predictions.append(rgb_to_lab(colorize(classifier, rgb, temperature=DEFAULT_TEMPERATURE)["result"][None])[0])
    weights = metrics.rarity_weights(truths, classifier.bin_centres.detach())
    rows = {}
    for item, truth, predicted, weight in zip(turing_photos(), truths, predictions, weights, strict=True):
        truth, predicted, grey = truth[None], predicted[None], metrics.grey(truth[None])
        rows[item.id] = {
            "auc": metrics.ab_error_auc(predicted, truth), "auc_grey": metrics.ab_error_auc(grey, truth),
            "rebalanced_auc": metrics.ab_error_auc(predicted, truth, weight[None]),
            "rebalanced_auc_grey": metrics.ab_error_auc(grey, truth, weight[None]),
            "colourfulness_ratio": metrics.colourfulness(predicted) / max(metrics.colourfulness(truth), 1e-6),
        }
    rows["mean"] = {key: sum(row[key] for row in rows.values()) / len(rows) for key in next(iter(rows.values()))}
    return {photo: {key: round(value, 4) for key, value in row.items()} for photo, row in rows.items()}


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="marginalia evaluate colorization", description=__doc__)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads")
    parser.add_argument("--held-out", action="store_true",
                        help="per-photo figures on whole photos never trained on (the Turing test's)")
    parser.add_argument("--turing", action="store_true",
                        help="(re)write the Turing test's pairs (page/turing/) from the shipped weights")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.turing:
        from models.colorization.turing import write_pairs

        manifest = write_pairs(load([verify_weights(SHIPPED_WEIGHTS)], torch.device("cpu")), SHIPPED_WEIGHTS.sha256)
        print(f"wrote {len(manifest['pairs'])} pairs for weights {manifest['weights_sha256'][:12]}")
        return 0
    if args.held_out:
        report = held_out_report(load([verify_weights(SHIPPED_WEIGHTS)], torch.device("cpu")))
        columns = list(report["mean"])
        print(f"{'photo':15s} " + " ".join(f"{c:>19s}" for c in columns))
        for photo, row in report.items():
            print(f"{photo:15s} " + " ".join(f"{row[c]:19.4f}" for c in columns))
        return 0
    card = json.loads(SHIPPED_WEIGHTS.location.with_name("card.json").read_text())
    measured = evaluate()
    for name, figures in measured.items():
        print(f"{name:15s} " + "  ".join(f"{key} {value:.4g} (card {card['validation'][name][key]:.4g})"
                                          for key, value in figures.items()))
    return 0
