"""The LRP demo through the API, with the shipped classifier (inline queue): a digit as pixels
or as a picture, every rule at once, contrastive explanations, conservation visible in the
answer, and bad input refused with a 422 before anything is stored."""

import io
import json

import numpy as np
import pytest
from PIL import Image

from models.lrp import data
from models.lrp.params import RULES

API = "/api/v1/demos/lrp?wait=30"


@pytest.fixture(scope="module")
def three() -> list[list[float]]:
    images, labels = data.test_digits()
    return images[int((labels == 3).nonzero()[0]), 0].tolist()


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pixels_give_the_prediction_and_a_conserving_explanation(client, three) -> None:
    answer = client.post(API, json={"pixels": three, "rule": "epsilon"})
    assert answer.status_code == 200, answer.text
    result = answer.json()["result"]
    assert result["prediction"] == 3 and result["target"] == 3 and result["contrast"] is None
    assert len(result["probabilities"]) == 10 and abs(sum(result["probabilities"]) - 1) < 1e-3
    relevance = np.array(result["relevance"])
    assert relevance.shape == (28, 28)
    assert result["relevance_sum"] == pytest.approx(relevance.sum(), abs=1e-3)
    assert result["relevance_sum"] == pytest.approx(result["logit"], rel=0.03)  # LRP-ε absorbs a little
    assert result["logit"] == pytest.approx(max(result["logits"]), abs=1e-3)
    assert "heatmap.png" in answer.json()["files"]


def test_a_drawn_picture_off_centre_is_brought_to_mnists_format(client, three) -> None:
    # a large, dark-on-light 3 in the corner of a white canvas, as a phone might send it
    canvas = np.full((400, 300), 255, np.uint8)
    digit = np.array(Image.fromarray((255 - np.array(three) * 255).astype(np.uint8)).resize((140, 140)))
    canvas[230:370, 150:290] = digit
    answer = client.post(API, files={"image": ("three.png", _png(canvas), "image/png")}, data={"rule": "composite"})
    assert answer.status_code == 200, answer.text
    result = answer.json()["result"]
    assert result["prediction"] == 3
    seen = np.array(result["input"])
    rows, columns = np.nonzero(seen > 0.3)
    assert abs(rows.mean() - 14) < 3 and abs(columns.mean() - 14) < 3  # centred by its mass


def test_all_rules_at_once_and_against_another_class(client, three) -> None:
    answer = client.post(API, json={"pixels": three, "rule": "all", "contrast": 8})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    explanations = result["result"]["explanations"]
    assert set(explanations) == set(RULES)
    logits = result["result"]["logits"]
    assert result["result"]["logit"] == pytest.approx(logits[3] - logits[8], abs=1e-2)  # "why 3 and not 8"
    assert explanations["lrp0"]["relevance_sum"] == pytest.approx(result["result"]["logit"], abs=1e-2)
    assert all(f"heatmap-{rule}.png" in result["files"] for rule in RULES)
    other = client.post(API, json={"pixels": three, "rule": "lrp0", "target": "5"}).json()["result"]
    assert other["target"] == 5 and other["prediction"] == 3


@pytest.mark.parametrize(("body", "message"), [
    ({"pixels": [[0.0] * 28] * 27}, "28 rows of 28"),
    ({"pixels": [[0.0] * 28] * 27 + [[0.0] * 27]}, "28 rows of 28"),
    ({"pixels": [[2.0] * 28] * 28}, "between 0 and 1"),
    ({"pixels": "not json"}, "unreadable"),
    ({"pixels": [[0.0] * 28] * 28, "rule": "lrp-9"}, "rule must be one of"),
    ({"pixels": [[0.0] * 28] * 28, "target": 10}, "between 0 and 9"),
    ({"pixels": [[0.0] * 28] * 28, "contrast": -1}, "contrast"),
    ({"pixels": [[0.0] * 28] * 28, "target": 4, "contrast": 4}, "differ"),
    ({"rule": "epsilon"}, "send one of image, pixels"),
    ({"pixels": [[0.0] * 28] * 28, "colour": "red"}, "unknown inputs"),
])
def test_bad_input_is_422_and_stores_nothing(client, settings, body, message) -> None:
    answer = client.post("/api/v1/demos/lrp", json=body)
    assert answer.status_code == 422, answer.text
    assert message in answer.json()["detail"]
    assert not (settings.data_dir / "jobs").exists() or not any((settings.data_dir / "jobs").iterdir())


def test_a_form_can_send_pixels_as_json_text(client, three) -> None:
    answer = client.post(API, data={"pixels": json.dumps(three), "rule": "sensitivity"})
    assert answer.status_code == 200 and answer.json()["result"]["prediction"] == 3
