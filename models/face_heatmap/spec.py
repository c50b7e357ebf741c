"""The face heat-map demo's entry in the registry (Farfade et al. 2015; MTCNN, Zhang et al. 2016).
Torch-free: the web process imports it to build the page and check inputs before queueing."""

from __future__ import annotations

from pathlib import Path

from models.face_heatmap.params import MIN_FACE, STAGES, THRESHOLD
from models.spec import DemoSpec, FileInput, WeightsFile

PACKAGE = Path(__file__).resolve().parent
FETCH = "python -m models.face_heatmap.fetch (or make weights)"

EXPLANATION = """\
Farfade, Saberian and Li's observation: a network trained only to say *face or not* on small
crops can be made **fully convolutional** and swept over a whole photo at once. Each output
pixel is then the face probability of one window, and the output is a **heat map**. Run it on
an **image pyramid**, the photo shrunk again and again by about 0.709 (so the area halves), and
one fixed window finds faces of every size: the strip below shows each scale's map and the face
size it looks for. Peaks above the threshold become boxes; non-maximum suppression keeps the
best of overlapping ones. Nothing told the network about pose, yet faces turned or tilted still
light up, which was the paper's point.

The networks here are MTCNN's (Zhang et al. 2016), a cascade built on the same idea. Stage 1,
P-Net, is exactly the dense detector above: it alone gives the heat map, and it finds nearly
every face at the price of many false alarms. Stage 2 (R-Net) re-examines each candidate at
24x24 and rejects most of them; stage 3 (O-Net) looks at 48x48, tightens the box and places
five landmarks (eyes, nose, mouth corners). Switch stages off to see the raw single-network
result. The table below measures all three against OpenCV's Haar cascade (Viola-Jones) on
faces pasted at known places, sizes and angles.
"""

SPEC = DemoSpec(
    name="face-heatmap",
    title="Face heat maps",
    paper="multiview-face-detection",
    blurb="Find faces at any angle with a dense detector.",
    entry_point="models.face_heatmap.predict:load",
    predict="models.face_heatmap.predict:predict",
    inputs={
        "image": FileInput("a photo (PNG, JPEG, WebP, GIF, BMP or TIFF)", kind="image"),
        "threshold": THRESHOLD,
        "min_face": MIN_FACE,
        "stages": STAGES,
    },
    working_size=4096,  # boxes come back in the upload's own pixels
    weights=tuple(
        WeightsFile(Path(f"face_heatmap/weights/{name}.pt"), sha256, FETCH)
        for name, sha256 in (
            ("pnet", "a2a71925e0b9996a42f63e47efc1ca19043e69558b5c523b978d611dfae49c8f"),
            ("rnet", "bbb937de72efc9ef83b186c49f5f558467a1d7e3453a8ece0d71a886633f6a86"),
            ("onet", "165bfbe42940416ccfb977545cf0e976d5bf321f67083ae2aaaa5c764280118d"),
        )
    ),
    preload=True,
    timeout_seconds=60,
    explanation=EXPLANATION,
    page_dir=PACKAGE / "page",
    card_labels={"ap": "AP @ IoU 0.5", "recall": "recall", "fp_per_image": "false positives / image"},
    evaluate="models.face_heatmap.evaluate:cli",
)
