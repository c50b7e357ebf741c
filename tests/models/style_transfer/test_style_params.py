"""The declared inputs: defaults, ranges, the styles the spec offers and what the check refuses."""

from __future__ import annotations

import pytest

from models.spec import check_inputs
from models.style_transfer import data, params, texture
from models.style_transfer.spec import SPEC


def test_defaults() -> None:
    checked = check_inputs(SPEC, {})
    assert checked == {"style": "elephants", "style_weight": 5.0, "method": "fast", "steps": 150, "seed": 0}


def test_the_styles_offered_are_the_shipped_ones() -> None:
    assert params.STYLE_NAMES == data.STYLE_NAMES
    assert all(artwork.path.is_file() for artwork in data.STYLES)
    assert [w.path.stem for w in SPEC.weights] == [*params.STYLE_NAMES,
                                                   *(f"texture-{name}" for name in params.TEXTURE_GENERATORS)]
    assert params.TEXTURE_GENERATORS == (texture.TEXTURE_NAME,)  # the torch-free copy of the name


@pytest.mark.parametrize(("bad", "message"), [
    ({"style": "monet"}, "style must be one of"),
    ({"style_weight": 11}, "between 0 and 10"),
    ({"method": "slow"}, "method must be one of"),
    ({"steps": 5}, "between 10 and 400"),
    ({"steps": 10.5}, "whole number"),
    ({"seed": -1}, "between 0 and"),
])
def test_refuses(bad: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_inputs(SPEC, bad)


def test_read_params_refuses_unknown_inputs_and_strength_is_a_fraction_of_the_default() -> None:
    with pytest.raises(ValueError, match="unknown inputs"):
        params.read_params({"colour": 1})
    assert params.strength_fraction(5) == 1.0 and params.strength_fraction(0) == 0.0
    assert SPEC.files == ()  # content is optional for a texture; check_uploads asks for it otherwise
    params.check_uploads({"method": "texture"}, frozenset())
    params.check_uploads({"method": "fast"}, frozenset({"content"}))
    with pytest.raises(ValueError, match="needs a photo"):
        params.check_uploads({"method": "optimise"}, frozenset({"style_image"}))
