"""Newton's method for a maximum, used by the families and the regressions alike: the Newton
step where the Hessian is negative definite (a scaled gradient step elsewhere), halved until it
stays in the domain and does not lower the objective; each iteration kept for the pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from symmle.errors import ConvergenceError

Array = np.ndarray[Any, np.dtype[np.float64]]

MAX_ITERATIONS = 100
DECREMENT = 1e-20
"""Stop when the Newton decrement gᵀ(−H)⁻¹g, relative to 1 + |ℓ|, falls below this."""
STALLED = 1e-8
"""... or below this when no step changes ℓ in floating point (rounding bounds the score)."""
POLISH = 1e-14
"""With ``polish``, a step whose decrement is below this is taken without evaluating ℓ after
it: Newton's quadratic convergence leaves an error of about its square, below rounding."""
CONVERGING = 1e-6
"""... and a full Newton step whose decrement is below this, where the decrement predicted
after it is below the tolerance: quadratic convergence, δₖ₊₁ ≈ C·δₖ², with C measured on the
last full step (δₖ / δₖ₋₁²)."""

SECANT_MARGIN = 10.0
"""The gradient that the third-order step is predicted to leave is multiplied by this (its
decrement by the square) before it is compared with the tolerance."""
ROUNDING = 1e-14
"""The rounding of an evaluated ℓ, relative to 1 + |ℓ| (sums of 10⁶ terms in blocks)."""

Objective = Callable[[Array], Sequence[float] | Array]
"""θ -> [ℓ, the gradient, the Hessian row by row]."""
Domain = Callable[[Array], bool]


@dataclass(frozen=True)
class Warm:
    """What Newton's method on a subsample knows of the whole sample's problem near its
    optimum: the Hessian there and the rate C of quadratic convergence (δₖ₊₁ ≈ C·δₖ²), both
    scaled to the whole sample. With ``slope``, the first step then takes that Hessian
    (evaluating ℓ and the gradient alone), and the rate stands for the one not yet measured."""

    hessian: Array
    rate: float


def everywhere(theta: Array) -> bool:
    return bool(np.all(np.isfinite(theta)))


@dataclass(frozen=True)
class Iteration:
    """One Newton step: the parameters, the objective (a log-likelihood) and the size of its
    gradient (the score)."""

    number: int
    theta: tuple[float, ...]
    log_likelihood: float
    score_norm: float


def shown(theta: Sequence[float] | Array) -> str:
    """Parameters in a message: [2, 1.125], not [np.float64(2.0), np.float64(1.125)]."""
    return "[" + ", ".join(f"{float(t):.6g}" for t in theta) + "]"


def direction(gradient: Array, hessian: Array) -> tuple[Array, float]:
    """The Newton step and decrement; a scaled gradient step where −H is not positive definite."""
    try:
        np.linalg.cholesky(-hessian)
    except np.linalg.LinAlgError:
        scale = np.maximum(np.abs(np.diag(hessian)), 1e-8)
        return np.asarray(gradient / scale, dtype=np.float64), float(np.inf)
    step: Array = np.asarray(np.linalg.solve(-hessian, gradient), dtype=np.float64)
    return step, float(gradient @ step)


def maximise(
    objective: Objective,
    start: Sequence[float] | Array,
    inside: Domain = everywhere,
    polish: bool = False,
    tolerance: float = DECREMENT,
    slope: Objective | None = None,
    warm: Warm | None = None,
) -> tuple[Array, tuple[Iteration, ...]]:
    """Maximise the objective from ``start`` (until the decrement relative to 1 + |ℓ| is below
    ``tolerance``); the maximiser and the iterations. ``polish`` spares the last evaluation (a
    pass over the data) where the last step is tiny or predicted to reach the tolerance; with
    ``slope`` (θ -> [ℓ, the gradient]: cheaper than the objective) the last evaluation where
    a chord step after it is predicted to reach the tolerance computes no Hessian, and with
    ``warm`` the first one neither."""
    theta: Array = np.asarray(start, dtype=np.float64)
    d = theta.size
    if not inside(theta):
        raise ConvergenceError(
            f"Newton's method cannot start from {shown(theta)}: outside the parameter domain."
        )
    warm = warm if slope is not None else None
    values = first_values(objective, slope, warm, theta)
    history: list[Iteration] = []
    previous = np.inf  # the decrement before the last full Newton step (inf: none)
    before: Array | None = None  # θ, then ℓ and the gradient of the evaluation before
    for number in range(MAX_ITERATIONS):
        ell, gradient, hessian = values[0], values[1 : d + 1], values[d + 1 :].reshape(d, d)
        if not np.all(np.isfinite(values)):
            raise ConvergenceError(
                f"Newton's method reached {shown(theta)}, where the log-likelihood or its "
                "derivatives are not finite."
            )
        history.append(Iteration(number, tuple(theta), float(ell), float(np.linalg.norm(gradient))))
        step, decrement = direction(gradient, hessian)
        scale = 1 + abs(ell)
        if warm is not None and number == 1 and np.isfinite(previous):  # after its chord step
            previous = float(np.sqrt(decrement / warm.rate))  # the rate: δ / δ₋₁² = C
        if decrement <= tolerance * scale:
            return theta, tuple(history)
        if polish:
            last = polished(
                inside, theta, step, decrement, values, (previous, before), tolerance, slope
            )
            if last is not None:
                return last, tuple(history)
        moved, found = line_search(objective, inside, theta, step, values)
        if np.array_equal(moved, theta) and decrement <= STALLED * scale:
            return theta, tuple(history)  # no float step raises ℓ: the maximum to machine precision
        previous = decrement if np.array_equal(moved, theta + step) else np.inf
        before = np.concatenate([theta, values[: d + 1]])
        theta, values = moved, found
    raise ConvergenceError(
        f"Newton's method did not converge in {MAX_ITERATIONS} iterations from {shown(start)}."
    )


def polished(
    inside: Domain,
    theta: Array,
    step: Array,
    decrement: float,
    values: Array,
    seen: tuple[float, Array | None],
    tolerance: float,
    slope: Objective | None,
) -> Array | None:
    """The last point without a full evaluation: after the Newton step where it is predicted to
    reach the tolerance; where an evaluation is a pass over the data (``slope``), after the
    step corrected by the third derivative (one dimension) or after the Newton step and a
    chord step; None where none is. ``seen``: the decrement before the last full step, and
    the evaluation before this one (``third_order``)."""
    (previous, before), scale = seen, 1 + abs(values[0])
    if finished(decrement, previous, scale, tolerance) and inside(theta + step):
        return theta + step
    if slope is not None and decrement <= CONVERGING * scale:
        found = third_order(inside, before, theta, step, values, tolerance * scale)
        if found is not None:
            return found
    if slope is not None and chord_finishes(decrement, previous, scale, tolerance):
        return chord_step(slope, inside, theta, step, values, tolerance * scale)
    return None


def third_order(
    inside: Domain, before: Array | None, theta: Array, step: Array, values: Array, target: float
) -> Array | None:
    """In one dimension, the Newton step s corrected by ℓ's third derivative T: g(θ + t) ≈
    g + H·t + T·t²/2 makes it s − T·s²/(2H) (Chebyshev's method). T and the fourth derivative
    Q come from the evaluation ``before`` (θ + Δ, ℓ₀, g₀) with this one (θ, ℓ, g, H), no pass
    more: the secant T̂ = 2(g₀ − g − H·Δ)/Δ² = T + Q·Δ/3 + …, and ℓ₀ − (ℓ + gΔ + HΔ²/2 +
    T̂Δ³/6) = −Q·Δ⁴/72 + … The step takes T̂ − Q̂·Δ/3. The gradient predicted after it is that
    of T̂ alone (an overestimate), |Q̂|·|Δ|·s²/6 + (|Q̂|/6 + T̂²/(2|H|))·|s|³, with Q̂ from the
    mismatch plus ℓ's rounding; times ``SECANT_MARGIN``, squared over |H|, the decrement after
    the step. The point after it where that is below ``target``, else None."""
    if before is None or theta.size != 1:
        return None
    delta = float(before[0] - theta[0])
    ell, gradient, hessian = (float(v) for v in values[:3])
    if delta == 0 or not hessian < 0:
        return None
    third = 2 * (float(before[2]) - gradient - hessian * delta) / delta**2
    left = float(before[1]) - ell - gradient * delta - hessian * delta**2 / 2 - third * delta**3 / 6
    rounding = ROUNDING * (2 + abs(float(before[1])) + abs(ell))
    fourth, s = 72 * (abs(left) + rounding) / delta**4, float(step[0])
    remaining = fourth / 6 * abs(delta * s * s) + (fourth / 6 - third**2 / (2 * hessian)) * abs(
        s**3
    )
    moved = theta + s - (third + 24 * left / delta**3) / (2 * hessian) * s**2  # T̂ − Q̂Δ/3
    if (SECANT_MARGIN * remaining) ** 2 / -hessian <= target and inside(moved):
        return moved
    return None


def warm_start(seen: Sequence[Sequence[float]], d: int, times: float) -> Warm | None:
    """What Newton's evaluations ``seen`` on a subsample (the last two) tell of the problem on
    ``times`` as many observations: the last Hessian and the rate δₖ₊₁/δₖ², scaled; None
    without two evaluations whose decrements fell, or with a Hessian not negative definite."""
    if len(seen) < 2:
        return None
    decrements = []
    for values in seen[-2:]:
        gradient, hessian = np.asarray(values[1 : d + 1]), np.reshape(values[d + 1 :], (d, d))
        decrements.append(direction(gradient, hessian)[1])
    before, after = decrements
    if not (0 < after < before < np.inf and np.all(np.isfinite(seen[-1]))):
        return None
    return Warm(times * np.reshape(seen[-1][d + 1 :], (d, d)), after / before**2 / times)


def finished(decrement: float, previous: float, scale: float, tolerance: float) -> bool:
    """Whether the Newton step from a point of this decrement reaches the tolerance (relative
    to ``scale``): a tiny decrement, or one that the last full step's rate of quadratic
    convergence brings below the tolerance."""
    if decrement <= POLISH * scale:
        return True
    if not (np.isfinite(previous) and decrement < previous and decrement <= CONVERGING * scale):
        return False
    return bool(decrement**3 / previous**2 <= tolerance * scale)


def first_values(
    objective: Objective, slope: Objective | None, warm: Warm | None, theta: Array
) -> Array:
    """ℓ, the gradient and the Hessian at the start; the warm start's Hessian there is one."""
    if warm is None or slope is None:
        return np.asarray(objective(theta), dtype=np.float64)
    return np.concatenate([np.asarray(slope(theta), dtype=np.float64), np.ravel(warm.hessian)])


def chord_finishes(decrement: float, previous: float, scale: float, tolerance: float) -> bool:
    """Whether a Newton step, then a chord step (the Hessian kept), are predicted to reach the
    tolerance: the Newton step leaves δₖ₊₁ ≈ δₖ³ / δₖ₋₁² (as in ``finished``), and the chord
    step multiplies that by about the Hessian's relative change over the step squared,
    4·δₖ₊₁ / δₖ: 4·δₖ⁵ / δₖ₋₁⁴ in all."""
    if not (np.isfinite(previous) and decrement < previous and decrement <= CONVERGING * scale):
        return False
    return bool(4 * decrement**5 / previous**4 <= tolerance * scale)


def chord_step(
    slope: Objective, inside: Domain, theta: Array, step: Array, values: Array, target: float
) -> Array | None:
    """The Newton step, then ℓ and the gradient only. There, where ℓ did not fall: the point
    itself if its decrement δₖ₊₁ (with the Hessian at ``theta``) is below ``target``, else the
    point after a chord step if what that step leaves, 4·δₖ₊₁² / δₖ (the rate of the step just
    measured), is; None otherwise (a full evaluation decides)."""
    moved = theta + step
    if not inside(moved):
        return None
    found = np.asarray(slope(moved), dtype=np.float64)
    ell, d = values[0], theta.size
    if not (np.all(np.isfinite(found)) and found[0] >= ell - 1e-12 * (1 + abs(ell))):
        return None
    gradient, hessian = values[1 : d + 1], values[d + 1 :].reshape(d, d)
    decrement = float(gradient @ np.linalg.solve(-hessian, gradient))
    chord, change = direction(found[1:], hessian)
    if change <= target:
        return moved
    if 4 * change**2 / decrement <= target and inside(moved + chord):
        return moved + chord
    return None


def line_search(
    objective: Objective, inside: Domain, theta: Array, step: Array, values: Array
) -> tuple[Array, Array]:
    """The largest step 2⁻ʲ·step that stays in the domain and does not lower ℓ, with ℓ and its
    derivatives there (one evaluation per trial: the accepted one serves the next step)."""
    ell = values[0]
    t = 1.0
    for _ in range(60):
        candidate = theta + t * step
        if inside(candidate):
            new = np.asarray(objective(candidate), dtype=np.float64)
            if np.isfinite(new[0]) and new[0] >= ell - 1e-12 * (1 + abs(ell)):
                return candidate, new
        t /= 2
    return theta, values
