"""Mixtures by EM: the derived updates, the oracles (scikit-learn's GaussianMixture, and
scipy.optimize on the observed log-likelihood), the iterations and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import scipy
import sympy as sp
from sklearn.mixture import GaussianMixture

import symmle
from symmle.derive.em.run import fit_em
from symmle.derive.em.updates import N, r, updates
from symmle.errors import DataError, NoMLEError, OptionError
from symmle.families import get
from symmle.families.mixtures import Mixture, j
from symmle.symbols import i, n, y


def sized(name: str, k: int = 2) -> Mixture:
    family = get(name).fix({"k": sp.Integer(k)})
    assert isinstance(family, Mixture)
    return family


def normal_sample(seed: int, size: int = 400) -> np.ndarray:
    rng = np.random.default_rng(seed)
    first = int(0.35 * size)
    return np.concatenate([rng.normal(-1, 0.8, first), rng.normal(2.5, 1.3, size - first)])


def test_m_step_is_the_weighted_mean_and_variance() -> None:
    u = updates(sized("normal_mixture"))
    mu, sigma = u.component.symbols
    mean = sp.Sum(r[i, j] * y[i], (i, 1, n)) / N[j]
    variance = sp.Sum(r[i, j] * y[i] ** 2, (i, 1, n)) / N[j] - mean**2
    assert sp.simplify(u.m_step[mu] - mean) == 0
    assert sp.simplify(u.m_step[sigma] ** 2 - variance) == 0
    assert sp.simplify(u.weight - N[j] / n) == 0


def test_exponential_m_step_is_the_weighted_rate() -> None:
    u = updates(sized("exponential_mixture"))
    (lam,) = u.component.symbols
    assert sp.simplify(u.m_step[lam] - N[j] / sp.Sum(r[i, j] * y[i], (i, 1, n))) == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_normal_mixture_against_scikit_learn(seed: int) -> None:
    x = normal_sample(seed)
    ours = symmle.mle("normal_mixture", data=x.tolist(), known={"k": 2})
    assert ours.method == "EM"
    gm = GaussianMixture(
        2,
        covariance_type="full",
        n_init=5,
        tol=1e-12,
        max_iter=10_000,
        reg_covar=0.0,
        random_state=seed,
    ).fit(x[:, None])
    theirs = gm.score(x[:, None]) * x.size
    at = {name: float(v) for name, v in ours.estimate.items()}
    parts = [
        at[f"w_{c}"] * scipy.stats.norm(at[f"mu_{c}"], at[f"sigma_{c}"]).pdf(x) for c in (1, 2)
    ]
    ell = float(np.sum(np.log(sum(parts))))
    assert ell >= theirs - 1e-6 * abs(theirs)
    order = np.argsort(gm.means_.ravel())
    expected = {
        "w_1": gm.weights_[order[0]],
        "w_2": gm.weights_[order[1]],
        "mu_1": gm.means_.ravel()[order[0]],
        "mu_2": gm.means_.ravel()[order[1]],
        "sigma_1": np.sqrt(gm.covariances_.ravel()[order[0]]),
        "sigma_2": np.sqrt(gm.covariances_.ravel()[order[1]]),
    }
    got = {name: float(v) for name, v in ours.estimate.items()}
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=1e-4, abs=1e-5), name
    assert all(c.passed for c in ours.checks)


def observed_nll(family: Mixture, x: np.ndarray, free: np.ndarray) -> float:
    """−ℓ through scipy.stats, the weights by a softmax and the rates by exp (unconstrained)."""
    k = family.size
    weights = np.exp(free[:k] - scipy.special.logsumexp(free[:k]))
    rates = np.exp(free[k:])
    if family.discrete:
        logs = [scipy.stats.poisson(rate).logpmf(x) for rate in rates]
    else:
        logs = [scipy.stats.expon(scale=1 / rate).logpdf(x) for rate in rates]
    return -float(np.sum(scipy.special.logsumexp(np.log(weights)[:, None] + logs, axis=0)))


@pytest.mark.parametrize(
    ("name", "draw"),
    [
        ("poisson_mixture", lambda g: np.concatenate([g.poisson(1.5, 150), g.poisson(9.0, 250)])),
        (
            "exponential_mixture",
            lambda g: np.concatenate([g.exponential(0.3, 200), g.exponential(6.0, 200)]),
        ),
    ],
)
def test_counts_and_rates_against_scipy_optimize(name: str, draw: object) -> None:
    x = draw(np.random.default_rng(7)).astype(float)  # type: ignore[operator]
    family = sized(name)
    fitted = fit_em(family, x)
    best = min(
        scipy.optimize.minimize(
            lambda f: observed_nll(family, x, f),
            start,
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000},
        ).fun
        for start in ([0, 0, -1, 1], [0, 0, 0.5, 2.5], [0.5, -0.5, -2, 2])
    )
    assert -fitted.best.log_likelihood <= best + 1e-6 * abs(best)
    w1, w2, rate1, rate2 = fitted.theta
    free = np.array([np.log(w1), np.log(w2), np.log(rate1), np.log(rate2)])
    assert observed_nll(family, x, free) == pytest.approx(-fitted.best.log_likelihood, rel=1e-12)


def test_iterations_raise_the_likelihood_and_components_are_ordered() -> None:
    family = sized("normal_mixture", 3)
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(5, 1, 100), rng.normal(-4, 1, 100), rng.normal(0, 0.5, 100)])
    fitted = fit_em(family, x)
    ells = np.array([it.log_likelihood for it in fitted.best.history])
    assert fitted.best.monotone and np.all(np.diff(ells) >= -1e-9)
    means = fitted.theta[3::2]
    assert list(means) == sorted(means) and means[0] == pytest.approx(-4, abs=0.3)
    assert len(fitted.runs) == 5


def test_exponential_components_ordered_by_their_mean() -> None:
    fitted = fit_em(sized("exponential_mixture"), np.array([0.1, 0.2, 0.3, 0.4, 5, 8, 12]))
    assert fitted.theta[2] > fitted.theta[3]  # rates: the first component has the smaller mean


def test_steps_and_general_derivation() -> None:
    general = symmle.mle("normal_mixture")
    kinds = [s.kind for s in general.steps]
    assert general.method == "EM" and {"expectation", "solve", "constraint", "boundary"} <= set(
        kinds
    )
    assert all(c.passed for c in general.checks)
    example = symmle.mle("poisson_mixture", data=[0, 1, 2, 1, 9, 11, 10, 12], known={"k": 2})
    table = example.step("numeric").table
    assert table[0][:2] == ("t", "ℓ") and len(table) > 2
    assert "boundary" not in [s.kind for s in example.steps]  # no degeneracy for counts


@pytest.mark.parametrize(
    ("name", "data", "known", "error", "words"),
    [
        ("normal_mixture", [1, 2, 3], {"k": 1}, OptionError, "at least two components"),
        ("normal_mixture", [1, 2, 3], {"k": 0}, OptionError, "outside its domain"),
        ("normal_mixture", [1, 2, 3], {"k": 2.5}, OptionError, "outside its domain"),
        ("normal_mixture", [1, 1, 2, 2], {"k": 3}, DataError, "at least 3 different values"),
        ("poisson_mixture", [1, 2, -1, 5], {"k": 2}, DataError, "outside the support"),
        ("exponential_mixture", [1, 2, -5], {"k": 2}, DataError, "outside the support"),
        ("normal_mixture", [0, 0, 0, 0, 0, 1, 2, 3, 4], {"k": 2}, NoMLEError, "single value"),
    ],
)
def test_bad_input(
    name: str, data: list[float], known: dict[str, object], error: type, words: str
) -> None:
    with pytest.raises(error, match=words) as raised:
        symmle.mle(name, data=data, known=known)
    assert "\n" not in str(raised.value)


def test_the_m_step_shows_no_empty_sums() -> None:
    general = symmle.mle("normal_mixture", known={"k": 2})
    m_step = next(s for s in general.steps if s.title.startswith("M-step: each"))
    assert not m_step.expr.has(sp.Sum(0, (symmle.i, 1, symmle.n)))
    assert r"\sum_{i=1}^{n} 0" not in m_step.latex
