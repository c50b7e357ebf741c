"""The LRP demo's entry in the registry (Bach et al. 2015; Samek et al. 2016). Torch-free: the
web process imports it to build the page and check inputs before a job is queued."""

from __future__ import annotations

from pathlib import Path

from models.lrp.params import ALL, DEFAULT_RULE, RULES
from models.spec import ChoiceInput, DemoSpec, FileInput, ValueInput, WeightsFile

PACKAGE = Path(__file__).resolve().parent

EXPLANATION = """\
The classifier is a small LeNet-5-style network (two convolutions with pooling, three dense
layers, ReLU, no biases) trained here on 4,000 MNIST digits. It answers with ten scores
(logits); the bars are their softmax.

**Layer-wise relevance propagation** (Bach et al. 2015) explains one score $f(x)$ by handing it
back through the network, layer by layer, to the pixels. Each neuron passes on what it received
in proportion to how much each of its inputs contributed, $R_j = \\sum_k \\frac{a_j w_{jk}}
{\\sum_{j'} a_{j'} w_{j'k}} R_k$ (LRP-0), so the relevances $R_i$ of the pixels add up to
$f(x)$: the sum under each map sits beside the score it explains. Red pixels pushed the
network toward the class, blue ones pushed against it.

The rules differ in how they share a neuron's relevance: LRP-ε adds a small $\\epsilon$ to the
denominator so weak, contradictory contributions are absorbed; LRP-γ favours positive
weights; LRP-αβ counts positive evidence $\\alpha$ times and negative evidence $\\beta$ times;
the $z^B$ rule at the input respects that pixels live in $[0, 1]$. Composites use a different
rule per layer, as Montavon et al. recommend. Sensitivity (the squared gradient) and
gradient × input are the baselines: sensitivity says what would change the score, not what
made it. Explaining one class *against* another, $f(x) = z_a - z_b$ for the logits $z$ of the
two classes, shows what tells a 3 from an 8.

Which explanation is better? Samek et al. 2016 measure it: remove the pixels an explanation
ranks most relevant, region by region, and watch the score fall. The faster it falls, the
better the explanation; the area over that curve (AOPC) is plotted below for every method on
the 1,000 held-out digits, with random relevance as the floor.
"""

RULE = ChoiceInput(
    "the explanation: an LRP rule, a composite of them, a baseline, or `all` (every one at once)",
    default=DEFAULT_RULE,
    choices=(*RULES, ALL),
    labels=RULES,
)

SPEC = DemoSpec(
    name="lrp",
    title="LRP relevance",
    paper="lrp-evaluating-visualization",
    blurb="Draw a digit; see which pixels the classifier used.",
    entry_point="models.lrp.predict:load",
    predict="models.lrp.predict:predict",
    inputs={
        "image": FileInput("a picture of one digit, any size, dark on light or light on dark", kind="image",
                           required=False),
        "pixels": ValueInput("instead of an image: 28 rows of 28 numbers from 0 (background) to 1 (ink)"),
        "rule": RULE,
        "target": ValueInput("the class to explain, 0 to 9 (default: the predicted class)"),
        "contrast": ValueInput("explain the target against this class, 0 to 9 (default: none)"),
    },
    check_params="models.lrp.params:read_params",
    one_of=("image", "pixels"),
    working_size=1024,  # a drawing is shrunk to 28 x 28 anyway
    weights=(WeightsFile(Path("lrp/weights/lenet5.pt"),
                         "faa3ff7fc345347ee5f61c582d42459f6c8b56ef223356dda3b4e84f3e25775f",
                         "marginalia train lrp"),),
    preload=True,
    timeout_seconds=30,
    explanation=EXPLANATION,
    page_dir=PACKAGE / "page",
    card_labels={"aopc": "AOPC, regions set to background", "aopc_uniform": "AOPC, regions set to uniform noise"},
    train="models.lrp.train:main",
    evaluate="models.lrp.evaluate:main",
)
