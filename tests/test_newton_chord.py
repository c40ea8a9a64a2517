"""Newton's method with ``slope`` (ℓ and the gradient alone): where quadratic convergence would
need one more full evaluation, one evaluation without the Hessian and a chord step reach the
same tolerance. On n·(log λ − λ·m), the exponential's log-likelihood (λ̂ = 1/m)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from symmle.numeric.newton import DECREMENT, maximise

N, MEAN = 1e6, 0.37


class Counted:
    """ℓ, the gradient and (with ``hessian``) the Hessian, counting the calls."""

    def __init__(self, hessian: bool) -> None:
        self.hessian = hessian
        self.calls = 0

    def __call__(self, theta: Any) -> list[float]:
        self.calls += 1
        lam = float(theta[0])
        found = [N * (math.log(lam) - lam * MEAN), N / lam - N * MEAN]
        return [*found, -N / lam**2] if self.hessian else found


def relative_decrement(lam: float) -> float:
    gradient = N / lam - N * MEAN
    return gradient**2 / (N / lam**2) / (1 + abs(N * (math.log(lam) - lam * MEAN)))


@pytest.mark.parametrize("offset", [5e-3, -2.6e-3])
def test_a_chord_step_replaces_the_last_full_evaluation(offset: float) -> None:
    start = [(1 + offset) / MEAN]
    plain = Counted(True)
    alone, _ = maximise(plain, start, polish=True)
    full, slope = Counted(True), Counted(False)
    found, _ = maximise(full, start, polish=True, slope=slope)
    assert (plain.calls, full.calls, slope.calls) == (3, 2, 1)
    assert relative_decrement(float(found[0])) <= DECREMENT
    assert float(found[0]) == pytest.approx(float(alone[0]), rel=1e-13)
    assert float(found[0]) == pytest.approx(1 / MEAN, rel=1e-13)


def test_without_the_need_no_slope_is_evaluated() -> None:
    """Close enough, the polish alone finishes: the slope is not called."""
    full, slope = Counted(True), Counted(False)
    found, _ = maximise(full, [(1 - 1e-3) / MEAN], polish=True, slope=slope)
    assert (full.calls, slope.calls) == (2, 0)
    assert relative_decrement(float(found[0])) <= DECREMENT
