"""The echo demo's spec: a 3-to-2 linear map, scaled by a declared number and a declared choice."""

from pathlib import Path

from models.spec import ChoiceInput, DemoSpec, FileInput, NumberInput, WeightsFile

PACKAGE = Path(__file__).resolve().parent

SPEC = DemoSpec(
    "echo", "Echo", paper="wave-toy",
    entry_point="tests.models.tiny_net:load",
    predict="tests.models.echo_demo.predict:predict",
    blurb="Scale three numbers through a tiny linear map.",
    inputs={
        "gain": NumberInput("how much to scale the output, 0 to 10", default=2.0, minimum=0.0, maximum=10.0, step=0.5),
        "sign": ChoiceInput("keep or flip the sign", default="keep", choices=("keep", "flip")),
        "reason": FileInput("a note saying why, needed for a gain above 9", required=False),
    },
    check_uploads="tests.models.echo_demo.predict:check_uploads",
    weights=(WeightsFile(PACKAGE / "weights" / "echo.pt",
                         "722e76fc527edccc1aa51f5e606dd8daf81f34ad5319f3f23c045cd4684be35a",
                         "cp tests/models/tiny.pt tests/models/echo_demo/weights/echo.pt"),),
    explanation="The output is $g \\cdot (Wx + b)$ for the gain $g$ you choose.",
    page_dir=PACKAGE / "page",
    card_labels={"error": "mean absolute error"},
    train="tests.models.echo_demo.train:cli",
    evaluate="tests.models.echo_demo.train:evaluate_cli",
)
