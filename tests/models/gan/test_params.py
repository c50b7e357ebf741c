"""The GAN demo's torch-free checks: latents of the right length and range, strokes of the
right shape, and what each operation needs."""

import json

import pytest

from models.gan.params import NZ, check_uploads, read_latent, read_params, read_strokes
from models.spec import check_inputs

LATENT = [0.1] * NZ
STROKE = {"kind": "colour", "color": "#FF8800", "width": 4, "points": [[1, 2], [30.5, 40]]}


def test_a_latent_is_read_from_a_list_or_its_json_text() -> None:
    assert read_latent(LATENT) == LATENT
    assert read_latent(json.dumps(LATENT)) == LATENT
    assert read_latent("") is None and read_latent(None) is None


@pytest.mark.parametrize(("raw", "message"), [
    ([0.1] * (NZ - 1), f"list of {NZ} numbers, not {NZ - 1}"),
    ([0.1] * (NZ + 1), f"list of {NZ} numbers"),
    ([2.0] * NZ, "between -1 and 1"),
    ([float("nan")] * NZ, "between -1 and 1"),
    ([True] * NZ, "between -1 and 1"),
    ("[0.1, ", "JSON"),
    ({"z": LATENT}, f"list of {NZ} numbers"),
])
def test_a_wrong_latent_is_refused(raw, message) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        read_latent(raw)


def test_strokes_are_normalised() -> None:
    [stroke] = read_strokes(json.dumps([STROKE]))
    assert stroke == {"kind": "colour", "color": "#ff8800", "width": 4.0, "points": [[1.0, 2.0], [30.5, 40.0]]}
    [sketch] = read_strokes([{"kind": "sketch", "points": [[3, 3]]}])
    assert sketch["width"] == 4.0 and "color" not in sketch  # a dot, default width


@pytest.mark.parametrize(("stroke", "message"), [
    ({**STROKE, "kind": "eraser"}, "kind must be one of"),
    ({**STROKE, "color": "red"}, "#rrggbb"),
    ({k: v for k, v in STROKE.items() if k != "color"}, "#rrggbb"),
    ({**STROKE, "width": 0}, "width"),
    ({**STROKE, "width": "wide"}, "width"),
    ({**STROKE, "points": []}, "1 to 512"),
    ({**STROKE, "points": [[1, 2, 3]]}, r"\[x, y\]"),
    ({**STROKE, "points": [[1, 65]]}, r"0 <= x, y <= 64"),
    ({**STROKE, "points": [[-1, 5]]}, r"0 <= x, y <= 64"),
    ({**STROKE, "points": [["a", 5]]}, r"\[x, y\]"),
    ({**STROKE, "points": [[1, 1]] * 513}, "1 to 512"),
    ("a stroke", "object"),
])
def test_a_malformed_stroke_is_refused(stroke, message) -> None:
    with pytest.raises(ValueError, match=message):
        read_strokes([stroke])


def test_strokes_must_be_a_list_and_not_too_many() -> None:
    with pytest.raises(ValueError, match="list of stroke objects"):
        read_strokes({"kind": "colour"})
    with pytest.raises(ValueError, match="at most 64"):
        read_strokes([STROKE] * 65)


def test_each_operation_takes_its_own_arguments() -> None:
    assert read_params({"operation": "edit", "latent": LATENT, "strokes": [STROKE]})["strokes"][0]["color"] == "#ff8800"
    with pytest.raises(ValueError, match="edit needs strokes"):
        read_params({"operation": "edit", "latent": LATENT})
    with pytest.raises(ValueError, match="strokes are for edit"):
        read_params({"operation": "sample", "strokes": [STROKE]})
    with pytest.raises(ValueError, match="sample takes no latent"):
        read_params({"operation": "sample", "latent": LATENT})
    with pytest.raises(ValueError, match="not latent_b"):
        read_params({"operation": "edit", "latent": LATENT, "latent_b": LATENT, "strokes": [STROKE]})


def test_uploads_and_latents_together() -> None:
    check_uploads({"operation": "project"}, frozenset({"image"}))
    check_uploads({"operation": "edit", "latent": LATENT}, frozenset())
    check_uploads({"operation": "edit", "latent": None}, frozenset({"image"}))
    check_uploads({"operation": "interpolate", "latent": LATENT, "latent_b": None}, frozenset({"image_b"}))
    for params, uploads, message in [
        ({"operation": "project"}, frozenset(), "project needs one image"),
        ({"operation": "edit", "latent": None}, frozenset(), "needs a start"),
        ({"operation": "edit", "latent": LATENT}, frozenset({"image"}), "not both"),
        ({"operation": "interpolate", "latent": LATENT, "latent_b": None}, frozenset(), "two ends"),
        ({"operation": "sample"}, frozenset({"image"}), "no image"),
    ]:
        with pytest.raises(ValueError, match=message):
            check_uploads(params, uploads)


def test_the_declared_numbers_are_checked_through_the_spec() -> None:
    from models.gan.spec import SPEC

    checked = check_inputs(SPEC, {"operation": "sample", "seed": "7", "count": "3"})
    assert checked["seed"] == 7 and checked["count"] == 3 and checked["candidates"] == 4
    with pytest.raises(ValueError, match="count must lie between 1 and 32"):
        check_inputs(SPEC, {"operation": "sample", "count": 100})
    with pytest.raises(ValueError, match="operation must be one of"):
        check_inputs(SPEC, {"operation": "paint"})
