"""symmle.fit on 10⁶ × 3 tables of vector observations (the multivariate Normal, Multinomial and
Dirichlet), NumPy and Dask: the seconds (best of a few runs) and their multiple of one NumPy
pass over the same array (X.sum(axis=0)), the physical limit of a fit that reads every value."""

from __future__ import annotations

import timeit
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

import symmle

ROWS = 1_000_000
CHUNK = 250_000
RUNS = 5


def samples() -> dict[str, tuple[np.ndarray, dict[str, int] | None]]:
    rng = np.random.default_rng(0)
    covariance = [[2.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 1.0]]
    return {
        "multivariate_normal": (rng.multivariate_normal([1.0, 2.0, 3.0], covariance, ROWS), None),
        "multinomial": (rng.multinomial(10, [0.2, 0.3, 0.5], ROWS).astype(np.float64), {"m": 10}),
        "dirichlet": (rng.dirichlet([2.0, 0.5, 5.0], ROWS), None),
    }


def best(run: Callable[[], Any]) -> float:
    return min(timeit.repeat(run, number=1, repeat=RUNS))


def main() -> None:
    import dask.array as da

    print(f"symmle.fit on {ROWS:,} x 3 rows; multiples of one NumPy pass, X.sum(axis=0)")
    print(f"{'family':<22}{'pass':>10}{'NumPy':>10}{'x':>7}{'Dask':>10}{'x':>7}{'se=True':>10}")
    for name, (X, known) in samples().items():
        fit = partial(symmle.fit, name, known=known)
        one_pass = best(partial(X.sum, axis=0))
        on_numpy = best(partial(fit, X))
        on_dask = best(partial(fit, da.from_array(X, chunks=(CHUNK, 3))))
        errors = best(partial(fit, X, se=True))
        print(
            f"{name:<22}{one_pass:>9.4f}s{on_numpy:>9.4f}s{on_numpy / one_pass:>7.1f}"
            f"{on_dask:>9.4f}s{on_dask / one_pass:>7.1f}{errors:>9.4f}s"
        )


if __name__ == "__main__":
    main()
