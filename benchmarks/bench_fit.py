"""symmle.fit against hand-written NumPy and SciPy's fitters, the exact path at scale, and Dask.

Run: .venv/bin/python benchmarks/bench_fit.py   (part of `make bench`; a few minutes)
Every time is the best of a few runs after a warm-up call (which compiles the estimator).
The Dask parts run in child processes so that each peak RSS is its own.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

import symmle
from symmle.checks import frozen, log_density
from symmle.families import get


def best(fn: Callable[[], Any], repeats: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def checked(x: Any, outside: Callable[[Any], bool] | None = None) -> Any:
    """The mean, after the checks a careful user writes: finite data (one pass, the mean),
    and inside the support (a second pass, the minimum) where the support is bounded."""
    mean = x.mean()
    if not np.isfinite(mean) or (outside is not None and outside(x.min())):
        raise ValueError("bad data")
    return mean


def closed_forms() -> None:
    rng = np.random.default_rng(0)
    size = 10_000_000
    normal, counts = rng.normal(2, 3, size), rng.poisson(3.5, size)
    waits, sizes = rng.exponential(0.5, size), rng.lognormal(0.4, 0.8, size)
    shapes = rng.gamma(2.0, 0.5, size)

    def lognormal() -> Any:
        logs = np.log(sizes)
        return logs.mean(), logs.std()

    def lognormal_checked() -> Any:
        if sizes.min() <= 0:
            raise ValueError("bad data")
        logs = np.log(sizes)
        return checked(logs), logs.std()

    negative, positive = (lambda low: low < 0), (lambda low: low <= 0)
    cases = [
        ("normal", normal, {}, lambda: (normal.mean(), normal.std())),
        ("poisson", counts, {}, lambda: counts.mean()),
        ("exponential", waits, {}, lambda: 1 / waits.mean()),
        ("lognormal", sizes, {}, lognormal),
        ("gamma, α known", shapes, {"alpha": 2}, lambda: 2 / shapes.mean()),
    ]
    with_checks = [
        lambda: (checked(normal), normal.std()),
        lambda: checked(counts, negative),  # integers: no NaN, no ±∞, but the mean is a pass
        lambda: 1 / checked(waits, negative),
        lognormal_checked,
        lambda: 2 / checked(shapes, positive),
    ]
    print(f"Closed forms, n = {size:,}: symmle.fit / hand-written NumPy (target ≤ 1.5)")
    print("  and / the same NumPy with the checks fit makes (finite, inside the support)")
    header = f"{'fit ms':>9}{'NumPy ms':>10}{'ratio':>8}{'checked ms':>12}{'ratio':>8}"
    print(f"  {'family':<16}{header}")
    for (name, x, known, numpy), careful in zip(cases, with_checks, strict=True):
        family = name.split(",")[0]
        ours = best(lambda: symmle.fit(family, x, known=known))  # noqa: B023
        theirs, checks = best(numpy), best(careful)
        print(
            f"  {name:<16}{ours * 1e3:9.1f}{theirs * 1e3:10.1f}{ours / theirs:8.2f}"
            f"{checks * 1e3:12.1f}{ours / checks:8.2f}"
        )


DISCRETE_BOUNDS = {
    "bernoulli": (stats.bernoulli, {"p": (0, 1)}, {}),
    "binomial": (stats.binom, {"n": (10, 10), "p": (0, 1)}, {"m": 10}),
    "geometric": (stats.geom, {"p": (0, 1)}, {}),
    "poisson": (stats.poisson, {"mu": (0, 50)}, {}),
    "negative_binomial": (stats.nbinom, {"n": (3, 3), "p": (0, 1)}, {"r": 3}),
}
CONTINUOUS = {
    "normal": lambda x: stats.norm.fit(x),
    "lognormal": lambda x: stats.lognorm.fit(x, floc=0),
    "exponential": lambda x: stats.expon.fit(x, floc=0),
    "rayleigh": lambda x: stats.rayleigh.fit(x, floc=0),
    "half_normal": lambda x: stats.halfnorm.fit(x, floc=0),
    "uniform": lambda x: stats.uniform.fit(x),
    "pareto": lambda x: stats.pareto.fit(x, floc=0),
    "laplace": lambda x: stats.laplace.fit(x),
    "inverse_gaussian": lambda x: stats.invgauss.fit(x, floc=0),
    "gamma": lambda x: stats.gamma.fit(x, floc=0),
    "beta": lambda x: stats.beta.fit(x, floc=0, fscale=1),
    "weibull": lambda x: stats.weibull_min.fit(x, floc=0),
    "cauchy": lambda x: stats.cauchy.fit(x),
    "logistic": lambda x: stats.logistic.fit(x),
    "gumbel": lambda x: stats.gumbel_r.fit(x),
    "student_t": lambda x: stats.t.fit(x, f0=3),
}
NUMERIC = {"gamma", "beta", "weibull", "cauchy", "logistic", "gumbel", "student_t"}


def nll(name: str, known: dict[str, Any], x: Any, estimate: dict[str, float]) -> float:
    """The negative log-likelihood by scipy.stats (an independent route)."""
    dist = symmle.family_with_known(name, known)
    return -float(np.sum(log_density(frozen(dist, estimate), x)))


def timed_once(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    found = fn()
    return found, time.perf_counter() - start


def against_scipy() -> None:
    size = 1_000_000
    print(f"\nAgainst SciPy, n = {size:,} (target ≥ 1000× via scipy.stats.fit, ≥ 10× numeric)")
    print(f"  {'family':<18}{'scipy':>14}{'symmle':>10}{'speed-up':>10}   NLL symmle − scipy")
    for name in [*DISCRETE_BOUNDS, *CONTINUOUS]:
        family = get(name)
        known = dict(family.example_known)
        dist = symmle.family_with_known(name, known)
        x = frozen(dist, {}).rvs(size=size, random_state=np.random.default_rng(1))
        ours = best(lambda: symmle.fit(name, x, known=known), repeats=3)  # noqa: B023
        found = symmle.fit(name, x, known=known)
        if name in DISCRETE_BOUNDS:
            scipy_dist, bounds, _ = DISCRETE_BOUNDS[name]
            fitted, theirs = timed_once(lambda: stats.fit(scipy_dist, x, bounds))  # noqa: B023
            via, params = "stats.fit", dict(zip(bounds, fitted.params, strict=False))
            (only,) = dist.parameters  # the one free parameter: p, or μ for the Poisson
            theirs_estimate = {only.name: float(params.get("p", params.get("mu")))}
        else:
            fitted, theirs = timed_once(lambda: CONTINUOUS[name](x))  # noqa: B023
            via, theirs_estimate = "<dist>.fit", scipy_estimate(name, fitted)
        gap = nll(name, known, x, found) - nll(name, known, x, theirs_estimate)
        label = f"{theirs * 1e3:8.1f} ms ({via})"
        kind = " numeric" if name in NUMERIC else ""
        ratio = theirs / ours
        print(f"  {name:<18}{label:>24}{ours * 1e3:8.1f} ms{ratio:9.3g}×   {gap:+.3g}{kind}")


def scipy_estimate(name: str, fitted: tuple[float, ...]) -> dict[str, float]:
    """SciPy's (shape, loc, scale) as symmle's parameters."""
    shape, loc, scale = fitted[0], fitted[-2], fitted[-1]
    by_name: dict[str, Callable[[], dict[str, float]]] = {
        "normal": lambda: {"mu": loc, "sigma": scale},
        "lognormal": lambda: {"mu": float(np.log(scale)), "sigma": shape},
        "exponential": lambda: {"lambda": 1 / scale},
        "rayleigh": lambda: {"sigma": scale},
        "half_normal": lambda: {"sigma": scale},
        "uniform": lambda: {"a": loc, "b": loc + scale},
        "pareto": lambda: {"x_m": scale, "alpha": shape},
        "laplace": lambda: {"mu": loc, "b": scale},
        "inverse_gaussian": lambda: {"mu": shape * scale, "lambda": scale},
        "gamma": lambda: {"alpha": shape, "beta": 1 / scale},
        "beta": lambda: {"alpha": fitted[0], "beta": fitted[1]},
        "weibull": lambda: {"k": shape, "lambda": scale},
        "cauchy": lambda: {"x0": loc, "gamma": scale},
        "logistic": lambda: {"mu": loc, "s": scale},
        "gumbel": lambda: {"mu": loc, "beta": scale},
        "student_t": lambda: {"mu": loc, "sigma": scale},
    }
    return by_name[name]()


def exact_path() -> None:
    print("\nExact path symmle.mle(family, data): one call on data not seen before")
    rng = np.random.default_rng(2)
    for name in ("normal", "poisson", "lognormal"):
        symmle.mle(name, data=[1, 2, 4])  # the general derivation, once per family
    for size in (10_000, 100_000, 1_000_000):
        cases = {
            "normal, 3-decimal floats": ("normal", np.round(rng.normal(0, 1, size), 3)),
            "poisson, integers": ("poisson", rng.poisson(3.5, size)),
            "lognormal, 4-decimal floats": ("lognormal", np.round(rng.lognormal(0, 1, size), 4)),
            "normal, full 17-digit floats": ("normal", rng.normal(0, 1, size)),
        }
        for label, (name, x) in cases.items():
            _, took = timed_once(lambda: symmle.mle(name, data=x))  # noqa: B023
            print(f"  n = {size:>9,}  {label:<30}{took:7.2f} s")
    cli_from_file(np.round(rng.normal(0, 1, 1_000_000), 3))


def cli_from_file(x: Any) -> None:
    """`symmle derive normal --data-file F`, in a child process: reading, deriving, printing."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/sample.txt"
        np.savetxt(path, x, fmt="%.3f")
        command = [sys.executable, "-m", "symmle", "derive", "normal", "--data-file", path]
        _, took = timed_once(lambda: subprocess.run(command, check=True, capture_output=True))
    print(
        f"  symmle derive normal --data-file (n = {x.size:,}, 3 decimals), whole command: "
        f"{took:.2f} s"
    )


def dask_part(size: int) -> None:
    import dask.array as da
    from distributed import Client, LocalCluster

    chunk = 5_000_000
    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False)
    with cluster, Client(cluster):
        rng = da.random.default_rng(3)
        for name, x in (
            ("normal", rng.normal(2, 3, size, chunks=chunk)),
            ("gamma", rng.gamma(2.5, 1 / 1.5, size, chunks=chunk)),
        ):
            start = time.perf_counter()
            found = symmle.fit(name, x)
            took = time.perf_counter() - start
            shown = ", ".join(f"{k} = {v:.6g}" for k, v in found.items())
            print(f"  {name:<8} n = {size:,} in chunks of {chunk:,}: {took:6.1f} s  ({shown})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process: {peak:.0f} MB (the data alone: {size * 8 >> 20} MB)\n")


def main() -> None:
    if sys.argv[1:2] == ["dask"]:
        return dask_part(int(sys.argv[2]))
    start = time.perf_counter()
    symmle.fit("weibull", np.random.default_rng(0).weibull(1.5, 1000))
    print(f"First call (derivation and compilation), weibull: {time.perf_counter() - start:.2f} s")
    closed_forms()
    against_scipy()
    exact_path()
    print("\nDask, local cluster (1 worker, 2 threads, in-process):")
    sys.stdout.flush()
    for size in (10_000_000, 100_000_000):  # a bounded memory: the peak barely grows with n
        subprocess.run([sys.executable, __file__, "dask", str(size)], check=True)
    return None


if __name__ == "__main__":
    main()
