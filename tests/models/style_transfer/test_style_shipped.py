"""The shipped generators: their checksums are the spec's and the card's, they load through the
platform's cache, and on a held-out photo (chelsea, never used in training) their outputs carry
their style by the card's measure: the style classifier finds more of their own style in the
output than in the photo, and the Gram loss against the artwork falls."""

from __future__ import annotations

import json

import pytest
import torch

from models.loading import ModelCache
from models.spec import sha256_of
from models.style_transfer.data import STYLE_NAMES, held_out_photos, load_style
from models.style_transfer.evaluate import CLASSIFIER_NAME, load_classifier, style_share
from models.style_transfer.features import style_loss, style_targets
from models.style_transfer.predict import stylise_fast
from models.style_transfer.spec import SPEC

WEIGHTS_DIR = SPEC.weights[0].location.parent


@pytest.fixture(scope="module")
def card() -> dict:
    return json.loads((WEIGHTS_DIR / "card.json").read_text())


@pytest.fixture(scope="module")
def model():
    torch.set_num_threads(2)
    return ModelCache(torch.device("cpu")).get(SPEC)


def test_checksums_agree_and_files_are_small(card) -> None:
    by_style = {g["style"]: g for g in card["generators"]}
    by_style[f"texture-{card['texture_network']['texture']}"] = card["texture_network"]
    for weights in SPEC.weights:
        assert weights.location.stat().st_size <= 15 * 2**20
        assert sha256_of(weights.location) == weights.sha256 == by_style[weights.path.stem]["sha256"]
    assert sha256_of(WEIGHTS_DIR / CLASSIFIER_NAME) == card["classifier"]["sha256"]
    assert set(card["validation"]) == set(STYLE_NAMES)


# The hexagons generator takes on the palette and Gram statistics of its artwork but not its
# crisp hexagons: the classifier calls ~1% of its held-out output crops hexagons (card.json).
CLASSIFIED = [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="card: own_style_share 0.01"))
              if name == "hexagons" else name for name in STYLE_NAMES]


@pytest.mark.parametrize("name", CLASSIFIED)
def test_the_classifier_finds_their_style_in_a_held_out_output(model, name) -> None:
    classifier = load_classifier(WEIGHTS_DIR / CLASSIFIER_NAME)
    photo = dict(held_out_photos(256))["chelsea.png"]
    output = stylise_fast(model.generators[name], photo)
    assert style_share(classifier, [output], name) > max(0.2, style_share(classifier, [photo], name))


@pytest.mark.parametrize("name", STYLE_NAMES)
def test_their_outputs_gram_loss_falls_on_a_held_out_photo(model, name) -> None:
    photo = dict(held_out_photos(256))["chelsea.png"]
    output = stylise_fast(model.generators[name], photo)
    targets = style_targets(model.features, load_style(name))
    with torch.inference_mode():
        before = float(style_loss(model.features(photo[None]), targets))
        after = float(style_loss(model.features(output[None]), targets))
    assert after < 0.2 * before


def test_the_cards_validation_table_is_reproduced(model, card) -> None:
    from models.style_transfer.evaluate import judge

    classifier = load_classifier(WEIGHTS_DIR / CLASSIFIER_NAME)
    photos = [photo for _, photo in held_out_photos(256)]
    table = judge(dict(model.generators.items()), classifier, model.features, photos)
    for name, row in card["validation"].items():
        for metric, value in row.items():
            assert table[name][metric] == pytest.approx(value, abs=0.01, rel=0.01), (name, metric)


def test_the_texture_network_reaches_the_cards_figures(model, card) -> None:
    """Its textures match the sample's Gram matrices about as well as the card says, far
    better than noise, and two seeds give two different textures."""
    from models.style_transfer.texture import judge_texture

    expected = card["texture_network"]
    classifier = load_classifier(WEIGHTS_DIR / CLASSIFIER_NAME)
    figures = judge_texture(model.textures[expected["texture"]], model.features,
                            lambda images: style_share(classifier, images, expected["texture"]), optimise_steps=10)
    for metric in ("gram_loss_network", "own_style_share_network", "seed_difference"):
        assert figures[metric] == pytest.approx(expected[metric], abs=0.01, rel=0.01), metric
    assert figures["gram_loss_network"] < 0.1 * figures["gram_loss_noise"]
    assert figures["seed_difference"] > 10
