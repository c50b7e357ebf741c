"""The style-transfer demo's inputs, declared once: the spec, the page, the API's check and the
worker all read these. No torch here: the web process imports it.

`style_weight` is the strength of the style. With the optimisation method it scales the Gram
(style) term of the loss: the style term's weight is `optimise.STYLE_WEIGHT * style_weight / 5`,
so the default 5 is `STYLE_WEIGHT` itself (the generators were trained with a quarter of it, see
train.py). The fast method cannot change its training, so there strength is a blend in pixel space: the result is
`content + (style_weight / 5) * (stylised - content)`, clipped to [0, 1]: 0 gives the photo
back, 5 the generator's output, 10 pushes twice as far from the photo.
"""

from __future__ import annotations

from collections.abc import Mapping

from models.spec import ChoiceInput, NumberInput

STYLE_NAMES = ("elephants", "kay", "hexagons", "shell")  # = data.STYLE_NAMES (a test checks), torch-free
DEFAULT_STRENGTH = 5.0

STYLE = ChoiceInput(
    "the artwork whose style to take on",
    default=STYLE_NAMES[0],
    choices=STYLE_NAMES,
    labels={
        "elephants": "Elephants, Wyng Stancikaite (mate-backgrounds, GPL-2+)",
        "kay": "Kay, KDE Visual Design Group (plasma-workspace-wallpapers, GPL-2+)",
        "hexagons": "Flow, KDE Visual Design Group (plasma-workspace-wallpapers, GPL-2+)",
        "shell": "Shell, KDE Visual Design Group (plasma-workspace-wallpapers, GPL-2+)",
    },
)
STYLE_WEIGHT = NumberInput(
    "strength of the style from 0 to 10 (default 5): 0 keeps the photo, 5 is the trained balance, 10 twice that",
    default=DEFAULT_STRENGTH,
    minimum=0.0,
    maximum=10.0,
    step=0.1,
)
METHOD = ChoiceInput(
    "fast (one pass of a trained generator, Johnson et al.), optimise (Gatys et al.: move the pixels, slower, "
    "with previews; an uploaded style image always optimises) or texture (no photo: grow a texture from noise "
    "that matches the style image or the chosen artwork, Ulyanov et al.)",
    default="fast",
    choices=("fast", "optimise", "texture"),
    labels={"fast": "a trained generator, under a second", "optimise": "optimise the image itself, ~10-30 s",
            "texture": "texture synthesis from noise, no photo needed (instant for a style with a texture network)"},
)
STEPS = NumberInput(
    "optimisation steps (optimise only; default 150)",
    default=150,
    minimum=10,
    maximum=400,
    step=10,
    integer=True,
)

SEED = NumberInput(
    "texture only: the noise the texture grows from (the same seed gives the same texture)",
    default=0,
    minimum=0,
    maximum=2**31 - 1,
    step=1,
    integer=True,
)
TEXTURE_GENERATORS = ("elephants",)  # artworks with a shipped noise -> texture network (= texture.TEXTURE_NAME)

INPUTS = {"style": STYLE, "style_weight": STYLE_WEIGHT, "method": METHOD, "steps": STEPS, "seed": SEED}


def read_params(params: Mapping[str, object]) -> dict[str, object]:
    """Every input read with its default and range; ValueError says what is wrong."""
    unknown = set(params) - set(INPUTS)
    if unknown:
        raise ValueError(f"unknown inputs: {', '.join(sorted(unknown))}")
    return {name: declared.read(name, params.get(name)) for name, declared in INPUTS.items()}


def check_uploads(checked: Mapping[str, object], uploads: frozenset[str]) -> None:
    """A photo is needed unless a texture is asked for; ValueError says so."""
    if checked.get("method") != "texture" and "content" not in uploads:
        raise ValueError("repainting needs a photo: send `content`, or choose method texture")


def strength_fraction(style_weight: float) -> float:
    """The fast method's blend factor (and the optimisation's style-weight multiplier)."""
    return float(style_weight) / DEFAULT_STRENGTH
