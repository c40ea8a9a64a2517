"""Numeric checks: every symbolic result compiled with lambdify and compared with an
independent route (scipy.stats densities, scipy.optimize minima, finite differences)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import scipy
import sympy as sp

from symmle.derive.compiled import Compiled
from symmle.derive.estimate import compiled_log_likelihood, estimate_on, hessian_at, in_floats
from symmle.derive.exact import floats
from symmle.derive.general import General, example_sample, general
from symmle.derive.solve import place
from symmle.families import Distribution
from symmle.families.location import seen_from
from symmle.families.twin import FormulaTwin
from symmle.printing.notation import OrderStatistic

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


def compare(name: str, got: Any, expected: Any, tolerance: float, scale: Any = None) -> Check:
    """Largest difference relative to ``scale`` (elementwise; by default the size of
    ``expected``). A NaN or infinite value fails."""
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    size = np.abs(expected) if scale is None else np.asarray(scale, float)
    with np.errstate(all="ignore"):
        errors = np.abs(got - expected) / np.maximum(size, np.finfo(float).tiny)
    error = float(np.max(errors)) if np.all(np.isfinite(errors)) else float("inf")
    return Check(name, bool(error <= tolerance), error, tolerance)


def spread(sample: Array) -> float:
    """The scale of the data: their standard deviation (their size when all are equal)."""
    return float(np.std(sample)) or float(np.max(np.abs(sample))) or 1.0


def curvatures(g: General, sample: Array, at: dict[sp.Symbol, float]) -> dict[sp.Symbol, float]:
    """|∂²ℓ/∂θ²| at the estimate for each smooth parameter (none where it is undefined, at the
    domain's edge θ̂ = 0)."""
    if not g.smooth:
        return {}
    try:
        diagonal = np.abs(np.diag(hessian_at(g, sample, at)))
    except (ZeroDivisionError, OverflowError):
        return {}
    return dict(zip(g.smooth, (float(c) for c in diagonal), strict=True))


def parameter_scale(
    g: General, sample: Array, at: dict[sp.Symbol, float], curvature: dict[sp.Symbol, float]
) -> Array:
    """What an error in each parameter is measured against: its size, or, near zero, the
    width of the likelihood (1/√|∂²ℓ/∂θ²|); its own size or the data's spread at an order
    statistic. The optimiser searches in these units too, so no check depends on the data's
    units."""
    family = g.family
    if g.plan.constraint is not None:  # probabilities: their own scale
        return np.ones(len(family.parameters))
    width = {s: abs(at[s]) or spread(sample) for s in family.symbols}
    with np.errstate(divide="ignore"):
        width.update({s: float(1 / np.sqrt(c)) for s, c in curvature.items()})
    size = np.array([max(abs(at[s]), width[s]) for s in family.symbols])
    return np.where(np.isfinite(size) & (size > 0), size, spread(sample))


def frozen(family: Distribution, values: Mapping[str, Any]) -> Any:
    """The scipy.stats twin at parameter values by name (constants and known ones added)."""
    if family.scipy is None:
        raise NotImplementedError(f"{family.name} has no scipy.stats twin")
    full: dict[str, Any] = {k: v for k, v in family.probe if k not in values}
    full.update({name: float(v) for name, v in family.known})
    full.update(values)
    return family.scipy(full)


NORMAL_FLOAT = 1e-300
"""Above this a probability is a normal float, with all its digits."""


def log_density(dist: Any, sample: Array) -> Array:
    """SciPy's log-density; for a pmf, the log of SciPy's pmf where that is a normal float:
    its pmf (Boost's) keeps every digit where its logpmf, a difference of log Γ, loses them
    (the binomial at m = 10¹⁵: logpmf −3.457 where the pmf's log is −1.633)."""
    if not hasattr(dist, "logpmf"):
        return np.asarray(dist.logpdf(sample))
    if not hasattr(dist, "pmf"):  # a user formula's twin
        return np.asarray(dist.logpmf(sample))
    mass = np.asarray(dist.pmf(sample), dtype=float)
    normal = mass > NORMAL_FLOAT
    return np.where(normal, np.log(np.where(normal, mass, 1.0)), dist.logpmf(sample))


def random_sample(family: Distribution, size: int, seed: int) -> Array:
    """A sample drawn by scipy.stats at the family's probe parameters."""
    rng = np.random.default_rng(seed)
    return np.asarray(frozen(family, {}).rvs(size=size, random_state=rng), float)


def perturbed(
    g: General, at: dict[sp.Symbol, float], rng: np.random.Generator, scale: Array
) -> list[float]:
    """A point near the estimate (within about a third of each parameter's scale), inside
    the domain and the region the data allow."""
    point = []
    for p, unit in zip(g.family.parameters, scale, strict=True):
        v, u = at[p.symbol], 0.3 * rng.uniform(0.2, 1)
        statistic = g.plan.region.get(p.symbol)
        if statistic is None:
            u *= rng.choice([-1, 1])
        elif statistic == OrderStatistic("min"):
            u = -u
        moved = v + u * unit
        inf, sup = float(p.domain.inf), float(p.domain.sup)
        if np.isfinite(inf):
            moved = max(moved, inf + 0.05 * (v - inf if v > inf else unit))
        if np.isfinite(sup):
            moved = min(moved, sup - 0.05 * (sup - v if sup > v else unit))
        point.append(moved)
    if g.plan.constraint is not None:  # probabilities that sum to one (a mixture's weights)
        shares = [p.symbol in g.plan.constraint.free_symbols for p in g.family.parameters]
        total = sum(v for v, share in zip(point, shares, strict=True) if share)
        return [v / total if share else v for v, share in zip(point, shares, strict=True)]
    return point


def bounds(g: General, sample: Array, scale: Array) -> list[tuple[float | None, float | None]]:
    """Each parameter's domain (and the data's region) in units of ``scale``, kept off open
    endpoints."""
    found: list[tuple[float | None, float | None]] = []
    for p, unit in zip(g.family.parameters, scale, strict=True):
        low, high = float(p.domain.inf) / unit, float(p.domain.sup) / unit
        statistic = g.plan.region.get(p.symbol)
        if statistic == OrderStatistic("min"):
            high = float(np.min(sample)) / unit
        elif statistic == OrderStatistic("max"):
            low = float(np.max(sample)) / unit
        nudge = 1e-10 * min(1.0, high - low) if np.isfinite(high - low) else 1e-10
        found.append(
            (
                low + nudge if np.isfinite(low) else None,
                high - nudge * (statistic is None) if np.isfinite(high) else None,
            )
        )
    return found


def minimise(g: General, sample: Array, start: Sequence[float], scale: Array) -> Array:
    """scipy.optimize's minimum of the lambdified negative log-likelihood, searched in units
    of each parameter's scale (so that it does not depend on the data's units)."""
    ell = compiled_log_likelihood(g, sample)

    def nll(units: Array) -> float:
        value = -ell(list(units * scale))[0]
        return value if np.isfinite(value) else 1e300

    if g.plan.constraint is not None:
        constraint = sp.lambdify([g.family.symbols], g.plan.constraint, "numpy")
        found = scipy.optimize.minimize(
            nll,
            np.asarray(start, float) / scale,
            method="SLSQP",
            bounds=bounds(g, sample, scale),
            constraints=[{"type": "eq", "fun": lambda u: float(constraint(u * scale))}],
            options={"ftol": 1e-15, "maxiter": 10_000},
        )
        return np.asarray(found.x, float) * scale
    units = np.asarray(start, float) / scale
    if not g.plan.kinked:  # a gradient method first; a kink (|y − μ|) needs a simplex
        units = scipy.optimize.minimize(
            nll,
            units,
            method="L-BFGS-B",
            bounds=bounds(g, sample, scale),
            options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
        ).x
    # Nelder–Mead polishes: a step into overflow (NLL = 1e300) can stop L-BFGS-B early.
    found = scipy.optimize.minimize(
        nll,
        units,
        method="Nelder-Mead",
        bounds=bounds(g, sample, scale),
        options={"xatol": 1e-9, "fatol": 1e-13 * max(1.0, abs(nll(units))), "maxiter": 4000},
    )
    return np.asarray(found.x, float) * scale


def check_mle(
    g: General, data: Sequence[Fraction] | None, estimate: dict[str, float] | None
) -> tuple[Check, ...]:
    """Check the log-likelihood, the estimate and the score of a derivation.

    For concrete data the checks use that data; for general n, a random sample."""
    if data is None and g.family.constants:
        g = general(example_sample(g.family)[0])  # the constants at the worked example's
    family = g.family
    sample = random_sample(family, 200, seed=0) if data is None else floats(data)
    moved, c = seen_from(family, sample)  # ℓ, the score and the optimum's place do not move
    sample = sample - c if c else sample
    at = (
        estimate_on(g, sample)
        if estimate is None
        else {p.symbol: estimate[p.name] - c * (p == moved) for p in family.parameters}
    )
    theta = [at[s] for s in family.symbols]
    rng = np.random.default_rng(1)
    curvature = curvatures(g, sample, at)
    scale = parameter_scale(g, sample, at, curvature)
    points = [perturbed(g, at, rng, scale) for _ in range(3)]
    ell = Compiled([g.log_likelihood], list(family.symbols), g.form, sample)
    names = [p.name for p in family.parameters]
    ours = [ell(t)[0] for t in points]
    densities = [
        log_density(frozen(family, dict(zip(names, t, strict=True))), sample) for t in points
    ]
    theirs = [float(np.sum(d)) for d in densities]
    size = [float(np.sum(np.abs(d))) for d in densities]  # no false alarm when ℓ cancels to 0
    checks = [
        compare(
            f"log-likelihood equals the sum of {family.reference}",
            ours,
            theirs,
            RELATIVE,
            np.maximum(size, 1.0),
        )
    ]
    optimum = minimise(g, sample, perturbed(g, at, rng, scale), scale)
    if not g.plan.stationary:
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
            compare(
                "estimate equals scipy.optimize's minimum of the NLL",
                theta,
                optimum,
                OPTIMUM,
                scale,
            )
        )
    checks += score_checks(g, sample, at, dict(zip(family.symbols, scale, strict=True)), curvature)
    against_scipy = fit_check(g, sample, theta) if family.fit is not None else None
    if against_scipy is not None:
        checks.append(against_scipy)
    if family.formula is not None:
        checks.append(mass_check(family, dict(zip(names, theta, strict=True))))
    return tuple(checks)


def score_checks(
    g: General,
    sample: Array,
    at: dict[sp.Symbol, float],
    size: dict[sp.Symbol, float],
    curvature: dict[sp.Symbol, float],
) -> list[Check]:
    """The score is zero at an interior estimate (the constraint holds for a constrained one)."""
    family = g.family
    if g.plan.constraint is not None:
        total = sum(at[s] for s in g.plan.constraint.free_symbols)
        return [compare("the estimated probabilities sum to one", total, 1.0, RELATIVE)]
    smooth = [p for p in family.parameters if p.symbol in g.smooth]
    if not smooth or any(place(sp.Float(at[p.symbol]), p) != "interior" for p in smooth):
        return []
    ell = in_floats(g, g.plan.smooth_log_likelihood, sample)
    score = Compiled(
        [sp.diff(ell, p.symbol) for p in smooth], [p.symbol for p in smooth], g.form, sample
    )
    gradient = np.asarray(score([at[p.symbol] for p in smooth]))
    # A zero score, measured as the Newton step g/|H| it would take, relative to each parameter.
    scale = [curvature.get(p.symbol, np.nan) * size[p.symbol] for p in smooth]
    return [
        compare("score is zero at the estimate", gradient, np.zeros_like(gradient), GRADIENT, scale)
    ]


def fit_check(g: General, sample: Array, theta: Sequence[float]) -> Check | None:
    """The NLL at symmle's estimate is no larger than at scipy.stats' own fit; None where
    SciPy's fit itself fails (its solver on tiny values): the other checks still judge."""
    assert g.family.fit is not None
    ell = compiled_log_likelihood(g, sample)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fitted = g.family.fit(sample)
    except (scipy.stats.FitError, RuntimeError, ValueError):
        return None
    theirs = -ell([fitted[p.name] for p in g.family.parameters])[0]
    ours = -ell(list(theta))[0]
    error = max(0.0, (ours - theirs) / abs(theirs))
    return Check(
        "NLL at the estimate is no larger than at scipy.stats' fit",
        bool(error <= OPTIMUM),
        error,
        OPTIMUM,
    )


def mass_check(family: Distribution, values: dict[str, float]) -> Any:
    """The density at the estimate integrates (sums) to one, numerically (scipy.integrate)."""
    dist: FormulaTwin = frozen(family, values)  # with the known parameters
    if family.discrete:
        mass = float(np.sum(np.exp(dist.logpmf(dist.points()))))
        how = "sums to 1 (summed term by term)"
    else:
        low, high = float(dist.support.inf), float(dist.support.sup)
        with np.errstate(all="ignore"):
            mass = scipy.integrate.quad(dist.pdf, low, high, limit=200)[0]
        how = "integrates to 1 (scipy.integrate.quad)"
    return compare(f"the {family.density_name} at the estimate {how}", mass, 1.0, 1e-6)
