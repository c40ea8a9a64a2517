"""Seeded Monte Carlo with the derived estimators, vectorised with NumPy: the statistics of
many samples at once (one per row, or every prefix of one long sample), the closed forms
lambdified on them, and Newton's method on the profile log-likelihood where there is none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from symmle.checks import frozen
from symmle.derive.general import General
from symmle.derive.lambdified import MODULES, log_gamma
from symmle.families import Distribution
from symmle.numeric.quantiles import normal_quantile
from symmle.printing.notation import OrderStatistic, SampleMean
from symmle.symbols import n, value

Array = np.ndarray[Any, np.dtype[np.float64]]
Statistics = dict[sp.Symbol, Array]

ORDER: dict[str, Any] = {"min": np.min, "max": np.max, "median": np.median}
RUNNING: dict[str, Any] = {"min": np.minimum.accumulate, "max": np.maximum.accumulate}


def draws(family: Distribution, values: Mapping[str, float], shape: Any, seed: int) -> Array:
    """Samples from scipy.stats' twin of the family at ``values``."""
    rng = np.random.default_rng(seed)
    return np.asarray(frozen(family, values).rvs(size=shape, random_state=rng), dtype=float)


def term_function(term: sp.Expr) -> Any:
    return sp.lambdify([value], log_gamma(term), MODULES)


def row_statistics(g: General, samples: Array) -> Statistics:
    """n, each S_k and each order statistic of every row of ``samples``."""
    rows, size = samples.shape
    found: Statistics = {n: np.full(rows, float(size))}
    for s in g.form.statistics:
        found[s.symbol] = np.sum(term_function(s.term)(samples) * np.ones_like(samples), axis=1)
    for kind, reduce in ORDER.items():
        found[OrderStatistic(kind)] = reduce(samples, axis=1)
    return found


def prefix_statistics(g: General, path: Array, sizes: Array) -> Statistics:
    """The statistics of the first m observations of one sample, for each m in ``sizes``."""
    index = np.asarray(sizes, dtype=int) - 1
    found: Statistics = {n: np.asarray(sizes, dtype=float)}
    for s in g.form.statistics:
        found[s.symbol] = np.cumsum(term_function(s.term)(path) * np.ones_like(path))[index]
    for kind, running in RUNNING.items():
        found[OrderStatistic(kind)] = running(path)[index]
    return found


def lambdified(expr: sp.Expr, first: list[sp.Symbol], statistics: Statistics) -> Any:
    return sp.lambdify([*first, *statistics], log_gamma(expr), MODULES)


def profile_newton(g: General, statistics: Statistics, start: float = 1.0) -> Array:
    """The one numeric parameter, maximising the profile log-likelihood row by row: Newton
    steps where it is concave, halved until they stay in the domain and do not lower ℓ."""
    (theta,) = g.plan.numeric
    ell = g.plan.log_likelihood
    f = [
        lambdified(e, [theta], statistics)
        for e in (ell, sp.diff(ell, theta), sp.diff(ell, theta, 2))
    ]
    args = list(statistics.values())
    low = float(next(p for p in g.family.parameters if p.symbol == theta).domain.inf)
    x = np.full(args[0].shape, start)
    for _ in range(100):
        value_, d1, d2 = (np.asarray(h(x, *args), dtype=float) for h in f)
        step = np.where(d2 < 0, -d1 / np.where(d2 < 0, d2, -1.0), np.sign(d1) * (x - low) / 2)
        for _ in range(60):
            candidate = x + step
            inside = candidate > low
            better = np.full(x.shape, False)
            better[inside] = f[0](candidate, *args)[inside] >= value_[inside] - 1e-12 * np.abs(
                value_[inside]
            )
            if better.all():
                break
            step = np.where(better, step, step / 2)
        x = candidate
        if np.all(np.abs(step) <= 1e-13 * np.maximum(1.0, np.abs(x))):
            break
    return x


def estimates(g: General, statistics: Statistics) -> dict[str, Array]:
    """Every parameter's estimate from the statistics, by the derivation's method."""
    found: dict[sp.Symbol, Array] = {}
    if g.plan.numeric:
        (theta,) = g.plan.numeric
        found[theta] = profile_newton(g, statistics)
        for symbol, expr in g.plan.profiled.items():
            found[symbol] = lambdified(expr, [theta], statistics)(
                found[theta], *statistics.values()
            )
    for symbol, expr in g.solution.items():
        found[symbol] = lambdified(expr, [], statistics)(*statistics.values()) * np.ones(
            len(statistics[n])
        )
    return {p.name: np.asarray(found[p.symbol], dtype=float) for p in g.family.parameters}


def wald_errors(
    covariance: sp.Matrix, g: General, found: dict[str, Array], size: Array | float, k: int
) -> Array:
    """√(Σₖₖ(θ̂)/n) on arrays of estimates."""
    symbols = [p.symbol for p in g.family.parameters]
    entry = sp.lambdify(symbols, covariance[k, k], MODULES)
    variance = entry(*(found[p.name] for p in g.family.parameters)) / size
    return np.asarray(np.sqrt(variance), dtype=float)


def coverage(inside: Array) -> tuple[float, float]:
    """The share of intervals that cover the truth and its Monte Carlo standard error."""
    share = float(np.mean(inside))
    return share, float(np.sqrt(max(share * (1 - share), 1e-12) / inside.size))


Z95 = normal_quantile(0.975)


def sample_mean_estimates(estimator: Mapping[str, sp.Expr], samples: Array) -> dict[str, Array]:
    """Estimators written in sample means (the method of moments) on every row."""
    found = {}
    for name, expr in estimator.items():
        averages = sorted(expr.atoms(SampleMean), key=sp.default_sort_key)
        hidden = [sp.Dummy() for _ in averages]
        f = sp.lambdify(hidden, expr.xreplace(dict(zip(averages, hidden, strict=True))), "numpy")
        rows = [
            np.mean(term_function(a.args[0])(samples) * np.ones_like(samples), axis=1)
            for a in averages
        ]
        found[name] = np.asarray(f(*rows), dtype=float)
    return found
