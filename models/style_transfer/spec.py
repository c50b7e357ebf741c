"""The style-transfer demo's entry in the registry (Gatys et al. 2015; Ulyanov et al. 2016;
Johnson et al. 2016). Torch-free: the web process imports it to build the page and check
inputs before a job is queued."""

from __future__ import annotations

from pathlib import Path

from models.spec import DemoSpec, FileInput, WeightsFile
from models.style_transfer.params import INPUTS, STYLE_NAMES, TEXTURE_GENERATORS

PACKAGE = Path(__file__).resolve().parent

EXPLANATION = """\
Gatys et al. describe an image's **style** by the correlations between the feature maps of a
convolutional network, the Gram matrices $G^l_{ij} = \\frac{1}{HW}\\sum_k F^l_{ik} F^l_{jk}$,
and its **content** by the maps of its first layers. A picture with the photo's content
and the artwork's style is found by minimising
$\\alpha\\,\\mathcal{L}_{content} + \\beta \\sum_l \\lVert G^l - A^l\\rVert^2 + \\gamma\\,\\mathrm{TV}$
over its pixels (*optimise*: slow, with previews, and it works for any uploaded style image).
Johnson et al. and Ulyanov et al. train a network to do that minimisation in one pass, one
network per style (*fast*). The texture tab is the first half of Ulyanov et al.: drop the content
term and grow an image from noise until its Gram matrices match a sample's, either by the same
optimisation or, for the *elephants* artwork, by one pass of a small multi-scale network trained
to turn any noise into such a texture (each seed a different one).

No pretrained VGG ships with this site, so the features come from a fixed network of
**random** convolutions at four receptive fields (3 to 31 px), which Ustyuzhaninov et al. (2017)
showed is enough for Gram-matrix textures: colours, strokes and small patterns transfer;
the large-scale structures a trained VGG would carry do not. The strength slider scales the
style term when optimising and blends the generator's output with the photo when fast. The
model card below measures, on photos never seen in training, how often a small style
classifier recognises each generator's outputs as its artwork, and how much closer their Gram
matrices come to the artwork's.
"""

# sha256 of each generator, written by hand after `marginalia train style-transfer --style NAME`
SHA256 = {
    "elephants": "b49dac58925eb98c4121befb1534c901f414a809e7ca6f75e8d9e828e7d0c99c",
    "kay": "016470e3a00b75e10bf0d060e4850e5235392d3012594f021e58ef601eb43309",
    "hexagons": "6a0a05e0c3cb8f462d2a267ad25ab6c777fbed815a181bc7ae60dd38d98e5de7",
    "shell": "a39cd96c61c6678b07b3869509b13914e2ecf9add3895deee89ec052a13942b3",
    "texture-elephants": "71e1fa26142d6b6060cd9b97f3b29a92b676354dfc21c5be8059615604e038da",
}

SPEC = DemoSpec(
    name="style-transfer",
    title="Style transfer",
    paper="neural-algorithm-of-artistic-style",
    blurb="Repaint a photo in the style of an artwork.",
    entry_point="models.style_transfer.predict:load",
    predict="models.style_transfer.predict:predict",
    inputs={
        "content": FileInput("the photo to repaint (PNG, JPEG, WebP, GIF, BMP or TIFF); not needed for a texture",
                             kind="image", required=False),
        "style_image": FileInput("optional: your own style image (forces the optimise method)", kind="image",
                                 required=False),
        **INPUTS,
    },
    check_params="models.style_transfer.params:read_params",
    check_uploads="models.style_transfer.params:check_uploads",
    working_size=1024,
    # the transformer net halves the picture twice, then reflection-pads: below 16 pixels a side
    # there is nothing left to pad (torch refuses), and nothing to see either
    min_image_side=16,
    output="image/png",
    result_file="stylised.png",
    weights=tuple(
        WeightsFile(Path(f"style_transfer/weights/{name}.pt"), SHA256[name],
                    f"marginalia train style-transfer --style {name}")
        for name in STYLE_NAMES
    ) + tuple(
        WeightsFile(Path(f"style_transfer/weights/texture-{name}.pt"), SHA256[f"texture-{name}"],
                    f"marginalia train style-transfer --texture {name}")
        for name in TEXTURE_GENERATORS
    ),
    preload=True,
    timeout_seconds=120,
    explanation=EXPLANATION,
    page_dir=PACKAGE / "page",
    card_labels={
        "own_style_share": "outputs classified as their own style",
        "gram_loss_before": "Gram loss of the photo",
        "gram_loss_after": "Gram loss of the output",
    },
    train="models.style_transfer.train:cli",
    evaluate="models.style_transfer.evaluate:cli",
)
