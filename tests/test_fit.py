"""symmle.fit: the compiled estimator equals the exact derivation, is no worse than SciPy's fit,
gives standard errors from the observed information, and rejects bad input like symmle.mle."""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

import symmle
from symmle.checks import random_sample
from symmle.derive.compiled import Compiled
from symmle.derive.general import general
from symmle.derive.newton import newton
from symmle.errors import DataError, NoMLEError, OptionError
from symmle.families import Distribution, Parameter, get

NUMERIC = ["beta", "cauchy", "gamma", "gumbel", "logistic", "student_t", "weibull"]
MIXTURES = ["normal_mixture", "poisson_mixture", "exponential_mixture"]  # EM: tests/test_em.py
EXPLICIT = sorted(set(symmle.families("scalar")) - set(NUMERIC) - set(MIXTURES))


def family_and_sample(name: str, size: int, seed: int) -> tuple[Distribution, dict[str, Any], Any]:
    """The family with its worked example's constants, and a sample at its probe values."""
    known = dict(get(name).example_known)
    dist = symmle.family_with_known(name, known)
    return dist, known, random_sample(dist, size, seed)


def nll(dist: Distribution, x: Any, estimate: dict[str, float]) -> float:
    g = general(dist)
    ell = Compiled([g.log_likelihood], list(dist.symbols), g.form, x)
    return -ell([estimate[p.name] for p in dist.parameters])[0]


@pytest.mark.parametrize("name", EXPLICIT)
def test_explicit_estimates_equal_the_exact_derivation(name: str) -> None:
    dist, known, x = family_and_sample(name, 41, seed=3)
    exact = symmle.mle(name, data=list(x), known=known).estimate
    found = symmle.fit(name, x, known=known)
    assert list(found) == [p.name for p in dist.parameters]
    for p in dist.parameters:
        assert found[p.name] == pytest.approx(float(exact[p.name]), rel=1e-10, abs=1e-300)


def scipy_fit(dist: Distribution, x: Any) -> dict[str, float]:
    if dist.fit is not None:
        return dist.fit(x)
    _, mu, sigma = stats.t.fit(x, f0=float(dict(dist.known)["nu"]))  # Student's t, ν known
    return {"mu": mu, "sigma": sigma}


@pytest.mark.parametrize("name", NUMERIC)
def test_numeric_estimates_match_the_derivation_and_beat_scipy(name: str) -> None:
    dist, known, small = family_and_sample(name, 30, seed=4)
    found = symmle.fit(name, small, known=known)
    exact = symmle.mle(name, data=list(small), known=known).estimate
    for p in dist.parameters:
        assert found[p.name] == pytest.approx(float(exact[p.name]), rel=1e-7)
    x = random_sample(dist, 2000, seed=5)
    found = symmle.fit(name, x, known=known)
    ours, theirs = nll(dist, x, found), nll(dist, x, scipy_fit(dist, x))
    assert ours <= theirs + 1e-9 * abs(theirs)


def test_newton_from_a_subsample_reaches_the_full_sample_optimum() -> None:
    x = stats.cauchy(2.0, 0.5).rvs(size=60_000, random_state=np.random.default_rng(7))
    found = symmle.fit("cauchy", x)

    def negative(t: Any) -> float:
        return -float(np.sum(stats.cauchy.logpdf(x, t[0], t[1])))

    best = optimize.minimize(negative, [2.0, 0.5], method="Nelder-Mead", options={"xatol": 1e-10})
    assert [found["x0"], found["gamma"]] == pytest.approx(list(best.x), rel=1e-6)
    assert negative([found["x0"], found["gamma"]]) <= best.fun + 1e-9 * abs(best.fun)


def numerical_information(logpdf: Any, theta: list[float], h: float = 1e-4) -> Any:
    """−(Hessian of Σ log f) by central differences of scipy.stats' log-density."""
    k = len(theta)
    hessian = np.zeros((k, k))
    for a in range(k):
        for b in range(k):
            shifted = []
            for da, db in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                t = np.array(theta, float)
                t[a] += da * h
                t[b] += db * h
                shifted.append(logpdf(t) * da * db)
            hessian[a, b] = sum(shifted) / (4 * h * h)
    return -hessian


def test_standard_errors_are_the_observed_information() -> None:
    rng = np.random.default_rng(11)
    x = rng.gamma(2.5, 1 / 1.5, size=3000)
    found, errors = symmle.fit("gamma", x, se=True)
    theta = [found["alpha"], found["beta"]]
    information = numerical_information(
        lambda t: np.sum(stats.gamma.logpdf(x, t[0], scale=1 / t[1])), theta
    )
    expected = np.sqrt(np.diag(np.linalg.inv(information)))
    assert [errors["alpha"], errors["beta"]] == pytest.approx(list(expected), rel=1e-4)


def test_standard_errors_of_closed_forms() -> None:
    x = np.random.default_rng(12).normal(3.0, 2.0, size=500)
    (found, errors) = symmle.fit("normal", x, se=True)
    n = x.size
    assert errors["mu"] == pytest.approx(found["sigma"] / np.sqrt(n), rel=1e-12)
    assert errors["sigma"] == pytest.approx(found["sigma"] / np.sqrt(2 * n), rel=1e-12)
    counts = np.array([1] * 10 + [2] * 30 + [3] * 60)
    p, se = symmle.fit("categorical", counts, known={"k": 3}, se=True)
    for j, share in enumerate((0.1, 0.3, 0.6), start=1):
        assert p[f"p_{j}"] == pytest.approx(share)
        assert se[f"p_{j}"] == pytest.approx(np.sqrt(share * (1 - share) / 100), rel=1e-12)


def test_no_standard_error_at_an_order_statistic_or_the_domain_edge() -> None:
    (_, errors) = symmle.fit("pareto", [1.0, 2.0, 4.0, 5.0], se=True)
    assert np.isnan(errors["x_m"]) and errors["alpha"] > 0
    (found, errors) = symmle.fit("bernoulli", [0, 0, 0], se=True)
    assert found == {"theta": 0.0} and np.isnan(errors["theta"])


finite_scale = st.floats(0.2, 5.0)


@settings(max_examples=15, deadline=None)
@given(
    mu=st.floats(-1e3, 1e3), sigma=finite_scale, size=st.integers(2, 300), seed=st.integers(0, 99)
)
def test_normal_is_the_sample_mean_and_standard_deviation(
    mu: float, sigma: float, size: int, seed: int
) -> None:
    x = np.random.default_rng(seed).normal(mu, sigma, size)
    found = symmle.fit("normal", x)
    assert found["mu"] == pytest.approx(np.mean(x), rel=1e-12, abs=1e-12)
    assert found["sigma"] == pytest.approx(np.std(x), rel=1e-7)


@settings(max_examples=15, deadline=None)
@given(alpha=finite_scale, beta=finite_scale, seed=st.integers(0, 99))
def test_gamma_solves_its_score_equation(alpha: float, beta: float, seed: int) -> None:
    x = np.random.default_rng(seed).gamma(alpha, 1 / beta, 500)
    found = symmle.fit("gamma", x)
    a = found["alpha"]
    # ψ(α) − log α = mean(log y) − log(mean y), and β = α / mean(y)
    assert special.digamma(a) - np.log(a) == pytest.approx(
        np.mean(np.log(x)) - np.log(np.mean(x)), rel=1e-9
    )
    assert found["beta"] == pytest.approx(a / np.mean(x), rel=1e-12)


@settings(max_examples=15, deadline=None)
@given(lam=st.floats(0.1, 50), seed=st.integers(0, 99))
def test_poisson_is_the_mean_for_any_integer_dtype(lam: float, seed: int) -> None:
    x = np.random.default_rng(seed).poisson(lam, 200)
    for data in (x, x.astype(np.int32), x.astype(np.float32), list(map(int, x))):
        assert symmle.fit("poisson", data) == {"lambda": pytest.approx(np.mean(x), rel=1e-14)}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("normal", [1.0, np.nan], "the data contain nan"),
        ("normal", [1.0, np.inf], "the data contain inf"),
        ("normal", [], "the data are empty"),
        ("normal", np.ones((2, 2)), "one-dimensional"),
        ("normal", ["a", "b"], "must be real numbers"),
        ("normal", [1 + 2j], "complex"),
        ("normal", [1.0, None], "None is not a number"),
        ("exponential", [-1.0, 2.0], "-1 lies outside the support of the Exponential, [0, ∞)"),
        ("beta", [0.5, 1.0], "1 lies outside the support of the Beta, (0, 1)"),
        ("poisson", [1, 2.5], "2.5 lies outside the support of the Poisson"),
        ("bernoulli", [0, 2], "2 lies outside the support of the Bernoulli, {0, 1}"),
        ("gamma", [1e308, -1e308], "-1e+308 lies outside the support of the Gamma, (0, ∞)"),
        ("normal", [1e308, -1e308, 1.5e308], "the sums over these values overflow"),
        ("normal", np.array(3.0), "one-dimensional"),
    ],
)
def test_bad_data_raise_data_error(name: str, data: Any, message: str) -> None:
    with pytest.raises(DataError, match=re.escape(message)):
        symmle.fit(name, data)


def test_no_estimate_and_no_convergence_raise_specific_errors() -> None:
    with pytest.raises(NoMLEError, match="sigma"):
        symmle.fit("normal", [2.0, 2.0, 2.0])
    with pytest.raises(NoMLEError, match="every observation equal to 2"):
        symmle.fit("gamma", [2.0, 2.0, 2.0])
    with pytest.raises(NoMLEError, match="single value 3,"):
        symmle.fit("uniform", [3.0, 3.0])
    with pytest.raises(OptionError, match="nu"):
        symmle.fit("student_t", [1.0, 2.0])
    with pytest.raises(OptionError, match="k"):
        symmle.fit("categorical", [1, 2])


def test_known_parameters_and_pandas_like_input() -> None:
    x = np.random.default_rng(13).gamma(2.0, 0.5, size=1000)
    assert symmle.fit("gamma", x, known={"alpha": 2}) == {
        "beta": pytest.approx(2 / np.mean(x), rel=1e-14)
    }
    assert symmle.fit("normal", tuple(x), known={"mu": 1})["sigma"] == pytest.approx(
        np.sqrt(np.mean((x - 1) ** 2)), rel=1e-12
    )


def test_newton_line_search_keeps_a_divergent_newton_step_in_check() -> None:
    """From t = 1.5, plain Newton on −log cosh t overshoots further at every step."""
    t = Parameter("t", sp.Symbol("t", real=True), sp.Interval(-sp.oo, sp.oo), "a number")

    def objective(theta: Any) -> list[float]:
        (v,) = theta
        return [-np.log(np.cosh(v)), -np.tanh(v), -(1 - np.tanh(v) ** 2)]

    found, history = newton(objective, [t], [1.5])
    assert abs(found[0]) < 1e-8
    assert all(b.log_likelihood >= a.log_likelihood for a, b in itertools.pairwise(history))


@pytest.mark.parametrize(
    ("name", "x", "spread"),
    [
        ("normal", 1e6 + np.random.default_rng(14).normal(0, 1, 5000), np.std),
        ("lognormal", np.exp(20 + np.random.default_rng(15).normal(0, 1e-3, 5000)), None),
    ],
)
def test_no_cancellation_when_the_mean_dwarfs_the_spread(name: str, x: Any, spread: Any) -> None:
    """n·S₂ − S₁² in floating point would lose about 12 of 16 digits here."""
    expected = np.std(x) if spread is not None else np.std(np.log(x))
    assert symmle.fit(name, x)["sigma"] == pytest.approx(expected, rel=1e-9)


def test_polish_spares_the_last_pass_not_the_precision() -> None:
    """ℓ(θ) = -(θ-1)²/2 - (θ-1)³/3 near θ = 1: Newton's steps go 0.1, 8e-3, 7e-5, 5e-9 from it."""
    (location,) = [p for p in get("cauchy").parameters if p.name == "x0"]
    calls: list[float] = []

    def objective(t: Any) -> list[float]:
        calls.append(float(t[0]))
        u = float(t[0]) - 1
        return [-(u**2) / 2 - u**3 / 3, -u - u**2, -1 - 2 * u]

    full, _ = newton(objective, [location], [1.1])
    evaluations = len(calls)
    calls.clear()
    polished, _ = newton(objective, [location], [1.1], polish=True)
    assert abs(polished[0] - 1) <= 1e-15 and abs(full[0] - 1) <= 1e-15
    assert len(calls) == evaluations - 1


def test_the_gamma_far_from_one_agrees_with_scipy() -> None:
    """The moment start squared values near 1e300 (OverflowError); it now scales them."""
    x = np.array([1e300, 2e300, 3e300, 2.5e300])
    found = symmle.fit("gamma", x)
    shape, _, scale = stats.gamma.fit(x / 1e300, floc=0)
    assert found["alpha"] == pytest.approx(shape, rel=1e-6)
    assert found["beta"] * 1e300 == pytest.approx(1 / scale, rel=1e-6)
