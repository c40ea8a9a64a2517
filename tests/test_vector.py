"""symmle.mle on vector observations: the multivariate Normal, the Multinomial and the
Dirichlet, exact with rational rows, against NumPy, SciPy and scipy.optimize."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import scipy
import sympy as sp

import symmle
from symmle.cli import main
from symmle.errors import DataError, NoMLEError, OptionError
from symmle.families import get
from symmle.symbols import n

Array = np.ndarray[Any, np.dtype[np.float64]]


def numeric_hessian(ell: Any, at: Array, step: float = 1e-4) -> Array:
    """Central second differences of a scalar function."""
    size = at.size
    found = np.zeros((size, size))
    for r in range(size):
        for c in range(size):
            e_r, e_c = step * np.eye(size)[r], step * np.eye(size)[c]
            found[r, c] = (
                ell(at + e_r + e_c)
                - ell(at + e_r - e_c)
                - ell(at - e_r + e_c)
                + ell(at - e_r - e_c)
            ) / (4 * step**2)
    return found


def test_normal_exact_on_the_issues_rows() -> None:
    r = symmle.mle("multivariate_normal", data=[[0, 0], [1, 2], [2, 1]])
    assert r.method == "closed form"
    assert r.estimate["mu"] == sp.Matrix([1, 1])
    expected = sp.Matrix(
        [[sp.Rational(2, 3), sp.Rational(1, 3)], [sp.Rational(1, 3), sp.Rational(2, 3)]]
    )
    assert sp.simplify(r.estimate["Sigma"] - expected) == sp.zeros(2, 2)
    assert all(c.passed for c in r.checks)


def test_normal_against_numpy_and_scipy_on_floats() -> None:
    X = np.random.default_rng(3).multivariate_normal(
        [1, -2, 0.5], [[2, 0.3, 0], [0.3, 1, -0.4], [0, -0.4, 0.7]], 40
    )
    r = symmle.mle("multivariate_normal", data=X)
    mu = np.array(r.estimate["mu"].tolist(), float).ravel()
    sigma = np.array(r.estimate["Sigma"].tolist(), float)
    assert np.allclose(mu, X.mean(axis=0), rtol=1e-13, atol=1e-13)
    assert np.allclose(sigma, np.cov(X, rowvar=False, bias=True), rtol=1e-12, atol=1e-13)
    law = scipy.stats.multivariate_normal
    best = law(mu, sigma).logpdf(X).sum()
    assert best > law(mu + 0.01, sigma).logpdf(X).sum()
    assert best > law(mu, sigma * 1.01).logpdf(X).sum()
    assert all(c.passed for c in r.checks), [c for c in r.checks if not c.passed]


def test_normal_standard_errors_equal_the_inverse_observed_information() -> None:
    X = np.random.default_rng(4).normal(size=(30, 2)) @ np.array([[1.0, 0.5], [0.0, 2.0]])
    r = symmle.mle("multivariate_normal", data=X)
    mu = np.array(r.estimate["mu"].tolist(), float).ravel()
    sigma = np.array(r.estimate["Sigma"].tolist(), float)

    def ell(m: Array) -> float:
        return float(scipy.stats.multivariate_normal(m, sigma).logpdf(X).sum())

    errors = np.sqrt(np.diag(np.linalg.inv(-numeric_hessian(ell, mu))))
    assert np.allclose([r.standard_errors["mu_1"], r.standard_errors["mu_2"]], errors, rtol=1e-5)
    low, high = r.interval()["mu_1"]
    assert low < mu[0] < high and np.isclose(high - mu[0], 1.959963984540054 * errors[0], rtol=1e-5)


def test_normal_general_form() -> None:
    g = symmle.mle("multivariate_normal")
    k = sp.Symbol("k", integer=True, positive=True)
    assert g.estimate["mu"] == sp.MatrixSymbol("ybar", k, 1)
    assert g.estimate["Sigma"] == sp.MatrixSymbol("A", k, k) / n
    kinds = [s.kind for s in g.steps]
    assert kinds.count("score") == 2 and "second_order" in kinds and "fisher" in kinds
    assert any("(n − 1)/n" in s.text for s in g.steps)
    assert all(c.passed for c in g.checks) and len(g.checks) >= 7


@pytest.mark.parametrize(
    ("rows", "error", "words"),
    [
        ([[0, 0], [1, 2]], DataError, "at least k + 1 = 3 rows"),
        ([[0, 0], [1, 1], [2, 2]], NoMLEError, "one hyperplane"),
        ([[0, 0], [1, 2], [2]], DataError, "row 3 has 1 value"),
        ([[0], [1], [2]], DataError, "k ≥ 2"),
        ([], DataError, "empty"),
    ],
)
def test_normal_bad_rows(rows: list[list[int]], error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words.replace("+", r"\+")):
        symmle.mle("multivariate_normal", data=rows)


def test_multinomial_exact_and_general() -> None:
    r = symmle.mle("multinomial", data=[[3, 1, 1], [2, 2, 1], [4, 0, 1], [3, 1, 1]])
    assert r.estimate == {
        "p_1": sp.Rational(3, 5),
        "p_2": sp.Rational(1, 5),
        "p_3": sp.Rational(1, 5),
    }
    assert r.method == "constrained" and all(c.passed for c in r.checks)
    g = symmle.mle("multinomial")
    total, j, m = (
        sp.IndexedBase("T"),
        sp.Symbol("j", integer=True, positive=True),
        sp.Symbol("m", integer=True, positive=True),
    )
    assert sp.simplify(g.estimate["p_j"] - total[j] / (n * m)) == 0
    assert all(c.passed for c in g.checks)


def test_multinomial_against_scipy_optimize() -> None:
    rng = np.random.default_rng(5)
    X = rng.multinomial(12, [0.5, 0.2, 0.2, 0.1], size=25)
    r = symmle.mle("multinomial", data=X, known={"m": 12})
    p = np.array([float(v) for v in r.estimate.values()])
    law = scipy.stats.multinomial

    def nll(z: Array) -> float:
        return -float(law(12, scipy.special.softmax(z)).logpmf(X).sum())

    found = scipy.optimize.minimize(nll, np.zeros(4), method="BFGS")
    assert np.allclose(p, scipy.special.softmax(found.x), atol=1e-5)
    assert -nll(np.log(p)) >= -found.fun - 1e-9
    assert np.allclose(list(r.standard_errors.values()), np.sqrt(p * (1 - p) / (25 * 12)))


def test_multinomial_unseen_category_is_on_the_boundary() -> None:
    r = symmle.mle("multinomial", data=[[3, 2, 0], [5, 0, 0]], known={"m": 5})
    assert r.estimate["p_3"] == 0 and r.method == "boundary"
    assert r.estimate["p_1"] == sp.Rational(4, 5)


@pytest.mark.parametrize(
    ("rows", "known", "words"),
    [
        ([[1, 2], [2, 2]], None, "row 2 sums to 4, not m = 3"),
        ([[1, 2], [2, 1]], {"m": 4}, "row 1 sums to 3, not m = 4"),
        ([[1, -1], [0, 0]], None, "row 1 .* not whole and ≥ 0"),
        ([[1.5, 1.5]], None, "not whole"),
    ],
)
def test_multinomial_bad_rows(rows: Any, known: Any, words: str) -> None:
    with pytest.raises(DataError, match=words):
        symmle.mle("multinomial", data=rows, known=known)


def test_multinomial_bad_known() -> None:
    with pytest.raises(OptionError, match="no known parameter 'k'"):
        symmle.mle("multinomial", data=[[1, 2]], known={"k": 2})
    with pytest.raises(OptionError, match="whole number"):
        symmle.mle("multinomial", data=[[1, 2]], known={"m": 2.5})


def test_dirichlet_against_scipy_optimize() -> None:
    X = np.random.default_rng(6).dirichlet([2.0, 5.0, 1.5], size=30)
    r = symmle.mle("dirichlet", data=X)
    alpha = np.array([float(v) for v in r.estimate.values()])
    law = scipy.stats.dirichlet

    def nll(z: Array) -> float:
        return -float(sum(law.logpdf(row, np.exp(z)) for row in X))

    found = scipy.optimize.minimize(nll, np.zeros(3), method="BFGS", options={"gtol": 1e-9})
    assert -nll(np.log(alpha)) >= -found.fun - 1e-9
    assert np.allclose(alpha, np.exp(found.x), rtol=1e-4)
    assert r.method == "numeric" and all(c.passed for c in r.checks)
    observed = np.linalg.inv(-numeric_hessian(lambda a: -nll(np.log(a)), alpha, 1e-4))
    assert np.allclose(list(r.standard_errors.values()), np.sqrt(np.diag(observed)), rtol=1e-3)


def test_dirichlet_general_steps() -> None:
    g = symmle.mle("dirichlet")
    assert [s.kind for s in g.steps][:4] == ["model", "log", "score", "second_order"]
    assert "polygamma" in str(g.steps[2].expr) and all(c.passed for c in g.checks)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([[0.2, 0.8], [0.5, 0.4]], "row 2 sums to 0.9, not 1"),
        ([[0.0, 1.0]], "row 1 has a value outside"),
        ([[0.5], [0.5]], "k ≥ 2"),
    ],
)
def test_dirichlet_bad_rows(rows: Any, words: str) -> None:
    with pytest.raises(DataError, match=words):
        symmle.mle("dirichlet", data=rows)


@pytest.mark.parametrize("name", ["multivariate_normal", "multinomial", "dirichlet"])
def test_every_format(name: str) -> None:
    family_rows = {
        "multivariate_normal": "0,0;1,2;2,1",
        "multinomial": "3,1,1;2,2,1",
        "dirichlet": "1/2,1/4,1/4;1/5,1/2,3/10;3/5,1/5,1/5",
    }
    r = symmle.mle(name, data=[row.split(",") for row in family_rows[name].split(";")])
    assert r.to_markdown().count("$$") >= 8
    assert "\\section*" in r.to_latex()
    document = json.loads(r.to_json())
    assert document["family"] == name and all(c["passed"] for c in document["checks"])
    assert "[pass]" in r.to_text() and "[FAIL]" not in r.to_text()
    assert "95% Wald" in r.to_text() and set(r.standard_errors) <= set(document["intervals"])


def test_cli(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    assert main(["derive", "multivariate_normal", "--data", "0,0;1,2;2,1", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["estimate"]["Sigma"]["value"] == [[2 / 3, 1 / 3], [1 / 3, 2 / 3]]
    path = tmp_path / "rows.csv"
    path.write_text("a,b,c\n3,1,1\n2,2,1\n")
    assert main(["derive", "multinomial", "--data-file", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["estimate"]["p_1"]["value"] == 0.5
    assert main(["derive", "dirichlet", "--data", "0.2,0.8;0.5,0.4"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "sums to 0.9" in captured.err
    assert main(["derive", "multivariate_normal", "--data", "0,0;1,2", "--observed", "1,1"]) == 2


def test_dirichlet_equal_rows_have_no_estimate() -> None:
    with pytest.raises(NoMLEError, match="same point of the simplex"):
        symmle.mle("dirichlet", data=[[0.5, 0.5], [0.5, 0.5]])


def test_the_registry_lists_the_vector_families() -> None:
    assert symmle.families("vector") == ["dirichlet", "multinomial", "multivariate_normal"]
    assert set(symmle.families()) == set(symmle.families("scalar")) | set(symmle.families("vector"))
    with pytest.raises(OptionError, match="'scalar' or 'vector'"):
        symmle.families("matrix")
    with pytest.raises(symmle.UnknownFamilyError, match="takes rows"):
        get("dirichlet")


def test_cli_fit_on_a_csv_of_rows(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    X = np.random.default_rng(8).normal(size=(200, 3))
    path = tmp_path / "rows.csv"
    np.savetxt(path, X, delimiter=",", header="a,b,c", comments="")
    assert main(["fit", "multivariate_normal", "--data-file", str(path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert np.allclose(document["estimate"]["Sigma"], np.cov(X, rowvar=False, bias=True))
    assert main(["fit", "multivariate_normal", "--data-file", str(path), "--se"]) == 0
    text = capsys.readouterr().out
    assert "Sigma_3_3" in text and f"{X[:, 0].mean():.10g}" in text
    path.write_text("a,b\n1,2\n3\n")
    assert main(["fit", "multivariate_normal", "--data-file", str(path)]) == 2
    assert "row 2 has 1 value" in capsys.readouterr().err


def test_normal_covariance_standard_errors_equal_the_inverse_observed_information() -> None:
    X = np.random.default_rng(9).normal(size=(40, 2)) @ np.array([[1.0, 0.4], [0.0, 1.5]])
    r = symmle.mle("multivariate_normal", data=X)
    mu = np.array(r.estimate["mu"].tolist(), float).ravel()
    sigma = np.array(r.estimate["Sigma"].tolist(), float)

    def ell(entries: Array) -> float:
        matrix = np.array([[entries[0], entries[1]], [entries[1], entries[2]]])
        return float(scipy.stats.multivariate_normal(mu, matrix).logpdf(X).sum())

    unique = np.array([sigma[0, 0], sigma[0, 1], sigma[1, 1]])
    errors = np.sqrt(np.diag(np.linalg.inv(-numeric_hessian(ell, unique, 1e-4))))
    got = [r.standard_errors[name] for name in ("Sigma_1_1", "Sigma_1_2", "Sigma_2_2")]
    assert np.allclose(got, errors, rtol=1e-4)
