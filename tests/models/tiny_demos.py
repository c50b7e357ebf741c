"""Demo specs the tests register (MARGINALIA_DEMO_SPECS=tests.models.tiny_demos:DEMOS), so a
worker process started by a test knows them too. The weights (tiny.pt, 1.9 kB) are committed;
remake them with the snippet in tests/models/tiny_net.py if torch's format ever changes."""

from pathlib import Path

from models import registry
from models.spec import DemoSpec, FileInput, ValueInput, WeightsFile
from tests.models.echo_demo.spec import SPEC as ECHO

_WEIGHTS = (WeightsFile(Path(__file__).with_name("tiny.pt"),
                        "722e76fc527edccc1aa51f5e606dd8daf81f34ad5319f3f23c045cd4684be35a",
                        "python tests/models/tiny_net.py"),)
_COMMON = {"paper": "wave-toy", "entry_point": "tests.models.tiny_net:load", "weights": _WEIGHTS,
           "inputs": {"x": ValueInput("three numbers"), "blob": FileInput("any file", required=False),
                      "seconds": ValueInput("how long to run"),
                      "image": FileInput("a picture", kind="image", required=False),
                      "clip": FileInput("a sound", kind="audio", required=False)},
           "working_size": 64, "max_audio_seconds": 2}

DEMOS = (
    DemoSpec("tiny", "Tiny", predict="tests.models.tiny_net:predict",
             explanation="A 3-to-2 **linear map**: $y = Wx + b$, the smallest network that still runs.", **_COMMON),
    DemoSpec("tiny-text", "Tiny as text", predict="tests.models.tiny_net:predict", output="text/plain", **_COMMON),
    DemoSpec("broken", "Broken", predict="tests.models.tiny_net:explode", **_COMMON),
    DemoSpec("endless", "Endless", predict="tests.models.tiny_net:never_ends", timeout_seconds=0.2, **_COMMON),
    DemoSpec("slow", "Slow", predict="tests.models.tiny_net:never_ends", timeout_seconds=2, **_COMMON),
    DemoSpec("sleepy", "Sleepy", predict="tests.models.tiny_net:sleepy", timeout_seconds=30, **_COMMON),
    ECHO,  # a whole demo package, registered by this one line (tests/models/test_demo_package.py)
    *registry.DEMOS,  # the real demos too, with their shipped weights: pages and browser tests use them
)
