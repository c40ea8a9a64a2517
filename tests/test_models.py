"""Linear, logistic and Poisson regression: derived with a design matrix, fitted by the
normal equations or Newton (IRLS), checked against statsmodels, trained by GD and Adam."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.cli import main
from symmle.losses.functions import sigmoid
from symmle.models import regression
from symmle.models.checks import statsmodels_checks
from symmle.models.model import eta
from symmle.models.training import adam, gradient_descent, smoothness

Y = sp.Symbol("y")
SIGMA = sp.Symbol("sigma", positive=True)


def random_data(name: str, seed: int, n: int = 80) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    eta_ = X @ rng.normal(0, 0.7, 3)
    if name == "linear":
        return X, eta_ + rng.normal(0, 1.3, n)
    if name == "logistic":
        return X, (rng.uniform(size=n) < 1 / (1 + np.exp(-eta_))).astype(float)
    return X, rng.poisson(np.exp(eta_)).astype(float)


@pytest.mark.parametrize(
    ("name", "last"), [("linear", "solve"), ("logistic", "numeric"), ("poisson", "numeric")]
)
def test_general_derivation_steps(name: str, last: str) -> None:
    result = regression(name)
    assert [s.kind for s in result.steps] == ["model", "nll", "score", "second_order", last]
    assert result.fit is None and result.estimate == {} and result.checks == ()


@pytest.mark.parametrize(
    ("name", "gradient", "hessian"),
    [
        ("linear", (eta - Y) / SIGMA**2, 1 / SIGMA**2),
        ("logistic", sigmoid(eta) - Y, sigmoid(eta) * (1 - sigmoid(eta))),
        ("poisson", sp.exp(eta) - Y, sp.exp(eta)),
    ],
)
def test_gradient_and_hessian_per_observation(
    name: str, gradient: sp.Expr, hessian: sp.Expr
) -> None:
    nll = regression(name).nll
    assert sp.simplify(sp.diff(nll, eta) - gradient) == 0
    assert sp.simplify(sp.diff(nll, eta, 2) - hessian) == 0


@pytest.mark.parametrize(
    ("name", "scale"), [("linear", 1 / (2 * SIGMA**2)), ("logistic", 1), ("poisson", 1)]
)
def test_nll_is_the_loss_it_is_trained_by(name: str, scale: sp.Expr) -> None:
    result = regression(name)
    loss = symmle.loss(result.model.loss)
    prediction = loss.arguments[1]
    trained = loss.expr.subs(prediction, eta)
    assert sp.simplify(sp.diff(result.nll - scale * trained, eta)) == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", ["linear", "logistic", "poisson"])
def test_fit_equals_statsmodels(name: str, seed: int) -> None:
    X, y = random_data(name, seed)
    result = regression(name, X=X, y=y)
    checks = result.checks + statsmodels_checks(result)
    assert checks and all(c.passed for c in checks), checks
    dispersion = {"sigma"} if name == "linear" else set()
    assert set(result.estimate) == set(result.standard_errors) == {"x1", "x2", "x3", *dispersion}


def test_the_linear_models_sigma_is_the_mle_with_its_standard_error() -> None:
    """σ̂² = RSS/n from statsmodels' residuals; SE(σ̂) = σ̂/√(2n), the inverse information."""
    import statsmodels.api as sm

    X, y = random_data("linear", 4)
    result = regression("linear", X=X, y=y)
    sigma = np.sqrt(sm.OLS(y, X).fit().ssr / len(y))
    assert result.estimate["sigma"] == pytest.approx(sigma, rel=1e-12)
    assert result.standard_errors["sigma"] == pytest.approx(sigma / np.sqrt(2 * len(y)), rel=1e-12)


@pytest.mark.parametrize(
    ("names", "message"),
    [(["a", "a", "b"], "name each column of X once"), (["a", "sigma", "b"], "named 'sigma'")],
)
def test_column_names_must_be_distinct_and_not_a_parameter(names: list[str], message: str) -> None:
    X, y = random_data("linear", 0)
    with pytest.raises(symmle.DataError, match=message):
        regression("linear", X=X, y=y, names=names)


@pytest.mark.parametrize("name", ["logistic", "poisson"])
def test_newton_climbs_the_log_likelihood_to_a_zero_score(name: str) -> None:
    """The families' Newton's method (the numeric core's) fits the regressions too."""
    X, y = random_data(name, 3)
    fit = regression(name, X=X, y=y).fit
    assert fit is not None and len(fit.iterations) > 2
    climbed = [it.log_likelihood for it in fit.iterations]
    assert all(a <= b for a, b in itertools.pairwise(climbed))
    assert fit.iterations[-1].score_norm < 1e-6 * fit.iterations[0].score_norm
    assert climbed[-1] == pytest.approx(fit.log_likelihood, rel=1e-12)


@pytest.mark.parametrize("name", ["linear", "logistic", "poisson"])
def test_gradient_descent_and_adam_reach_the_mle(name: str) -> None:
    X, y = random_data(name, 5)
    result = regression(name, X=X, y=y)
    assert result.fit is not None
    for trace in (gradient_descent(result, 1 / smoothness(result), 1000), adam(result, 0.05, 1000)):
        np.testing.assert_allclose(trace.weights[-1], result.fit.weights, atol=1e-6)
        assert trace.nll[-1] <= trace.nll[0]


X_LINE = np.column_stack([np.ones(6), [-2.0, -1, -0.5, 0.5, 1, 2]])


@pytest.mark.parametrize(
    ("name", "X", "y"),
    [
        ("logistic", X_LINE, [0, 0, 0, 1, 1, 1]),  # complete separation
        ("logistic", np.column_stack([np.ones(6), [0.0, 0, 1, 1, 2, 2]]), [0, 0, 0, 1, 1, 1]),
        ("logistic", X_LINE, [1, 1, 1, 1, 1, 1]),
        ("poisson", np.column_stack([np.ones(6), [0.0, 0, 0, 1, 1, 1]]), [0, 0, 0, 1, 3, 2]),
        ("linear", X_LINE, [1.0, 3, 4, 6, 7, 9]),  # an exact line: σ̂ = 0
    ],
)
def test_no_mle(name: str, X: np.ndarray, y: list[float]) -> None:
    if name == "linear":
        y = list(X_LINE @ [2.0, 0.5])
    with pytest.raises(symmle.NoMLEError, match=r"no MLE|no likelihood"):
        regression(name, X=X, y=y)


def test_overlapping_classes_have_an_mle() -> None:
    result = regression("logistic", X=X_LINE, y=[0, 1, 0, 1, 1, 0])
    assert all(np.isfinite(list(result.estimate.values())))


@pytest.mark.parametrize(
    ("name", "X", "y", "message"),
    [
        ("logistic", X_LINE, [0, 1, 2, 0, 1, 0], "must be 0 or 1"),
        ("poisson", X_LINE, [0, 1, -2, 0, 1, 0], "must be counts"),
        ("poisson", X_LINE, [0, 1, 0.5, 0, 1, 0], "must be counts"),
        (
            "linear",
            np.column_stack([X_LINE, 2 * X_LINE[:, 1]]),
            [1, 2, 3, 4, 5, 7],
            "linearly dependent",
        ),
        ("linear", X_LINE[:2], [1, 2], "needs more observations"),
        ("linear", X_LINE, [1, 2, 3], "6 rows but y has 3"),
        ("linear", X_LINE, [1, 2, 3, np.nan, 5, 6], "finite"),
        ("linear", X_LINE, ["a", 2, 3, 4, 5, 6], "must be numbers"),
        ("linear", None, [1, 2, 3], "both X and y"),
    ],
)
def test_bad_data(name: str, X: object, y: object, message: str) -> None:
    with pytest.raises(symmle.DataError, match=message):
        regression(name, X=X, y=y)


def test_unknown_model() -> None:
    with pytest.raises(symmle.OptionError, match="unknown regression 'probit'"):
        regression("probit")


def write_csv(path: Path, X: np.ndarray, y: np.ndarray) -> None:
    lines = ["a,b,target"] + [
        f"{float(r[1])!r},{float(r[2])!r},{float(t)!r}" for r, t in zip(X, y, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")


def test_cli_regress_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    X, y = random_data("poisson", 3)
    write_csv(tmp_path / "data.csv", X, y)
    argv = ["regress", "poisson", "--data-file", str(tmp_path / "data.csv"), "--target", "target"]
    assert main([*argv, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    expected = regression("poisson", X=X, y=y).estimate
    assert list(document["estimate"]) == ["intercept", "a", "b"]
    np.testing.assert_allclose(
        list(document["estimate"].values()), list(expected.values()), rtol=1e-12
    )
    assert all(c["passed"] for c in document["checks"])
    fitted = regression("poisson", X=X, y=y, names=["intercept", "a", "b"])
    for key, method in (("intervals", "wald"), ("profile_intervals", "profile")):
        ends = fitted.interval(method=method)
        assert list(document[key]) == list(ends), key
        np.testing.assert_allclose(list(document[key].values()), list(ends.values()), 1e-12)


@pytest.mark.parametrize(
    ("content", "target", "message"),
    [
        ("a,target\n1,0\n2,0\n3,1\n4,1\n", "target", "no MLE"),
        ("a,target\n1,0\n2,x\n", "target", "'x' is not a number"),
        ("a,target\n1,0\n", "y", "no column 'y'"),
        ("a,target\n1,0,3\n", "target", "has 3 values for 2 columns"),
        ("a,a,target\n1,2,0\n2,1,1\n3,3,0\n", "target", "names the column 'a' twice"),
        ("intercept,target\n1,0\n2,1\n3,0\n", "target", "named 'intercept'"),
        ("a,,target\n1,2,0\n2,1,1\n", "target", "without a name"),
        ("\ufeffa,target\n1,0\n2,1\n3,0\n4,1\n0,1\n", "y", "'a', 'target'"),
    ],
)
def test_cli_regress_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, target: str, message: str
) -> None:
    (tmp_path / "d.csv").write_text(content)
    code = main(["regress", "logistic", "--data-file", str(tmp_path / "d.csv"), "--target", target])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
