"""Checking uploads before a job is queued: images and audio a demo can take, or a clear 4xx.

Images: formats on an allow-list, decompression bombs refused before decoding, EXIF
orientation applied, large images brought down to the demo's working size, stored as PNG.
Audio: anything libsndfile reads, within the demo's length and sample-rate bounds.
"""

from __future__ import annotations

import io
import warnings

import soundfile
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused before it is decoded


class BadUpload(ValueError):
    """The upload cannot be used; the message names the problem (HTTP 415 or 422)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def normalize_image(data: bytes, *, field: str, max_side: int, min_side: int = 1) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                raise BadUpload(f"{field}: {image.format} images are not accepted; send "
                                f"{', '.join(sorted(IMAGE_FORMATS))}", 415)
            if image.width * image.height > MAX_PIXELS:
                raise BadUpload(f"{field}: {image.width}x{image.height} is too many pixels "
                                f"(at most {MAX_PIXELS // 1_000_000} megapixels)", 413)
            image.load()
    except UnidentifiedImageError:
        raise BadUpload(f"{field}: this file is not an image we can read; send "
                        f"{', '.join(sorted(IMAGE_FORMATS))}", 415) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadUpload(f"{field}: the image unpacks to far too many pixels (at most "
                        f"{MAX_PIXELS // 1_000_000} megapixels)", 413) from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt files
        if isinstance(exc, BadUpload):
            raise
        raise BadUpload(f"{field}: the image is damaged ({exc})") from None
    image = ImageOps.exif_transpose(image).convert("RGB")  # phones store rotation in EXIF
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if min(image.size) < min_side:  # checked after scaling: a long thin strip shrinks below it
        raise BadUpload(f"{field}: the picture is {image.width}x{image.height} pixels once scaled to at most "
                        f"{max_side}; this demo needs at least {min_side} on each side")
    output = io.BytesIO()
    image.save(output, format="PNG", compress_level=1)  # stored for minutes: speed over size
    return output.getvalue()


def check_audio(data: bytes, *, field: str, max_seconds: float, rates: tuple[int, int]) -> bytes:
    try:
        info = soundfile.info(io.BytesIO(data))
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise BadUpload(f"{field}: not an audio file we can read ({exc})", 415) from None
    if not rates[0] <= info.samplerate <= rates[1]:
        raise BadUpload(f"{field}: sample rate {info.samplerate} Hz is outside {rates[0]}-{rates[1]} Hz")
    if info.duration > max_seconds:
        raise BadUpload(f"{field}: {info.duration:.1f} s is longer than {max_seconds:g} s")
    return data
