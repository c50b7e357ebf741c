"""The job's pieces around the generator: reading a prime clip, the WAV, the waveform peaks and
the spectrogram, and a whole predict() on a small random network."""

import json

import numpy as np
import pytest
import soundfile
import torch
from PIL import Image

from models.wavenet import mulaw, predict
from models.wavenet.config import CONDITION_KEYS, WaveNetConfig
from tests.models.wavenet.conftest import random_net

SMALL = WaveNetConfig(residual=8, skip=8, head=16, stacks=1, layers_per_stack=5, conditions=len(CONDITION_KEYS))


@pytest.fixture(scope="module")
def small_weights(tmp_path_factory):
    path = tmp_path_factory.mktemp("wavenet") / "small.pt"
    torch.save({"config": SMALL.as_dict(), "conditions": list(CONDITION_KEYS),
                "state_dict": random_net(SMALL).state_dict()}, path)
    return path


def test_a_prime_is_resampled_to_16khz_mixed_to_mono_and_cut_to_its_last_second(tmp_path) -> None:
    rate = 44100
    t = np.arange(int(2.5 * rate)) / rate
    left, right = 0.5 * np.sin(2 * np.pi * 440 * t), 0.5 * np.sin(2 * np.pi * 440 * t + 0.2)
    soundfile.write(tmp_path / "stereo.wav", np.stack([left, right], axis=1), rate)
    levels = predict.read_prime(tmp_path / "stereo.wav")
    assert levels.shape == (16000,) and levels.dtype == np.int64
    audio = mulaw.decode(levels)
    assert abs(int(np.argmax(np.abs(np.fft.rfft(audio)))) - 440) <= 1 and np.abs(audio).max() > 0.4
    soundfile.write(tmp_path / "short.wav", 0.1 * np.ones(800), 8000)
    assert predict.read_prime(tmp_path / "short.wav").shape == (1600,)  # 0.1 s at 8 kHz: all of it, at 16 kHz
    (tmp_path / "junk.wav").write_bytes(b"not audio at all")
    with pytest.raises(ValueError, match="prime: not an audio file"):
        predict.read_prime(tmp_path / "junk.wav")


def test_peaks_and_spectrogram(tmp_path) -> None:
    t = np.arange(16000) / 16000
    tone = 0.5 * np.sin(2 * np.pi * 1000 * t)
    peaks = predict.peaks(tone, columns=100)
    assert len(peaks["min"]) == 100 and max(peaks["max"]) == pytest.approx(0.5, abs=1e-3)
    db = predict.spectrogram(tone)
    assert db.shape[0] == 257 and int(np.argmax(db.mean(axis=1))) == 32  # 1 kHz in 31.25 Hz bins
    predict.write_spectrogram(tone, tmp_path / "s.png")
    image = np.asarray(Image.open(tmp_path / "s.png"))
    assert image.shape == (257, db.shape[1], 3)
    assert image[256 - 32].mean() > image[10].mean() + 100  # the tone's row is bright, 7.7 kHz dark


def test_predict_writes_the_wav_and_reports_progress(small_weights, tmp_path) -> None:
    model = predict.load([small_weights])
    seen: list[float] = []
    result = predict.predict(model, {"condition": "guitar", "seconds": 0.5, "seed": 9}, {}, tmp_path, seen.append)
    audio, rate = soundfile.read(tmp_path / "generated.wav")
    assert rate == 16000 and audio.shape == (8000,) and soundfile.info(tmp_path / "generated.wav").subtype == "PCM_16"
    assert seen == sorted(seen) and len(seen) == 2 + 4 and seen[-1] < 1  # start, one per 2,000 samples, end
    assert result["samples"] == 8000 and result["temperature"] == 1.0 and result["primed"] is False
    assert result["real_time_factor"] > 0 and (tmp_path / "spectrogram.png").is_file()
    json.dumps(result)  # what the job stores
    expected = mulaw.decode(predict.generate.fast(model.packed, CONDITION_KEYS.index("guitar"), 8000, 1.0, 9))
    assert np.abs(audio - expected).max() <= 1 / 32767  # the WAV holds the generated samples
    with pytest.raises(ValueError, match="condition must be one of"):
        predict.predict(model, {"condition": "kazoo"}, {}, tmp_path, seen.append)
