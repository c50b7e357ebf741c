"""The test digits the LRP page offers to try (one per class, the first of each in the held-out
split), written to `page/samples.json` by `python -m models.lrp.samples`; a test checks that the
committed file is what this code makes."""

from __future__ import annotations

import json
from pathlib import Path

from models.lrp.data import test_digits

SAMPLES_PATH = Path(__file__).resolve().parent / "page" / "samples.json"


def sample_digits() -> dict:
    images, labels = test_digits()
    digits = []
    for digit in range(10):
        first = int((labels == digit).nonzero()[0])
        grey = images[first, 0].mul(255).round().int().tolist()  # the CSV's own 8-bit values
        digits.append({"label": digit, "grey": grey})
    return {"source": "the first held-out test digit of each class (models/lrp/data.py); grey 0-255, ink bright",
            "digits": digits}


def main() -> None:
    SAMPLES_PATH.write_text(json.dumps(sample_digits(), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
