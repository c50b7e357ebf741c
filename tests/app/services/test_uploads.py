import io

import numpy as np
import pytest
import soundfile
from PIL import Image

from app.services.uploads import MAX_PIXELS, BadUpload, check_audio, normalize_image


def image_bytes(size=(40, 20), fmt="JPEG", exif_orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(output, format=fmt, exif=exif)
    else:
        image.save(output, format=fmt)
    return output.getvalue()


def test_images_are_turned_upright_shrunk_and_stored_as_png() -> None:
    rotated = normalize_image(image_bytes((40, 20), exif_orientation=6), field="image", max_side=512)
    upright = Image.open(io.BytesIO(rotated))
    assert upright.format == "PNG" and upright.size == (20, 40)  # EXIF "rotate 90" applied
    big = Image.open(io.BytesIO(normalize_image(image_bytes((1000, 500)), field="image", max_side=64)))
    assert big.size == (64, 32)


def test_bad_images_get_clear_errors() -> None:
    with pytest.raises(BadUpload, match="not an image") as not_image:
        normalize_image(b"hello, not a picture", field="image", max_side=64)
    assert not_image.value.status == 415
    with pytest.raises(BadUpload, match="ICO images are not accepted"):
        normalize_image(image_bytes((16, 16), fmt="ICO"), field="image", max_side=64)
    with pytest.raises(BadUpload, match="damaged"):
        normalize_image(image_bytes((300, 300))[:400], field="image", max_side=64)


def test_decompression_bombs_are_refused_before_decoding() -> None:
    side = int(MAX_PIXELS ** 0.5) + 100  # a tiny file that claims a huge image
    bomb = io.BytesIO()
    Image.new("1", (side, side)).save(bomb, format="PNG")
    with pytest.raises(BadUpload) as refused:
        normalize_image(bomb.getvalue(), field="image", max_side=64)
    assert refused.value.status in (413, 415)


def wav(seconds: float, rate: int = 16000) -> bytes:
    output = io.BytesIO()
    soundfile.write(output, np.zeros(int(seconds * rate), dtype="float32"), rate, format="WAV")
    return output.getvalue()


def test_audio_bounds() -> None:
    assert check_audio(wav(1.0), field="clip", max_seconds=2, rates=(8000, 48000))
    with pytest.raises(BadUpload, match="longer than 2 s"):
        check_audio(wav(3.0), field="clip", max_seconds=2, rates=(8000, 48000))
    with pytest.raises(BadUpload, match="sample rate 4000 Hz"):
        check_audio(wav(0.5, rate=4000), field="clip", max_seconds=2, rates=(8000, 48000))
    with pytest.raises(BadUpload, match="not an audio file"):
        check_audio(b"RIFF....nope", field="clip", max_seconds=2, rates=(8000, 48000))


def test_a_picture_too_small_for_the_demo_is_refused_after_scaling() -> None:
    assert Image.open(io.BytesIO(normalize_image(image_bytes((16, 16)), field="image", max_side=64, min_side=16)))
    with pytest.raises(BadUpload, match="at least 16 on each side") as refused:
        normalize_image(image_bytes((15, 40)), field="image", max_side=64, min_side=16)
    assert refused.value.status == 422
    with pytest.raises(BadUpload, match="2000x10"):  # a long thin strip shrinks below the minimum
        normalize_image(image_bytes((2000, 10)), field="image", max_side=2000, min_side=16)
