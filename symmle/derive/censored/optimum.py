"""The maximum of a censored log-likelihood and its derivatives there. Newton's method on the
derived score and Hessian where NumPy can evaluate them; where SymPy's derivative holds a
function it cannot (the Gamma's log Γ(α, βy) differentiated in the shape α is a Meijer G
function), SciPy's Nelder–Mead on the compiled ℓ, and the derivatives by central differences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy
import sympy as sp

from symmle.derive.censored.numeric import Split, evaluate, explicit, numeric
from symmle.derive.compiled import Array
from symmle.derive.general import General
from symmle.derive.methods.newton import starting_values
from symmle.derive.newton import inside, newton_exprs

UNCOMPILED = (sp.meijerg, sp.hyper)
"""Functions that NumPy and SciPy do not evaluate on arrays."""
STEP = 1e-4
"""Central differences at θ ± STEP·|θ| (errors of about STEP² in the derivatives)."""


def compilable(g: General) -> bool:
    """Whether the Hessian of ℓ compiles to NumPy."""
    return not any(x.has(*UNCOMPILED) for x in g.hessian)


@dataclass(frozen=True)
class Simplex:
    """Nelder–Mead's result: the estimate, its iterations and where it started."""

    values: dict[sp.Symbol, float]
    iterations: int
    start: dict[str, float]


def nelder_mead(g: General, split: Split) -> Simplex:
    """Nelder–Mead on −ℓ from the moment estimates on every time, to a tolerance far below the
    estimate's standard error."""
    family = g.family
    symbols = list(family.symbols)
    start = starting_values(family, split.times)

    def negative(theta: Array) -> float:
        if not inside(family.parameters, theta):
            return np.inf
        found = evaluate(g, [g.log_likelihood], symbols, split, list(theta))[0]
        return -found if np.isfinite(found) else np.inf

    first = [start[p.name] for p in family.parameters]
    options = {"xatol": 1e-12, "fatol": 1e-13, "maxiter": 20_000, "maxfev": 40_000}
    best = scipy.optimize.minimize(negative, first, method="Nelder-Mead", options=options)
    values = dict(zip(symbols, (float(t) for t in best.x), strict=True))
    return Simplex(values, int(best.nit), start)


def estimate(g: General, split: Split) -> dict[sp.Symbol, float]:
    """Every parameter's estimate on a censored sample."""
    found = explicit(g, split)
    if g.plan.numeric:
        found.update(numeric(g, split).values if compilable(g) else nelder_mead(g, split).values)
    return found


def derivatives(
    g: General, split: Split, at: Mapping[sp.Symbol, float]
) -> tuple[float, Array, Array]:
    """ℓ, its gradient and Hessian at a point: compiled, or by central differences."""
    symbols = list(g.family.symbols)
    theta = np.array([at[s] for s in symbols], float)
    k = len(symbols)
    if compilable(g):
        found = evaluate(g, newton_exprs(g.log_likelihood, symbols), symbols, split, list(theta))
        return found[0], np.array(found[1 : 1 + k]), np.array(found[1 + k :]).reshape(k, k)

    def ell(point: Array) -> float:
        return evaluate(g, [g.log_likelihood], symbols, split, list(point))[0]

    steps = STEP * np.maximum(np.abs(theta), 1e-8)
    shifts = np.diag(steps)
    gradient = np.array(
        [(ell(theta + h) - ell(theta - h)) / (2 * s) for h, s in zip(shifts, steps, strict=True)]
    )
    hessian = np.empty((k, k))
    for a in range(k):
        for b in range(k):
            ha, hb = shifts[a], shifts[b]
            total = (
                ell(theta + ha + hb)
                - ell(theta + ha - hb)
                - ell(theta - ha + hb)
                + ell(theta - ha - hb)
            )
            hessian[a, b] = total / (4 * steps[a] * steps[b])
    return ell(theta), gradient, (hessian + hessian.T) / 2


def hessian(g: General, split: Split, at: Mapping[sp.Symbol, float]) -> Array:
    """The Hessian of ℓ in every parameter at a point."""
    return derivatives(g, split, at)[2]


def log_likelihood(g: General, split: Split, at: Mapping[sp.Symbol, float]) -> float:
    symbols = list(g.family.symbols)
    return evaluate(g, [g.log_likelihood], symbols, split, [at[s] for s in symbols])[0]
