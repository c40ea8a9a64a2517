"""Newton's method on the lambdified score and Hessian, kept inside the parameter domain by a
backtracking line search; where the Hessian is not negative definite, a gradient step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symmle.derive.compiled import Array, Compiled
from symmle.derive.statistics import StatisticForm
from symmle.errors import ConvergenceError
from symmle.families import Parameter

MAX_ITERATIONS = 100
DECREMENT = 1e-20
"""Stop when the Newton decrement gᵀ(−H)⁻¹g, relative to 1 + |ℓ|, falls below this."""
STALLED = 1e-8
"""... or below this when no step changes ℓ in floating point (rounding bounds the score)."""


@dataclass(frozen=True)
class Iteration:
    """One Newton step: the parameters, the log-likelihood and the size of the score."""

    number: int
    theta: tuple[float, ...]
    log_likelihood: float
    score_norm: float


def inside(theta: Array, parameters: Sequence[Parameter]) -> bool:
    for t, p in zip(theta, parameters, strict=True):
        low, high = float(p.domain.inf), float(p.domain.sup)
        if not (np.isfinite(t) and low < t < high):
            return False
    return True


def direction(gradient: Array, hessian: Array) -> tuple[Array, float]:
    """The Newton step and decrement; a scaled gradient step where −H is not positive definite."""
    try:
        np.linalg.cholesky(-hessian)
    except np.linalg.LinAlgError:
        scale = np.maximum(np.abs(np.diag(hessian)), 1e-8)
        return np.asarray(gradient / scale, dtype=np.float64), float(np.inf)
    step: Array = np.asarray(np.linalg.solve(-hessian, gradient), dtype=np.float64)
    return step, float(gradient @ step)


def compile_newton(
    ell: sp.Expr, parameters: Sequence[Parameter], form: StatisticForm, sample: Array
) -> Compiled:
    symbols = [p.symbol for p in parameters]
    gradient = [sp.diff(ell, s) for s in symbols]
    hessian = [sp.diff(g, s) for g in gradient for s in symbols]
    return Compiled([ell, *gradient, *hessian], symbols, form, sample)


def newton(
    compiled: Compiled, parameters: Sequence[Parameter], start: Sequence[float]
) -> tuple[Array, list[Iteration]]:
    """Maximise the compiled log-likelihood from ``start``; the estimate and the iterations."""
    d = len(parameters)
    theta: Array = np.asarray(start, dtype=np.float64)
    history: list[Iteration] = []
    for number in range(MAX_ITERATIONS):
        values = np.asarray(compiled(theta), dtype=np.float64)
        ell, gradient, hessian = values[0], values[1 : d + 1], values[d + 1 :].reshape(d, d)
        history.append(Iteration(number, tuple(theta), float(ell), float(np.linalg.norm(gradient))))
        step, decrement = direction(gradient, hessian)
        if decrement <= DECREMENT * (1 + abs(ell)):
            return theta, history
        moved = line_search(compiled, parameters, theta, step, ell)
        if np.array_equal(moved, theta) and decrement <= STALLED * (1 + abs(ell)):
            return theta, history  # no float step raises ℓ: the maximum to machine precision
        theta = moved
    raise ConvergenceError(
        f"Newton's method did not converge in {MAX_ITERATIONS} iterations from {list(start)}."
    )


def line_search(
    compiled: Compiled,
    parameters: Sequence[Parameter],
    theta: Array,
    step: Array,
    ell: float,
) -> Array:
    """The largest step 2⁻ʲ·step that stays in the domain and does not lower ℓ."""
    t = 1.0
    for _ in range(60):
        candidate = theta + t * step
        if inside(candidate, parameters):
            new = compiled(candidate)[0]
            if np.isfinite(new) and new >= ell - 1e-12 * (1 + abs(ell)):
                return candidate
        t /= 2
    return theta
