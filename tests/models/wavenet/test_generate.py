import numpy as np
import pytest
import torch

from models.wavenet import generate, kernels, mulaw
from tests.models.wavenet.conftest import TINY


def test_the_compiled_kernels_compute_the_torch_network(tiny_net, tiny_packed) -> None:
    levels = np.random.default_rng(3).integers(0, 256, 300)
    for condition in range(TINY.conditions):
        ours = generate.teacher_forced_logits(tiny_packed, condition, levels)
        full = torch.from_numpy(np.concatenate([generate.history(tiny_packed), levels]))[None]
        with torch.no_grad():
            reference = tiny_net(full, torch.tensor([condition]))[0].T.numpy()[: len(levels)]
        assert np.abs(ours - reference).max() < 1e-4


@pytest.mark.parametrize("temperature", [1.0, 0.6])
def test_naive_fast_and_batched_give_identical_samples(tiny_packed, temperature) -> None:
    n = 400
    naive = generate.naive(tiny_packed, 1, n, temperature, seed=7)
    fast = generate.fast(tiny_packed, 1, n, temperature, seed=7, chunk=37)  # chunking changes nothing
    batched = generate.fast_batched(tiny_packed, [0, 1, 2, 1], n, [temperature] * 4, seeds=[5, 7, 7, 8])
    assert (naive == fast).all() and (batched[1] == fast).all()
    assert (batched[3] == generate.fast(tiny_packed, 1, n, temperature, seed=8)).all()
    assert (batched[0] == generate.fast(tiny_packed, 0, n, temperature, seed=5)).all()
    assert len(np.unique(fast)) > 20  # a real sequence, not a constant


def test_identical_with_a_prime(tiny_packed) -> None:
    prime = mulaw.encode(0.5 * np.sin(np.arange(500) / 7))
    naive = generate.naive(tiny_packed, 2, 150, 1.0, seed=3, context=prime)
    fast = generate.fast(tiny_packed, 2, 150, 1.0, seed=3, context=prime)
    batched = generate.fast_batched(tiny_packed, [2], 150, [1.0], [3], contexts=[prime])
    assert (naive == fast).all() and (batched[0] == fast).all()
    assert not (fast == generate.fast(tiny_packed, 2, 150, 1.0, seed=3)).all()  # the prime matters


def test_the_same_seed_gives_the_same_audio_and_another_seed_other_audio(tiny_packed) -> None:
    first = generate.fast(tiny_packed, 0, 500, 1.0, seed=11)
    assert (first == generate.fast(tiny_packed, 0, 500, 1.0, seed=11)).all()
    assert (first != generate.fast(tiny_packed, 0, 500, 1.0, seed=12)).mean() > 0.5


def test_conditioning_changes_the_output(tiny_packed) -> None:
    streams = [generate.fast(tiny_packed, c, 500, 1.0, seed=11) for c in range(TINY.conditions)]
    assert all((streams[0] != other).mean() > 0.5 for other in streams[1:])
    with pytest.raises(ValueError, match="condition"):
        generate.fast(tiny_packed, TINY.conditions, 10, 1.0, seed=1)


def test_low_temperature_concentrates_on_the_likeliest_level(tiny_packed) -> None:
    logits = np.array([0.0, 2.0, 1.0] + [-5.0] * 253, dtype=np.float32)
    draws = [kernels._sample(logits, 0.05, u) for u in np.linspace(0.001, 0.999, 200)]
    assert set(draws) == {1}
    spread = [kernels._sample(logits, 1.0, u) for u in np.linspace(0.001, 0.999, 200)]
    assert set(spread) >= {0, 1, 2}


def test_fast_reports_progress_per_chunk(tiny_packed) -> None:
    seen = []
    generate.fast(tiny_packed, 0, 1000, 1.0, seed=0, progress=lambda done, total: seen.append((done, total)),
                  chunk=300)
    assert seen == [(300, 1000), (600, 1000), (900, 1000), (1000, 1000)]


def test_the_fast_path_is_much_faster_than_the_naive_one(tiny_packed) -> None:
    """Even on the tiny network (rf 32): one step per layer against the whole window per layer."""
    import time

    generate.naive(tiny_packed, 0, 5, 1.0, seed=0)
    started = time.process_time()
    generate.naive(tiny_packed, 0, 300, 1.0, seed=0)
    naive = time.process_time() - started
    started = time.process_time()
    generate.fast(tiny_packed, 0, 3000, 1.0, seed=0)
    fast = (time.process_time() - started) / 10
    assert naive > 3 * fast
