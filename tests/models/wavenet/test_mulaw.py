import numpy as np

from models.wavenet import mulaw


def test_every_level_survives_a_round_trip() -> None:
    levels = np.arange(256)
    assert (mulaw.encode(mulaw.decode(levels)) == levels).all()


def test_audio_round_trip_error_is_bounded_and_finest_near_silence() -> None:
    x = np.linspace(-1, 1, 100_001)
    error = np.abs(mulaw.decode(mulaw.encode(x)) - x)
    assert error.max() <= mulaw.max_round_trip_error() + 1e-6
    quiet = np.abs(x) < 0.01
    assert error[quiet].max() < 4e-4 and error[~quiet].max() > 0.01  # companding: quiet samples get fine steps
    assert 0 < mulaw.decode(np.array([mulaw.SILENCE]))[0] < 1e-4  # 256 levels: none is exactly 0
    assert mulaw.encode(np.array([-1.0, 0.0, 1.0])).tolist() == [0, 128, 255]


def test_compress_is_the_papers_formula_and_expand_inverts_it() -> None:
    x = np.array([-0.5, -0.01, 0.0, 0.2, 1.0])
    expected = np.sign(x) * np.log(1 + 255 * np.abs(x)) / np.log(256)
    assert np.allclose(mulaw.compress(x), expected)
    assert np.allclose(mulaw.expand(mulaw.compress(x)), x)
    assert (np.diff(mulaw.encode(np.linspace(-1, 1, 5000)).astype(int)) >= 0).all()  # monotone
