"""The photos the face heat-map page offers to try, written as JPEGs into `page/samples/` by
`python -m models.face_heatmap.samples`. Every one is made here from files that ship offline,
with a fixed seed, so running it again gives the same pixels:

- `astronaut.jpg`: scikit-image's `astronaut` (Eileen Collins, NASA, public domain), 512 px;
- `group.jpg`: a "group photo": faces pasted at several sizes and small in-plane angles onto a
  face-free wallpaper, with the evaluation set's own pasting (`data.paste_face`), so the true
  boxes are known (`group_photo()` returns them);
- `tilted.jpg`: the astronaut turned by `TILT` degrees on a larger canvas.

`SAMPLES` holds each file's caption (source and licence); the widget shows the same captions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from models.face_heatmap import data

SAMPLES_DIR = Path(__file__).resolve().parent / "page" / "samples"
SEED = 502766  # arXiv 1502.02766 (Farfade et al.)
QUALITY = 85
TILT = 28.0  # degrees, counter-clockwise
GROUP_BACKGROUND = "GreenMeadow.jpg"  # mate-backgrounds, GPL-2+ (Timothy Schellhase, Lapo Calamandrei)
# (face source, face side in px, angle in degrees, centre x, centre y) on the 640x480 canvas
GROUP_LAYOUT = (
    ("astronaut", 118, -6.0, 128, 150),
    ("lfw-3", 84, 9.0, 330, 120),
    ("lfw-17", 62, -12.0, 500, 110),
    ("lfw-42", 96, 4.0, 470, 320),
    ("lfw-61", 46, 14.0, 250, 330),
    ("lfw-88", 34, -9.0, 110, 380),
    ("lfw-25", 26, 7.0, 590, 420),
)

SAMPLES = {
    "astronaut.jpg": "Astronaut Eileen Collins (NASA, public domain; scikit-image's astronaut)",
    "group.jpg": "A group made here: the astronaut and six faces from Labeled Faces in the Wild (via scikit-image) "
                 "pasted at 26-118 px and up to 14 degrees onto GreenMeadow.jpg (mate-backgrounds, GPL-2+)",
    "tilted.jpg": f"The astronaut turned {TILT:g} degrees (NASA, public domain)",
}


@dataclass(frozen=True)
class GroupPhoto:
    image: Image.Image  # RGB, 640x480
    boxes: tuple[tuple[float, float, float, float], ...]  # x1, y1, x2, y2 of each pasted face


def astronaut() -> Image.Image:
    from skimage import data as skimage_data

    return Image.fromarray(skimage_data.astronaut())  # 512x512 RGB


def group_photo() -> GroupPhoto:
    """The faces of GROUP_LAYOUT on a fixed crop of the wallpaper, lit a little differently
    each (seeded), as the evaluation set pastes them."""
    rng = np.random.default_rng(SEED)
    photo = next(p for p in data.backgrounds() if p.name == GROUP_BACKGROUND)
    background = data.background_image(photo.path)
    width, height = background.size
    crop_w = min(width, height * data.CANVAS[0] / data.CANVAS[1])  # the widest 4:3 crop, centred
    crop_h = crop_w * data.CANVAS[1] / data.CANVAS[0]
    left, top = (width - crop_w) / 2, (height - crop_h) / 2
    canvas = background.resize(data.CANVAS, Image.Resampling.LANCZOS, box=(left, top, left + crop_w, top + crop_h))
    sources = {source.name: source for source in data.face_sources()}
    boxes = []
    for name, side, angle, cx, cy in GROUP_LAYOUT:
        gain, contrast = rng.uniform(0.85, 1.15), rng.uniform(0.9, 1.1)
        data.paste_face(canvas, sources[name], centre=(cx, cy), size=side, angle=angle, gain=gain,
                        contrast=contrast, mirror=bool(rng.random() < 0.5))
        boxes.append((cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2))
    return GroupPhoto(canvas, tuple(boxes))


def tilted() -> Image.Image:
    """The astronaut turned TILT degrees; the corners the turn uncovers are a neutral grey."""
    return astronaut().rotate(TILT, Image.Resampling.BICUBIC, expand=True, fillcolor=(96, 96, 96))


def sample_images() -> dict[str, Image.Image]:
    return {"astronaut.jpg": astronaut(), "group.jpg": group_photo().image, "tilted.jpg": tilted()}


def main() -> None:
    SAMPLES_DIR.mkdir(parents=True, exist_ok=True)
    for name, image in sample_images().items():
        path = SAMPLES_DIR / name
        image.save(path, format="JPEG", quality=QUALITY, optimize=True)
        print(f"{path.relative_to(SAMPLES_DIR.parents[3])}: {image.width}x{image.height}, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
