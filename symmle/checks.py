"""Numeric checks: every symbolic result compiled with lambdify and compared with an
independent route (scipy.stats densities, scipy.optimize minima, finite differences)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize, stats

from symmle.derive.general import General
from symmle.families import Distribution
from symmle.symbols import n

Array = np.ndarray[Any, np.dtype[np.float64]]
Vector = Sequence[float] | Array

SCIPY: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "bernoulli": lambda p: stats.bernoulli(p["theta"]),
    "normal": lambda p: stats.norm(p["mu"], p["sigma"]),
}
"""Each family as a frozen scipy.stats distribution, from parameter values by name."""

PROBE: dict[str, dict[str, float]] = {
    "bernoulli": {"theta": 0.3},
    "normal": {"mu": 0.7, "sigma": 1.6},
}
"""Parameter values that the checks draw random samples from."""

RELATIVE = 1e-9
OPTIMUM = 1e-5
GRADIENT = 1e-8


@dataclass(frozen=True)
class Check:
    """One numeric comparison: what was compared, the error and the tolerance."""

    name: str
    passed: bool
    error: float
    tolerance: float


def compare(name: str, got: Any, expected: Any, tolerance: float) -> Check:
    """Largest absolute difference, relative to the size of ``expected`` (at least 1)."""
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    scale = max(1.0, float(np.max(np.abs(expected))))
    error = float(np.max(np.abs(got - expected))) / scale
    return Check(name, bool(error <= tolerance), error, tolerance)


class Objective:
    """The general log-likelihood, score and estimate for one sample, compiled to NumPy."""

    def __init__(self, general: General, sample: Array) -> None:
        form = general.form
        self.names = [p.name for p in general.family.parameters]
        symbols = list(general.family.symbols)
        statistics = [s.symbol for s in form.statistics]
        self.data = [float(len(sample))]
        for s in form.statistics:
            term = sp.lambdify([sp.Symbol("y")], s.term, "numpy")
            self.data.append(float(np.sum(term(sample) * np.ones_like(sample))))
        arguments = [symbols, [n, *statistics]]
        self._ell = sp.lambdify(arguments, general.log_likelihood, "numpy")
        self._score = sp.lambdify(arguments, list(general.score), "numpy")
        solution = [general.solution[s] for s in symbols]
        self._estimate = sp.lambdify([[n, *statistics]], solution, "numpy")

    def log_likelihood(self, theta: Vector) -> float:
        return float(self._ell(theta, self.data))

    def score(self, theta: Vector) -> Array:
        return np.asarray(self._score(theta, self.data), float)

    def estimate(self) -> Array:
        return np.asarray(self._estimate(self.data), float)


def bounds(general: General) -> list[tuple[float | None, float | None]]:
    """Each parameter's domain, as scipy.optimize bounds kept off the endpoints."""
    found: list[tuple[float | None, float | None]] = []
    for p in general.family.parameters:
        low, high = p.domain.inf, p.domain.sup
        found.append(
            (
                float(low) + 1e-12 if low.is_finite else None,
                float(high) - 1e-12 if high.is_finite else None,
            )
        )
    return found


def minimise(objective: Objective, general: General, start: Sequence[float]) -> Array:
    """scipy.optimize's minimum of the lambdified negative log-likelihood."""

    def nll(theta: Array) -> float:
        with np.errstate(all="ignore"):
            value = -objective.log_likelihood(theta)
        return value if np.isfinite(value) else 1e300

    found = optimize.minimize(
        nll,
        np.asarray(start, float),
        method="L-BFGS-B",
        bounds=bounds(general),
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    return np.asarray(found.x, float)


def frozen(family: Distribution, theta: Sequence[float]) -> Any:
    """The scipy.stats distribution at parameter values theta (known ones included)."""
    values = {name: float(v) for name, v in family.known}
    values.update(zip((p.name for p in family.parameters), theta, strict=True))
    return SCIPY[family.name](values)


def log_density(dist: Any, sample: Array) -> Array:
    return np.asarray(dist.logpmf(sample) if hasattr(dist, "logpmf") else dist.logpdf(sample))


def random_sample(family: Distribution, size: int, seed: int) -> Array:
    """A sample drawn by scipy.stats at the family's probe parameters."""
    probe = PROBE[family.name]
    theta = [probe[p.name] for p in family.parameters]
    rng = np.random.default_rng(seed)
    return np.asarray(frozen(family, theta).rvs(size=size, random_state=rng), float)


def check_mle(
    general: General,
    data: tuple[Fraction, ...] | None,
    estimate: dict[str, float] | None,
    boundary: bool,
) -> tuple[Check, ...]:
    """Check the log-likelihood, the estimate and the score of a derivation.

    For concrete data the checks use that data; for general n, a random sample."""
    sample = (
        random_sample(general.family, 200, seed=0)
        if data is None
        else np.array([float(v) for v in data])
    )
    objective = Objective(general, sample)
    probe = PROBE[general.family.name]
    start = [probe[name] for name in objective.names]
    rng = np.random.default_rng(1)
    points = [[v * (1 + 0.3 * rng.uniform(-1, 1)) for v in start] for _ in range(3)]
    ours = [objective.log_likelihood(t) for t in points]
    theirs = [float(np.sum(log_density(frozen(general.family, t), sample))) for t in points]
    mle = (
        objective.estimate()
        if estimate is None
        else np.array([estimate[k] for k in objective.names])
    )
    checks = [
        compare(
            "log-likelihood equals the sum of scipy.stats log-densities", ours, theirs, RELATIVE
        ),
        compare(
            "estimate equals scipy.optimize's minimum of the NLL",
            mle,
            minimise(objective, general, start),
            OPTIMUM,
        ),
    ]
    if not boundary:
        gradient = objective.score(mle)
        checks.append(compare("score is zero at the estimate", gradient, 0 * gradient, GRADIENT))
    return tuple(checks)


HANDWRITTEN: dict[str, Callable[[Array, Array], Array]] = {
    "bernoulli": lambda y, p: -(y * np.log(p) + (1 - y) * np.log1p(-p)),
    "normal": lambda y, p: (p - y) ** 2,
}
"""Each family's per-sample loss written by hand in NumPy."""


def check_loss(
    family: Distribution,
    fn: Callable[[Array, Array], Array],
    constant: sp.Expr,
    scale: sp.Expr,
) -> tuple[Check, ...]:
    """The lambdified loss against a hand-written formula, and the NLL it came from
    (n * constant + scale * sum of losses) against scipy.stats on random targets."""
    assert family.loss is not None
    name, target = family.name, family.loss.parameter
    rng = np.random.default_rng(2)
    targets = random_sample(family, 50, seed=3)
    predicted = rng.uniform(0.05, 0.95, size=targets.size)
    fixed = {p.symbol: PROBE[name][p.name] for p in family.parameters if p.name != target}
    ours = fn(targets, predicted)
    nll = len(targets) * float(constant.subs(fixed)) + float(scale.subs(fixed)) * np.sum(ours)
    values: dict[str, Any] = {s.name: v for s, v in fixed.items()}
    values[target] = predicted
    theirs = -np.sum(log_density(SCIPY[name](values), targets))
    return (
        compare(
            f"loss equals the hand-written NumPy {family.loss.name}",
            ours,
            HANDWRITTEN[name](targets, predicted),
            RELATIVE,
        ),
        compare(
            "n * constant + scale * sum of losses equals the NLL from scipy.stats",
            nll,
            theirs,
            RELATIVE,
        ),
    )
