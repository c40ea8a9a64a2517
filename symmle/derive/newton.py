"""Newton's method on the lambdified score and Hessian, kept inside the parameter domain by a
backtracking line search; where the Hessian is not negative definite, a gradient step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
POLISH = 1e-14
"""With ``polish``, a step whose decrement is below this is taken without evaluating ℓ after
it: Newton's quadratic convergence leaves an error of about its square, below rounding."""


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


Objective = Callable[[Sequence[float] | Array], list[float]]
"""θ -> [ℓ, the gradient, the Hessian row by row]."""


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
) -> tuple[Array, list[Iteration]]:
    """Maximise the compiled log-likelihood from ``start``; the estimate and the iterations.
    ``polish`` spares the last evaluation (a pass over the data) where the last step is tiny."""
    d = len(parameters)
    theta: Array = np.asarray(start, dtype=np.float64)
    if not inside(theta, parameters):
        raise ConvergenceError(
            f"Newton's method cannot start from {list(start)}: outside the parameter domain."
        )
    values = np.asarray(compiled(theta), dtype=np.float64)
    history: list[Iteration] = []
    for number in range(MAX_ITERATIONS):
        ell, gradient, hessian = values[0], values[1 : d + 1], values[d + 1 :].reshape(d, d)
        if not np.all(np.isfinite(values)):
            raise ConvergenceError(
                f"Newton's method reached {list(theta)}, where the log-likelihood or its "
                "derivatives are not finite."
            )
        history.append(Iteration(number, tuple(theta), float(ell), float(np.linalg.norm(gradient))))
        step, decrement = direction(gradient, hessian)
        if decrement <= DECREMENT * (1 + abs(ell)):
            return theta, history
        if polish and decrement <= POLISH * (1 + abs(ell)) and inside(theta + step, parameters):
            return theta + step, history
        moved, found = line_search(compiled, parameters, theta, step, values)
        if np.array_equal(moved, theta) and decrement <= STALLED * (1 + abs(ell)):
            return theta, history  # no float step raises ℓ: the maximum to machine precision
        theta, values = moved, found
    raise ConvergenceError(
        f"Newton's method did not converge in {MAX_ITERATIONS} iterations from {list(start)}."
    )


def line_search(
    compiled: Objective,
    parameters: Sequence[Parameter],
    theta: Array,
    step: Array,
    values: Array,
) -> tuple[Array, Array]:
    """The largest step 2⁻ʲ·step that stays in the domain and does not lower ℓ, with ℓ and its
    derivatives there (one evaluation per trial: the accepted one serves the next step)."""
    ell = values[0]
    t = 1.0
    for _ in range(60):
        candidate = theta + t * step
        if inside(candidate, parameters):
            new = np.asarray(compiled(candidate), dtype=np.float64)
            if np.isfinite(new[0]) and new[0] >= ell - 1e-12 * (1 + abs(ell)):
                return candidate, new
        t /= 2
    return theta, values
