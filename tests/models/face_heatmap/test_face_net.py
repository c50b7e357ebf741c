"""The three networks: the released checkpoints' key names and shapes are ours, and the dense
layers read features in the checkpoints' (transposed) order."""

import pytest
import torch

from models.face_heatmap.boxes import crop_boxes
from models.face_heatmap.config import FaceConfig
from models.face_heatmap.fetch import weight_paths
from models.face_heatmap.net import FaceCascade, ONet, PNet, RNet, flatten_transposed
from models.face_heatmap.pyramid import normalise

EXPECTED_KEYS = {
    "pnet": ["conv1", "prelu1", "conv2", "prelu2", "conv3", "prelu3", "conv4_1", "conv4_2"],
    "rnet": ["conv1", "prelu1", "conv2", "prelu2", "conv3", "prelu3", "dense4", "prelu4", "dense5_1", "dense5_2"],
    "onet": ["conv1", "prelu1", "conv2", "prelu2", "conv3", "prelu3", "conv4", "prelu4", "dense5", "prelu5",
             "dense6_1", "dense6_2", "dense6_3"],
}


@pytest.mark.parametrize(("path", "network"), list(zip(weight_paths(), (PNet, RNet, ONet), strict=True)),
                         ids=["pnet", "rnet", "onet"])
def test_checkpoint_keys_and_shapes_are_ours(path, network) -> None:
    state = torch.load(path, map_location="cpu", weights_only=True)
    ours = network().state_dict()
    assert list(state) == list(ours)
    assert {name: tuple(t.shape) for name, t in state.items()} == {name: tuple(t.shape) for name, t in ours.items()}
    layers = list(dict.fromkeys(name.rsplit(".", 1)[0] for name in state))
    assert layers == EXPECTED_KEYS[path.stem]


def test_the_cascade_loads_strictly_in_eval_mode(cascade) -> None:
    assert isinstance(cascade, FaceCascade) and not cascade.training
    assert all(not module.training for module in cascade.modules())
    assert sum(p.numel() for p in cascade.parameters()) == 6_632 + 100_178 + 389_040


def test_output_shapes() -> None:
    pnet, rnet, onet = PNet().eval(), RNet().eval(), ONet().eval()
    with torch.inference_mode():
        probability, offsets = pnet(torch.zeros(2, 3, 40, 60))
        assert probability.shape == (2, 15, 25) and offsets.shape == (2, 4, 15, 25)
        scores, boxes = rnet(torch.zeros(5, 3, 24, 24))
        assert scores.shape == (5,) and boxes.shape == (5, 4)
        scores, boxes, points = onet(torch.zeros(5, 3, 48, 48))
        assert scores.shape == (5,) and boxes.shape == (5, 4) and points.shape == (5, 10)


def test_flatten_goes_column_first() -> None:
    features = torch.arange(2 * 2 * 3).reshape(1, 2, 2, 3)  # (B, C, H, W)
    # x outermost, then y, then channel: (x0 y0 c0), (x0 y0 c1), (x0 y1 c0), ...
    assert flatten_transposed(features).tolist() == [[0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11]]


def test_the_transposed_order_is_what_the_weights_expect(cascade) -> None:
    """With a plain (row-major) flatten, R-Net and O-Net still score a face, but they also
    score a patch of wall as one; in the checkpoints' order they tell the two apart."""
    from skimage import data as skimage_data

    image = torch.from_numpy(skimage_data.astronaut()).permute(2, 0, 1).float()
    crops = crop_boxes(image, torch.tensor([[165.0, 70.0, 285.0, 190.0], [0.0, 300.0, 120.0, 420.0]]), 48)
    with torch.inference_mode():
        face, wall = cascade.onet(normalise(crops, FaceConfig()))[0].tolist()
    assert face > 0.99 and wall < 0.2

