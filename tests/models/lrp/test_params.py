"""The demo's parameters, as the web process and the worker both read them."""

from __future__ import annotations

import json
import math

import pytest

from models.lrp.params import ALL, DEFAULT_RULE, DEFAULTS, LRP_RULES, RULES, read_params


def _pixels(value: float = 0.5) -> list[list[float]]:
    return [[value] * 28 for _ in range(28)]


def test_defaults_explain_the_predicted_class_with_the_recommended_composite() -> None:
    assert read_params({}) == DEFAULTS == {"rule": DEFAULT_RULE, "target": None, "contrast": None, "pixels": None}
    assert DEFAULT_RULE == "composite" and DEFAULT_RULE in LRP_RULES


def test_every_rule_has_a_one_line_description() -> None:
    assert set(LRP_RULES) | {"sensitivity", "gradient_input", "random"} == set(RULES)
    assert all(text and "\n" not in text for text in RULES.values())
    assert ALL not in RULES


@pytest.mark.parametrize("rule", [*RULES, ALL, " epsilon "])
def test_known_rules_are_accepted(rule: str) -> None:
    assert read_params({"rule": rule})["rule"] == rule.strip()


@pytest.mark.parametrize("rule", ["lrp", "Epsilon", "deconvnet", 3, ["composite"]])
def test_an_unknown_rule_lists_the_known_ones(rule) -> None:
    with pytest.raises(ValueError, match="rule must be one of composite, ") as error:
        read_params({"rule": rule})
    assert repr(rule) in str(error.value)


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), (" 7 ", 7), (0, 0), (9, 9), ("", None), (None, None)])
def test_classes_come_as_form_strings_or_json_numbers(raw, expected) -> None:
    assert read_params({"target": raw})["target"] == expected
    assert read_params({"contrast": raw})["contrast"] == expected


@pytest.mark.parametrize("raw", [10, -1, "12"])
def test_a_class_out_of_range_says_the_range(raw) -> None:
    with pytest.raises(ValueError, match="target must lie between 0 and 9"):
        read_params({"target": raw})


@pytest.mark.parametrize("raw", ["three", 3.0, "3.5", True, "-1", [3]])
def test_a_class_that_is_not_a_digit_is_refused(raw) -> None:
    with pytest.raises(ValueError, match="contrast must be a digit class 0 to 9 or empty"):
        read_params({"contrast": raw})


def test_the_contrast_must_differ_from_the_target() -> None:
    with pytest.raises(ValueError, match="contrast must differ from target"):
        read_params({"target": "3", "contrast": 3})
    assert read_params({"target": 3, "contrast": "8"}) | {"pixels": None} == {
        "rule": DEFAULT_RULE, "target": 3, "contrast": 8, "pixels": None}


def test_pixels_come_as_lists_or_json_text() -> None:
    grid = _pixels(0.25)
    grid[3][4] = 1
    grid[5][6] = 0
    assert read_params({"pixels": grid})["pixels"] == grid
    assert read_params({"pixels": json.dumps(grid)})["pixels"] == grid
    assert all(isinstance(value, float) for value in read_params({"pixels": grid})["pixels"][3])


@pytest.mark.parametrize("shape", [(27, 28), (28, 27), (28, 29), (0, 0)])
def test_pixels_of_the_wrong_shape_are_refused(shape) -> None:
    rows, cols = shape
    with pytest.raises(ValueError, match="pixels must be 28 rows of 28 numbers"):
        read_params({"pixels": [[0.0] * cols for _ in range(rows)]})


@pytest.mark.parametrize("bad", [[0.5] * 784, "[[0.5]]", {"a": 1}, 0.5, [_pixels()[0]] * 27 + [0.5]])
def test_pixels_that_are_not_a_grid_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="pixels must be 28 rows of 28 numbers"):
        read_params({"pixels": bad})


@pytest.mark.parametrize("value", [1.01, -0.1, 255, math.nan, math.inf])
def test_pixels_out_of_range_are_refused(value) -> None:
    grid = _pixels()
    grid[10][10] = value
    with pytest.raises(ValueError, match="pixels must lie between 0 and 1"):
        read_params({"pixels": grid})


@pytest.mark.parametrize("value", ["0.5", None, True, [0.5]])
def test_pixels_that_are_not_numbers_are_refused(value) -> None:
    grid = _pixels()
    grid[0][27] = value
    with pytest.raises(ValueError, match="pixels must hold numbers only"):
        read_params({"pixels": grid})


def test_unreadable_pixel_text_is_refused() -> None:
    with pytest.raises(ValueError, match="unreadable"):
        read_params({"pixels": "[[0.5, "})


def test_the_module_is_torch_free() -> None:
    import subprocess
    import sys

    code = "import sys, models.lrp.params; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
