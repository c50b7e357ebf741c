"""The model card: weights/card.json (every figure, machine-readable) and weights/README.md (the
same for people), written by `marginalia evaluate face-heatmap --write-card`, each through a
temporary file so a reader never sees half a card."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import torch

from models.face_heatmap import data, haar
from models.face_heatmap.config import FaceConfig
from models.face_heatmap.fetch import FETCH_COMMAND, PACKAGE, SHA256, WEIGHTS_DIR, weight_paths
from models.face_heatmap.params import DEFAULT_MIN_FACE, DEFAULT_THRESHOLD

PAPERS = [
    "Joint Face Detection and Alignment using Multi-task Cascaded Convolutional Networks "
    "(Zhang, Zhang, Li, Qiao, IEEE Signal Processing Letters 2016), arXiv:1604.02878",
    "Multi-view Face Detection Using Deep Convolutional Neural Networks "
    "(Farfade, Saberian, Li, ICMR 2015), arXiv:1502.02766",
]
SOURCE = {
    "package": PACKAGE,
    "files": "facenet_pytorch/data/{pnet,rnet,onet}.pt inside the wheel on PyPI",
    "licence": "MIT (facenet-pytorch, Tim Esler)",
    "lineage": "the authors' MTCNN models (kpzhang93/MTCNN_face_detection_alignment), converted to "
               "TensorFlow in David Sandberg's facenet, then to PyTorch in timesler/facenet-pytorch",
    "fetch": FETCH_COMMAND,
}
READING = ("MTCNN's three stages against the Viola-Jones anchor on pasted faces with exact boxes. P-Net "
           "alone (the DDFD-style single network swept over a pyramid) finds nearly every face but "
           "reports dozens of windows per photo; R-Net removes most of them, O-Net the rest and tightens "
           "the boxes, which is where average precision passes Haar's. Haar loses most on small and "
           "turned faces.")


def weights_entries() -> list[dict]:
    from models.face_heatmap.net import ONet, PNet, RNet

    return [{"file": path.name, "sha256": SHA256[path.name], "bytes": path.stat().st_size,
             "parameters": sum(p.numel() for p in network.parameters())}
            for path, network in zip(weight_paths(), (PNet(), RNet(), ONet()), strict=True)]


def evaluation_set_entry(scenes: int) -> dict:
    return {
        "scenes": scenes,
        "canvas": list(data.CANVAS),
        "seed": data.SEED,
        "faces_per_scene": list(data.FACES_PER_SCENE),
        "face_sizes_px": list(data.FACE_SIZES),
        "max_angle_degrees": data.MAX_ANGLE,
        "faces": [{"name": "astronaut", "package": "scikit-image", "share": data.ASTRONAUT_SHARE},
                  {"name": "lfw_subset (100 faces, 25x25 grey)", "package": "scikit-image",
                   "share": round(1 - data.ASTRONAUT_SHARE, 2)}],
        "backgrounds": [{"name": photo.name, "package": photo.package} for photo in data.backgrounds()],
    }


def settings_entry() -> dict:
    config = FaceConfig()
    return {"threshold": DEFAULT_THRESHOLD, "min_face": DEFAULT_MIN_FACE, "scale_step": config.scale_step,
            "rnet_threshold": config.rnet_threshold, "onet_threshold": config.onet_threshold,
            "haar": {"cascade": "haarcascade_frontalface_default.xml", "scale_factor": haar.SCALE_FACTOR,
                     "min_neighbours": haar.MIN_NEIGHBOURS, "min_size": DEFAULT_MIN_FACE,
                     "score": "neighbour count (detectMultiScale2)"}}


ROW_NAMES = {"mtcnn-1": "1 stage (P-Net)", "mtcnn-2": "2 stages (+ R-Net)", "mtcnn-3": "3 stages (+ O-Net)",
             "haar": "Haar cascade (OpenCV)"}


def validation_table(evaluation: dict) -> dict:
    """The flat table the demo page shows: row -> {metric: value}."""
    return {ROW_NAMES[name]: {key: figures[key] for key in ("ap", "recall", "fp_per_image")}
            for name, figures in evaluation["detectors"].items()}


def build_card(*, threads: int) -> dict:
    import cv2

    from models.face_heatmap.bench import bench_in_subprocess
    from models.face_heatmap.evaluate import EVAL_SCENES, SUBSET_SCENES, evaluate, load_shipped

    model = load_shipped()
    evaluation = evaluate(scenes=EVAL_SCENES, model=model)
    weights = weights_entries()
    return {
        "papers": PAPERS,
        "architecture": "MTCNN: P-Net (12x12, fully convolutional), R-Net (24x24), O-Net (48x48, 5 landmarks)",
        "parameters": sum(entry["parameters"] for entry in weights),
        "source": SOURCE,
        "weights": weights,
        "settings": settings_entry(),
        "metric": "VOC-style at IoU 0.5: all detections ranked by score; AP is the area under the monotone "
                  "precision-recall curve; recall and false positives per image use every reported box",
        "evaluation_set": evaluation_set_entry(EVAL_SCENES),
        "validation": validation_table(evaluation),  # what the demo page's table shows
        "evaluation": evaluation,
        "subset": evaluate(scenes=SUBSET_SCENES, model=model),
        # 1 thread and the worker's usual 2, then 2 with OpenMP threads that sleep while they wait
        "latency": [bench_in_subprocess(threads=1), bench_in_subprocess(threads=threads),
                    bench_in_subprocess(threads=threads, omp_wait_policy="PASSIVE")],
        "environment": {"torch": torch.__version__, "opencv": cv2.__version__, "python": platform.python_version()},
        "row_heading": "detector",
        "reading": READING,
    }


def write_atomically(text: str, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    os.replace(partial, path)


def write_card(*, threads: int = 2, directory: Path = WEIGHTS_DIR) -> dict:
    import json

    from models.face_heatmap.card_readme import render_readme

    card = build_card(threads=threads)
    write_atomically(json.dumps(card, indent=2) + "\n", directory / "card.json")
    write_atomically(render_readme(card), directory / "README.md")
    return card
