"""symmle.testing: the helpers pass on right answers and fail with a readable message."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.testing import assert_is_nll, assert_mle, assert_score_zero


def bce(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.asarray(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def test_assert_mle_passes_on_the_right_estimate() -> None:
    assert_mle("bernoulli", [0, 0, 0, 1, 0], "1/5")
    assert_mle("normal", [-1, 0, 1], {"mu": 0, "sigma": sp.sqrt(sp.Rational(2, 3))})
    assert_mle("poisson", None, sp.Sum(symmle.y[symmle.i], (symmle.i, 1, symmle.n)) / symmle.n)
    assert_mle("gamma", [1, 2, 3, 6], {"alpha": 2.620989549711, "beta": 0.8736631832372}, rel=1e-9)
    exponential = symmle.define(
        pdf="lam*exp(-lam*y)", parameters={"lam": "(0, oo)"}, support="[0, oo)"
    )
    assert_mle(exponential, [1, 2, 3], sp.Rational(1, 2))


def test_assert_mle_shows_the_difference_and_the_steps() -> None:
    with pytest.raises(AssertionError) as failed:
        assert_mle("bernoulli", [0, 0, 0, 1, 0], "1/4")
    message = str(failed.value)
    assert "theta: expected 1/4, derived 1/5 (expected − derived = 1/20)" in message
    assert "- θ̂ = 1/4" in message and "+ θ̂ = 1/5" in message
    assert "1. The Bernoulli model" in message and "Maximum-likelihood estimate" in message


@pytest.mark.parametrize(
    ("loss", "family", "options"),
    [
        (bce, "bernoulli", {}),
        (lambda y, p: float(np.mean(bce(y, p))), "bernoulli", {}),  # reduced by the mean
        (
            lambda p, y: ((y - p) ** 2).sum(),
            "normal",
            {"parameter": "mu", "prediction_first": True},
        ),
        (lambda y, lam: lam - y * np.log(lam), "poisson", {}),
        (
            lambda y, z: np.logaddexp(0, z) - y * z,
            "bernoulli",
            {"link": lambda z: 1 / (1 + np.exp(-z))},
        ),
        (lambda y, s: np.log(s) + y**2 / (2 * s**2), "half_normal", {}),
        (lambda y, p: -(y * np.log(p) + (10 - y) * np.log(1 - p)), "binomial", {}),  # m at 10
    ],
)
def test_assert_is_nll_accepts_the_nll_up_to_constants(loss, family, options) -> None:  # type: ignore[no-untyped-def]
    assert_is_nll(loss, family, **options)


@pytest.mark.parametrize(
    ("loss", "family", "options", "message"),
    [
        (lambda y, p: (y - p) ** 2, "bernoulli", {}, "leaves a relative misfit"),
        (
            lambda y, lam: y * np.log(lam) - lam,
            "poisson",
            {},
            "is not positive (is the sign flipped?)",
        ),
        (lambda y, m: np.abs(y - m), "normal", {"parameter": "mu"}, "misfit"),
        (lambda y, p: np.mean((y - p) ** 2), "bernoulli", {}, "batch by batch"),
    ],
)
def test_assert_is_nll_fails_readably_on_a_wrong_loss(loss, family, options, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AssertionError, match="is not the") as failed:
        assert_is_nll(loss, family, **options)
    assert message in str(failed.value) and "The NLL:" in str(failed.value)


def test_assert_is_nll_needs_the_parameter_of_a_two_parameter_family() -> None:
    with pytest.raises(TypeError, match="one of mu, sigma"):
        assert_is_nll(lambda y, m: (y - m) ** 2, "normal")


def test_assert_score_zero() -> None:
    assert_score_zero("poisson", [2, 3, 1], {"lambda": 2})
    assert_score_zero("gamma", [1, 2, 3, 6], {"alpha": 2.62098954971163, "beta": 0.873663183237209})
    with pytest.raises(AssertionError, match=r"∂ℓ/∂λ = -1\nThe derived MLE is lambda = 2"):
        assert_score_zero("poisson", [2, 3, 1], {"lambda": 3})
    with pytest.raises(AssertionError, match=r"Newton step"):
        assert_score_zero("gamma", [1, 2, 3, 6], {"alpha": 2.6, "beta": 0.87})
