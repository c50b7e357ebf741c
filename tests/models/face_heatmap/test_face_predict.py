"""The demo's entry point on real photos: the astronaut's face is found where it is, a face
placed at a known spot of a bigger canvas comes back at that spot, face-free photos give
nothing confident, and the files and JSON are what the page reads."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from skimage import data as skimage_data

from models.face_heatmap import data
from models.face_heatmap.detect import detect, image_tensor
from models.face_heatmap.metrics import iou_matrix
from models.face_heatmap.predict import predict

ASTRONAUT_FACE = [173.0, 72.0, 278.0, 177.0]  # the evaluation set's box, by eye


def run(cascade, image: np.ndarray, folder: Path, **params) -> tuple[dict, list[float]]:
    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(folder / "upload.png")
    fractions: list[float] = []
    result = predict(cascade, {k: str(v) for k, v in params.items()}, {"image": folder / "upload.png"}, folder,
                     fractions.append)
    return result, fractions


def iou(box: list[float], other: list[float]) -> float:
    return float(iou_matrix(np.array([box]), np.array([other]))[0, 0])


def test_finds_the_astronauts_face_with_landmarks(cascade, tmp_path) -> None:
    result, fractions = run(cascade, skimage_data.astronaut(), tmp_path)
    assert len(result["boxes"]) == 1
    found = result["boxes"][0]
    assert found["score"] > 0.99 and iou(found["box"], ASTRONAUT_FACE) > 0.6
    x1, y1, x2, y2 = found["box"]
    (left_eye, right_eye, nose, mouth_left, mouth_right) = found["landmarks"]
    assert all(x1 < x < x2 and y1 < y < y2 for x, y in found["landmarks"])
    assert left_eye[0] < nose[0] < right_eye[0] and mouth_left[0] < mouth_right[0]
    assert max(left_eye[1], right_eye[1]) < nose[1] < min(mouth_left[1], mouth_right[1])
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and fractions[0] <= 0.1
    assert result["counts"]["pnet"] >= result["counts"]["rnet"] >= result["counts"]["onet"] == 1


def test_a_face_at_a_known_place_in_a_bigger_canvas_is_found_there(cascade) -> None:
    generator = np.random.default_rng(7)
    canvas = Image.fromarray(generator.integers(90, 160, (733, 1111, 3), dtype=np.uint8))  # odd sides
    astronaut = data.face_sources()[0]
    data.paste_face(canvas, astronaut, centre=(812.0, 455.0), size=90, angle=0)
    found = detect(cascade, image_tensor(canvas), threshold=0.6, min_face=20, stages=3).detections
    assert len(found.scores) == 1 and float(found.scores[0]) > 0.99
    assert iou(found.boxes[0].tolist(), [767.0, 410.0, 857.0, 500.0]) > 0.6
    # the same scene twice as large: the box doubles (pixels -> image coordinates at every scale)
    big = detect(cascade, image_tensor(canvas.resize((2222, 1466), Image.Resampling.BICUBIC)),
                 threshold=0.6, min_face=40, stages=3).detections
    assert iou(big.boxes[0].tolist(), (found.boxes[0] * 2).tolist()) > 0.8


@pytest.mark.parametrize("name", ["Blinds.jpg", "Storm.jpg"])
def test_nothing_confident_on_a_face_free_photo(cascade, tmp_path, name) -> None:
    photo = next(p for p in data.backgrounds() if p.name == name)
    image = np.asarray(data.background_image(photo.path).resize((800, 500)))
    result, _ = run(cascade, image, tmp_path)
    assert [box["score"] for box in result["boxes"] if box["score"] > 0.9] == []
    heat = np.asarray(Image.open(tmp_path / "heatmap.png"))
    assert heat.shape == (500, 800)


def test_files_and_json_the_page_reads(cascade, tmp_path) -> None:
    image = np.asarray(Image.fromarray(skimage_data.astronaut()).resize((301, 257)))
    result, _ = run(cascade, image, tmp_path, threshold=0.5, min_face=24, stages=3)
    json.dumps(result)  # JSON-able as it stands
    assert (result["width"], result["height"]) == (301, 257)
    assert result["scales"][0]["scale"] == pytest.approx(0.5) and result["scales"][0]["face_size"] == 24
    assert Image.open(tmp_path / result["heatmap"]["file"]).size == (301, 257)
    for index, scale in enumerate(result["scales"]):
        assert scale["file"] == f"scale-{index}.png"
        with Image.open(tmp_path / scale["file"]) as png:
            assert png.mode == "L" and png.size == (scale["width"], scale["height"])
    assert len(list(tmp_path.glob("scale-*.png"))) == len(result["scales"])
    for box in result["boxes"]:
        x1, y1, x2, y2 = box["box"]
        assert 0 <= x1 < x2 <= 301 and 0 <= y1 < y2 <= 257


@pytest.mark.parametrize(("stages", "counts"), [(1, ["pnet"]), (2, ["pnet", "rnet"]), (3, ["pnet", "rnet", "onet"])])
def test_stages_switch_networks_off(cascade, tmp_path, stages, counts) -> None:
    result, _ = run(cascade, skimage_data.astronaut(), tmp_path, stages=stages)
    assert list(result["counts"]) == counts and result["stages"] == stages
    assert all((box["landmarks"] is None) == (stages < 3) for box in result["boxes"])
    assert any(iou(box["box"], ASTRONAUT_FACE) > 0.5 for box in result["boxes"])


def test_a_photo_smaller_than_the_smallest_face(cascade, tmp_path) -> None:
    result, _ = run(cascade, np.full((30, 40, 3), 128, dtype=np.uint8), tmp_path, min_face=50)
    assert result["boxes"] == [] and result["scales"] == []
    assert Image.open(tmp_path / "heatmap.png").size == (40, 30)


def test_detect_runs_under_inference_mode_without_grad(cascade) -> None:
    found = detect(cascade, torch.full((3, 64, 64), 128.0), threshold=0.6, min_face=20, stages=3)
    assert not found.detections.boxes.requires_grad
