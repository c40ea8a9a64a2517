"""The Dirichlet MLE from its sufficient statistics, against SciPy: scipy.optimize's maximum of
Σ scipy.stats.dirichlet.logpdf, and the score of that log-likelihood at the estimate."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import optimize, stats
from scipy.special import logsumexp

from symmle.errors import DataError, NoMLEError
from symmle.numeric.dirichlet import dirichlet_fit, information, start
from symmle.numeric.newton import Array

ALPHAS = {2: [0.7, 3.0], 3: [2.0, 0.5, 5.0], 5: [1.0, 4.0, 0.3, 2.5, 8.0]}


def scipy_ell(X: Array, alpha: Array) -> float:
    return float(np.sum(stats.dirichlet.logpdf(X.T, alpha)))


def scipy_maximum(X: Array) -> tuple[Array, float]:
    """scipy.optimize's maximiser of Σ logpdf over log α (BFGS, then Nelder–Mead to polish)."""

    def nll(b: Array) -> float:
        return -scipy_ell(X, np.exp(b))

    first = optimize.minimize(nll, np.zeros(X.shape[1]), method="BFGS")
    polished = optimize.minimize(
        nll,
        first.x,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000},
    )
    best = min((first, polished), key=lambda r: float(r.fun))
    return np.exp(best.x), -float(best.fun)


def fitted(X: Array) -> Array:
    alpha, _ = dirichlet_fit(X.shape[0], np.log(X).mean(axis=0))
    return alpha


@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_no_worse_than_scipy_optimize(k: int, seed: int) -> None:
    X = np.random.default_rng(seed).dirichlet(ALPHAS[k], size=60)
    alpha = fitted(X)
    oracle, best = scipy_maximum(X)
    assert scipy_ell(X, alpha) >= best - 1e-9 * abs(best)
    np.testing.assert_allclose(alpha, oracle, rtol=1e-4)


def scipy_score(X: Array, alpha: Array) -> Array:
    """Central differences of Σ scipy.stats.dirichlet.logpdf in each αⱼ."""
    steps = 1e-6 * alpha[:, None] * np.eye(alpha.size)
    return np.array(
        [(scipy_ell(X, alpha + h) - scipy_ell(X, alpha - h)) / (2 * h.sum()) for h in steps]
    )


@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_score_of_scipys_log_likelihood_vanishes_at_the_estimate(k: int, seed: int) -> None:
    X = np.random.default_rng(10 + seed).dirichlet(ALPHAS[k], size=200)
    alpha = fitted(X)
    off = alpha * np.r_[1.05, np.ones(k - 1)]  # off the estimate it does not vanish
    assert np.max(np.abs(scipy_score(X, alpha))) < 1e-6 * np.max(np.abs(scipy_score(X, off)))


@pytest.mark.parametrize(
    "alpha", [[0.01, 0.02, 0.05], [0.05, 0.02], [300.0, 100.0, 600.0], [0.03, 40.0]]
)
def test_small_and_large_alphas_against_scipy(alpha: list[float]) -> None:
    """Small α's put most values near 0 (their geometric means are far from their means),
    large ones near the mean: both converge to SciPy's maximum."""
    rng = np.random.default_rng(7)
    X = rng.dirichlet(alpha, size=400)
    X = X[np.all(X > 0, axis=1)]  # values that underflow to 0 are outside the support
    found = fitted(X)
    oracle, best = scipy_maximum(X)
    assert scipy_ell(X, found) >= best - 1e-9 * abs(best)
    np.testing.assert_allclose(found, oracle, rtol=1e-3)


def test_the_iterations_climb_from_minkas_start_to_the_estimate() -> None:
    X = np.random.default_rng(3).dirichlet([0.02, 0.05, 0.01], size=300)
    X = X[np.all(X > 0, axis=1)]
    s = np.log(X).mean(axis=0)
    alpha, history = dirichlet_fit(X.shape[0], s)
    ells = [it.log_likelihood for it in history]
    assert all(b >= a - 1e-9 * abs(a) for a, b in itertools.pairwise(ells))
    np.testing.assert_allclose(history[0].theta, start(s))
    np.testing.assert_allclose(history[-1].theta, alpha)
    assert history[-1].log_likelihood == pytest.approx(scipy_ell(X, alpha), rel=1e-12)
    # the start is already at the estimate's scale, α̂ⱼ ≈ 0.01 (not the geometric means' 1e-30)
    np.testing.assert_allclose(start(s), alpha, rtol=0.5)


def test_information_is_the_negative_hessian_of_scipys_log_likelihood() -> None:
    """n·[diag ψ′(αⱼ) − ψ′(α₀)] against second differences of Σ scipy.stats.dirichlet.logpdf."""
    X = np.random.default_rng(5).dirichlet([2.0, 0.5, 5.0], size=50)
    alpha = np.array([1.5, 0.7, 4.0])
    h, k = 1e-4, 3
    numeric = np.empty((k, k))
    for j, m in np.ndindex(k, k):
        ej, el = h * np.eye(k)[j], h * np.eye(k)[m]
        numeric[j, m] = -(
            scipy_ell(X, alpha + ej + el)
            - scipy_ell(X, alpha + ej - el)
            - scipy_ell(X, alpha - ej + el)
            + scipy_ell(X, alpha - ej - el)
        ) / (4 * h * h)
    np.testing.assert_allclose(information(50, alpha), numeric, rtol=1e-5)


@pytest.mark.parametrize("rows", [1, 4])
def test_equal_rows_have_no_maximum(rows: int) -> None:
    X = np.tile([0.2, 0.3, 0.5], (rows, 1))
    with pytest.raises(NoMLEError, match="every row is the same point of the simplex"):
        dirichlet_fit(rows, np.log(X).mean(axis=0))


def test_the_criterion_for_a_maximum_is_jensens_gap() -> None:
    """Rows that differ, however little, give Σ exp(sⱼ) < 1 and an estimate; the precision
    then grows as the rows draw together."""
    base, shift = np.array([0.2, 0.3, 0.5]), np.array([1.0, -1.0, 0.0])
    precisions = []
    for eps in (1e-1, 1e-2, 1e-3):
        X = np.array([base + eps * shift, base - eps * shift])
        s = np.log(X).mean(axis=0)
        assert logsumexp(s) < 0
        precisions.append(float(fitted(X).sum()))
    assert precisions == sorted(precisions)


@pytest.mark.parametrize(
    ("count", "mean_logs", "message"),
    [
        (10, [-1.0], "k ≥ 2 finite negative"),
        (10, [-1.0, 0.0], "k ≥ 2 finite negative"),
        (10, [-1.0, np.nan], "k ≥ 2 finite negative"),
        (10, [-1.0, -np.inf], "k ≥ 2 finite negative"),
        (0, [-1.0, -1.0], "at least one observation"),
    ],
)
def test_bad_statistics_are_refused(count: float, mean_logs: list[float], message: str) -> None:
    with pytest.raises(DataError, match=message):
        dirichlet_fit(count, mean_logs)
