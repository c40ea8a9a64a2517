"""The vector pages' own checks, beside the derivations': standard errors against the
curvature of scipy.stats' log-likelihood (central differences), and the larger Normal sample's
estimate against NumPy's mean and biased covariance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

from symmle.checks import Check, compare
from symmle.derive.vector import dirichlet
from symmle.numeric.covariance import covariance, standard_errors
from symmle.site.censored_page import curvature
from symmle.symbols import n
from symmle.vector import VectorResult

Array = np.ndarray[Any, np.dtype[np.float64]]
TOLERANCE = 1e-5
"""Central differences with steps of 1e-4 relative: their error is of order 1e-8."""


def rows(result: VectorResult) -> Array:
    assert result.data is not None
    return np.array([[float(v) for v in row] for row in result.data])


def normal_errors(result: VectorResult) -> Array:
    """√ of the diagonal of (−ℓ'')⁻¹ at the estimate, ℓ by scipy: the μ block, then the block
    of Σ's entries on and above the diagonal (the information is block-diagonal in μ and Σ at
    the maximum, so each block alone gives its errors)."""
    X, values = rows(result), result.estimate_values()
    mu, sigma = values["mu"], values["Sigma"]
    upper = np.triu_indices(len(mu))

    def ell_mu(at: Array) -> float:
        return float(stats.multivariate_normal(at, sigma).logpdf(X).sum())

    def ell_sigma(entries: Array) -> float:
        matrix = np.zeros_like(sigma)
        matrix[upper] = entries
        matrix = matrix + np.triu(matrix, 1).T
        return float(stats.multivariate_normal(mu, matrix).logpdf(X).sum())

    blocks = (curvature(ell_mu, mu), curvature(ell_sigma, sigma[upper]))
    return np.concatenate([standard_errors(-block) for block in blocks])


def multinomial_errors(result: VectorResult) -> Array:
    """The free parameters p₁…p_{k−1} (p_k = 1 − their sum): their covariance from scipy's ℓ,
    and p̂_k's variance 1ᵀC1 by the delta method."""
    X = rows(result)
    trials = int(X[0].sum())
    p = np.array(list(result.estimate_values().values()), float)

    def ell(free: Array) -> float:
        q = np.append(free, 1 - free.sum())
        return float(stats.multinomial(trials, q).logpmf(X).sum())

    inverse = covariance(-curvature(ell, p[:-1]))
    found: Array = np.sqrt(np.append(np.diag(inverse), inverse.sum()))
    return found


def dirichlet_ell(X: Array) -> Callable[[Array], float]:
    """α ↦ scipy's Σᵢ log f(xᵢ; α)."""
    return lambda alpha: float(sum(stats.dirichlet.logpdf(row, alpha) for row in X))


def dirichlet_errors(result: VectorResult) -> Array:
    alpha = np.array(list(result.estimate_values().values()), float)
    return standard_errors(-curvature(dirichlet_ell(rows(result)), alpha))


def dirichlet_general_checks(general: VectorResult, example: VectorResult) -> list[Check]:
    """The general score and Hessian (n rows, k symbolic) at the worked example's n and Sⱼ,
    at a point away from α̂, against scipy's ℓ differentiated by central differences."""
    X = rows(example)
    size = X.shape[1]
    probe = np.array(list(example.estimate_values().values()), float) + 0.5
    at = {n: len(X), **{dirichlet.logs[c + 1]: v for c, v in enumerate(np.log(X).sum(axis=0))}}
    at |= {dirichlet.alpha[c + 1]: v for c, v in enumerate(probe)}
    shown = {s.kind: s.expr.rhs for s in general.steps if s.kind in ("score", "second_order")}

    def value(expr: Any, indices: dict[Any, int]) -> float:
        return float(expr.subs(indices).subs(dirichlet.k, size).doit().subs(at))

    score = [value(shown["score"], {dirichlet.j: a}) for a in range(1, size + 1)]
    pairs = [(a, b) for a in range(1, size + 1) for b in range(1, size + 1)]
    hessian = [value(shown["second_order"], {dirichlet.j: a, dirichlet.q: b}) for a, b in pairs]
    ell, h = dirichlet_ell(X), 1e-5
    numeric = [(ell(probe + h * e) - ell(probe - h * e)) / (2 * h) for e in np.eye(size)]
    scale = len(X)
    return [
        compare(
            "the general score at the worked example (α̂ + 0.5) equals scipy's",
            score,
            numeric,
            TOLERANCE,
            scale,
        ),
        compare(
            "the general Hessian at the worked example (α̂ + 0.5) equals scipy's",
            hessian,
            curvature(ell, probe).ravel(),
            TOLERANCE,
            scale,
        ),
    ]


ORACLES: dict[str, Callable[[VectorResult], Array]] = {
    "multivariate_normal": normal_errors,
    "multinomial": multinomial_errors,
    "dirichlet": dirichlet_errors,
}


def standard_error_check(result: VectorResult) -> Check:
    """The derived Fisher information's standard errors against scipy's ℓ differentiated
    numerically (the observed information at the estimate)."""
    got = list(result.standard_errors.values())
    oracle = ORACLES[result.family.name](result)
    return compare(
        "SE equals √diag of (−ℓ'')⁻¹, scipy's ℓ by central differences", got, oracle, TOLERANCE
    )


def numpy_check(result: VectorResult) -> Check:
    """μ̂ and Σ̂ against numpy.mean and numpy.cov(bias=True) of the rows as floats."""
    X, values = rows(result), result.estimate_values()
    got = np.concatenate([values["mu"], values["Sigma"].ravel()])
    expected = np.concatenate([X.mean(axis=0), np.cov(X, rowvar=False, bias=True).ravel()])
    return compare(
        "μ̂, Σ̂ equal numpy.mean and numpy.cov(bias=True)", got, expected, 1e-12, 1 + np.abs(expected)
    )
