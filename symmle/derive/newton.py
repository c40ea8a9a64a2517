"""Newton's method on a family's lambdified log-likelihood, its score and Hessian: the
numeric core's maximiser, kept inside the parameters' domain."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import sympy as sp

from symmle.derive.compiled import Array, Compiled
from symmle.derive.statistics import StatisticForm
from symmle.families import Parameter
from symmle.numeric.newton import DECREMENT, Iteration, Objective, Warm, maximise


def inside(parameters: Sequence[Parameter], theta: Array) -> bool:
    for t, p in zip(theta, parameters, strict=True):
        low, high = float(p.domain.inf), float(p.domain.sup)
        if not (np.isfinite(t) and low < t < high):
            return False
    return True


def newton_exprs(ell: sp.Expr, symbols: Sequence[sp.Symbol]) -> list[sp.Expr]:
    """ℓ, its gradient and its Hessian (row by row) in ``symbols``."""
    gradient = [sp.diff(ell, s) for s in symbols]
    return [ell, *gradient, *(sp.diff(g, s) for g in gradient for s in symbols)]


def compile_newton(
    ell: sp.Expr, parameters: Sequence[Parameter], form: StatisticForm, sample: Array
) -> Compiled:
    return Compiled(
        newton_exprs(ell, [p.symbol for p in parameters]),
        [p.symbol for p in parameters],
        form,
        sample,
    )


def newton(
    compiled: Objective,
    parameters: Sequence[Parameter],
    start: Sequence[float],
    polish: bool = False,
    tolerance: float = DECREMENT,
    slope: Objective | None = None,
    warm: Warm | None = None,
) -> tuple[Array, tuple[Iteration, ...]]:
    """Maximise the compiled log-likelihood from ``start`` within the parameters' domain
    (``slope``: ℓ and the gradient alone, for the first and the last steps with ``warm``;
    see ``maximise``)."""
    return maximise(compiled, start, partial(inside, parameters), polish, tolerance, slope, warm)
