"""Detection figures at IoU 0.5, PASCAL VOC style: average precision, recall, false positives.

Over a whole set, all detections are ranked by score; each in turn matches the unmatched true
box of its image it overlaps most, if that overlap is at least 0.5 (a true positive), and is a
false positive otherwise (a second box on a face counts as one). Average precision is the area
under the precision-recall curve with precision made monotone (VOC 2010 onwards, every point).
Recall and false positives per image are read at the end of the list: everything the
detector reported. NumPy only: the OpenCV anchor's boxes come in here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

IOU_MATCH = 0.5


@dataclass(frozen=True)
class ImageDetections:
    boxes: np.ndarray  # (N, 4) x1, y1, x2, y2
    scores: np.ndarray  # (N,)


def iou_matrix(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """(N, 4), (M, 4) -> (N, M) intersection over union."""
    top_left = np.maximum(first[:, None, :2], second[None, :, :2])
    bottom_right = np.minimum(first[:, None, 2:], second[None, :, 2:])
    inter = np.clip(bottom_right - top_left, 0, None).prod(axis=2)
    area = lambda b: np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)  # noqa: E731
    union = area(first)[:, None] + area(second)[None, :] - inter
    return inter / np.maximum(union, 1e-9)


def match(detections: Sequence[ImageDetections], truths: Sequence[np.ndarray], *, iou: float = IOU_MATCH
          ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Scores of all detections, best first, the IoU with the face each one found (0: a false
    positive), and per image which true boxes were found."""
    ranked = sorted(((float(s), image, k) for image, d in enumerate(detections) for k, s in enumerate(d.scores)),
                    key=lambda item: -item[0])
    overlaps = [iou_matrix(np.asarray(d.boxes, float).reshape(-1, 4), np.asarray(t, float).reshape(-1, 4))
                for d, t in zip(detections, truths, strict=True)]
    found = [np.zeros(len(t), dtype=bool) for t in truths]
    matched = np.zeros(len(ranked))  # the IoU of each true positive, 0 for a false one
    for rank, (_score, image, k) in enumerate(ranked):
        row = np.where(found[image], -1.0, overlaps[image][k]) if overlaps[image].size else np.zeros(0)
        if row.size and row.max() >= iou:
            found[image][row.argmax()] = True
            matched[rank] = row.max()
    return np.array([item[0] for item in ranked]), matched, found


def average_precision(positive: np.ndarray, total_truths: int) -> float:
    """Area under the monotone precision-recall curve of a ranked list of TP flags."""
    if total_truths == 0 or len(positive) == 0:
        return 0.0
    hits = np.cumsum(positive)
    recall = np.concatenate(([0.0], hits / total_truths))
    precision = np.concatenate(([1.0], hits / np.arange(1, len(positive) + 1)))
    precision = np.maximum.accumulate(precision[::-1])[::-1]  # best precision at this recall or beyond
    return float(np.sum((recall[1:] - recall[:-1]) * precision[1:]))


def report(detections: Sequence[ImageDetections], truths: Sequence[np.ndarray]) -> dict:
    """{"ap", "recall", "fp_per_image", "detections", "median_iou"} at IoU 0.5, and per-image
    found flags (for recall by face size or angle). The median IoU of the true positives shows
    whether a detector's box framing differs from the set's."""
    _scores, matched, found = match(detections, truths)
    positive = matched > 0
    total = sum(len(t) for t in truths)
    figures = {
        "ap": round(average_precision(positive, total), 4),
        "recall": round(float(positive.sum()) / max(total, 1), 4),
        "fp_per_image": round(float((~positive).sum()) / max(len(truths), 1), 3),
        "detections": int(len(positive)),
        "median_iou": round(float(np.median(matched[positive])), 3) if positive.any() else None,
    }
    return {"figures": figures, "found": found}


def recall_by_bin(found: Sequence[np.ndarray], values: Sequence[np.ndarray], edges: Sequence[float]) -> list[dict]:
    """Recall of the true boxes whose value (size, |angle|) lies in each [low, high) bin."""
    flags, measured = np.concatenate(found), np.concatenate(values)
    bins = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (measured >= low) & (measured < high)
        recall = float(flags[inside].mean()) if inside.any() else None
        bins.append({"range": [low, high], "faces": int(inside.sum()),
                     "recall": None if recall is None else round(recall, 4)})
    return bins
