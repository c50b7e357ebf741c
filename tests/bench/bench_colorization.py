"""`make bench`, colorization: end-to-end latency of `POST /api/v1/demos/colorization?wait=`
for a 512x512 and a 1024x768 photo (upload, check and normalise, queue, network, PNG back) on
CPU, with the shipped model. The anchor, in the same run: one forward pass of the full-width
ECCV16 network (random weights, 313 bins) at 256x256, the paper's model at its input size.
Target: 512x512 end to end under 300 ms.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from tests.bench.bench_web import running_server  # noqa: E402

ROUNDS = 20
TARGET_MS = 300.0


def photo(width: int, height: int) -> bytes:
    """A real photo (scikit-image's rocket, CC0/public domain) resized to width x height, as JPEG."""
    import skimage.data

    image = Image.fromarray(skimage.data.rocket()).resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def anchor_ms() -> float:
    """Median forward time of the full-width ECCV16 network at 256x256 (this process, CPU)."""
    from models.colorization.net import ECCV16Colorizer

    network = ECCV16Colorizer(num_bins=313, width=1.0).eval()
    light = torch.rand(1, 1, 256, 256) * 100
    times = []
    with torch.inference_mode():
        network(light)  # warm-up
        for _ in range(5):
            started = time.perf_counter()
            network(light)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def end_to_end_ms(client: httpx.Client, base: str, body: bytes, size: tuple[int, int]) -> list[float]:
    times = []
    for _ in range(ROUNDS + 1):
        started = time.perf_counter()
        response = client.post(f"{base}/api/v1/demos/colorization?wait=30",
                               files={"image": ("photo.jpg", body, "image/jpeg")})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200 and response.headers["content-type"] == "image/png", response.text[:200]
        assert Image.open(io.BytesIO(response.content)).size == size
        times.append(elapsed)
    return sorted(times[1:])  # the first request pays for lazy imports


def main() -> None:
    anchor = anchor_ms()
    env = {"MARGINALIA_DEMO_RUNS_PER_MINUTE": "1000000", "MARGINALIA_MAX_ACTIVE_JOBS": "100000"}
    with running_server(env) as (base, _env), httpx.Client(timeout=60) as client:
        results = {size: end_to_end_ms(client, base, photo(*size), size) for size in ((512, 512), (1024, 768))}
    print(f"anchor: full-width ECCV16 forward at 256x256 (random weights, CPU, {torch.get_num_threads()} threads): "
          f"{anchor:.0f} ms")
    print(f"{'colorization, end to end':<28} {'p50 ms':>7} {'p90 ms':>7} {'x anchor':>9}")
    for (width, height), times in results.items():
        p50, p90 = statistics.median(times), times[int(len(times) * 0.9) - 1]
        print(f"{f'{width}x{height} upload':<28} {p50:>7.0f} {p90:>7.0f} {p50 / anchor:>9.2f}")
    p50 = statistics.median(results[(512, 512)])
    print(f"512x512 end to end p50 {p50:.0f} ms (target < {TARGET_MS:.0f}: {'met' if p50 < TARGET_MS else 'MISSED'})")


if __name__ == "__main__":
    main()
