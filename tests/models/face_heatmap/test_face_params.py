"""The face heat-map parameters: defaults, form strings, and a clear error for each bad value."""

import pytest

from models.face_heatmap.params import (
    DEFAULT_MIN_FACE,
    DEFAULT_STAGES,
    DEFAULT_THRESHOLD,
    MIN_FACE_RANGE,
    THRESHOLD_RANGE,
    read_params,
)


def test_defaults_when_absent_or_blank() -> None:
    expected = {"threshold": DEFAULT_THRESHOLD, "min_face": DEFAULT_MIN_FACE, "stages": DEFAULT_STAGES}
    assert read_params({}) == expected
    assert read_params({"threshold": "", "min_face": "", "stages": None}) == expected
    assert expected == {"threshold": 0.6, "min_face": 20, "stages": 3}


def test_form_strings_and_json_numbers() -> None:
    assert read_params({"threshold": "0.35", "min_face": "48", "stages": "1"}) == {
        "threshold": 0.35, "min_face": 48, "stages": 1}
    checked = read_params({"threshold": 0.9, "min_face": 12.0, "stages": 2})
    assert checked == {"threshold": 0.9, "min_face": 12, "stages": 2}
    assert isinstance(checked["min_face"], int) and isinstance(checked["stages"], int)


def test_range_ends_are_allowed() -> None:
    low, high = THRESHOLD_RANGE
    assert read_params({"threshold": str(low)})["threshold"] == low
    assert read_params({"threshold": str(high)})["threshold"] == high
    assert read_params({"min_face": str(MIN_FACE_RANGE[0])})["min_face"] == 12
    assert read_params({"min_face": str(MIN_FACE_RANGE[1])})["min_face"] == 1000


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"threshold": "high"}, "threshold must be a number"),
        ({"threshold": "0.01"}, "threshold must lie between 0.05 and 0.99"),
        ({"threshold": "1"}, "threshold must lie between"),
        ({"threshold": "nan"}, "threshold must lie between"),
        ({"threshold": True}, "threshold must be a number"),
        ({"min_face": "11"}, "min_face must lie between 12 and 1000"),
        ({"min_face": "2000"}, "min_face must lie between"),
        ({"min_face": "20.5"}, "min_face must be a whole number"),
        ({"min_face": "inf"}, "min_face must lie between"),
        ({"stages": "0"}, "stages must lie between 1 and 3"),
        ({"stages": "4"}, "stages must lie between 1 and 3"),
        ({"stages": "2.5"}, "stages must be a whole number"),
        ({"stages": "three"}, "stages must be a number"),
    ],
)
def test_bad_values_say_what_is_wrong(params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_params(params)


def test_params_module_is_torch_free() -> None:
    import subprocess
    import sys

    code = "import sys, models.face_heatmap.params; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
