"""`marginalia evaluate wavenet`: the card's figures recomputed from the shipped weights.

Validation negative log-likelihood in bits per sample (a uniform guess over 256 levels is 8
bits) on the held-out clips of every condition, for the shipped network and the two baselines
trained the same way, plus the figure on the small held-out slice shipped beside the weights.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from models.wavenet.config import CONDITIONS, SAMPLE_RATE, macs_per_sample

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


ROWS = {"main": "WaveNet (shipped)", "unconditioned": "unconditioned", "short_rf": "short receptive field"}
READING = ("Negative log-likelihood of the held-out clips in bits per sample (lower is better; a uniform guess over "
           "the 256 mu-law levels costs 8). The three networks saw the same windows for the same steps: the "
           "unconditioned one lacks the instrument/voice embedding, the short one has every dilation 1.")


def grouped(per_condition: dict[str, float], lengths: dict[str, int]) -> dict[str, float]:
    """Bits per sample over all samples, the instruments' and the voices' (sample-weighted)."""
    kinds = {c.key: c.kind for c in CONDITIONS}

    def mean(keys: list[str]) -> float:
        return round(sum(per_condition[k] * lengths[k] for k in keys) / sum(lengths[k] for k in keys), 4)

    return {"all": mean(list(lengths)),
            "instruments": mean([k for k in lengths if kinds[k] == "instrument"]),
            "voices": mean([k for k in lengths if kinds[k] == "voice"])}


def card_figures(nets: dict, val: dict[str, np.ndarray], heldout: dict[str, np.ndarray]) -> dict:
    """The card's measured figures for the networks {"main", "unconditioned", "short_rf"}."""
    from models.wavenet.train import nll_table

    main = nets["main"].config
    rf = main.receptive_field
    lengths = {key: len(levels) for key, levels in val.items()}
    by_condition = {name: {k: round(v, 4) for k, v in nll_table(net, val).items()} for name, net in nets.items()}
    return {
        "architecture": (f"WaveNet: {len(main.dilations)} gated dilated layers ({main.stacks} stacks of dilations "
                         f"1..{2 ** (main.layers_per_stack - 1)}), {main.residual} residual and {main.skip} skip "
                         f"channels, global conditioning on {main.conditions} instruments and voices, "
                         f"a 256-way mu-law softmax"),
        "parameters": sum(p.numel() for p in nets["main"].parameters()),
        "receptive_field": {"samples": rf, "ms": round(1000 * rf / SAMPLE_RATE, 1),
                            "short_rf_samples": nets["short_rf"].config.receptive_field,
                            "short_rf_ms": round(1000 * nets["short_rf"].config.receptive_field / SAMPLE_RATE, 2)},
        "macs_per_sample": macs_per_sample(main),
        "validation_seconds": round(sum(lengths.values()) / SAMPLE_RATE, 1),
        "row_heading": "model",
        "reading": READING,
        "validation": {ROWS[name]: grouped(table, lengths) for name, table in by_condition.items()},
        "validation_by_condition": by_condition,
        "heldout_slice": {"seconds_per_condition": round(len(next(iter(heldout.values()))) / SAMPLE_RATE, 2),
                          **{name: round(nll_table(net, heldout)["all"], 4) for name, net in nets.items()}},
    }


def training_summary(card: dict) -> dict:
    """The card's top-level training figures (what the demo page's summary reads)."""
    training = card.get("training", {})
    return {"steps": training.get("steps"), "wall_time_minutes": training.get("minutes"),
            "threads": training.get("plan", {}).get("threads")}


def load_all(weights_dir: Path = WEIGHTS_DIR) -> dict:
    from models.wavenet.predict import load_network
    from models.wavenet.train import NAMES

    return {name: load_network(weights_dir / file) for name, file in NAMES.items()}


def cli(argv: list[str] | None = None) -> int:
    from models.wavenet import mulaw
    from models.wavenet.data import ensure_corpus, load_corpus
    from models.wavenet.train import HELDOUT_FILE

    parser = argparse.ArgumentParser(prog="marginalia evaluate wavenet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--write", action="store_true", help="write the figures into card.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    nets = load_all(args.weights_dir)
    _, splits = load_corpus(ensure_corpus())
    val = {key: mulaw.encode(audio) for key, audio in splits["val"].items()}
    with np.load(args.weights_dir / HELDOUT_FILE) as data:
        heldout = {key: data[key] for key in data.files}
    figures = card_figures(nets, val, heldout)
    print(json.dumps(figures, indent=2))
    card_path = args.weights_dir / "card.json"
    card = json.loads(card_path.read_text()) if card_path.exists() else {}
    differs = [k for k in ("validation", "heldout_slice") if card.get(k) != figures[k]]
    if args.write:
        card.update(figures)
        card.update(training_summary(card))
        card_path.write_text(json.dumps(card, indent=2) + "\n")
    elif differs:
        print(f"card.json differs in {differs}; --write updates it")
    return 0
