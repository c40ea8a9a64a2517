"""Numeric checks: every symbolic result compiled with lambdify and compared with an
independent route (scipy.stats densities, scipy.optimize minima, finite differences)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from symmle.derive.compiled import Compiled
from symmle.derive.estimate import estimate_on, hessian_at
from symmle.derive.exact import floats
from symmle.derive.general import General, example_sample, general
from symmle.derive.solve import place
from symmle.families import Distribution
from symmle.render.notation import OrderStatistic

Array = np.ndarray[Any, np.dtype[np.float64]]
Vector = Sequence[float] | Array

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


def frozen(family: Distribution, values: Mapping[str, Any]) -> Any:
    """The scipy.stats twin at parameter values by name (constants and known ones added)."""
    if family.scipy is None:
        raise NotImplementedError(f"{family.name} has no scipy.stats twin")
    full: dict[str, Any] = {k: v for k, v in family.probe if k not in values}
    full.update({name: float(v) for name, v in family.known})
    full.update(values)
    return family.scipy(full)


def log_density(dist: Any, sample: Array) -> Array:
    return np.asarray(dist.logpmf(sample) if hasattr(dist, "logpmf") else dist.logpdf(sample))


def random_sample(family: Distribution, size: int, seed: int) -> Array:
    """A sample drawn by scipy.stats at the family's probe parameters."""
    rng = np.random.default_rng(seed)
    return np.asarray(frozen(family, {}).rvs(size=size, random_state=rng), float)


def perturbed(g: General, at: dict[sp.Symbol, float], rng: np.random.Generator) -> list[float]:
    """A point near the estimate, inside the domain and the region the data allow."""
    point = []
    for p in g.family.parameters:
        v, u = at[p.symbol], 0.3 * rng.uniform(0.2, 1)
        statistic = g.plan.boundary.get(p.symbol)
        if statistic is None:
            u *= rng.choice([-1, 1])
        elif statistic == OrderStatistic("min"):
            u = -u
        moved = v + u * max(abs(v), 0.1)
        inf, sup = float(p.domain.inf), float(p.domain.sup)
        if np.isfinite(inf):
            moved = max(moved, inf + 0.05 * max(v - inf, 0.1))
        if np.isfinite(sup):
            moved = min(moved, sup - 0.05 * max(sup - v, 0.1))
        point.append(moved)
    if g.family.simplex:  # probabilities that sum to one
        return [v / sum(point) for v in point]
    return point


def bounds(g: General, sample: Array) -> list[tuple[float | None, float | None]]:
    """Each parameter's domain (and the data's region), kept off open endpoints."""
    found: list[tuple[float | None, float | None]] = []
    for p in g.family.parameters:
        low, high = float(p.domain.inf), float(p.domain.sup)
        statistic = g.plan.boundary.get(p.symbol)
        if statistic == OrderStatistic("min"):
            high = float(np.min(sample))
        elif statistic == OrderStatistic("max"):
            low = float(np.max(sample))
        found.append(
            (
                low + 1e-10 if np.isfinite(low) else None,
                high - 1e-10 * (statistic is None) if np.isfinite(high) else None,
            )
        )
    return found


def minimise(g: General, sample: Array, start: Sequence[float]) -> Array:
    """scipy.optimize's minimum of the lambdified negative log-likelihood."""
    ell = Compiled([g.log_likelihood], list(g.family.symbols), g.form, sample)

    def nll(theta: Array) -> float:
        value = -ell(list(theta))[0]
        return value if np.isfinite(value) else 1e300

    constraints = (
        [{"type": "eq", "fun": lambda t: float(np.sum(t) - 1)}] if g.family.simplex else []
    )
    method = "SLSQP" if g.family.simplex else ("Nelder-Mead" if g.plan.median else "L-BFGS-B")
    options = {"ftol": 1e-15, "maxiter": 10_000}
    if method == "L-BFGS-B":
        options["gtol"] = 1e-12
    if method == "Nelder-Mead":
        options = {"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20_000}
    found = optimize.minimize(
        nll,
        np.asarray(start, float),
        method=method,
        bounds=bounds(g, sample),
        constraints=constraints,
        options=options,
    )
    return np.asarray(found.x, float)


def check_mle(
    g: General, data: Sequence[Fraction] | None, estimate: dict[str, float] | None
) -> tuple[Check, ...]:
    """Check the log-likelihood, the estimate and the score of a derivation.

    For concrete data the checks use that data; for general n, a random sample."""
    if data is None and g.family.constants:
        g = general(example_sample(g.family)[0])  # the constants at the worked example's
    family = g.family
    sample = random_sample(family, 200, seed=0) if data is None else floats(data)
    at = (
        estimate_on(g, sample)
        if estimate is None
        else {p.symbol: estimate[p.name] for p in family.parameters}
    )
    theta = [at[s] for s in family.symbols]
    rng = np.random.default_rng(1)
    points = [perturbed(g, at, rng) for _ in range(3)]
    ell = Compiled([g.log_likelihood], list(family.symbols), g.form, sample)
    names = [p.name for p in family.parameters]
    ours = [ell(t)[0] for t in points]
    theirs = [
        float(np.sum(log_density(frozen(family, dict(zip(names, t, strict=True))), sample)))
        for t in points
    ]
    checks = [
        compare(
            "log-likelihood equals the sum of scipy.stats log-densities", ours, theirs, RELATIVE
        )
    ]
    optimum = minimise(g, sample, perturbed(g, at, rng))
    if g.plan.boundary or g.plan.median:
        best, found = -ell(theta)[0], -ell(list(optimum))[0]
        checks.append(
            Check(
                "NLL at the estimate is no larger than at scipy.optimize's minimum",
                bool(best <= found + OPTIMUM * abs(found)),
                max(0.0, (best - found) / abs(found)),
                OPTIMUM,
            )
        )
    else:
        checks.append(
            compare("estimate equals scipy.optimize's minimum of the NLL", theta, optimum, OPTIMUM)
        )
    checks += score_checks(g, sample, at)
    if family.fit is not None:
        checks.append(fit_check(g, sample, theta))
    return tuple(checks)


def score_checks(g: General, sample: Array, at: dict[sp.Symbol, float]) -> list[Check]:
    """The score is zero at an interior estimate (the constraint holds for a constrained one)."""
    family = g.family
    if g.family.simplex:
        total = sum(at.values())
        return [compare("the estimated probabilities sum to one", total, 1.0, RELATIVE)]
    smooth = [p for p in family.parameters if p.symbol in g.smooth]
    if not smooth or any(place(sp.Float(at[p.symbol]), p) != "interior" for p in smooth):
        return []
    ell = g.plan.log_likelihood if (g.plan.boundary or g.plan.median) else g.log_likelihood
    score = Compiled(
        [sp.diff(ell, p.symbol) for p in smooth], [p.symbol for p in smooth], g.form, sample
    )
    gradient = np.asarray(score([at[p.symbol] for p in smooth]))
    scale = np.abs(np.diag(hessian_at(g, sample, at))) * np.array(
        [max(abs(at[p.symbol]), 1e-3) for p in smooth]
    )
    return [
        compare(
            "score is zero at the estimate",
            gradient / np.maximum(scale, 1e-300),
            0 * gradient,
            GRADIENT,
        )
    ]


def fit_check(g: General, sample: Array, theta: Sequence[float]) -> Check:
    """The NLL at symmle's estimate is no larger than at scipy.stats' own fit."""
    assert g.family.fit is not None
    ell = Compiled([g.log_likelihood], list(g.family.symbols), g.form, sample)
    fitted = g.family.fit(sample)
    theirs = -ell([fitted[p.name] for p in g.family.parameters])[0]
    ours = -ell(list(theta))[0]
    error = max(0.0, (ours - theirs) / abs(theirs))
    return Check(
        "NLL at the estimate is no larger than at scipy.stats' fit",
        bool(error <= OPTIMUM),
        error,
        OPTIMUM,
    )


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
    probe = family.probe_values
    predicted = rng.uniform(0.05, 0.95, size=targets.size)
    fixed = {p.symbol: probe[p.name] for p in family.parameters if p.name != target}
    ours = fn(targets, predicted)
    nll = len(targets) * float(constant.subs(fixed)) + float(scale.subs(fixed)) * np.sum(ours)
    values: dict[str, Any] = {s.name: v for s, v in fixed.items()}
    values[target] = predicted
    theirs = -np.sum(log_density(frozen(family, values), targets))
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
