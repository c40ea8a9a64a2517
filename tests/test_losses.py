"""Every loss derived from a negative log-likelihood, in its stable form, checked against
PyTorch's documented formulas (hand-written NumPy) and scipy, with its options and errors."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.losses.functions import sigmoid, softplus

Y, YHAT = sp.symbols("y y_hat")
Z = sp.Symbol("z", real=True)

OPTIONS = [
    ("binary-cross-entropy", {}),
    ("bce-with-logits", {}),
    ("bce-with-logits", {"pos_weight": 3.0}),
    ("cross-entropy", {}),
    ("cross-entropy", {"label_smoothing": 0.1}),
    ("cross-entropy", {"target": "probabilities", "label_smoothing": 0.2}),
    ("nll", {}),
    ("squared-error", {}),
    ("gaussian-nll", {}),
    ("gaussian-nll", {"full": True, "eps": 1e-3}),
    ("poisson-nll", {}),
    ("poisson-nll", {"log_input": False, "full": True}),
    ("l1", {}),
    ("kl-div", {}),
    ("kl-div", {"log_target": True}),
]


def test_every_loss_is_listed() -> None:
    assert symmle.losses() == [
        "binary-cross-entropy",
        "bce-with-logits",
        "cross-entropy",
        "nll",
        "kl-div",
        "squared-error",
        "gaussian-nll",
        "l1",
        "poisson-nll",
    ]


@pytest.mark.parametrize(("name", "options"), OPTIONS)
def test_loss_checks_pass(name: str, options: dict[str, object]) -> None:
    checks = symmle.loss(name, **options).checks
    assert checks[0].name.startswith("equals PyTorch's documented torch.nn.")
    assert all(c.passed for c in checks), checks


def test_bernoulli_gives_binary_cross_entropy() -> None:
    loss = symmle.loss("bernoulli")
    expected = -(Y * sp.log(YHAT) + (1 - Y) * sp.log(1 - YHAT))
    assert sp.simplify(loss.expr - expected) == 0
    assert sp.simplify(loss.stable.rewrite(sp.log) - expected) == 0
    kinds = [s.kind for s in loss.steps]
    assert kinds == ["conditional", "likelihood", "nll", "loss", "stable", "reduction"]


def test_normal_gives_squared_error() -> None:
    loss = symmle.loss("normal")
    assert loss.name == "squared-error"
    assert sp.simplify(loss.expr - (YHAT - Y) ** 2) == 0
    kinds = [s.kind for s in loss.steps]
    assert kinds == ["conditional", "likelihood", "nll", "drop_constants", "loss", "reduction"]
    drop = loss.steps[3]
    assert "does not depend on w" in drop.text and "squared error" in drop.text
    assert "mean squared error" in loss.steps[-2].text


@pytest.mark.parametrize("weight", [1.0, 3.0])
def test_logits_stable_form_is_derived_from_bce(weight: float) -> None:
    loss = symmle.loss("bce-with-logits", pos_weight=weight)
    p = sp.nsimplify(weight)
    expected = -(p * Y * sp.log(sigmoid(Z)) + (1 - Y) * sp.log(1 - sigmoid(Z)))
    assert sp.simplify(loss.textbook - expected) == 0
    difference = loss.expr.rewrite(sp.log) - expected.rewrite(sp.exp)
    assert sp.simplify(difference) == 0
    assert loss.expr.has(softplus) and not loss.expr.has(sp.log, sp.exp)


def test_logits_are_finite_where_the_textbook_form_is_not() -> None:
    loss = symmle.loss("bce-with-logits")
    z = np.array([-1e4, -100.0, 40.0, 100.0, 1e4])
    for target in (0.0, 1.0, 0.5):
        got = loss.fn(np.full_like(z, target), z)
        assert np.all(np.isfinite(got))
        np.testing.assert_allclose(got, np.logaddexp(0, z) - target * z, rtol=1e-15)
    with np.errstate(divide="ignore"):
        textbook = sp.lambdify([Y, Z], loss.textbook.rewrite(sp.exp), "numpy")
        assert np.isinf(textbook(0.0, 40.0))


def test_bce_is_finite_at_certain_predictions() -> None:
    loss = symmle.loss("binary-cross-entropy")
    got = loss.fn(np.array([0.0, 1.0, 1.0]), np.array([0.0, 1.0, 0.0]))
    assert got[0] == 0 and got[1] == 0 and np.isinf(got[2])


def test_cross_entropy_takes_class_indices_and_huge_logits() -> None:
    loss = symmle.loss("cross-entropy")
    z = np.array([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]])
    got = loss.fn(np.array([1, 2]), z)
    np.testing.assert_allclose(got, [1e4, np.log(3)], rtol=1e-15)


def test_poisson_log_input_is_the_poisson_nll_without_log_factorial() -> None:
    loss = symmle.loss("poisson-nll")
    rate = sp.exp(Z)
    nll = -(Y * sp.log(rate) - rate - sp.log(sp.factorial(Y)))
    assert sp.simplify(sp.expand_log(nll - sp.log(sp.factorial(Y)), force=True) - loss.expr) == 0


def test_options_change_the_steps() -> None:
    plain = symmle.loss("poisson-nll")
    other = symmle.loss("poisson-nll", log_input=False, full=True)
    assert [s.title for s in plain.steps] != [s.title for s in other.steps]
    assert any("Stirling" in s.title for s in other.steps)
    assert not any("Stirling" in s.title for s in plain.steps)
    assert other.arguments == (Y, YHAT)
    smoothing = symmle.loss("cross-entropy", label_smoothing=0.1)
    assert any("Label smoothing" in s.title for s in smoothing.steps)


def test_options_from_the_command_line_text() -> None:
    loss = symmle.loss("gaussian-nll", full="true", eps="0.001")
    assert loss.options == {"full": True, "eps": 0.001, "reduction": "mean"}


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("poisson-nll", {"log_inputs": True}, "no option 'log_inputs'"),
        ("poisson-nll", {"full": "maybe"}, "true or false"),
        ("bce-with-logits", {"pos_weight": -1}, "must lie in"),
        ("bce-with-logits", {"pos_weight": "x"}, "must be a number"),
        ("bce-with-logits", {"pos_weight": float("nan")}, "must lie in"),
        ("cross-entropy", {"target": "soft"}, "must be one of"),
        ("cross-entropy", {"label_smoothing": 1.5}, "must lie in"),
        ("l1", {"eps": 1}, "its options are: reduction"),
    ],
)
def test_bad_options(name: str, options: dict[str, object], message: str) -> None:
    with pytest.raises(symmle.OptionError, match=message):
        symmle.loss(name, **options)


def test_unknown_loss() -> None:
    with pytest.raises(symmle.UnknownLossError, match="unknown loss 'hinge'"):
        symmle.loss("hinge")
