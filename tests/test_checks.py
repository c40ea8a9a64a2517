"""The checks and verdicts can fail: a wrong estimate, a saddle, a wrong direction is caught."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.checks import check_mle, compare
from symmle.derive.common import hessian_step, second_order_step
from symmle.derive.lambdified import MODULES, numeric_form
from symmle.derive.solve import negative_definite
from symmle.families import get


def test_compare_is_relative_and_strict() -> None:
    assert compare("x", 1 + 5e-10, 1, 1e-9).passed
    assert not compare("x", 1 + 2e-9, 1, 1e-9).passed
    assert not compare("x", 1.01e-6, 1e-6, 1e-5).passed  # no absolute floor of 1
    assert compare("x", 1e-6 + 1e-13, 1e-6, 1e-5).passed
    assert not compare("x", np.nan, 1, 1e-9).passed and not compare("x", np.inf, 1, 1e-9).passed
    assert compare("x", [1.0, 0.0], [1.0, 1e-12], 1e-9, scale=[1.0, 1.0]).passed


def checks_for(name: str, data: list[str], factor: float) -> dict[str, bool]:
    """The checks of ``name``'s MLE on ``data`` with the estimate multiplied by ``factor``."""
    r = symmle.mle(name, data=data)
    wrong = {k: float(v) * factor for k, v in r.estimate.items()}
    values = tuple(Fraction(v) for v in data)
    return {c.name: c.passed for c in check_mle(r.general, values, wrong)}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("normal", ["1e-6", "2e-6", "4e-6"]),
        ("normal", ["1e6", "2e6", "4e6"]),
        ("exponential", ["3e-7", "1e-6", "2e-6"]),
        ("gamma", ["1e-6", "2e-6", "3e-6", "6e-6"]),
        ("normal", ["1000001", "1000003", "1000002.5"]),  # far from 0: statistics cancel
        ("normal", ["1700000000", "1700000060", "1700000150", "1700000200"]),  # timestamps
        ("exponential", ["1000001", "1000003", "1000002.5"]),
    ],
)
def test_a_wrong_estimate_fails_at_any_scale(name: str, data: list[str]) -> None:
    assert all(checks_for(name, data, 1.0).values())
    wrong = checks_for(name, data, 1.001)
    assert not wrong["score is zero at the estimate"], wrong
    assert not wrong["estimate equals scipy.optimize's minimum of the NLL"], wrong


def test_a_wrong_log_likelihood_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from symmle import checks

    r = symmle.mle("poisson", data=[2, 3, 1])
    shifted = type(r.general.form)(r.general.log_likelihood + 1e-6, r.general.form.statistics)
    g = type(r.general)(
        r.general.family, shifted, r.general.score, r.general.plan, r.general.hessian
    )
    found = {c.name: c.passed for c in checks.check_mle(g, r.data, {"lambda": 2.0})}
    assert not found["log-likelihood equals the sum of scipy.stats log-densities"]


LAM = sp.Symbol("lambda", positive=True)


@pytest.mark.parametrize(
    ("matrix", "verdict"),
    [
        (sp.diag(-1, -2), True),
        (sp.diag(-1, 1), False),  # a saddle
        (sp.diag(1, -1), False),
        (sp.Matrix([[-1, 2], [2, -1]]), False),  # negative diagonal, indefinite
        (sp.Matrix([[-LAM]]), True),
        (sp.Matrix([[LAM]]), False),
    ],
)
def test_negative_definite(matrix: sp.Matrix, verdict: bool) -> None:
    family = get("poisson")
    assert negative_definite(matrix, family.parameters) is verdict


def test_a_minimum_is_never_called_a_maximum() -> None:
    family = get("poisson")
    with pytest.raises(symmle.NoMLEError, match="not a maximum"):
        second_order_step(family, family.symbols, sp.Matrix([[LAM]]), False)
    step = second_order_step(family, family.symbols, sp.Matrix([[-LAM]]), True)
    assert "so it is a maximum" in step.text


def test_an_undecided_verdict_says_so() -> None:
    family = get("poisson")
    step = second_order_step(family, family.symbols, sp.Matrix([[sp.Symbol("c")]]), None)
    assert "could not be decided" in step.text and "so it is a maximum" not in step.text


def test_a_hessian_that_cannot_be_written_in_the_estimates_is_said() -> None:
    g = symmle.mle("poisson").general
    (step,) = hessian_step(g.family, g, None)
    assert step.kind == "second_order" and "could not be written" in step.text
    assert "so it is a maximum" not in step.text


@pytest.mark.parametrize(
    ("data", "direction", "end"), [([0, 0, 0], "negative", "θ = 0"), ([1, 1], "positive", "θ = 1")]
)
def test_boundary_explanation_gives_the_direction(
    data: list[int], direction: str, end: str
) -> None:
    text = symmle.mle("bernoulli", data=data).step("boundary").text
    assert f"is {direction} on the interior" in text and f"endpoint {end}" in text


def test_order_statistic_explanation_gives_the_direction() -> None:
    text = symmle.mle("uniform", data=[1, 2, 5]).step("boundary").text
    assert "increasing in a" in text and "decreasing in b" in text


def test_data_far_from_zero_keep_their_standard_errors() -> None:
    """For the Normal at its MLE the observed information equals n·I(θ̂)."""
    r = symmle.mle("normal", data=["1700000000", "1700000060", "1700000150", "1700000200"])
    observed, expected = r.observed_standard_errors, r.standard_errors
    assert observed == pytest.approx(expected, rel=1e-6)


def test_a_large_sample_far_from_zero_is_still_summed_observation_by_observation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond OBSERVATION_SUMS_UP_TO the statistics form is kept only near 0."""
    monkeypatch.setattr("symmle.derive.estimate.OBSERVATION_SUMS_UP_TO", 3)
    timestamps = ["1700000000", "1700000060", "1700000150", "1700000200"]
    assert all(checks_for("normal", timestamps, 1.0).values())
    wrong = checks_for("normal", timestamps, 1.001)
    assert not wrong["score is zero at the estimate"], wrong


def test_a_mixture_far_from_its_components_is_finite_and_checked() -> None:
    """log(Σ wⱼ fⱼ(y)) is −∞ in floats where every fⱼ(y) underflows; through log-sum-exp it is
    the exact number (mpmath), and tight components far from 0 pass their checks."""
    y, m1, m2 = sp.symbols("y m1 m2", real=True)
    s, w = sp.symbols("s w", positive=True)
    density = w * sp.exp(-((y - m1) ** 2) / (2 * s**2)) + (1 - w) * sp.exp(
        -((y - m2) ** 2) / (2 * s**2)
    )
    arguments, at = [y, m1, m2, s, w], (0.0, 100.0, 105.0, 0.1, 0.5)
    ours = sp.lambdify(arguments, numeric_form(sp.log(density)), MODULES)(*at)
    naive = sp.lambdify(arguments, sp.log(density), "numpy")
    with np.errstate(divide="ignore"):
        assert naive(*at) == -np.inf
    exact = mpmath.log(mpmath.exp(-(100**2) / 0.02) / 2 + mpmath.exp(-(105**2) / 0.02) / 2)
    assert ours == pytest.approx(float(exact), rel=1e-12)
    x = [100.1, 100.3, 100.2, 100.4, 105.1, 105.3, 104.9, 105.2, 100.25, 105.0]
    r = symmle.mle("normal_mixture", data=x, known={"k": 2})
    assert all(c.passed for c in r.checks), r.checks
