"""The temperature parameter, as the web process and the worker both read it."""

from __future__ import annotations

import math

import pytest

from models.colorization.params import DEFAULT_TEMPERATURE, read_params


def test_the_default_is_the_papers_temperature() -> None:
    assert DEFAULT_TEMPERATURE == 0.38
    assert read_params({}) == {"temperature": 0.38}


@pytest.mark.parametrize("missing", ["", None])
def test_an_empty_form_field_means_the_default(missing) -> None:
    assert read_params({"temperature": missing}) == {"temperature": 0.38}


@pytest.mark.parametrize(("raw", "expected"), [("0.5", 0.5), (" 0.2 ", 0.2), (0.7, 0.7), (1, 1.0), ("0.01", 0.01)])
def test_form_strings_and_json_numbers_are_accepted(raw, expected: float) -> None:
    temperature = read_params({"temperature": raw})["temperature"]
    assert isinstance(temperature, float) and temperature == expected


@pytest.mark.parametrize("raw", [0, 1.5, -1, "1.01", 0.009, math.nan, "nan", math.inf])
def test_out_of_range_says_the_range(raw) -> None:
    with pytest.raises(ValueError, match=r"temperature must lie between 0\.01 and 1, not "):
        read_params({"temperature": raw})


@pytest.mark.parametrize("raw", ["abc", "0,5", [0.5], {"value": 0.5}])
def test_not_a_number_says_so_and_echoes_the_value(raw) -> None:
    with pytest.raises(ValueError, match="temperature must be a number") as error:
        read_params({"temperature": raw})
    assert repr(raw) in str(error.value)
