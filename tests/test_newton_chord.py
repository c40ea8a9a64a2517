"""Newton's method with ``slope`` (ℓ and the gradient alone): where quadratic convergence would
need one more full evaluation, one evaluation without the Hessian and a chord step reach the
same tolerance. On n·(log λ − λ·m), the exponential's log-likelihood (λ̂ = 1/m)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from symmle.numeric.newton import DECREMENT, Warm, maximise, warm_start

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


def with_and_without_slope(offset: float) -> tuple[tuple[int, int, int], float, float]:
    """The calls of Newton's method alone, then of the objective and the slope with the slope,
    and the two estimates (the second one first), from 1 + offset times the optimum."""
    start = [(1 + offset) / MEAN]
    plain = Counted(True)
    alone, _ = maximise(plain, start, polish=True)
    full, slope = Counted(True), Counted(False)
    found, _ = maximise(full, start, polish=True, slope=slope)
    return (plain.calls, full.calls, slope.calls), float(found[0]), float(alone[0])


@pytest.mark.parametrize("offset", [5e-3, 4e-3])
def test_a_chord_step_replaces_the_last_full_evaluation(offset: float) -> None:
    calls, found, alone = with_and_without_slope(offset)
    assert calls == (3, 2, 1)
    assert relative_decrement(found) <= DECREMENT
    assert found == pytest.approx(alone, rel=1e-13)
    assert found == pytest.approx(1 / MEAN, rel=1e-13)


@pytest.mark.parametrize("offset", [-2.6e-3, 2e-3])
def test_a_third_order_step_replaces_the_last_evaluation(offset: float) -> None:
    """The third derivative from the secant of the first two evaluations: the step after the
    second one reaches the tolerance, where Newton's method alone needs a third evaluation
    (and the chord step one without the Hessian)."""
    calls, found, alone = with_and_without_slope(offset)
    assert calls == (3, 2, 0)
    assert relative_decrement(found) <= DECREMENT
    assert found == pytest.approx(1 / MEAN, rel=1e-15, abs=0)
    assert found == pytest.approx(alone, rel=1e-15, abs=0)


def test_without_the_need_no_slope_is_evaluated() -> None:
    """Close enough, the polish alone finishes: the slope is not called."""
    full, slope = Counted(True), Counted(False)
    found, _ = maximise(full, [(1 - 1e-3) / MEAN], polish=True, slope=slope)
    assert (full.calls, slope.calls) == (2, 0)
    assert relative_decrement(float(found[0])) <= DECREMENT


def test_a_warm_start_takes_its_first_step_without_the_hessian() -> None:
    """The subsample's Hessian (here 0.05% off) for the first step, its rate for the polish: one
    evaluation without the Hessian and one with it reach the tolerance."""
    start = [(1 + 5e-4) / MEAN]
    hessian = np.array([[-N / start[0] ** 2 * 0.9995]])
    rate = 1.0 / N  # δₖ₊₁ ≈ δₖ²/n for n·(log λ − λ·m)
    full, slope = Counted(True), Counted(False)
    found, _ = maximise(full, start, polish=True, slope=slope, warm=Warm(hessian, rate))
    assert (full.calls, slope.calls) == (1, 1)
    assert relative_decrement(float(found[0])) <= DECREMENT


def test_the_warm_start_is_scaled_to_the_whole_sample() -> None:
    """Two evaluations of a subsample of 1 000 for 10 000: the Hessian ten times, the rate a
    tenth; none where the decrement did not fall."""
    seen = [[0.0, 2.0, -4.0], [0.0, 0.1, -5.0]]  # δ = 1, then 0.002
    warm = warm_start(seen, 1, 10.0)
    assert warm is not None
    assert warm.hessian.tolist() == [[-50.0]]
    assert warm.rate == pytest.approx(0.002 / 1**2 / 10)
    assert warm_start(seen[::-1], 1, 10.0) is None
    assert warm_start([[0.0, 1.0, 4.0], [0.0, 0.1, -5.0]], 1, 10.0) is None
