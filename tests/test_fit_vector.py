"""symmle.fit on (n, k) arrays of vector observations, against NumPy and SciPy: numpy.mean and
numpy.cov, the log-likelihoods of scipy.stats.multivariate_normal, multinomial and dirichlet
(the estimate beats perturbed parameters; scipy.optimize finds nothing better), standard
errors against the inverse of finite-difference Hessians of SciPy's log-likelihoods, Dask (its
threads) against NumPy, and every bad input refused in one sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dask
import dask.array as da
import numpy as np
import pytest
from scipy import optimize, stats

import symmle
from symmle.errors import DataError, NoMLEError, OptionError
from symmle.families.vector import vector_family
from symmle.fit.vector import fit_vector
from symmle.numeric.newton import Array

COVARIANCES: dict[int, Any] = {
    2: [[2.0, 0.6], [0.6, 1.0]],
    3: [[2.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 1.0]],
    5: np.diag([1.0, 2.0, 3.0, 0.5, 4.0]) + 0.3,
}


def normal_rows(k: int, seed: int, n: int = 300, offset: float = 0.0) -> Array:
    mean = offset + np.arange(1.0, k + 1)
    return np.random.default_rng(seed).multivariate_normal(mean, COVARIANCES[k], size=n)


def hessian(f: Callable[[Array], float], theta: Array, h: Array) -> Array:
    """Central second differences of f at theta, with a step per coordinate."""
    d = theta.size
    steps = h[:, None] * np.eye(d)
    found = np.empty((d, d))
    for j, m in np.ndindex(d, d):
        a, b = steps[j], steps[m]
        found[j, m] = (
            f(theta + a + b) - f(theta + a - b) - f(theta - a + b) + f(theta - a - b)
        ) / (4 * h[j] * h[m])
    return found


def fd_errors(f: Callable[[Array], float], theta: Array) -> Array:
    """√ of the diagonal of the inverse of −(the Hessian of the log-likelihood f)."""
    information = -hessian(f, theta, 1e-4 * np.maximum(np.abs(theta), 1e-2))
    return np.sqrt(np.diag(np.linalg.pinv(information)))


# The multivariate Normal


@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_normal_against_numpy(k: int, seed: int) -> None:
    X = normal_rows(k, seed)
    found = symmle.fit("multivariate_normal", X)
    np.testing.assert_allclose(found["mu"], np.mean(X, axis=0), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(
        found["Sigma"], np.cov(X, rowvar=False, bias=True), rtol=1e-12, atol=1e-14
    )


def test_normal_far_from_zero_keeps_its_digits() -> None:
    """Values near 10⁸ with a spread of about 1: E[yyᵀ] − ȳȳᵀ would lose every digit."""
    X = normal_rows(3, 4, n=5000, offset=1e8)
    found = symmle.fit("multivariate_normal", X)
    np.testing.assert_allclose(found["Sigma"], np.cov(X, rowvar=False, bias=True), rtol=1e-9)


@pytest.mark.parametrize("k", [2, 3])
def test_normal_beats_perturbed_parameters_under_scipy(k: int) -> None:
    X = normal_rows(k, 5)
    found = symmle.fit("multivariate_normal", X)

    def ell(mu: Array, sigma: Array) -> float:
        return float(np.sum(stats.multivariate_normal.logpdf(X, mu, sigma)))

    best = ell(found["mu"], found["Sigma"])
    rng = np.random.default_rng(0)
    for _ in range(20):
        nudge = rng.normal(scale=0.05, size=(k, k))
        assert ell(found["mu"] + rng.normal(scale=0.05, size=k), found["Sigma"]) < best
        assert ell(found["mu"], found["Sigma"] + nudge @ nudge.T) < best
        assert ell(found["mu"], found["Sigma"] * 0.97) < best


def test_normal_errors_from_scipys_information() -> None:
    """The inverse of −H of Σ scipy.stats.multivariate_normal.logpdf in (μ, the distinct
    entries of Σ): √(Σ̂ⱼⱼ/n) for μ̂ⱼ, √((Σ̂ⱼⱼΣ̂ₗₗ + Σ̂ⱼₗ²)/n) for Σ̂ⱼₗ."""
    X, k = normal_rows(2, 6, n=400), 2
    found, errors = symmle.fit("multivariate_normal", X, se=True)
    upper = np.triu_indices(k)

    def ell(theta: Array) -> float:
        sigma = np.zeros((k, k))
        sigma[upper] = theta[k:]
        sigma = sigma + np.triu(sigma, 1).T
        return float(np.sum(stats.multivariate_normal.logpdf(X, theta[:k], sigma)))

    oracle = fd_errors(ell, np.concatenate((found["mu"], found["Sigma"][upper])))
    np.testing.assert_allclose(errors["mu"], oracle[:k], rtol=1e-4)
    np.testing.assert_allclose(errors["Sigma"][upper], oracle[k:], rtol=1e-4)
    np.testing.assert_allclose(errors["Sigma"], errors["Sigma"].T)


# The Multinomial


@pytest.mark.parametrize("known", [None, {"m": 12}])
def test_multinomial_against_scipy(known: dict[str, int] | None) -> None:
    p = np.array([0.2, 0.5, 0.1, 0.2])
    X = np.random.default_rng(1).multinomial(12, p, size=500)
    found = symmle.fit("multinomial", X, known=known)
    hat = np.array([found[f"p_{j}"] for j in range(1, 5)])
    np.testing.assert_allclose(hat, X.sum(axis=0) / X.sum(), rtol=1e-15)

    def ell(q: Array) -> float:
        return float(np.sum(stats.multinomial.logpmf(X, 12, q)))

    rng = np.random.default_rng(2)
    for _ in range(20):
        move = rng.normal(scale=0.01, size=4)
        assert ell(hat + move - move.mean()) < ell(hat)


def test_multinomial_errors_from_scipys_information() -> None:
    """The inverse of −H of Σ scipy.stats.multinomial.logpmf in p₁..p_{k−1} (p_k = 1 − Σ):
    √(p̂ⱼ(1 − p̂ⱼ)/(n·m)) for those, and for p̂_k by the delta method, 1ᵀ C 1."""
    X = np.random.default_rng(3).multinomial(8, [0.3, 0.45, 0.25], size=300)
    found, errors = symmle.fit("multinomial", X, known={"m": 8}, se=True)

    def ell(q: Array) -> float:
        return float(np.sum(stats.multinomial.logpmf(X, 8, np.append(q, 1 - q.sum()))))

    free = np.array([found["p_1"], found["p_2"]])
    information = -hessian(ell, free, np.full(2, 1e-5))
    covariance = np.linalg.pinv(information)
    oracle = [*np.sqrt(np.diag(covariance)), np.sqrt(covariance.sum())]
    np.testing.assert_allclose([errors[f"p_{j}"] for j in (1, 2, 3)], oracle, rtol=1e-4)


def test_a_category_never_seen_has_no_wald_error() -> None:
    X = np.array([[2, 1, 0], [1, 2, 0], [3, 0, 0]])
    found, errors = symmle.fit("multinomial", X, se=True)
    assert found["p_3"] == 0 and np.isnan(errors["p_3"])
    assert errors["p_1"] == pytest.approx(np.sqrt(2 / 3 * 1 / 3 / 9))


# The Dirichlet


def dirichlet_rows(alpha: list[float], seed: int, n: int = 300) -> Array:
    return np.random.default_rng(seed).dirichlet(alpha, size=n)


@pytest.mark.parametrize("alpha", [[0.8, 2.0], [2.0, 0.5, 5.0], [1.0, 4.0, 0.3, 2.5, 8.0]])
@pytest.mark.parametrize("seed", [0, 1])
def test_dirichlet_no_worse_than_scipy_optimize(alpha: list[float], seed: int) -> None:
    """L-BFGS-B on α itself (bounded below), from α = 1, on Σ scipy.stats.dirichlet.logpdf."""
    X = dirichlet_rows(alpha, seed)
    found = symmle.fit("dirichlet", X)
    ours = np.array(list(found.values()))

    def nll(a: Array) -> float:
        return -float(np.sum(stats.dirichlet.logpdf(X.T, a)))

    oracle = optimize.minimize(
        nll, np.ones(len(alpha)), method="L-BFGS-B", bounds=[(1e-6, None)] * len(alpha)
    )
    assert -nll(ours) >= -float(oracle.fun) - 1e-9 * abs(float(oracle.fun))
    np.testing.assert_allclose(ours, oracle.x, rtol=1e-3)


def test_dirichlet_errors_from_scipys_information() -> None:
    X = dirichlet_rows([2.0, 0.5, 5.0], 4)
    found, errors = symmle.fit("dirichlet", X, se=True)

    def ell(a: Array) -> float:
        return float(np.sum(stats.dirichlet.logpdf(X.T, a)))

    oracle = fd_errors(ell, np.array(list(found.values())))
    np.testing.assert_allclose(list(errors.values()), oracle, rtol=1e-4)


# Dask


SAMPLES: dict[str, tuple[Any, dict[str, int] | None]] = {
    "multivariate_normal": (normal_rows(3, 7, n=2000, offset=50.0), None),
    "multinomial": (np.random.default_rng(8).multinomial(9, [0.2, 0.3, 0.5], 2000), {"m": 9}),
    "dirichlet": (dirichlet_rows([2.0, 0.5, 5.0], 9, n=2000), None),
}


def flat(found: dict[str, Any]) -> Array:
    return np.concatenate([np.ravel(v) for v in found.values()])


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("chunks", [(333, 3), (2000, 3), (700, 1)])
def test_dask_equals_numpy(name: str, chunks: tuple[int, int]) -> None:
    X, known = SAMPLES[name]
    on_numpy = symmle.fit(name, X, known=known, se=True)
    on_dask = symmle.fit(name, da.from_array(X, chunks=chunks), known=known, se=True)
    for ours, theirs in zip(on_dask, on_numpy, strict=True):
        np.testing.assert_allclose(flat(ours), flat(theirs), rtol=1e-12)


def test_dask_needs_one_pass_for_its_sums() -> None:
    """The sums of every chunk come from one compute of the chunks' rows (each chunk read
    once; the first chunk once more, for the centre and the Multinomial's m)."""
    X, _ = SAMPLES["dirichlet"]
    calls: list[int] = []

    def counted(block: Array) -> Array:
        calls.append(block.shape[0])
        return block

    lazy = da.from_array(X, chunks=(500, 3)).map_blocks(counted, meta=np.empty((0, 3)))
    with dask.config.set(scheduler="sync"):  # one thread: ``calls`` in order
        symmle.fit("dirichlet", lazy)
    assert calls == [500] * 5


# Bad input: one clear sentence, the same on NumPy and on Dask


def both(X: Array) -> list[Any]:
    return [X, da.from_array(X, chunks=(3, -1))]


BAD: list[tuple[str, Any, dict[str, int] | None, type[Exception], str]] = [
    ("dirichlet", np.array([0.2, 0.3, 0.5]), None, DataError, r"an \(n, k\) table of rows"),
    ("dirichlet", np.ones((2, 2, 2)) / 2, None, DataError, r"an \(n, k\) table of rows"),
    ("dirichlet", np.empty((0, 3)), None, DataError, "the data are empty"),
    ("dirichlet", np.empty((3, 0)), None, DataError, "the rows are empty"),
    ("dirichlet", [[0.5, 0.5], [0.2]], None, DataError, "every row of the same length"),
    ("dirichlet", [["a", "b"]], None, DataError, "real numbers"),
    ("dirichlet", np.array([[0.5 + 1j, 0.5]]), None, DataError, "complex"),
    ("multivariate_normal", np.array([[1.0], [2.0]]), None, DataError, "k ≥ 2"),
    ("dirichlet", np.array([[1.0]]), None, DataError, "k ≥ 2"),
    ("multinomial", [[1, 2], [3, 0], [2, 1]], {"k": 2}, OptionError, "no known parameter 'k'"),
]


@pytest.mark.parametrize(("name", "X", "known", "error", "message"), BAD)
def test_malformed_tables_are_refused(
    name: str, X: Any, known: dict[str, int] | None, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        symmle.fit(name, X, known=known)


ROWS: list[tuple[str, Any, dict[str, int] | None, type[Exception], str]] = [
    ("dirichlet", [*[[0.2, 0.8]] * 4, [np.nan, 0.5]], None, DataError, "row 5 holds nan; every"),
    (
        "multivariate_normal",
        [*[[0, 1], [1, 0]] * 3, [1, np.inf]],
        None,
        DataError,
        "row 7 holds inf",
    ),
    ("multinomial", [*[[1, 2]] * 5, [-1, 4]], None, DataError, "row 6 .* not whole and ≥ 0"),
    ("multinomial", [*[[1, 2]] * 5, [1.5, 1.5]], None, DataError, "row 6 .* not whole and ≥ 0"),
    ("multinomial", [*[[1, 2]] * 4, [2, 2]], None, DataError, "row 5 sums to 4, not m = 3"),
    ("multinomial", [*[[1, 2]] * 3, *[[2, 2]] * 3], None, DataError, "row 4 sums to 4, not m = 3"),
    ("multinomial", [[1, 2]] * 4, {"m": 4}, DataError, "row 1 sums to 3, not m = 4"),
    ("multinomial", [[0, 0]] * 4, None, DataError, "count no trials"),
    ("dirichlet", [*[[0.2, 0.8]] * 3, [0.5, 0.6]], None, DataError, "row 4 sums to 1.1, not 1"),
    ("dirichlet", [*[[0.2, 0.8]] * 7, [0.0, 1.0]], None, DataError, "row 8 has a value outside"),
    ("multivariate_normal", [[0, 1], [2, 3]], None, DataError, "2 rows in 2 dimensions is sing"),
    ("multivariate_normal", [[0, 1, 2]], None, DataError, r"at least k \+ 1 = 4 rows"),
    (
        "multivariate_normal",
        [[0, 1], [1, 3], [2, 5], [4, 9]],
        None,
        NoMLEError,
        "covariance is sin",
    ),
    ("dirichlet", [[0.2, 0.3, 0.5]] * 6, None, NoMLEError, "the same point of the simplex"),
]


@pytest.mark.parametrize(("name", "rows", "known", "error", "message"), ROWS)
def test_bad_rows_are_refused_with_their_number(
    name: str,
    rows: Any,
    known: dict[str, int] | None,
    error: type[Exception],
    message: str,
) -> None:
    for X in both(np.array(rows, dtype=np.float64)):
        with pytest.raises(error, match=message):
            symmle.fit(name, X, known=known)


@pytest.mark.parametrize("chunk", [10_000, 100_000])
def test_a_bad_row_far_down_is_numbered_in_the_data(chunk: int) -> None:
    """Past the first block of a NumPy array and in a later chunk of a Dask array."""
    X = dirichlet_rows([2.0, 0.5, 5.0], 10, n=100_000)
    X[65_432] = [0.5, 0.5, 0.5]
    for data in (X, da.from_array(X, chunks=(chunk, 3))):
        with pytest.raises(DataError, match=r"^row 65433 sums to 1\.5, not 1"):
            symmle.fit("dirichlet", data)


def test_censoring_is_for_one_variable() -> None:
    with pytest.raises(OptionError, match="families of one variable"):
        symmle.fit("dirichlet", [[0.2, 0.8], [0.5, 0.5]], observed=[True, False])


def test_fit_dispatches_to_the_vector_fit() -> None:
    X, known = SAMPLES["multinomial"]
    family = vector_family("multinomial", known)
    assert family is not None
    assert symmle.fit("multinomial", X, known=known) == fit_vector(family, X)
