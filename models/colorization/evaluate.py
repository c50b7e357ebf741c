"""`marginalia evaluate colorization`: the shipped classifier's validation figures, recomputed
from the weights on whole photos it never trained on and set beside grey and the model card's."""

from __future__ import annotations

import argparse
import json

import torch

from models.colorization import validation
from models.colorization.predict import load
from models.colorization.spec import SHIPPED_WEIGHTS
from models.loading import verify_weights


def shipped_classifier():  # an ECCV16Colorizer
    return load([verify_weights(SHIPPED_WEIGHTS)], torch.device("cpu"))


def print_table(table: dict[str, dict[str, float]]) -> None:
    columns = list(table["mean"])
    print(f"{'photo':15s} " + " ".join(f"{column:>15s}" for column in columns))
    for photo, row in table.items():
        print(f"{photo:15s} " + " ".join(f"{row[column]:15.4f}" for column in columns))


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="marginalia evaluate colorization", description=__doc__)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads")
    parser.add_argument("--per-photo", action="store_true", help="the classifier's and grey's figures per photo")
    parser.add_argument("--temperature", type=float, help="decode at this temperature (default: the card's)")
    parser.add_argument("--turing", action="store_true",
                        help="(re)write the Turing test's pairs (page/turing/) from the shipped weights")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    classifier = shipped_classifier()
    if args.turing:
        from models.colorization.turing import write_pairs

        manifest = write_pairs(classifier, SHIPPED_WEIGHTS.sha256)
        print(f"wrote {len(manifest['pairs'])} pairs for weights {manifest['weights_sha256'][:12]}")
        return 0
    tables = validation.report(classifier, temperature=args.temperature)
    if args.per_photo:
        for name in ("classification", "grey"):
            print(f"== {name}")
            print_table(tables[name])
        return 0
    card = json.loads(SHIPPED_WEIGHTS.location.with_name("card.json").read_text())
    for name, figures in validation.means(tables).items():
        print(f"{name:15s} " + "  ".join(f"{key} {value:.4g} (card {card['validation'][name][key]:.4g})"
                                          for key, value in figures.items()))
    for target, row in validation.targets(tables).items():
        print(f"{target:25s} {row['value']:+.4f} (target {row['target']}): {'met' if row['met'] else 'NOT met'}")
    return 0
