"""Binary cross-entropy and squared error derived from negative log-likelihoods."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symmle

Y, YHAT = sp.symbols("y y_hat")


def test_bernoulli_gives_binary_cross_entropy() -> None:
    loss = symmle.loss("bernoulli")
    expected = -(Y * sp.log(YHAT) + (1 - Y) * sp.log(1 - YHAT))
    assert sp.simplify(loss.expr - expected) == 0
    assert [s.kind for s in loss.steps] == ["conditional", "likelihood", "nll", "loss"]


def test_normal_gives_squared_error() -> None:
    loss = symmle.loss("normal")
    assert sp.simplify(loss.expr - (YHAT - Y) ** 2) == 0
    kinds = [s.kind for s in loss.steps]
    assert kinds == ["conditional", "likelihood", "nll", "drop_constants", "loss"]
    drop = loss.steps[3]
    assert "does not depend on w" in drop.text and "sum of squared errors" in drop.text
    assert "mean squared error" in loss.steps[-1].text


def test_fn_is_elementwise_numpy() -> None:
    y = np.array([0.0, 1.0, 1.0, 0.0])
    p = np.array([0.1, 0.8, 0.3, 0.6])
    got = symmle.loss("bernoulli").fn(y, p)
    assert got.shape == (4,)
    np.testing.assert_allclose(got, -(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-13)
    np.testing.assert_allclose(symmle.loss("normal").fn(y, p), (p - y) ** 2, rtol=1e-13)


@pytest.mark.parametrize("family", ["bernoulli", "normal"])
def test_loss_checks_pass(family: str) -> None:
    checks = symmle.loss(family).checks
    assert checks and all(c.passed for c in checks), checks
