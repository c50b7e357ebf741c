"""The evaluation set: faces pasted into face-free photos, so every box is known exactly.

Faces are the ones that ship offline: scikit-image's `astronaut` (Eileen Collins, NASA, public
domain) and the 100 face crops of its `lfw_subset` (Labeled Faces in the Wild, 25x25 grey,
enlarged here). Backgrounds are photographs and textures from Debian's mate-backgrounds,
plasma-workspace-wallpapers and gnome-backgrounds packages, chosen by looking at each one and
running both detectors over it: none shows a face. Scene `i` is drawn from its own generator
seeded with (SEED, i), so a prefix of the set is itself reproducible (the tests' subset).

A face's box is the square its source defines (the LFW crop; for the astronaut, eyebrows to
chin, cheek to cheek, with the same framing), scaled to 20-200 px, centred where the face's
centre lands; the face may be turned by up to 20 degrees in the image plane and is lit
brighter or darker, with more or less contrast. The box stays upright (the usual convention:
an axis-aligned box of the face's size around its centre).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SEED = 1604  # arXiv 1604.02878 (MTCNN)
CANVAS = (640, 480)
FACE_SIZES = (20.0, 200.0)  # px, drawn log-uniformly
MAX_ANGLE = 20.0  # degrees, either way
FACES_PER_SCENE = (1, 4)
ASTRONAUT_SHARE = 0.2  # of pasted faces; the rest are LFW crops
ASTRONAUT_FACE = (173, 72, 278, 177)  # square face box in skimage.data.astronaut(), by eye

MATE = Path("/usr/share/backgrounds/mate/nature")
PLASMA = Path("/usr/share/wallpapers")
GNOME = Path("/usr/share/backgrounds/gnome")
MATE_NAMES = ("Aqua.jpg", "Blinds.jpg", "Dune.jpg", "FreshFlower.jpg", "Garden.jpg", "GreenMeadow.jpg",
              "LadyBird.jpg", "RainDrops.jpg", "Storm.jpg", "TwoWings.jpg", "Wood.jpg", "YellowFlower.jpg")
PLASMA_NAMES = ("BytheWater", "ColdRipple", "ColorfulCups", "EveningGlow", "FallenLeaf", "Grey",
                "DarkestHour", "Kite", "OneStandsOut", "Path", "Volna", "summer_1am")
GNOME_NAMES = ("licorice-l.webp", "truchet-d.webp", "pixels-l.webp")


@dataclass(frozen=True)
class Photo:
    name: str
    package: str  # the Debian package that ships it
    path: Path


@dataclass(frozen=True)
class FaceSource:
    name: str  # "astronaut" or "lfw-<k>"
    patch: Image.Image  # RGB, the face centred, with any context the source has
    face_side: float  # px of the face box in `patch`
    mask: Image.Image  # L, feathered: where the patch covers the background


@dataclass(frozen=True)
class Face:
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in the scene's pixels
    size: float  # px, the box's side
    angle: float  # degrees, in-plane rotation
    source: str


@dataclass(frozen=True)
class Scene:
    index: int
    background: str
    rgb: np.ndarray  # (H, W, 3) uint8
    faces: tuple[Face, ...]


def _plasma(name: str) -> Path:
    """Each Plasma wallpaper ships in several sizes; take the largest file."""
    files = sorted((PLASMA / name / "contents" / "images").glob("*.jpg"), key=lambda p: p.stat().st_size)
    return files[-1] if files else PLASMA / name / "missing.jpg"


@lru_cache(maxsize=1)
def backgrounds() -> tuple[Photo, ...]:
    return (*(Photo(n, "mate-backgrounds", MATE / n) for n in MATE_NAMES),
            *(Photo(n, "plasma-workspace-wallpapers", _plasma(n)) for n in PLASMA_NAMES),
            *(Photo(n, "gnome-backgrounds", GNOME / n) for n in GNOME_NAMES))


@lru_cache(maxsize=32)
def background_image(path: Path) -> Image.Image:
    """The photo, RGB, shrunk to at most 1280 px a side (scenes are 640x480)."""
    with Image.open(path) as image:
        image.draft("RGB", (1280, 1280))  # JPEG decodes at a reduced size: much faster
        image = image.convert("RGB")
    image.thumbnail((1280, 1280), Image.Resampling.LANCZOS)
    return image


def _feathered_ellipse(width: int, height: int, box: tuple[float, ...], blur: float) -> Image.Image:
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).ellipse(box, fill=255)
    return mask.filter(ImageFilter.GaussianBlur(blur))


def _astronaut_source() -> FaceSource:
    from skimage import data as skimage_data

    x1, y1, x2, y2 = ASTRONAUT_FACE
    side, cx, cy = x2 - x1, (x1 + x2) / 2, (y1 + y2) / 2
    half = 0.75 * side  # context: hair, ears and neck, faded out by the mask
    patch = Image.fromarray(skimage_data.astronaut()).crop((round(cx - half), round(cy - half),
                                                            round(cx + half), round(cy + half)))
    w, h = patch.size
    mask = _feathered_ellipse(w, h, (0.08 * w, 0.04 * h, 0.92 * w, 0.96 * h), blur=0.05 * w)
    return FaceSource("astronaut", patch, float(side), mask)


def _lfw_source(index: int, pixels: np.ndarray) -> FaceSource:
    """One 25x25 crop, enlarged 4x here so later resizes start from a smooth image."""
    patch = Image.fromarray((pixels * 255).round().astype(np.uint8)).convert("RGB")
    patch = patch.resize((100, 100), Image.Resampling.BICUBIC)
    # the crop is the face box; the ellipse only rounds off its corners
    mask = _feathered_ellipse(100, 100, (-6, -10, 106, 110), blur=3)
    return FaceSource(f"lfw-{index}", patch, 100.0, mask)


@lru_cache(maxsize=1)
def face_sources() -> tuple[FaceSource, ...]:
    """The astronaut first, then the 100 LFW faces (the subset's second half is non-faces)."""
    from skimage import data as skimage_data

    crops = skimage_data.lfw_subset()[:100]  # (100, 25, 25) floats in [0, 1]
    return (_astronaut_source(), *(_lfw_source(k, crops[k]) for k in range(len(crops))))


def _background_crop(rng: np.random.Generator, photo: Photo) -> Image.Image:
    """A random 4:3 crop of the photo (half its size or more), resized to the canvas."""
    image = background_image(photo.path)
    width, height = image.size
    full_w = min(width, height * CANVAS[0] / CANVAS[1])
    crop_w = full_w * rng.uniform(0.5, 1.0)
    crop_h = crop_w * CANVAS[1] / CANVAS[0]
    left, top = rng.uniform(0, width - crop_w), rng.uniform(0, height - crop_h)
    return image.resize(CANVAS, Image.Resampling.LANCZOS, box=(left, top, left + crop_w, top + crop_h))


def _lit(patch: Image.Image, gain: float, contrast: float) -> Image.Image:
    pixels = np.asarray(patch, dtype=np.float32)
    mean = pixels.mean()
    return Image.fromarray(np.clip(((pixels - mean) * contrast + mean) * gain, 0, 255).astype(np.uint8))


def paste_face(canvas: Image.Image, source: FaceSource, *, centre: tuple[float, float], size: float,
               angle: float, gain: float = 1.0, contrast: float = 1.0, mirror: bool = False) -> None:
    """Paste `source` into `canvas` (in place) with its face box `size` px wide, centred on
    `centre`, turned by `angle` degrees (counter-clockwise) about its centre."""
    factor = size / source.face_side
    new_size = (max(1, round(source.patch.width * factor)), max(1, round(source.patch.height * factor)))
    patch = source.patch.resize(new_size, Image.Resampling.BICUBIC)
    mask = source.mask.resize(new_size, Image.Resampling.BILINEAR)
    if mirror:
        patch, mask = patch.transpose(Image.Transpose.FLIP_LEFT_RIGHT), mask.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    patch = _lit(patch, gain, contrast).rotate(angle, Image.Resampling.BICUBIC, expand=True)
    mask = mask.rotate(angle, Image.Resampling.BILINEAR, expand=True)
    # the patch's centre is the face's centre, before and after the expanding rotation
    canvas.paste(patch, (round(centre[0] - patch.width / 2), round(centre[1] - patch.height / 2)), mask)


def _place(rng: np.random.Generator, size: float, taken: list[tuple[float, ...]]) -> tuple[float, float] | None:
    """A centre where a face box of `size` lies inside the canvas and clear of the others (with
    room for their context), or None after 50 tries."""
    width, height = CANVAS
    for _ in range(50):
        cx, cy = rng.uniform(size / 2, width - size / 2), rng.uniform(size / 2, height - size / 2)
        clear = all(abs(cx - ox) > 0.65 * (size + oside) or abs(cy - oy) > 0.65 * (size + oside)
                    for ox, oy, oside in taken)
        if clear:
            return cx, cy
    return None


def make_scene(index: int, *, seed: int = SEED) -> Scene:
    """Scene `index` of the evaluation set: the same pixels and boxes on every run."""
    rng = np.random.default_rng([seed, index])
    photos, sources = backgrounds(), face_sources()
    photo = photos[index % len(photos)]
    canvas = _background_crop(rng, photo)
    faces, taken = [], []
    for _ in range(rng.integers(FACES_PER_SCENE[0], FACES_PER_SCENE[1] + 1)):
        size = float(np.exp(rng.uniform(*np.log(FACE_SIZES))))
        source = sources[0] if rng.random() < ASTRONAUT_SHARE else sources[1 + rng.integers(len(sources) - 1)]
        angle, gain, contrast = rng.uniform(-MAX_ANGLE, MAX_ANGLE), rng.uniform(0.6, 1.4), rng.uniform(0.7, 1.3)
        mirror = bool(rng.random() < 0.5)
        centre = _place(rng, size, taken)
        if centre is None:
            continue
        paste_face(canvas, source, centre=centre, size=size, angle=angle, gain=gain, contrast=contrast, mirror=mirror)
        taken.append((*centre, size))
        box = (centre[0] - size / 2, centre[1] - size / 2, centre[0] + size / 2, centre[1] + size / 2)
        faces.append(Face(tuple(round(v, 2) for v in box), round(size, 2), round(angle, 2), source.name))
    return Scene(index, photo.name, np.asarray(canvas).copy(), tuple(faces))


def evaluation_set(count: int, *, seed: int = SEED) -> list[Scene]:
    return [make_scene(index, seed=seed) for index in range(count)]
