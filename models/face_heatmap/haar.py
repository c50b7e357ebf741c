"""The anchor: OpenCV's Haar frontal-face cascade (Viola and Jones, CVPR 2001; Lienhart and
Maydt's extended features, ICIP 2002), the detector DDFD and MTCNN were measured against.

`haarcascade_frontalface_default.xml` ships inside opencv-python-headless (`cv2.data`). It runs
on the greyscale photo with OpenCV's usual settings (scale step 1.1, 3 neighbours), down to the
same smallest face as ours. Its score, for ranking in average precision, is the number of
raw detections each reported box merged (`detectMultiScale2`): more neighbours, more certain.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SCALE_FACTOR = 1.1
MIN_NEIGHBOURS = 3


@lru_cache(maxsize=1)
def cascade():
    import cv2  # only the evaluation and the bench need OpenCV

    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    if classifier.empty():
        raise RuntimeError("OpenCV's haarcascade_frontalface_default.xml did not load")
    return classifier


def grey(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)


def haar_detect(rgb: np.ndarray, *, min_face: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """(H, W, 3) uint8 RGB -> boxes (N, 4) x1, y1, x2, y2 and scores (N,) (neighbour counts)."""
    rects, neighbours = cascade().detectMultiScale2(grey(rgb), scaleFactor=SCALE_FACTOR,
                                                    minNeighbors=MIN_NEIGHBOURS, minSize=(min_face, min_face))
    rects = np.asarray(rects, dtype=np.float64).reshape(-1, 4)
    boxes = np.concatenate((rects[:, :2], rects[:, :2] + rects[:, 2:]), axis=1)
    return boxes, np.asarray(neighbours, dtype=np.float64).reshape(-1)
