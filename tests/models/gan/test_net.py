"""The DCGAN and encoder shapes and ranges, at both sizes the package supports."""

import pytest
import torch

from models.gan.net import Discriminator, Encoder, Generator, init_weights


@pytest.mark.parametrize("size", [32, 64])
def test_shapes_and_ranges(size) -> None:
    torch.manual_seed(0)
    G, D = Generator(nz=20, width=8, size=size), Discriminator(width=8, size=size)
    E = Encoder(nz=20, width=8, size=size)
    for net in (G, D, E):
        net.apply(init_weights)
    z = torch.rand(3, 20) * 2 - 1
    images = G(z)
    assert images.shape == (3, 3, size, size)
    assert images.min() >= -1 and images.max() <= 1
    assert D(images).shape == (3,)
    codes = E(images * 50)  # even for wild inputs the encoder stays inside the latent box
    assert codes.shape == (3, 20) and codes.abs().max() < 1


def test_an_unsupported_size_is_refused() -> None:
    with pytest.raises(ValueError, match="32 or 64"):
        Generator(size=48)


def test_shipped_generator_outputs_images_in_range(shipped) -> None:
    with torch.no_grad():
        images = shipped.G(torch.rand(4, shipped.G.nz) * 2 - 1)
    assert images.shape == (4, 3, 64, 64)
    assert -1 <= images.min() and images.max() <= 1
    assert images.std() > 0.1  # not a flat grey: the trained generator draws something
    # eval mode: an image does not depend on the rest of its batch
    z = torch.rand(3, shipped.G.nz) * 2 - 1
    with torch.no_grad():
        assert torch.allclose(shipped.G(z)[:1], shipped.G(z[:1]), atol=1e-5)
