"""What the bench scripts share for timing code in-process: the median of repeated runs after
a warm-up (the first call pays for lazy initialisation, not for the work)."""

import statistics
import time
from collections.abc import Callable


def median_ms(function: Callable[[], object], rounds: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
