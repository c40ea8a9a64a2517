"""EM on 10⁶ values: the seconds per iteration on all the data (E-step and M-step, NumPy and
Dask), and symmle.fit("normal_mixture", x, known={"k": 2}) end to end, beside scikit-learn's
GaussianMixture where it is installed."""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

import symmle
from symmle.derive.em.compiled import compile_em, in_memory
from symmle.families import get

SIZE = 1_000_000


def sample() -> np.ndarray:
    rng = np.random.default_rng(0)
    first = int(0.3 * SIZE)
    return np.concatenate([rng.normal(0, 1, first), rng.normal(4, 1.5, SIZE - first)])


def per_iteration(x: np.ndarray) -> float:
    program = compile_em(get("normal_mixture").fix({"k": sp.Integer(2)}))  # type: ignore[arg-type]
    step = program.step(in_memory(program.table(x)), x.size)
    theta = np.array([0.5, 0.5, 0.0, 1.0, 4.0, 1.0])
    start = time.perf_counter()
    for _ in range(10):
        _, theta = step(theta)
    return (time.perf_counter() - start) / 10


def main() -> None:
    x = sample()
    print(f"EM iteration on 10^6 values (NumPy): {per_iteration(x):.3f} s (target: well under 1 s)")
    start = time.perf_counter()
    found = symmle.fit("normal_mixture", x, known={"k": 2})
    print(f"symmle.fit normal_mixture, 10^6 values: {time.perf_counter() - start:.2f} s {found}")
    try:
        import dask.array as da
    except ImportError:
        return
    start = time.perf_counter()
    symmle.fit("normal_mixture", da.from_array(x, chunks=250_000), known={"k": 2})
    print(f"symmle.fit normal_mixture, 10^6 values in Dask: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
