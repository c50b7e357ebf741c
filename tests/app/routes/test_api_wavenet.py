"""The WaveNet demo through the API, with the shipped network (inline queue): JSON in, a 16 kHz
16-bit WAV out; a prime clip by multipart; a job that reports its progress and carries what the
page draws; and unknown conditions, over-long requests and undecodable clips refused with a 4xx
that stores nothing."""

import io

import numpy as np
import soundfile

from tests.queue_fixtures import wait_until


def _wav(seconds: float, rate: int = 22050) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.4 * np.sin(2 * np.pi * 330 * t), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def _read(content: bytes) -> tuple[np.ndarray, soundfile._SoundFileInfo]:
    return soundfile.read(io.BytesIO(content))[0], soundfile.info(io.BytesIO(content))


def _nothing_stored(settings) -> bool:
    jobs = settings.data_dir / "jobs"
    return not jobs.exists() or not any(jobs.iterdir())


def test_json_request_answers_with_a_16khz_16bit_wav(client) -> None:
    body = {"condition": "flute", "seconds": 0.5, "temperature": 0.9, "seed": 4}
    response = client.post("/api/v1/demos/wavenet?wait=60", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    audio, info = _read(response.content)
    assert (info.samplerate, info.channels, info.subtype, info.frames) == (16000, 1, "PCM_16", 8000)
    again = client.post("/api/v1/demos/wavenet?wait=60", json=body)
    assert again.content == response.content  # same seed, same weights: the same audio
    other = client.post("/api/v1/demos/wavenet?wait=60", json={**body, "seed": 5})
    assert other.content != response.content and np.abs(audio).max() > 0


def test_a_prime_clip_is_continued(client) -> None:
    response = client.post("/api/v1/demos/wavenet", data={"condition": "voice-en-female", "seconds": "0.25"},
                           files={"prime": ("tone.wav", _wav(1.5), "audio/wav")})
    assert response.status_code == 202, response.text
    job = wait_until(lambda: (j := client.get(response.headers["location"]).json())["status"] in ("done", "failed")
                     and j, what="the wavenet job")
    assert job["status"] == "done", job
    result = job["result"]
    assert result["primed"] is True and result["prime_seconds"] == 1.0  # the clip's last second
    assert result["samples"] == 4000 and result["seconds_total"] == 1.25
    audio, info = _read(client.get(job["files"]["generated.wav"]).content)
    assert info.frames == 20000 and info.samplerate == 16000
    # the first second is the tone (resampled to 16 kHz, mu-law quantised), the rest is the network's
    spectrum = np.abs(np.fft.rfft(audio[:16000]))
    assert abs(int(np.argmax(spectrum)) - 330) <= 1  # 1 Hz bins
    assert set(job["files"]) == {"generated.wav", "spectrogram.png"}
    assert len(result["waveform"]["max"]) == 800 and result["receptive_field"] == {"samples": 2048, "ms": 128.0}
    assert result["real_time_factor"] > 0 and job["progress"] == 1.0


def test_bad_requests_are_4xx_with_a_clear_message_and_store_nothing(client, settings) -> None:
    for body, message in (({"condition": "kazoo"}, "condition must be one of piano"),
                          ({"seconds": 4.5}, "seconds must lie between 0.25 and 4"),
                          ({"temperature": 0}, "temperature must lie between"),
                          ({"seed": -1}, "seed must lie between")):
        refused = client.post("/api/v1/demos/wavenet?wait=5", json=body)
        assert refused.status_code == 422 and message in refused.json()["detail"], (body, refused.text)
    broken = client.post("/api/v1/demos/wavenet?wait=5", data={"condition": "piano"},
                         files={"prime": ("clip.wav", b"RIFF....WAVEfmt not really", "audio/wav")})
    assert broken.status_code == 415 and "prime: not an audio file" in broken.json()["detail"]
    too_long = client.post("/api/v1/demos/wavenet?wait=5", files={"prime": ("long.wav", _wav(31, 8000), "audio/wav")})
    assert too_long.status_code == 422 and "longer than 30 s" in too_long.json()["detail"]
    assert _nothing_stored(settings)
