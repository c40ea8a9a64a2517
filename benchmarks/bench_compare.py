"""symmle.compare on 10⁵ gamma values: warm (estimators compiled), from a cold process, and
side by side with the ``fitter`` package (scipy.stats' generic fit per family) when it is
installed (pip install fitter).

Run: .venv/bin/python benchmarks/bench_compare.py   (part of `make bench`)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

import numpy as np

import symmle

SIZE = 100_000
SCIPY_NAMES = {
    "gamma": "gamma",
    "lognormal": "lognorm",
    "weibull": "weibull_min",
    "exponential": "expon",
    "normal": "norm",
    "cauchy": "cauchy",
    "logistic": "logistic",
    "gumbel": "gumbel_r",
    "laplace": "laplace",
    "rayleigh": "rayleigh",
    "half_normal": "halfnorm",
    "inverse_gaussian": "invgauss",
}


def main() -> None:
    x = np.random.default_rng(0).gamma(2.5, 1 / 1.5, SIZE)
    names = list(SCIPY_NAMES)
    start = time.perf_counter()
    found = symmle.compare(x, names)
    first = time.perf_counter() - start
    times = []
    for _ in range(5):
        start = time.perf_counter()
        symmle.compare(x, names)
        times.append(time.perf_counter() - start)
    print(f"symmle.compare, {len(names)} families, n = {SIZE}: best is {found.best.family}")
    print(f"  first call in this process (derive + compile): {first:.2f} s")
    print(f"  warm (best of 5):                              {min(times):.3f} s")
    with tempfile.NamedTemporaryFile(suffix=".npy") as file:
        np.save(file.name, x)
        code = f"import numpy, symmle; symmle.compare(numpy.load({file.name!r}), {names!r})"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        print(
            f"  cold process (import + derive + compile):      {time.perf_counter() - start:.2f} s"
        )
    try:
        from fitter import Fitter
    except ImportError:
        print("fitter is not installed (pip install fitter): no side-by-side figure.")
        return
    start = time.perf_counter()
    Fitter(x, distributions=list(SCIPY_NAMES.values()), timeout=600).fit()
    elapsed = time.perf_counter() - start
    print(f"fitter, the same {len(names)} families: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
