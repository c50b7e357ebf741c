"""The pairs of the colourization Turing test (Zhang et al. 2016, §3.1, "AMT real vs fake"): a
photo the model never trained on, once in its own colours and once coloured by the shipped model
from its lightness alone. Readers pick the real one; the share of pairs where they pick the
model's is the fooling rate (32% for the paper's full model).

`marginalia evaluate colorization --turing` writes them into `page/turing/`: for each photo a
real copy (at most 384 px on its longer side) and the model's colourization of that copy's
lightness at the default temperature, both as JPEG at the same quality so the file format gives
nothing away, and `pairs.json` naming the weights that made them (votes count per model).
The photos are never trained on: `tests/models/colorization/test_turing.py` checks the lists
are disjoint, and a retrained model must keep them so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from PIL import Image

from models.colorization.data import MATE, Photo, _skimage, load_rgb, training_photos
from models.colorization.params import DEFAULT_TEMPERATURE

PAIRS_DIR = Path(__file__).resolve().parent / "page" / "turing"
LOMIRI = Path("/usr/share/backgrounds")
LONGEST = 384
JPEG_QUALITY = 90


@dataclass(frozen=True)
class TuringPhoto:
    id: str  # stable: votes are stored under it
    photo: Photo
    credit: str
    licence: str


def _lomiri(file: str, package: str, credit: str, licence: str) -> TuringPhoto:
    return TuringPhoto(file.split("_by_")[0].lower(), Photo(file, package, LOMIRI / file), credit, licence)


def turing_photos() -> tuple[TuringPhoto, ...]:
    """Photographs never trained on, chosen from a contact sheet of every candidate (no renders,
    drawings or text): Ubuntu Touch's wallpapers (Debian's lomiri-wallpapers-16.04 and -20.04),
    two of scikit-image's and one MATE wallpaper held out of training."""
    old, new = "lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04"
    return (
        _lomiri("Bridge_by_Sander_Klootwijk.jpg", old, "Sander Klootwijk, 2018", "CC-BY-SA-4.0"),
        _lomiri("Dragonfly_by_Bolly.jpg", old, "\"Bolly\", 2018", "CC-BY-SA-4.0"),
        _lomiri("Kleiber_by_Lukas_Baubkus.jpg", new, "Lukas Baubkus, 2021", "CC-BY-SA-3.0"),
        _lomiri("Picture_0B_by_freespace.jpg", old, "Trevor \"Freespace\", 2018", "CC-BY-4.0"),
        _lomiri("Wine_by_Jakkub_Mede.jpg", old, "Jakub Mede, 2018", "CC-BY-4.0"),
        _lomiri("aitzgorri_by_Aitzol_Berasategi.jpg", old, "Aitzol Berasategi, 2018", "CC-BY-4.0"),
        _lomiri("friends_by_Aitzol_Berasategi.jpg", old, "Aitzol Berasategi, 2018", "CC-BY-4.0"),
        _lomiri("life_by_Aitzol_Berasategi.jpg", old, "Aitzol Berasategi, 2018", "CC-BY-4.0"),
        _lomiri("picosdeeuropa_by_Aitzol_Berasategi.jpg", old, "Aitzol Berasategi, 2018", "CC-BY-4.0"),
        _lomiri("seeding_by_Clements_Engelhardt.jpg", old, "Clemens Engelhardt, 2018", "CC0-1.0"),
        _lomiri("sunset_by_Aitzol_Berasategi.jpg", old, "Aitzol Berasategi, 2018", "CC-BY-4.0"),
        TuringPhoto("chelsea", _skimage("chelsea.png"), "Stefan van der Walt (scikit-image)", "CC0-1.0"),
        TuringPhoto("coffee", _skimage("coffee.png"), "Rachel Michetti (scikit-image)", "CC0-1.0"),
        TuringPhoto("garden", Photo("Garden.jpg", "mate-backgrounds", MATE / "Garden.jpg"),
                    "MATE backgrounds (mate-backgrounds)", "GPL-2+"),
    )


def never_trained_on() -> bool:
    trained = {photo.path.name for photo in training_photos()}
    return not trained & {item.photo.path.name for item in turing_photos()}


def real_copy(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image = image.convert("RGB")
        image.thumbnail((LONGEST, LONGEST), Image.Resampling.LANCZOS)
        return image


def colourize_copy(model, path: Path) -> Image.Image:  # an ECCV16Colorizer
    """The model's colours for a real copy (its lightness only), at the default temperature."""
    from models.colorization.predict import colorize

    result = colorize(model, load_rgb(path), temperature=DEFAULT_TEMPERATURE)["result"].cpu()
    pixels = (result * 255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).contiguous().numpy()
    return Image.fromarray(pixels)


def write_pairs(model, weights_sha256: str, out_dir: Path = PAIRS_DIR) -> dict:
    """Write `<id>-model.jpg` for every photo, `<id>-real.jpg` where it is missing, and
    `pairs.json`; returns it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs = []
    for item in turing_photos():
        real = out_dir / f"{item.id}-real.jpg"
        if not real.exists():  # a committed copy stays: it is the validation set, and the
            # originals need packages (lomiri-wallpapers-20.04) that only their first making did
            real_copy(item.photo.path).save(real, quality=JPEG_QUALITY)
        colourize_copy(model, real).save(out_dir / f"{item.id}-model.jpg", quality=JPEG_QUALITY)
        pairs.append({"id": item.id, "source": item.photo.name, "package": item.photo.package,
                      "credit": item.credit, "licence": item.licence})
    manifest = {"weights_sha256": weights_sha256, "temperature": DEFAULT_TEMPERATURE, "longest_side": LONGEST,
                "pairs": pairs}
    (out_dir / "pairs.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
