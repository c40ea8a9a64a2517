"""Time symmle.mle("normal", data) for n = 10, 10^3, 10^4 (general derivation warm).

Run: .venv/bin/python benchmarks/bench_mle.py
The general derivation is done once per family and cached; concrete data only substitute
their sufficient statistics, so the time should barely grow with n.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import symmle


def timed(data: list[float], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        symmle.mle("normal", data=data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    symmle.mle("normal")
    print(f"general derivation (once per family): {time.perf_counter() - start:.3f} s")
    rng = np.random.default_rng(0)
    for size in (10, 1_000, 10_000):
        floats = [float(v) for v in np.round(rng.normal(0, 1, size), 3)]
        integers = [int(v) for v in rng.integers(-50, 50, size)]
        print(
            f"n = {size:>6}: {timed(floats) * 1000:8.1f} ms (3-decimal floats), "
            f"{timed(integers) * 1000:8.1f} ms (integers)"
        )


if __name__ == "__main__":
    main()
