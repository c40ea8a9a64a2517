"""The profiled parameters (the Weibull's λ, the Gumbel's μ) from the expansion at Newton's last
evaluation, without another pass: equal to the pass itself at the estimate, and the pass
where the step after that evaluation is too long for the expansion."""

from __future__ import annotations

import importlib
import math
from typing import Any

import pytest
import sympy as sp

import symmle
from symmle.checks import random_sample
from symmle.derive.compiled import NumpySample, statistic_values
from symmle.fit.estimate import fitted_family
from symmle.fit.estimator import estimator
from symmle.fit.profiled import Last, expansion, extrapolated, recording

estimate = importlib.import_module("symmle.fit.estimate")


@pytest.mark.parametrize("name", ["weibull", "gumbel"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_expansion_gives_the_profiled_pass(
    name: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = fitted_family(name, None)
    x = random_sample(dist, 400_000, seed)
    used: list[object] = []

    def spied(last: Last, theta: Any) -> list[float] | None:
        used.append(extrapolated(last, theta))
        return used[-1]  # type: ignore[return-value]

    monkeypatch.setattr(estimate, "extrapolated", spied)
    found = symmle.fit(name, x)
    assert used and used[0] is not None  # no pass: the expansion served
    est = estimator(dist)
    assert est.profiled is not None
    values = statistic_values(est.general.form, x, est.profiled.statistics)
    theta = [found[p.name] for p in est.numeric]
    (passed,) = est.profiled(theta, values, NumpySample(x))
    (profiled,) = est.general.plan.profiled
    assert found[str(profiled)] == pytest.approx(passed, rel=2e-15)


def test_a_long_step_falls_back_to_the_pass() -> None:
    """λ(k) = k² about k = 1: a step of 1e-3 changes λ by 2e-3 relative, far beyond what the
    second-order polynomial may leave out; a step of 1e-6 is within, and without the Hessian
    a step of 1e-10 (the first order alone)."""
    k = sp.Symbol("k")
    values = [float(v.subs(k, 1)) for v in expansion([k**2], [k], 2)]
    last = Last()
    recording(lambda t: [0.0, *values], 1, 2, 1, last)([1.0])
    assert extrapolated(last, [1.001]) is None
    assert extrapolated(last, [1 + 1e-6]) == pytest.approx([(1 + 1e-6) ** 2], rel=1e-15)
    first = Last()
    recording(lambda t: [0.0, *values[:2]], 1, 1, 1, first)([1.0])
    assert extrapolated(first, [1 + 1e-6]) is None
    assert extrapolated(first, [1 + 1e-10]) == pytest.approx([(1 + 1e-10) ** 2], rel=1e-15)


def test_the_expansion_holds_the_gradient_and_the_hessian() -> None:
    a, b = sp.symbols("a b")
    found = expansion([a**2 * b], [a, b], 2)
    assert found == [a**2 * b, 2 * a * b, a**2, 2 * b, 2 * a, 2 * a, 0]


def test_one_parameter_takes_the_third_derivative_from_the_evaluation_before() -> None:
    """p(k) = eᵏ: after an evaluation of p and p' at k = 1.01, the second-order expansion at
    k = 1 with p''' from their secant serves a step of 5e-5 (a first-order change beyond the
    second order's 1e-5) to 1e-16; without an evaluation before, the pass."""
    k = sp.Symbol("k")
    at = [[float(v.subs(k, point)) for v in expansion([sp.exp(k)], [k], 2)] for point in (1.01, 1)]
    last = Last()
    recording(lambda t: [0.0, *at[0][:2]], 1, 1, 1, last)([1.01])
    recording(lambda t: [0.0, *at[1]], 1, 2, 1, last)([1.0])
    assert extrapolated(last, [1 + 5e-5]) == pytest.approx([math.exp(1 + 5e-5)], rel=1e-16, abs=0)
    alone = Last()
    recording(lambda t: [0.0, *at[1]], 1, 2, 1, alone)([1.0])
    assert extrapolated(alone, [1 + 5e-5]) is None
