"""Projection onto the manifold (iGAN's hybrid: encoder, then optimisation of z) and
interpolation, with the shipped networks."""

import io

import numpy as np
import torch
from PIL import Image

from models.gan.data import emoji_set, to_tensor
from models.gan.project import image_to_tensor, interpolate, project, reconstruction_error


def test_projection_lowers_the_error_of_its_encoder_start(shipped) -> None:
    held_out = to_tensor(emoji_set()["held_out"][:8], 64)  # emoji the networks never trained on
    result = project(shipped.G, shipped.E, held_out, iterations=40)
    assert torch.all(result.error <= result.start_error)
    assert result.error.mean() < 0.85 * result.start_error.mean()
    assert result.latent.abs().max() <= 1
    with torch.no_grad():
        assert torch.allclose(reconstruction_error(shipped.G(result.latent), held_out), result.error, atol=1e-5)
    # the encoder beats a random start and the centre of the latent box: it learned to invert G
    with torch.no_grad():
        random = reconstruction_error(shipped.G(torch.rand(8, shipped.G.nz) * 2 - 1), held_out)
        centre = reconstruction_error(shipped.G(torch.zeros(8, shipped.G.nz)), held_out)
    assert result.start_error.mean() < random.mean()
    assert result.start_error.mean() < centre.mean()


def test_interpolation_runs_from_one_end_to_the_other() -> None:
    a, b = torch.zeros(5), torch.ones(5)
    path = interpolate(a, b, 5)
    assert path.shape == (5, 5)
    assert torch.equal(path[0], a) and torch.equal(path[-1], b)
    assert torch.allclose(path[2], torch.full((5,), 0.5))


def test_an_upload_is_fitted_into_the_square_over_white(tmp_path) -> None:
    picture = np.zeros((40, 80, 4), np.uint8)
    picture[..., 0] = 255
    picture[..., 3] = 255
    picture[:, :10, 3] = 0  # a transparent left edge
    buffer = io.BytesIO()
    Image.fromarray(picture, "RGBA").save(buffer, format="PNG")
    path = tmp_path / "wide.png"
    path.write_bytes(buffer.getvalue())
    x = image_to_tensor(path, 64)
    assert x.shape == (1, 3, 64, 64) and x.min() >= -1 and x.max() <= 1
    assert torch.allclose(x[0, :, 2, 32], torch.ones(3), atol=0.02)  # padding above: white
    assert torch.allclose(x[0, :, 32, 32], torch.tensor([1.0, -1, -1]), atol=0.02)  # red in the middle
    assert torch.allclose(x[0, :, 32, 1], torch.ones(3), atol=0.05)  # transparency: white
