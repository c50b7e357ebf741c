"""Detection figures: matching at IoU 0.5, VOC average precision, recall bins, by hand."""

import numpy as np
import pytest

from models.face_heatmap.metrics import ImageDetections, average_precision, iou_matrix, recall_by_bin, report

TRUTHS = [np.array([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 40.0, 40.0]]), np.array([[5.0, 5.0, 25.0, 25.0]])]


def detections(boxes: list[list[float]], scores: list[float]) -> ImageDetections:
    return ImageDetections(np.array(boxes, dtype=float).reshape(-1, 4), np.array(scores, dtype=float))


def test_iou_by_hand() -> None:
    overlaps = iou_matrix(np.array([[0.0, 0, 10, 10]]), np.array([[5.0, 0, 15, 10], [10.0, 10, 20, 20]]))
    assert overlaps.shape == (1, 2) and overlaps[0].tolist() == pytest.approx([1 / 3, 0.0])


def test_a_perfect_detector() -> None:
    figures = report([detections(TRUTHS[0].tolist(), [0.9, 0.8]), detections(TRUTHS[1].tolist(), [0.7])], TRUTHS)
    assert figures["figures"] == {"ap": 1.0, "recall": 1.0, "fp_per_image": 0.0, "detections": 3, "median_iou": 1.0}


def test_ranking_duplicates_and_misses_by_hand() -> None:
    found = [
        detections([[1, 1, 11, 11], [0, 0, 10, 10], [100, 100, 120, 120]], [0.9, 0.6, 0.8]),  # hit, duplicate, miss
        detections([[6, 6, 26, 26], [5, 5, 12, 12]], [0.7, 0.95]),  # hit, too small (IoU 0.12)
    ]
    measured = report(found, TRUTHS)
    # ranked: 0.95 FP, 0.9 TP, 0.8 FP, 0.7 TP, 0.6 FP (duplicate); 2 of 3 faces found
    # precision at the two hits: 1/2 and 2/4; AP = 1/3 * 1/2 + 1/3 * 1/2
    assert measured["figures"]["ap"] == pytest.approx(1 / 3, abs=1e-4)
    assert measured["figures"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert measured["figures"]["fp_per_image"] == 1.5
    assert [flags.tolist() for flags in measured["found"]] == [[True, False], [True]]


def test_precision_is_made_monotone() -> None:
    # FP, TP, TP over 2 faces: precision 0, 1/2, 2/3 -> the best at or beyond each recall: 2/3, 2/3
    assert average_precision(np.array([False, True, True]), 2) == pytest.approx(2 / 3)
    assert average_precision(np.array([], dtype=bool), 2) == 0.0


def test_recall_by_bin() -> None:
    found = [np.array([True, False]), np.array([True])]
    sizes = [np.array([25.0, 100.0]), np.array([30.0])]
    bins = recall_by_bin(found, sizes, (20.0, 40.0, 80.0, 200.0))
    assert [b["faces"] for b in bins] == [2, 0, 1]
    assert [b["recall"] for b in bins] == [1.0, None, 0.0]
