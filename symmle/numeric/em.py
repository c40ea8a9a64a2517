"""The EM iteration, for any model whose E-step and M-step are given as one function
θ ↦ (ℓ(θ), θ'): run to convergence from several starts, each iteration kept for the pages,
the best run kept. Nothing here knows which family it fits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Array = np.ndarray[Any, np.dtype[np.float64]]

Step = Callable[[Array], tuple[float, Array]]
"""θ ↦ (ℓ(θ), the next θ): one E-step and one M-step."""
Degenerate = Callable[[Array], bool]
"""θ ↦ whether θ is where the likelihood has no bound (a component closed in on one point)."""

GAIN = 1e-13
"""Converged when an iteration raises ℓ by less than this relative to 1 + |ℓ| ..."""
CHANGE = 1e-9
"""... and moves no parameter by more than this relative to its size (at least 1)."""
STALLED = 1e-15
"""Or when ℓ no longer rises in floating point (relative gain below this)."""
ROUNDING = 1e-12
"""A fall of ℓ larger than this relative to 1 + |ℓ| is a decrease, not rounding."""


@dataclass(frozen=True)
class Update:
    """One EM update: its number, the parameters after it and ℓ there."""

    number: int
    theta: tuple[float, ...]
    log_likelihood: float


@dataclass(frozen=True)
class Run:
    """One start's iterations; ``degenerate`` when it closed in on a point of unbounded
    likelihood, ``converged`` when it stopped by the tolerances rather than the limit."""

    start: str
    history: tuple[Update, ...]
    degenerate: bool
    converged: bool

    @property
    def theta(self) -> Array:
        return np.asarray(self.history[-1].theta, float)

    @property
    def log_likelihood(self) -> float:
        return self.history[-1].log_likelihood

    @property
    def monotone(self) -> bool:
        """ℓ never decreased (beyond rounding) from one iteration to the next."""
        ells = np.array([it.log_likelihood for it in self.history])
        falls = ells[:-1] - ells[1:]
        return bool(np.all(falls <= ROUNDING * (1 + np.abs(ells[1:]))))

    @property
    def largest_fall(self) -> float:
        ells = np.array([it.log_likelihood for it in self.history])
        falls = (ells[:-1] - ells[1:]) / (1 + np.abs(ells[1:]))
        return float(max(0.0, falls.max(initial=0.0)))


def converged(ell: float, previous: float, theta: Array, before: Array, loose: float) -> bool:
    gain = ell - previous
    if gain <= STALLED * (1 + abs(ell)):
        return True
    change = np.max(np.abs(theta - before) / np.maximum(np.abs(theta), 1.0))
    return bool(gain <= GAIN * loose * (1 + abs(ell)) and change <= CHANGE * loose)


Advance = Callable[[Array, Array], Array]
"""(θ, its EM step) ↦ the next θ of the run."""


def iterated(
    step: Step,
    advance: Advance,
    start: Array,
    name: str,
    degenerate: Degenerate,
    limit: int,
    loose: float,
) -> Run:
    """From ``start``, one history entry per ``advance``, until the run converges (``loose``
    multiplies the tolerances), degenerates or reaches ``limit`` entries."""
    theta = prior = np.asarray(start, float)
    history: list[Update] = []
    for number in range(limit):
        ell, following = step(theta)
        history.append(Update(number, tuple(float(t) for t in theta), float(ell)))
        if not np.isfinite(ell) or degenerate(following):
            return Run(name, tuple(history), True, False)
        if number and converged(ell, history[-2].log_likelihood, theta, prior, loose):
            return Run(name, tuple(history), False, True)
        prior, theta = theta, advance(theta, following)
    return Run(name, tuple(history), False, False)


def run(
    step: Step, start: Array, name: str, degenerate: Degenerate, limit: int, loose: float = 1.0
) -> Run:
    """Plain EM: each iteration one E-step and one M-step."""
    return iterated(step, lambda theta, following: following, start, name, degenerate, limit, loose)


def extrapolated(theta: Array, first: Array, second: Array) -> Array | None:
    """SQUAREM's point (Varadhan & Roland 2008, scheme S3) from θ and two EM steps θ₁, θ₂:
    θ − 2αr + α²v with r = θ₁ − θ, v = θ₂ − 2θ₁ + θ, α = −‖r‖/‖v‖ (at most −1, where it
    is the plain second step θ₂); None when the steps no longer move."""
    r, v = first - theta, second - 2 * first + theta
    size = float(np.linalg.norm(v))
    if not np.isfinite(size) or size == 0.0:
        return None
    alpha = min(-float(np.linalg.norm(r)) / size, -1.0)
    moved: Array = theta - 2 * alpha * r + alpha**2 * v
    return moved


def accelerated(
    step: Step, start: Array, name: str, degenerate: Degenerate, limit: int, loose: float = 1.0
) -> Run:
    """EM accelerated by SQUAREM: each cycle takes two EM steps, extrapolates along them and
    one more EM step from there; when ℓ at the extrapolated point is below ℓ after the first
    step (or it leaves the domain), the cycle keeps the plain second step instead, so that ℓ
    never decreases. One history entry per cycle, ``limit`` EM steps at most."""

    def advance(theta: Array, first: Array) -> Array:
        middle, second = step(first)
        jump = extrapolated(theta, first, second)
        if jump is None or degenerate(jump):
            return second
        with np.errstate(all="ignore"):
            reached, following = step(jump)
        if np.isfinite(reached) and reached >= middle and not degenerate(following):
            return following
        return second

    return iterated(step, advance, start, name, degenerate, limit // 3, loose)


def best(runs: Sequence[Run]) -> Run | None:
    """The run of largest ℓ among those that did not degenerate (the first of equals)."""
    kept = [r for r in runs if not r.degenerate]
    return max(kept, key=lambda r: r.log_likelihood, default=None)
