"""symmle.fit of every numeric family (Newton's method on the profile log-likelihood) on 10⁶
values, in multiples of one NumPy pass of the family's heaviest term (issue 17: target ≤ 10),
and ℓ at symmle's estimate minus ℓ at SciPy's fit (≥ 0: no worse than SciPy).

Run: .venv/bin/python benchmarks/bench_passes.py [FAMILY ...]   (part of `make bench`; about a
minute; the named families only, if any)
Each time is the best of several runs after a warm-up call (which compiles the estimator); the
fit and its pass alternate, so that a busy machine slows both alike. Beside the wall-clock
multiple (the target), the same ratio of CPU times (the fit's threads summed): the work done,
which a busy machine changes less; the load average is printed with the table.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from scipy import stats

import symmle
from symmle.checks import frozen, log_density, random_sample
from symmle.families import Distribution, get
from symmle.fit.estimator import estimator

SIZE = 10**6
TARGET = 10.0
REPEATS = 7


def log1p_square(x: Any) -> float:
    return float(np.log1p(x * x).sum())


def exp_minus(x: Any) -> float:
    return float(np.exp(-x).sum())


def log(x: Any) -> float:
    return float(np.log(x).sum())


HEAVIEST: dict[str, Callable[[Any], float]] = {
    "cauchy": log1p_square,
    "student_t": log1p_square,
    "logistic": exp_minus,
    "gumbel": exp_minus,
}
"""The family's heaviest elementwise term as one NumPy pass; log(y) for the others (gamma,
beta, Weibull)."""


def numeric_families() -> Iterator[tuple[str, dict[str, str], Distribution]]:
    """Every family (with its worked example's constants) fitted by Newton's method."""
    for name in symmle.families("scalar"):
        known = dict(get(name).example_known)
        dist = symmle.family_with_known(name, known)
        plan = estimator(dist).general.plan
        if plan.numeric and plan.method != "EM":  # mixtures: benchmarks/bench_em.py
            yield name, known, dist


def scipy_fit(dist: Distribution, x: Any) -> dict[str, float]:
    """SciPy's fit: the family's own, or Student's t with ν held at its known value."""
    if dist.fit is not None:
        return dist.fit(x)
    _, mu, sigma = stats.t.fit(x, f0=float(dict(dist.known)["nu"]))
    return {"mu": mu, "sigma": sigma}


def log_likelihood(dist: Distribution, x: Any, estimate: dict[str, float]) -> float:
    """ℓ summed exactly (math.fsum): the difference of two fits is then not rounding."""
    return math.fsum(log_density(frozen(dist, estimate), x))


Times = tuple[float, float]
"""Wall-clock and CPU seconds."""


def timed(fn: Callable[[], Any]) -> Times:
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def best_pair(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Times, Times]:
    """The best wall-clock and CPU times of each of two functions, run alternately after a
    warm-up."""
    first(), second()
    times = [(timed(first), timed(second)) for _ in range(REPEATS)]
    return best([t for t, _ in times]), best([t for _, t in times])


def best(times: list[Times]) -> Times:
    return min(wall for wall, _ in times), min(cpu for _, cpu in times)


def row(name: str, known: dict[str, str], dist: Distribution, seed: int) -> str:
    x = random_sample(dist, SIZE, seed)
    heaviest = HEAVIEST.get(name, log)
    (fit, fit_cpu), (one_pass, pass_cpu) = best_pair(
        lambda: symmle.fit(name, x, known=known), lambda: heaviest(x)
    )
    ours = symmle.fit(name, x, known=known)
    gain = log_likelihood(dist, x, ours) - log_likelihood(dist, x, scipy_fit(dist, x))
    multiple = fit / one_pass
    mark = "" if multiple <= TARGET else "  over"
    return (
        f"  {name:<12}{fit * 1e3:>9.1f}{one_pass * 1e3:>9.2f}{multiple:>9.1f}{TARGET:>8.0f}"
        f"{fit_cpu / pass_cpu:>8.1f}{gain:>14.2e}{mark}"
    )


def main() -> None:
    print(f"symmle.fit on n = {SIZE:,}, numeric families: fit / one NumPy pass of the heaviest")
    print("  term (log1p(x*x) for Cauchy and Student's t, exp(-x) for logistic and Gumbel,")
    print("  log(x) otherwise); ℓ(symmle) − ℓ(SciPy's fit) ≥ 0 means no worse than SciPy")
    print("  cpu ×: the same ratio of CPU times (the fit's threads summed): the work done")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"  load average {load} (1, 5, 15 min) on {os.cpu_count()} cores")
    header = f"{'fit ms':>9}{'pass ms':>9}{'multiple':>9}{'target':>8}{'cpu ×':>8}"
    print(f"  {'family':<12}{header}{'ℓ − ℓ SciPy':>14}")
    for seed, (name, known, dist) in enumerate(numeric_families()):
        if name in sys.argv[1:] or not sys.argv[1:]:  # the seed stays the family's
            print(row(name, known, dist, seed), flush=True)


if __name__ == "__main__":
    main()
