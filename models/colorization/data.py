"""Training and validation photos for the colorization demo, and the crops cut from them.

Only colour photos that ship offline, each chosen by looking at a contact sheet of its package
(no renders, drawings, screenshots or text): scikit-image's bundled images; the photographs
among the wallpapers of Debian's mate-backgrounds, plasma-workspace-wallpapers and
lomiri-wallpapers-16.04 packages; and the sample photos of OpenCV's documentation (Debian's
opencv-doc: its example data and the tutorials' pictures): `curated_photos`, the set the
shipped model trains on. `training_photos` adds 226 photographs from 22 more packages that are
downloaded and unpacked but not installed (`fetch.py`, listed with their licences in
`debian_photos.json`): Scratch's backdrop photos, Tux Paint's and Tux Typing's pictures,
KPhotoAlbum's demo album, GNOME's avatar photos, LXQt's wallpapers, dlib's and darknet's example
photos and others; blander on average, they made the model blander (`--photos all`, in the
card's runs). gnome-backgrounds, ukui-wallpapers, sway-backgrounds and
lomiri-wallpapers-20.04 hold only renders and drawings, so none qualifies; cimg-doc's postcards
are webcam shots of prints (a hand, a border, the camera's colour cast), so they were left out,
as were two photos stored on their side with no orientation tag.
The validation photos (`validation.validation_set`, the Turing test's) are whole photos kept
out of training; scikit-learn's and matplotlib's sample photos are kept for an independent
check and never trained on or chosen by.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image, ImageOps

from models.colorization import bins
from models.colorization.fetch import packaged_photos
from models.colorization.lab import rgb_to_lab

MATE = Path("/usr/share/backgrounds/mate/nature")
PLASMA = Path("/usr/share/wallpapers")
LOMIRI = Path("/usr/share/backgrounds")
OPENCV = Path("/usr/share/doc/opencv-doc")


@dataclass(frozen=True)
class Photo:
    name: str  # short label for the model card
    package: str  # "scikit-image" or the Debian package
    path: Path
    licence: str = ""  # where it differs from the package's (PACKAGE_LICENCES)

    def exists(self) -> bool:
        return self.path.is_file()


def _skimage(name: str) -> Photo:
    import skimage  # a test and training dependency, not one of the app's

    return Photo(name, "scikit-image", Path(skimage.__file__).parent / "data" / name)


def _mate(name: str) -> Photo:
    return Photo(name, "mate-backgrounds", MATE / name)


def _plasma(name: str) -> Photo:
    # each Plasma wallpaper ships in several sizes of one picture; use the largest file
    folder = PLASMA / name / "contents" / "images"
    files = sorted(folder.glob("*.jpg"), key=lambda p: p.stat().st_size) if folder.is_dir() else []
    return Photo(name, "plasma-workspace-wallpapers", files[-1] if files else folder / "missing.jpg")


# as the packages' copyright files state them (/usr/share/doc/<package>/copyright)
PACKAGE_LICENCES = {
    "scikit-image": "public domain (astronaut: NASA; rocket: SpaceX); motorcycle: Middlebury 2014 stereo data set",
    "mate-backgrounds": "GPL-2+",
    "plasma-workspace-wallpapers": "GPL-2+",
    "lomiri-wallpapers-16.04": "CC-BY-4.0 or CC-BY-SA-4.0 (per photo)",
    "opencv-doc": "Apache-2.0 AND BSD-3-Clause (OpenCV's sample data and tutorial pictures)",
}


def licence_of(photo: Photo) -> str:
    return photo.licence or PACKAGE_LICENCES.get(photo.package, "see the package's copyright file")


def _lomiri(name: str, licence: str) -> Photo:
    return Photo(name, "lomiri-wallpapers-16.04", LOMIRI / name, licence)


def _opencv(name: str) -> Photo:
    # the example data first, then the pictures of the tutorials
    folder = "examples/data" if (OPENCV / "examples" / "data" / name).is_file() else "opencv4/html"
    return Photo(name, "opencv-doc", OPENCV / folder / name)


@lru_cache(maxsize=1)
def curated_photos() -> tuple[Photo, ...]:
    """The first set: photographs (not drawings or renders) chosen by looking at every wallpaper
    of the installed packages, and sample photos of scikit-image and OpenCV; mostly large,
    well-exposed and vivid."""
    return (
        _skimage("astronaut.png"),
        _skimage("rocket.jpg"),
        _skimage("motorcycle_left.png"),
        *(
            _mate(name)
            for name in (
                "Aqua.jpg", "Blinds.jpg", "Dune.jpg", "FreshFlower.jpg", "GreenMeadow.jpg", "LadyBird.jpg",
                "RainDrops.jpg", "Storm.jpg", "TwoWings.jpg", "Wood.jpg", "YellowFlower.jpg",
            )
        ),
        *(
            _plasma(name)
            for name in (
                "Autumn", "BytheWater", "ColdRipple", "DarkestHour", "FallenLeaf", "Kite", "OneStandsOut",
                "Path", "summer_1am", "ColorfulCups",
            )
        ),
        _lomiri("Picture_1A_by_freespace.jpg", "CC-BY-4.0 (Trevor \"Freespace\")"),
        _lomiri("analogpattern_by_Peter_Nerlich.jpg", "CC-BY-SA-4.0 (Peter Nerlich)"),
        _lomiri("free_by_Peter_Nerlich.jpg", "CC-BY-SA-4.0 (Peter Nerlich)"),
        _lomiri("greentock_by_Peter_Nerlich.jpg", "CC-BY-SA-4.0 (Peter Nerlich)"),
        *(
            _opencv(name)
            for name in (
                "aero1.jpg", "aloeL.jpg", "apple.jpg", "baboon.jpg", "board.jpg", "building.jpg", "butterfly.jpg",
                "chicky_512.png", "ela_original.jpg", "fruits.jpg", "home.jpg", "left.jpg", "leuvenA.jpg",
                "licenseplate_motion.jpg", "messi5.jpg", "orange.jpg", "rubberwhale1.png", "smarties.png",
                "squirrel_cls.jpg", "stuff.jpg",
                "227943776_1.jpg", "230501201_1.jpg", "Background_Subtraction_Tutorial_frame.jpg", "astra_color.jpg",
                "bicubicOutput.jpg", "fusion_mertens.jpg", "pexels_double_decker_bus.jpg", "plant.jpg",
                "retina_TreeHdr_small.jpg", "studentsSample_input.jpg",
            )
        ),
    )


@lru_cache(maxsize=1)
def training_photos() -> tuple[Photo, ...]:
    """Every training photo: the curated set, then the photos unpacked at set-up from packages
    we do not install (fetch.py), each with its licence."""
    return curated_photos() + tuple(Photo(p.name, p.package, p.path, p.licence) for p in packaged_photos())


PHOTO_SETS = {"curated": curated_photos, "all": training_photos}  # a training plan names one


def load_rgb8(path: Path, *, short_side: int | None = None, enlarge: bool = False) -> torch.Tensor:
    """An image file -> sRGB (3, H, W) uint8, shrunk (or, with `enlarge`, also grown) so its
    shorter side is `short_side`."""
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")  # some phone photos are stored turned
        if short_side is not None and (min(image.size) > short_side or enlarge):
            scale = short_side / min(image.size)
            image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
        data = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8)
        return data.view(image.height, image.width, 3).permute(2, 0, 1)


def load_rgb(path: Path, *, short_side: int | None = None, enlarge: bool = False) -> torch.Tensor:
    """As `load_rgb8`, as float in [0, 1]."""
    return load_rgb8(path, short_side=short_side, enlarge=enlarge).float() / 255


@cache
def _training_image(path: Path, short_side: int) -> torch.Tensor:
    # decoded once per process (a resumed run, the tests' several runs), kept as uint8: the
    # 284 photos take about 250 MB so, a quarter of float's
    return load_rgb8(path, short_side=short_side)


class CropSampler:
    """Random training crops as Lab batches, drawn from a seeded generator so a run, and a
    resumed run, sees the same crops. Augmentation: scale jitter (a crop covers 1 to 1/scales[0]
    times its side of the photo), horizontal flips and an exposure change (a gamma on sRGB drawn
    log-uniformly from 1/gamma..gamma). No hue or saturation change: the colours are the lesson.
    Each crop's photo is drawn uniformly, or by `weights` (one per photo) when given."""

    def __init__(self, photos: tuple[Photo, ...], *, crop: int, short_side: int = 512, scales=(0.5, 1.0),
                 gamma: float = 1.0, weights: list[float] | None = None) -> None:
        self.images = [_training_image(photo.path, short_side) for photo in photos]
        self.crop = crop
        self.scales = scales
        self.gamma = gamma
        if weights is not None and (len(weights) != len(photos) or min(weights) < 0 or sum(weights) <= 0):
            raise ValueError("one non-negative weight per photo, not all zero")
        self.weights = None if weights is None else torch.tensor(weights, dtype=torch.float64) / sum(weights)

    def _photo_index(self, generator: torch.Generator) -> int:
        if self.weights is None:
            return int(torch.randint(len(self.images), (1,), generator=generator))
        return int(torch.multinomial(self.weights, 1, generator=generator))

    def batch(self, size: int, generator: torch.Generator) -> torch.Tensor:
        """Lab crops (size, 3, crop, crop)."""
        crops = []
        for _ in range(size):
            image = self.images[self._photo_index(generator)]
            _, height, width = image.shape
            low, high = self.scales
            scale = low + (high - low) * float(torch.rand(1, generator=generator))
            side = min(height, width, max(self.crop, round(self.crop / scale)))  # source pixels cut
            top = int(torch.randint(height - side + 1, (1,), generator=generator))
            left = int(torch.randint(width - side + 1, (1,), generator=generator))
            patch = image[:, top : top + side, left : left + side].unsqueeze(0).float() / 255
            patch = F.interpolate(patch, size=(self.crop, self.crop), mode="bilinear", antialias=True,
                                  align_corners=False)
            if float(torch.rand(1, generator=generator)) < 0.5:
                patch = patch.flip(-1)
            # drawn even when gamma is 1, so a sampler with and one without jitter cut the same crops
            exponent = self.gamma ** (2 * float(torch.rand(1, generator=generator)) - 1)
            patch = patch.clamp_min(0) ** exponent
            crops.append(patch[0].clamp(0, 1))
        return rgb_to_lab(torch.stack(crops))

    def _pixels_ab(self, image: torch.Tensor, short_side: int) -> torch.Tensor:
        small = F.interpolate(image.unsqueeze(0).float() / 255, scale_factor=short_side / min(image.shape[1:]),
                              mode="area")
        return rgb_to_lab(small)[0, 1:].reshape(2, -1)

    def all_pixels_ab(self, *, short_side: int = 128) -> torch.Tensor:
        """ab of every training image at low resolution, (1, 2, 1, P): for the colour prior."""
        columns = [self._pixels_ab(image, short_side) for image in self.images]
        return torch.cat(columns, dim=1).view(1, 2, 1, -1)

    def colour_prior(self, centres: torch.Tensor, *, short_side: int = 128) -> torch.Tensor:
        """The share of training pixels nearest each ab bin (Q,), as the crops are drawn: over all
        pixels alike, or each photo's share weighted as its crops are."""
        if self.weights is None:
            return bins.empirical_prior(self.all_pixels_ab(short_side=short_side), centres)
        shares = [bins.empirical_prior(self._pixels_ab(image, short_side).view(1, 2, 1, -1), centres)
                  for image in self.images]
        return (torch.stack(shares) * self.weights[:, None].to(shares[0])).sum(dim=0)
