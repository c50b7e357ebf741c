"""The GAN editing demo's entry in the registry (iGAN: Zhu, Krähenbühl, Shechtman, Efros 2016,
with a DCGAN of Radford et al. 2015 trained here). Torch-free: the web process imports it to
build the page and check inputs before a job is queued."""

from __future__ import annotations

from pathlib import Path

from models.gan.params import INPUTS
from models.spec import DemoSpec, WeightsFile

PACKAGE = Path(__file__).resolve().parent

EXPLANATION = """\
A generative adversarial network learns a map $G$ from a latent vector $z$ (here 100 numbers in
$[-1, 1]$) to an image. The images it can make form a surface in the space of all images, the
*manifold*: nudging $z$ moves along it, and almost every point on it looks like the training
images. This generator is a DCGAN trained on this machine's CPU on 1,159 colour emoji
(rendered from the Noto font at 64 x 64), so the manifold here is one of emoji-like pictures.

The paper's idea is to edit *on* that surface instead of in pixels. Your strokes become
constraints: a colour brush asks for its colour under the stroke, a sketch brush asks for an
edge along its line. Rather than painting them in, the demo searches for a new latent $z$ whose
image meets them, minimising

$$\\lVert M_c \\odot (G(z) - C) \\rVert^2 + \\lVert M_s \\odot (1 - e(G(z))) \\rVert^2
+ \\lambda \\lVert z - z_0 \\rVert^2 ,$$

with $M_c$ and $C$ the colour strokes' mask and colours, $M_s$ the sketch strokes' mask and $e$
an edge map of the image (1 on a sharp edge). The last term, the prior, keeps $z$ near where you
started, so the rest of the picture changes as little as the strokes allow. Because the answer
is always some $G(z)$, the generator fills in the rest in its own style: a red stroke may turn a yellow face into a red
one rather than leaving a red smear. Several candidates start from slightly different points
and settle into different solutions; pick the one you meant.

To edit your own picture it is first **projected**: an encoder trained to invert $G$ guesses a
$z$, and gradient descent on $\\lVert G(z) - x \\rVert^2$ refines it, the paper's hybrid
method. Only what the generator can make survives the projection, which is the point: the
result is the nearest emoji-like image. **Interpolating** walks the straight line between two
latents; every frame is on the manifold, so the walk morphs one picture into the other rather
than cross-fading them. "Realism" beside each image is the discriminator's probability that it
is a training image.
"""

WEIGHTS = tuple(
    WeightsFile(Path(f"gan/weights/{name}"), sha256, "marginalia train gan")
    for name, sha256 in (
        ("generator.pt", "2f403fc31ae84a0a5815e059f2c0c6e7a74e07c6c9cf5d6e6b606b7003c8e972"),
        ("discriminator.pt", "33fee3f72c02db8e88257b15e570348e9b6495d4176e2f031ffc2c653e3e9f13"),
        ("encoder.pt", "b3a09e8c2221da1eaac57fd1e66327a556867a6dc6a2b304d156ff72b9def33e"),
    )
)

SPEC = DemoSpec(
    name="gan",
    title="GAN editing",
    paper="generative-visual-manipulation",
    blurb="Sample, project and edit images on a GAN's manifold with colour and sketch brushes.",
    entry_point="models.gan.predict:load",
    predict="models.gan.predict:predict",
    inputs=INPUTS,
    check_params="models.gan.params:read_params",
    check_uploads="models.gan.params:check_uploads",
    working_size=512,  # pictures are brought to 64 x 64 anyway
    weights=WEIGHTS,
    preload=True,
    timeout_seconds=30,
    explanation=EXPLANATION,
    page_dir=PACKAGE / "page",
    card_labels={"precision": "precision (k=3)", "recall": "recall (k=3)",
                 "nn_pixels": "median NN distance, pixels", "nn_features": "median NN distance, features"},
    train="models.gan.train:cli",
    evaluate="models.gan.evaluate:cli",
)
