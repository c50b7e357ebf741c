"""The validation set: whole photos the model never trained on, scored per photo and on average.

The photos are the Turing test's (`turing.turing_photos`): Ubuntu Touch wallpapers, two
scikit-image photos and a MATE background, none of them in `data.training_photos` and none cut
from a training photo. Their real copies ship in `page/turing/` (longest side 384 px), so the
figures can be recomputed anywhere, with or without the Debian packages installed.

scikit-learn's two sample photos (china, flower) and matplotlib's portrait of Grace Hopper form a
second, independent set: never trained on and never used to choose anything (not the run, not
the temperature), only reported.

Each prediction goes through the demo's own path (L brought to the working size, ab predicted at
a quarter of it, upsampled to the photo, joined with its full L) and is scored on four figures:
plain AuC of ab error, class-rebalanced AuC (each pixel weighted by the rarity of its true colour
over the whole set), mean chroma and Hasler-Süsstrunk colourfulness, the last also as a share of
the true photo's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
import torch.nn.functional as F

from models.colorization import bins, metrics
from models.colorization.data import load_rgb
from models.colorization.lab import rgb_to_lab
from models.colorization.predict import network_size

FIGURES = ("auc", "rebalanced_auc", "mean_chroma", "colourfulness")


@dataclass(frozen=True)
class ValidationPhoto:
    id: str
    lab: torch.Tensor  # (3, H, W), the true photo
    rarity: torch.Tensor  # (H, W), the weight of each pixel in the rebalanced AuC


@lru_cache(maxsize=1)
def validation_set() -> tuple[ValidationPhoto, ...]:
    from models.colorization.turing import PAIRS_DIR, turing_photos  # turing imports data, as we do

    ids = [item.id for item in turing_photos()]
    return _photo_set(ids, [load_rgb(PAIRS_DIR / f"{photo}-real.jpg") for photo in ids])


@lru_cache(maxsize=1)
def independent_set() -> tuple[ValidationPhoto, ...]:
    # test dependencies with photos bundled in their wheels (no download)
    from matplotlib.cbook import get_sample_data
    from sklearn.datasets import load_sample_images

    samples = load_sample_images()
    ids = [Path(name).stem for name in samples.filenames]
    rgbs = [torch.from_numpy(image.copy()).permute(2, 0, 1).float() / 255 for image in samples.images]
    # matplotlib's one colour photograph (its present is a drawing): a portrait, the kind of
    # subject the training photos hardly hold
    ids.append("grace_hopper")
    rgbs.append(load_rgb(Path(get_sample_data("grace_hopper.jpg", asfileobj=False))))
    # the size of the Turing copies: longest side 384
    rgbs = [F.interpolate(rgb[None], scale_factor=384 / max(rgb.shape[1:]), mode="area")[0] for rgb in rgbs]
    return _photo_set(ids, rgbs)


def _photo_set(ids: list[str], rgbs: list[torch.Tensor]) -> tuple[ValidationPhoto, ...]:
    truths = [rgb_to_lab(rgb[None])[0] for rgb in rgbs]
    # the colour bins of training (grid 10, sRGB gamut), whichever network is scored
    weights = metrics.rarity_weights(truths, bins.gamut_bins())
    return tuple(ValidationPhoto(photo, lab, weight) for photo, lab, weight in zip(ids, truths, weights, strict=True))


def predict_ab(net, light: torch.Tensor, **kwargs) -> torch.Tensor:
    """L (1, H, W) of a whole photo -> ab (1, 2, H, W) by `net.colorize_ab` at the working size."""
    height, width = light.shape[1:]
    small = F.interpolate(light[None], size=network_size(height, width, net.config.working_size), mode="bilinear",
                          antialias=True, align_corners=False)
    with torch.inference_mode():
        ab = net.colorize_ab(small, **kwargs)
    return F.interpolate(ab, size=(height, width), mode="bilinear", align_corners=False)


def score(predicted: torch.Tensor, photo: ValidationPhoto) -> dict[str, float]:
    truth = photo.lab[None]
    return {
        "auc": metrics.ab_error_auc(predicted, truth),
        "rebalanced_auc": metrics.ab_error_auc(predicted, truth, photo.rarity[None]),
        "mean_chroma": metrics.mean_chroma(predicted),
        "colourfulness": metrics.colourfulness(predicted),
    }


def per_photo(predict: Callable[[torch.Tensor], torch.Tensor],
              photos: tuple[ValidationPhoto, ...] | None = None) -> dict[str, dict[str, float]]:
    """`predict` maps a Lab photo (3, H, W) to a Lab prediction (1, 3, H, W); rows per photo
    (of the validation set unless `photos` are given) and "mean", figures rounded to 4 places."""
    rows = {photo.id: score(predict(photo.lab), photo) for photo in photos or validation_set()}
    rows["mean"] = {key: sum(row[key] for row in rows.values()) / len(rows) for key in FIGURES}
    return {name: {key: round(value, 4) for key, value in row.items()} for name, row in rows.items()}


def network_prediction(net, **kwargs) -> Callable[[torch.Tensor], torch.Tensor]:
    return lambda lab: torch.cat((lab[None, :1], predict_ab(net, lab[:1], **kwargs)), dim=1)


def grey_prediction(lab: torch.Tensor) -> torch.Tensor:
    return metrics.grey(lab[None])


def truth_prediction(lab: torch.Tensor) -> torch.Tensor:
    return lab[None]


def report(classifier, regressor=None, *, temperature: float | None = None,
           photos: tuple[ValidationPhoto, ...] | None = None) -> dict[str, dict[str, dict]]:
    """Per-photo tables for the classifier (at `temperature`, default its config's), the L2
    baseline if given, grey and the truth, on `photos` (default: the validation set); networks
    are put in eval mode and back."""
    nets = {"classification": (classifier, {"temperature": temperature})}
    if regressor is not None:
        nets["regression"] = (regressor, {})
    modes = {name: net.training for name, (net, _) in nets.items()}
    tables = {}
    for name, (net, kwargs) in nets.items():
        net.eval()
        tables[name] = per_photo(network_prediction(net, **kwargs), photos)
        net.train(modes[name])
    tables["grey"] = per_photo(grey_prediction, photos)
    tables["ground_truth"] = per_photo(truth_prediction, photos)
    return tables


def means(tables: dict[str, dict[str, dict]]) -> dict[str, dict[str, float]]:
    return {name: table["mean"] for name, table in tables.items()}


def targets(tables: dict[str, dict[str, dict]]) -> dict[str, dict]:
    """Issue 15's three targets on the mean figures, with whether each is met."""
    model, grey, truth = (tables[name]["mean"] for name in ("classification", "grey", "ground_truth"))
    ratio = model["colourfulness"] / truth["colourfulness"]
    return {
        "plain_auc_vs_grey": {"value": round(model["auc"] - grey["auc"], 4), "target": ">= -0.01",
                              "met": model["auc"] >= grey["auc"] - 0.01},
        "rebalanced_auc_vs_grey": {"value": round(model["rebalanced_auc"] - grey["rebalanced_auc"], 4),
                                   "target": ">= +0.05",
                                   "met": model["rebalanced_auc"] >= grey["rebalanced_auc"] + 0.05},
        "colourfulness_vs_truth": {"value": round(ratio, 3), "target": "0.6 to 1.4", "met": 0.6 <= ratio <= 1.4},
    }
