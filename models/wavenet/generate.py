"""Sampling from a trained WaveNet three ways, with the same arithmetic so they agree exactly.

- `naive`: for every new sample, run the network over the last receptive field of samples
  (every layer at every position the output depends on): O(receptive field x layers).
- `fast`: Paine et al. (2016). Each dilated layer keeps a queue of its last `d` inputs, so a new
  sample needs one position per layer: O(layers).
- `fast_batched`: the fast generator over many streams at once, layer by layer, so each layer's
  weights stay in cache while every stream uses them.

All three are numba-compiled loops over the same per-position kernels (`_embed`, `_gate`,
`_residual`, `_skip`, `_head`, `_sample`), which fix the order of every multiply and add, so the
same weights, condition, temperature and seed give the same samples bit for bit. Sampling is
inverse-CDF with one uniform number per sample from numpy's generator seeded by `seed`.

History: every stream starts from a receptive field of silence, followed by an optional context
(the prime clip, mu-law encoded). Torch-free: `pack` takes numpy arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from models.wavenet import mulaw
from models.wavenet.config import WaveNetConfig, receptive_field
from models.wavenet.kernels import batched_run, fast_run, naive_run


@dataclass(frozen=True)
class Packed:
    """The network's weights laid out for the kernels: matrices as (in, out), float32."""

    dilations: np.ndarray  # (L,) int64
    in_prev: np.ndarray  # (256, R)
    in_now: np.ndarray  # (256, R)
    in_bias: np.ndarray  # (R,)
    w_past: np.ndarray  # (L, R, 2R): the dilated conv's tap at t - d
    w_now: np.ndarray  # (L, R, 2R): its tap at t
    gate_bias: np.ndarray  # (L, 2R)
    condition: np.ndarray  # (L, C, 2R); C = 0 when unconditioned
    w_res: np.ndarray  # (L, R, R)
    b_res: np.ndarray  # (L, R)
    w_skip: np.ndarray  # (L, R, S)
    b_skip: np.ndarray  # (L, S)
    w_head1: np.ndarray  # (S, H)
    b_head1: np.ndarray  # (H,)
    w_head2: np.ndarray  # (H, 256)
    b_head2: np.ndarray  # (256,)

    @property
    def receptive_field(self) -> int:
        return receptive_field([int(d) for d in self.dilations])

    @property
    def conditions(self) -> int:
        return self.condition.shape[1]

    def biases(self, condition: int | None) -> np.ndarray:
        """(L, 2R): each layer's gate bias plus the condition's embedding (eq. 3, V^T h)."""
        if self.conditions == 0:
            return np.ascontiguousarray(self.gate_bias)
        if condition is None or not 0 <= condition < self.conditions:
            raise ValueError(f"condition must be one of 0..{self.conditions - 1}, not {condition!r}")
        return np.ascontiguousarray(self.gate_bias + self.condition[:, condition])


def pack(state_dict: dict, config: WaveNetConfig) -> Packed:
    """From a `net.WaveNet` state dict (tensors or arrays) to the kernels' layout."""

    def a(key: str) -> np.ndarray:
        value = state_dict[key]
        value = value.detach().cpu().numpy() if hasattr(value, "detach") else np.asarray(value)
        return value.astype(np.float32)

    layers = range(len(config.dilations))
    r = config.residual

    def stack(fn) -> np.ndarray:
        return np.ascontiguousarray(np.stack([fn(k) for k in layers]), dtype=np.float32)

    return Packed(
        dilations=np.array(config.dilations, dtype=np.int64),
        in_prev=np.ascontiguousarray(a("input_prev.weight")),
        in_now=np.ascontiguousarray(a("input_now.weight")),
        in_bias=a("input_bias"),
        w_past=stack(lambda k: a(f"dilated.{k}.weight")[:, :, 0].T),
        w_now=stack(lambda k: a(f"dilated.{k}.weight")[:, :, 1].T),
        gate_bias=stack(lambda k: a(f"dilated.{k}.bias")),
        condition=(stack(lambda k: a(f"condition.{k}.weight")) if config.conditions
                   else np.zeros((len(config.dilations), 0, 2 * r), np.float32)),
        w_res=stack(lambda k: a(f"residual.{k}.weight")[:, :, 0].T),
        b_res=stack(lambda k: a(f"residual.{k}.bias")),
        w_skip=stack(lambda k: a(f"skip.{k}.weight")[:, :, 0].T),
        b_skip=stack(lambda k: a(f"skip.{k}.bias")),
        w_head1=np.ascontiguousarray(a("head1.weight")[:, :, 0].T),
        b_head1=a("head1.bias"),
        w_head2=np.ascontiguousarray(a("head2.weight")[:, :, 0].T),
        b_head2=a("head2.bias"),
    )


# --- the public generators ----------------------------------------------------------------------
def history(packed: Packed, context: np.ndarray | None = None) -> np.ndarray:
    """A receptive field of silence, then the context levels (the prime), as int64."""
    silence = np.full(packed.receptive_field, mulaw.SILENCE, dtype=np.int64)
    if context is None or len(context) == 0:
        return silence
    return np.concatenate([silence, np.asarray(context, dtype=np.int64)])


def uniforms_for(seed: int, start: int, samples: int) -> np.ndarray:
    """The uniform numbers that draw samples start+1 .. start+samples (zeros before)."""
    u = np.zeros(start + samples + 1)
    u[start + 1 :] = np.random.default_rng(seed).random(samples)
    return u


def _weights(packed: Packed, biases: np.ndarray) -> tuple:
    return (packed.dilations, packed.in_prev, packed.in_now, packed.in_bias, packed.w_past, packed.w_now, biases,
            packed.w_res, packed.b_res, packed.w_skip, packed.b_skip, packed.w_head1, packed.b_head1,
            packed.w_head2, packed.b_head2)


def _check(temperature: float, samples: int) -> None:
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    if samples < 0:
        raise ValueError("samples must be >= 0")


def naive(packed: Packed, condition: int | None, samples: int, temperature: float, seed: int,
          context: np.ndarray | None = None) -> np.ndarray:
    """`samples` new levels (int64), the receptive field recomputed for each."""
    _check(temperature, samples)
    past = history(packed, context)
    levels = np.concatenate([past, np.full(samples, -1, dtype=np.int64)])
    start = len(past) - 1
    naive_run(levels, start, start + samples, *_weights(packed, packed.biases(condition)), float(temperature),
               uniforms_for(seed, start, samples))
    return levels[len(past) :]


def _warm_queues(packed: Packed, biases: np.ndarray, levels: np.ndarray, known: int) -> np.ndarray:
    """Queues after reading levels[0 .. known - 2] (levels[known - 1] is read by the first step)."""
    r = packed.w_res.shape[1]
    queues = np.zeros((len(packed.dilations), int(packed.dilations.max()), r), np.float32)
    empty = np.zeros((0, packed.w_head2.shape[1]), np.float32)
    fast_run(levels, 1, known - 1, queues, *_weights(packed, biases), 1.0, np.zeros(1), empty)
    return queues


def fast(packed: Packed, condition: int | None, samples: int, temperature: float, seed: int,
         context: np.ndarray | None = None, progress: Callable[[int, int], None] | None = None,
         chunk: int = 1600) -> np.ndarray:
    """`samples` new levels (int64) with per-layer queues; progress(done, samples) after each chunk."""
    _check(temperature, samples)
    biases = packed.biases(condition)
    past = history(packed, context)
    levels = np.concatenate([past, np.full(samples, -1, dtype=np.int64)])
    start = len(past) - 1
    queues = _warm_queues(packed, biases, levels, len(past))
    u = uniforms_for(seed, start, samples)
    empty = np.zeros((0, packed.w_head2.shape[1]), np.float32)
    for begin in range(start, start + samples, chunk):
        end = min(begin + chunk, start + samples)
        fast_run(levels, begin, end, queues, *_weights(packed, biases), float(temperature), u, empty)
        if progress is not None:
            progress(end - start, samples)
    return levels[len(past) :]


def fast_batched(packed: Packed, conditions: list[int | None], samples: int, temperatures: list[float],
                 seeds: list[int], contexts: list[np.ndarray | None] | None = None) -> np.ndarray:
    """(B, samples) levels for B streams at once; stream b equals fast(conditions[b], ...,
    temperatures[b], seeds[b], contexts[b]). Contexts must all have the same length."""
    streams = len(seeds)
    contexts = contexts if contexts is not None else [None] * streams
    if not (len(conditions) == len(temperatures) == len(contexts) == streams):
        raise ValueError("one condition, temperature, seed and context per stream")
    for temperature in temperatures:
        _check(temperature, samples)
    pasts = [history(packed, c) for c in contexts]
    if len({len(p) for p in pasts}) != 1:
        raise ValueError("contexts of one batch must have the same length")
    start = len(pasts[0]) - 1
    levels = np.stack([np.concatenate([p, np.full(samples, -1, dtype=np.int64)]) for p in pasts])
    biases = np.stack([packed.biases(c) for c in conditions])
    queues = np.stack([_warm_queues(packed, biases[b], levels[b], len(pasts[b])) for b in range(streams)])
    u = np.stack([uniforms_for(seed, start, samples) for seed in seeds])
    weights = _weights(packed, biases)
    batched_run(levels, start, start + samples, queues, *weights, np.asarray(temperatures, dtype=np.float64), u)
    return levels[:, len(pasts[0]) :]


def teacher_forced_logits(packed: Packed, condition: int | None, levels: np.ndarray) -> np.ndarray:
    """The fast path's logits at every time t >= rf - 1 of `levels` (after a silent history): row i
    predicts levels[i + 1] given levels[.. i]. For comparing the kernels with the torch network."""
    biases = packed.biases(condition)
    past = history(packed, None)
    full = np.concatenate([past, np.asarray(levels, dtype=np.int64)])
    queues = np.zeros((len(packed.dilations), int(packed.dilations.max()), packed.w_res.shape[1]), np.float32)
    out = np.zeros((len(full), packed.w_head2.shape[1]), np.float32)
    full_plus = np.concatenate([full, [0]])  # a known level after the end: nothing is sampled
    fast_run(full_plus, 1, len(full), queues, *_weights(packed, biases), 1.0, np.zeros(len(full_plus)), out)
    return out[len(past) - 1 : len(full) - 1]
