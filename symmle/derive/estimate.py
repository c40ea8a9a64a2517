"""The estimate of a derivation evaluated on a NumPy sample (each parameter by its method), and
ℓ and its Hessian there in floats."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from symmle.derive.compiled import Array, Compiled
from symmle.families import Distribution
from symmle.symbols import i, n, value, y

if TYPE_CHECKING:
    from symmle.derive.general import General


def estimate_on(g: General, sample: Array) -> dict[sp.Symbol, float]:
    """Every parameter's estimate for a NumPy sample, each by its method."""
    found: dict[sp.Symbol, float] = {}
    for rule in g.plan.rules:
        found.update(rule.estimate(g, sample))
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
    if g.plan.order_statistics or g.plan.constraint is not None:
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


def compiled_log_likelihood(g: General, sample: Array) -> Compiled:
    """ℓ in every parameter, compiled on ``sample`` the way floats should evaluate it."""
    return Compiled([in_floats(g, g.log_likelihood, sample)], g.family.symbols, g.form, sample)


def hessian_at(g: General, sample: Array, at: dict[sp.Symbol, float]) -> Array:
    """The Hessian of ℓ in the smooth parameters at a point, numerically."""
    smooth = list(g.smooth)
    entries = list(sp.hessian(in_floats(g, g.plan.smooth_log_likelihood, sample), smooth))
    values = Compiled(entries, smooth, g.form, sample)([at[s] for s in smooth])
    return np.array(values, float).reshape(len(smooth), len(smooth))
