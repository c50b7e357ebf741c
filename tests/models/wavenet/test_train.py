"""Training: stopped and resumed, a run ends where an uninterrupted one does; the three networks
see the same windows; the learning-rate schedule; and the corpus renders deterministically."""

import json
from dataclasses import replace

import numpy as np
import torch

from models.wavenet import data
from models.wavenet.config import CONDITION_KEYS, CONDITIONS
from models.wavenet.train import Run, TrainingPlan, learning_rate

PLAN = TrainingPlan(steps=4, batch=2, targets=64, residual=4, skip=4, head=8, stacks=1, layers_per_stack=3,
                    warmup_steps=2, checkpoint_every=2, eval_every=1000)


def _tiny_corpus(path) -> None:
    rng = np.random.default_rng(0)
    arrays = {f"{split}/{key}": (rng.standard_normal(3000) * 3000).astype(np.int16)
              for split in ("train", "val") for key in CONDITION_KEYS}
    np.savez(path, manifest=np.array(json.dumps({"version": data.VERSION, "seed": 0})), **arrays)


def _states(run: Run) -> dict:
    return {name: {k: v.clone() for k, v in net.state_dict().items()} for name, net in run.nets.items()}


def test_a_stopped_run_resumes_to_the_same_networks(tmp_path) -> None:
    torch.set_num_threads(1)
    corpus = tmp_path / "corpus.npz"
    _tiny_corpus(corpus)
    straight = Run(PLAN, tmp_path / "a", print, corpus=corpus)
    (tmp_path / "a").mkdir()
    straight.train()
    (tmp_path / "b").mkdir()
    first = Run(PLAN, tmp_path / "b", print, corpus=corpus)
    for _ in range(2):
        first.train_step()
        first.step += 1
    first.save()
    resumed = Run(PLAN, tmp_path / "b", print, corpus=corpus)
    assert resumed.resume() and resumed.step == 2
    resumed.train()
    for name, state in _states(straight).items():
        other = _states(resumed)[name]
        assert all(torch.equal(state[k], other[k]) for k in state), name
    assert straight.configs["short_rf"].receptive_field == 5 and straight.configs["unconditioned"].conditions == 0


def test_learning_rate_warms_up_then_decays() -> None:
    plan = replace(PLAN, steps=100, warmup_steps=10)
    rates = [learning_rate(plan, step) for step in range(100)]
    assert rates[0] < rates[9] == plan.learning_rate and rates[-1] < 0.1 * plan.learning_rate
    assert all(a >= b for a, b in zip(rates[9:], rates[10:], strict=False))


def test_corpus_clips_render_deterministically(tmp_path) -> None:
    flute = next(c for c in CONDITIONS if c.key == "flute")
    events = data.piece_events(np.random.default_rng(1), flute)
    assert events == data.piece_events(np.random.default_rng(1), flute)
    assert all(flute.low <= note <= flute.high for _, _, note, _ in events)
    data.write_midi(events[:6], flute.program, 120, tmp_path / "f.mid")
    clip = data.tidy(data.render_midi(tmp_path / "f.mid", tmp_path / "f.wav"))
    again = data.tidy(data.render_midi(tmp_path / "f.mid", tmp_path / "g.wav"))
    assert np.array_equal(clip, again) and np.abs(clip).max() == data.PEAK and len(clip) > 8000
    speech = data.tidy(data.speak("Seven apples.", "en-us", 160, 50, tmp_path / "s.wav"))
    assert 0.3 * 16000 < len(speech) < 3 * 16000  # resampled from espeak-ng's 22,050 Hz
