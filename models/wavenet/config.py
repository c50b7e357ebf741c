"""Settings of the WaveNet demo in one dataclass; torch-free."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class WaveNetConfig:
    residual: int = 32  # channels of the residual stream (R)
    skip: int = 32  # channels of the skip connections (S)
    head: int = 64  # hidden channels of the output stack (relu, 1x1, relu, 1x1, softmax)
    levels: int = 256  # mu-law levels of the softmax
    stacks: int = 2  # dilations 1, 2, 4, ... repeat this many times
    layers_per_stack: int = 10  # dilations 1 .. 2**(layers_per_stack - 1)
    conditions: int = 7  # global-conditioning ids; 0 makes an unconditioned model
    dilate: bool = True  # False: every dilation is 1 (the short-receptive-field baseline)

    @property
    def dilations(self) -> tuple[int, ...]:
        one = tuple((2**i if self.dilate else 1) for i in range(self.layers_per_stack))
        return one * self.stacks

    @property
    def receptive_field(self) -> int:
        """Samples the prediction of x[t+1] can see: x[t - rf + 1 .. t]. The input layer is a
        causal convolution of width 2 (+1), each dilated layer of width 2 adds its dilation."""
        return receptive_field(self.dilations)

    def as_dict(self) -> dict:
        return asdict(self)


def receptive_field(dilations: tuple[int, ...] | list[int], kernel: int = 2) -> int:
    return 1 + (kernel - 1) + sum((kernel - 1) * d for d in dilations)


def macs_per_sample(config: WaveNetConfig) -> int:
    """Multiply-adds the fast generator spends per sample (the condition is a precomputed bias)."""
    r, s, h = config.residual, config.skip, config.head
    per_layer = 2 * r * 2 * r + r * r + r * s
    return len(config.dilations) * per_layer + s * h + h * config.levels


@dataclass(frozen=True)
class Condition:
    """One global-conditioning id: a General MIDI instrument or an espeak-ng voice."""

    key: str  # what the API and the page send
    label: str
    kind: str  # "instrument" or "voice"
    program: int = 0  # General MIDI program (instruments)
    voice: str = ""  # espeak-ng voice (voices)
    low: int = 48  # instruments: lowest and highest MIDI note of the melodies
    high: int = 76


CONDITIONS: tuple[Condition, ...] = (
    Condition("piano", "Piano", "instrument", program=0, low=45, high=81),
    Condition("violin", "Violin", "instrument", program=40, low=55, high=84),
    Condition("flute", "Flute", "instrument", program=73, low=60, high=88),
    Condition("guitar", "Nylon guitar", "instrument", program=24, low=40, high=72),
    Condition("voice-en-male", "English voice (male)", "voice", voice="en-us"),
    Condition("voice-en-female", "English voice (female)", "voice", voice="en-us+f3"),
    Condition("voice-de", "German voice", "voice", voice="de"),
)
CONDITION_KEYS = tuple(c.key for c in CONDITIONS)
