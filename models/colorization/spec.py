"""The colorization demo's entry in the registry: everything the platform needs to know about it.

Torch-free: the web process imports it to build the page and check inputs; workers resolve the
dotted entry points to load and run the network.
"""

from __future__ import annotations

from pathlib import Path

from models.colorization.params import TEMPERATURE
from models.spec import DemoSpec, FileInput, WeightsFile

PACKAGE = Path(__file__).resolve().parent

EXPLANATION = """\
The network never sees colour. It gets the lightness channel $L$ of your photo (CIE Lab) and,
for every 4x4 patch, predicts a probability for each of 262 colour bins, the cells of a grid of
width 10 over the $ab$ plane that hold a displayable sRGB colour (the paper counts 313).

It was trained as a classifier, with rare colours weighted up (class rebalancing), because a
regression on $ab$ averages the plausible colours of an object into a dull brown. The
distribution is turned into one colour by the **annealed mean**: sharpen it with temperature
$T$, then take its mean. $T \\to 0$ gives the most likely bin (vivid, blotchy), $T = 1$ the
mean (smooth, faded); the paper settles on $T = 0.38$. Move the slider to see the trade-off,
and click the result to see the distribution at one point.

The model here is a narrow copy of the paper's network (three tenths of the channels) trained on
this machine's CPU in under an hour on 58 free photos (the paper used 1.3 million), so expect
skies, grass and foliage to work better than faces or objects it has never seen. How it compares
with the same network trained with a regression loss and with plain grey, on 14 whole photos it
never saw, is measured below; the [colourization Turing test](/demos/colorization/test) lets you
judge it the way the paper's readers did.
"""

SHIPPED_WEIGHTS = WeightsFile(
    Path("colorization/weights/eccv16-narrow.pt"),
    "0123ebc104b0ddc2518b079b9164340981bb79677a2c91f632e9094eefc11444",
    "marginalia train colorization",
)


def colorization_spec(weights: WeightsFile = SHIPPED_WEIGHTS) -> DemoSpec:
    """The colorization demo around any ECCV16 checkpoint: ours, or the official full-width
    one (see models/colorization/weights/README.md for pointing a server at it)."""
    return DemoSpec(
        name="colorization",
        title="Colourization",
        blurb="Upload a photo; get a plausible colour version.",
        paper="colorful-image-colorization",
        entry_point="models.colorization.predict:load",
        predict="models.colorization.predict:predict",
        inputs={
            "image": FileInput("a photo, colour or black and white (PNG, JPEG, WebP, GIF, BMP or TIFF)", kind="image"),
            "temperature": TEMPERATURE,
        },
        working_size=4096,  # the upload keeps its size up to this; the network sees 256 px
        output="image/png",
        result_file="colorized.png",
        weights=(weights,),
        preload=True,
        timeout_seconds=60,
        explanation=EXPLANATION,
        page_dir=PACKAGE / "page",
        card_labels={"auc": "AuC of ab error, 0-150", "rebalanced_auc": "class-rebalanced AuC",
                     "mean_chroma": "mean chroma", "colourfulness": "colourfulness"},
        train="models.colorization.train:cli",
        evaluate="models.colorization.evaluate:cli",
    )


SPEC = colorization_spec()
