"""symmle.compare on 10⁵ gamma values against the ``fitter`` package (scipy.stats' generic fit
per family) on the same 12 families, and the times of a new process: with an empty cache
(derive and compile every family) and with the cache that run left (read them from disk).

Run: .venv/bin/python benchmarks/bench_compare.py   (part of `make bench`, which installs
fitter). Each figure is printed beside its target; the in-process ones are the best of 5.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

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
SYMMLE = [sys.executable, "-m", "symmle"]


def timed(commands: Sequence[Sequence[str]], cache: Path) -> float:
    """The best wall time of a new process running each of ``commands`` with ``cache`` as its
    cache."""
    env = os.environ | {"SYMMLE_CACHE_DIR": str(cache)}
    env.pop("SYMMLE_NO_CACHE", None)
    times = []
    for command in commands:
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def row(what: str, seconds: float, target: str) -> None:
    print(f"  {what:<58}{seconds:>8.3f} s   {target}")


def new_processes(data: Path) -> None:
    compare = [*SYMMLE, "compare", "--data-file", str(data)]
    derive = [*SYMMLE, "derive", "bernoulli", "--data", "0,0,0,1,0"]
    others = [[*SYMMLE, "derive", "bernoulli", "--data", s] for s in ("1,0,0,1,0", "0,1,1,1,0")]
    importing = [sys.executable, "-c", "import symmle"]
    using = [sys.executable, "-c", "import symmle; symmle.mle"]
    print("A new process (best of 3; the first run of each fills an empty cache):")
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        rows = [
            ("import symmle", [importing] * 3, first, ""),
            ("import symmle; symmle.mle (every module)", [using] * 3, first, ""),
            ("symmle compare --data-file (10⁵ values), empty cache", [compare], first, ""),
            ("symmle compare --data-file (10⁵ values), warm cache", [compare] * 3, first, "< 2 s"),
            ("symmle derive bernoulli --data 0,0,0,1,0, empty cache", [derive], second, ""),
            ("symmle derive bernoulli --data 0,0,0,1,0, warm cache", [derive] * 3, second, "< 1 s"),
            ("symmle derive bernoulli, a sample not yet derived", others, second, ""),
        ]
        for what, commands, cache, target in rows:
            row(what, timed(commands, Path(cache)), target)


def in_process(x: np.ndarray) -> float:
    names = list(SCIPY_NAMES)
    symmle.compare(x, names)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        found = symmle.compare(x, names)
        times.append(time.perf_counter() - start)
    print(f"In this process, {len(names)} families, n = {SIZE:,}: best is {found.best.family}")
    row("symmle.compare, warm", min(times), "< 0.15 s")
    return min(times)


def beside_fitter(x: np.ndarray, warm: float) -> None:
    try:
        from fitter import Fitter
    except ImportError:
        print("fitter is not installed (pip install fitter): no side-by-side figure.")
        return
    start = time.perf_counter()
    Fitter(x, distributions=list(SCIPY_NAMES.values()), timeout=600).fit(progress=False)
    elapsed = time.perf_counter() - start
    row(f"fitter, the same {len(SCIPY_NAMES)} families", elapsed, "")
    print(f"  symmle.compare is {elapsed / warm:.0f}× faster than fitter (target ≥ 20×)")


def main() -> None:
    x = np.random.default_rng(0).gamma(2.5, 1 / 1.5, SIZE)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "gamma.txt"
        np.savetxt(data, x)
        new_processes(data)
    warm = in_process(x)
    beside_fitter(x, warm)


if __name__ == "__main__":
    main()
