"""`marginalia evaluate face-heatmap`: the model card's figures, recomputed from the weights.

Runs the cascade (stopping after 1, 2 and 3 stages: one run gives all three) and OpenCV's
Haar cascade over the synthetic evaluation set (`data`), and reports for each average
precision, recall and false positives per image at IoU 0.5 (`metrics`), with recall by face
size and by in-plane angle. `evaluate(scenes=SUBSET_SCENES)` is the small subset the tests
rerun; the card stores its figures too. `--write-card` rewrites weights/card.json and README.md.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch

from models.face_heatmap import data, metrics
from models.face_heatmap.detect import detect, image_tensor
from models.face_heatmap.fetch import WEIGHTS_DIR, weight_paths
from models.face_heatmap.haar import haar_detect
from models.face_heatmap.params import DEFAULT_MIN_FACE, DEFAULT_THRESHOLD

EVAL_SCENES = 150
SUBSET_SCENES = 10
SIZE_EDGES = (20.0, 40.0, 80.0, 200.01)  # px of the face box
ANGLE_EDGES = (0.0, 5.0, 10.0, 20.01)  # |degrees| of in-plane rotation
DETECTORS = ("mtcnn-1", "mtcnn-2", "mtcnn-3", "haar")
CARD = WEIGHTS_DIR / "card.json"


def load_shipped(device: torch.device | None = None):
    from models.face_heatmap.predict import load  # torch and the nets: only when evaluating

    return load(weight_paths(), device or torch.device("cpu"))


def run_detectors(model, scenes: list[data.Scene], *, threshold: float = DEFAULT_THRESHOLD,
                  min_face: int = DEFAULT_MIN_FACE) -> dict[str, list[metrics.ImageDetections]]:
    """Each detector's boxes and scores on each scene."""
    found: dict[str, list[metrics.ImageDetections]] = {name: [] for name in DETECTORS}
    for scene in scenes:
        result = detect(model, image_tensor(scene.rgb), threshold=threshold, min_face=min_face, stages=3)
        for stage, stage_found in result.by_stage.items():
            found[f"mtcnn-{stage}"].append(metrics.ImageDetections(stage_found.boxes.cpu().numpy().astype(np.float64),
                                                                   stage_found.scores.cpu().numpy().astype(np.float64)))
        found["haar"].append(metrics.ImageDetections(*haar_detect(scene.rgb, min_face=min_face)))
    return found


def figures_for(detections: list[metrics.ImageDetections], scenes: list[data.Scene]) -> dict:
    truths = [np.array([face.box for face in scene.faces]).reshape(-1, 4) for scene in scenes]
    measured = metrics.report(detections, truths)
    sizes = [np.array([face.size for face in scene.faces]) for scene in scenes]
    angles = [np.array([abs(face.angle) for face in scene.faces]) for scene in scenes]
    return {**measured["figures"],
            "recall_by_size": metrics.recall_by_bin(measured["found"], sizes, SIZE_EDGES),
            "recall_by_angle": metrics.recall_by_bin(measured["found"], angles, ANGLE_EDGES)}


def evaluate(*, scenes: int = EVAL_SCENES, model=None, seed: int = data.SEED) -> dict:
    """Figures per detector on the first `scenes` scenes of the evaluation set."""
    model = model or load_shipped()
    evaluation = data.evaluation_set(scenes, seed=seed)
    found = run_detectors(model, evaluation)
    return {
        "scenes": scenes,
        "faces": sum(len(scene.faces) for scene in evaluation),
        "detectors": {name: figures_for(found[name], evaluation) for name in DETECTORS},
    }


def print_figures(measured: dict, card_figures: dict | None) -> None:
    print(f"{measured['scenes']} scenes, {measured['faces']} faces")
    for name, figures in measured["detectors"].items():
        keys = ("ap", "recall", "fp_per_image")
        line = "  ".join(f"{key} {figures[key]:.4g}" for key in keys)
        if card_figures:
            line += "  (card: " + "  ".join(f"{card_figures[name][key]:.4g}" for key in keys) + ")"
        print(f"{name:8s} {line}")


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="marginalia evaluate face-heatmap", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=EVAL_SCENES, help="scenes to evaluate (a prefix of the set)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads")
    parser.add_argument("--write-card", action="store_true", help="rewrite weights/card.json and README.md")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    if args.write_card:
        from models.face_heatmap.card import write_card

        write_card(threads=args.threads)
        print(f"wrote {CARD} and README.md in {time.perf_counter() - started:.0f} s")
        return 0
    card = json.loads(CARD.read_text()) if CARD.is_file() else {}
    measured = evaluate(scenes=args.scenes)
    stored = card.get("evaluation" if args.scenes == EVAL_SCENES else "subset", {})
    print_figures(measured, stored.get("detectors") if stored.get("scenes") == args.scenes else None)
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


def main() -> int:
    return cli()


if __name__ == "__main__":
    raise SystemExit(main())
