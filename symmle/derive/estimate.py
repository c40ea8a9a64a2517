"""The estimate of a derivation evaluated on a NumPy sample: closed forms lambdified on the
statistics, and Newton's method on the profile log-likelihood where there is no closed form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from symmle.derive.compiled import Array, Compiled
from symmle.derive.general import General
from symmle.derive.newton import compile_newton, newton
from symmle.errors import ConvergenceError, NoMLEError
from symmle.families import Distribution
from symmle.numeric.newton import Iteration
from symmle.symbols import i, n, value, y


@dataclass(frozen=True)
class NumericEstimate:
    """Every parameter's estimate, Newton's iterations and where they started."""

    values: dict[sp.Symbol, float]
    history: tuple[Iteration, ...]
    start: dict[str, float]


def closed_estimate(g: General, sample: Array) -> dict[sp.Symbol, float]:
    """The explicit solution (closed form, order statistics) on the sample's statistics."""
    symbols = list(g.solution)
    found = Compiled([g.solution[s] for s in symbols], [], g.form, sample)([])
    return dict(zip(symbols, found, strict=True))


def starting_values(family: Distribution, sample: Array) -> dict[str, float]:
    """The family's moment estimates; ConvergenceError where they are not numbers."""
    if family.start is None:
        raise NotImplementedError(f"{family.name} has no starting values for Newton's method")
    if np.ptp(sample) == 0:
        raise NoMLEError(
            f"no maximum-likelihood estimate exists for this sample: with every observation "
            f"equal to {sample[0]:g}, the likelihood of the {family.title} grows without bound."
        )
    try:
        with np.errstate(all="ignore"):
            start = family.start(sample)
    except (ZeroDivisionError, OverflowError):
        start = {}
    if not start or not all(np.isfinite(v) for v in start.values()):
        raise ConvergenceError(
            "Newton's method has no starting point: the moment estimates are not finite for "
            "this sample (are all the observations equal?)."
        )
    return start


def numeric_estimate(g: General, sample: Array) -> NumericEstimate:
    """Newton's method on the profile log-likelihood, then the profiled parameters."""
    family, plan = g.family, g.plan
    numeric = [p for p in family.parameters if p.symbol in plan.numeric]
    start = starting_values(family, sample)
    compiled = compile_newton(plan.log_likelihood, numeric, g.form, sample)
    theta, history = newton(compiled, numeric, [start[p.name] for p in numeric])
    found = dict(zip(plan.numeric, (float(t) for t in theta), strict=True))
    profiled = list(plan.profiled)
    if profiled:
        values = Compiled([plan.profiled[s] for s in profiled], list(plan.numeric), g.form, sample)
        found.update(zip(profiled, values(list(theta)), strict=True))
    return NumericEstimate(found, tuple(history), {p.name: start[p.name] for p in numeric})


def estimate_on(g: General, sample: Array) -> dict[sp.Symbol, float]:
    """Every parameter's estimate for a NumPy sample, by the derivation's method."""
    found = closed_estimate(g, sample) if g.solution else {}
    if g.plan.numeric:
        found.update(numeric_estimate(g, sample).values)
    return found


OBSERVATION_SUMS_UP_TO = 1_000_000
"""Samples up to this size are evaluated observation by observation (see ``in_floats``)."""
FAR_FROM_ZERO = 100.0
"""Larger samples too, when their mean is this many standard deviations from 0."""


def in_floats(g: General, ell: sp.Expr, sample: Array) -> sp.Expr:
    """ℓ as evaluated in floats on ``sample``: for a smooth family (no order statistic, no
    simplex), Σ log f(yᵢ; θ), each observation's terms together; otherwise ``ell``. The
    statistics form cancels in floats where the data lie far from 0 (Σy² − 2μΣy + nμ² loses
    every digit at 10⁶ ± 1); it is kept, for speed, only for a large sample near 0."""
    if g.plan.boundary or g.plan.median or g.family.simplex:
        return ell
    if sample.size > OBSERVATION_SUMS_UP_TO and not far_from_zero(sample):
        return ell
    return observation_sum(g.family)


@lru_cache(maxsize=128)
def observation_sum(family: Distribution) -> sp.Expr:
    """Σ log f(yᵢ; θ) over the sample, built once per family."""
    term = sp.expand_log(sp.log(family.density), force=True)
    return sp.Sum(term.subs(value, y[i]), (i, 1, n))


def far_from_zero(sample: Array) -> bool:
    with np.errstate(all="ignore"):
        return bool(abs(np.mean(sample)) > FAR_FROM_ZERO * np.std(sample))


def hessian_at(g: General, sample: Array, at: dict[sp.Symbol, float]) -> Array:
    """The Hessian of ℓ in the smooth parameters at a point, numerically."""
    smooth = list(g.smooth)
    ell = g.plan.log_likelihood if (g.plan.boundary or g.plan.median) else g.log_likelihood
    entries = list(sp.hessian(in_floats(g, ell, sample), smooth))
    values = Compiled(entries, smooth, g.form, sample)([at[s] for s in smooth])
    return np.array(values, float).reshape(len(smooth), len(smooth))
