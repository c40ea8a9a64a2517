"""Inference from data: standard errors against statsmodels, Wald intervals and their coverage
by a small seeded simulation, and the likelihood-ratio test."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats
from statsmodels.base.model import GenericLikelihoodModel

import symmle
from symmle.checks import frozen, log_density
from symmle.derive.general import general
from symmle.families import get
from symmle.inference import information
from symmle.inference.simulate import Z95, coverage, draws, estimates, row_statistics, wald_errors
from symmle.numeric.covariance import covariance


class Likelihood(GenericLikelihoodModel):
    """statsmodels' MLE with a numeric Hessian, on scipy.stats' log-density of the family."""

    def __init__(self, endog: Any, family: str, names: list[str]) -> None:
        super().__init__(endog, extra_params_names=names)
        self.family = get(family)
        self.names = names

    def nloglikeobs(self, params: Any) -> Any:
        values = dict(zip(self.names, params, strict=True))
        if any(not q.domain.contains(values[q.name]) for q in self.family.parameters):
            return np.full(self.endog.shape, 1e10)
        return -log_density(frozen(self.family, values), self.endog)


SAMPLES = [
    ("poisson", {"lambda": 3.5}),
    ("exponential", {"lambda": 1.7}),
    ("normal", {"mu": 0.7, "sigma": 1.6}),
    ("gamma", {"alpha": 2.5, "beta": 1.5}),
    ("weibull", {"k": 1.8, "lambda": 2.0}),
    ("cauchy", {"x0": 0.5, "gamma": 1.2}),
    ("logistic", {"mu": 0.5, "s": 1.2}),
    ("inverse_gaussian", {"mu": 1.5, "lambda": 2.5}),
]


@pytest.mark.parametrize(("name", "values"), SAMPLES)
def test_standard_errors_match_statsmodels(name: str, values: dict[str, float]) -> None:
    y = draws(get(name), values, 100, seed=5)
    data = [round(float(v), 6) for v in y]
    r = symmle.mle(name, data=data)
    names = [p.name for p in r.family.parameters]
    start = [float(r.estimate[k]) for k in names]
    fit = Likelihood(np.array(data), name, names).fit(
        start_params=start, method="nm", maxiter=4000, xtol=1e-10, ftol=1e-12, disp=0
    )
    observed = r.observed_standard_errors
    assert [observed[k] for k in names] == pytest.approx(list(fit.bse), rel=2e-3)
    expected = r.standard_errors  # n·I(θ̂): close to the observed one for n = 100
    assert [expected[k] for k in names] == pytest.approx(list(fit.bse), rel=0.3)


def test_expected_standard_errors_are_the_textbook_formulas() -> None:
    data = [2, 3, 1, 0, 4, 4, 2]
    r = symmle.mle("poisson", data=data)
    assert r.standard_errors["lambda"] == pytest.approx(np.sqrt(np.mean(data) / len(data)))
    normal = [1.5, -0.5, 2.0, 3.25, 0.0]
    r = symmle.mle("normal", data=normal)
    sd = np.std(normal)
    assert r.standard_errors == pytest.approx({"mu": sd / np.sqrt(5), "sigma": sd / np.sqrt(10)})
    bits = [0, 0, 0, 1, 0]
    r = symmle.mle("bernoulli", data=bits)
    assert r.standard_errors["theta"] == pytest.approx(np.sqrt(0.2 * 0.8 / 5))


def test_interval_is_the_estimate_plus_minus_z_standard_errors() -> None:
    r = symmle.mle("exponential", data=[0.5, 1.0, 2.5, 0.25, 1.75])
    se = r.standard_errors["lambda"]
    estimate = float(r.estimate["lambda"])
    low, high = r.interval(0.9)["lambda"]
    z = stats.norm.ppf(0.95)
    assert (low, high) == pytest.approx((estimate - z * se, estimate + z * se))
    low_obs, high_obs = r.interval(observed=True)["lambda"]
    assert high_obs - low_obs == pytest.approx(2 * 1.959964 * r.observed_standard_errors["lambda"])
    for level in (1.5, "0.9", True, None):
        with pytest.raises(symmle.OptionError, match="level"):
            r.interval(level)  # type: ignore[arg-type]


def test_likelihood_ratio_of_the_normal_mean() -> None:
    data = np.array([1.5, -0.5, 2.0, 3.25, 0.0, 1.0])
    r = symmle.mle("normal", data=list(data))
    test = r.likelihood_ratio(mu=0)
    by_hand = len(data) * np.log(np.mean(data**2) / np.var(data))
    assert test.statistic == pytest.approx(by_hand)
    assert test.df == 1 and test.p_value == pytest.approx(stats.chi2.sf(by_hand, 1))
    assert test.restricted["sigma"] == pytest.approx(np.sqrt(np.mean(data**2)))


def test_likelihood_ratio_simple_null() -> None:
    data = [2, 3, 1, 0, 4, 4, 2]
    test = symmle.mle("poisson", data=data).likelihood_ratio(lam=2)
    at = stats.poisson(np.mean(data)).logpmf(data).sum()
    null = stats.poisson(2).logpmf(data).sum()
    assert test.statistic == pytest.approx(2 * (at - null))


def test_likelihood_ratio_of_a_users_formula_equals_the_families() -> None:
    """The restricted fit derives the same family object again (no registry name exists)."""
    data = [1.5, 0.5, 2.0, 3.25, 0.25, 1.0]
    gamma = "lam**alpha*y**(alpha - 1)*exp(-lam*y)/gamma(alpha)"
    mine = symmle.mle(
        pdf=gamma, parameters={"alpha": "(0, oo)", "lam": "(0, oo)"}, support="(0, oo)", data=data
    )
    theirs = symmle.mle("gamma", data=data)
    got, expected = mine.likelihood_ratio(alpha=1), theirs.likelihood_ratio(alpha=1)
    assert got.statistic == pytest.approx(expected.statistic, rel=1e-6)
    assert got.restricted["lam"] == pytest.approx(expected.restricted["beta"], rel=1e-9)
    simple = symmle.mle(
        pdf="lam*exp(-lam*y)", parameters={"lam": "(0, oo)"}, support="(0, oo)", data=data
    ).likelihood_ratio(lam=1)
    assert simple.statistic == pytest.approx(
        symmle.mle("exponential", data=data).likelihood_ratio(lam=1).statistic
    )


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: symmle.mle("normal").standard_errors, symmle.OptionError, "need data"),
        (lambda: symmle.mle("bernoulli", data=[0, 0]).interval(), symmle.RegularityError, "edge"),
        (lambda: symmle.mle("uniform", data=[1, 3]).standard_errors, symmle.RegularityError, "1/n"),
        (
            lambda: symmle.mle("normal", data=[1, 2]).likelihood_ratio(nu=1),
            symmle.OptionError,
            "mu",
        ),
        (
            lambda: symmle.mle("normal", data=[1, 2]).likelihood_ratio(sigma=-1),
            symmle.OptionError,
            "domain",
        ),
        (
            lambda: symmle.mle("pareto", data=[1, 2, 4]).likelihood_ratio(x_m=1),
            symmle.RegularityError,
            "support",
        ),
    ],
)
def test_bad_requests_get_clear_errors(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_vectorised_estimates_are_symmles_estimates() -> None:
    family = get("gamma")
    samples = draws(family, {"alpha": 2.5, "beta": 1.5}, (3, 40), seed=8)
    found = estimates(general(family), row_statistics(general(family), samples))
    for row, a, b in zip(samples, found["alpha"], found["beta"], strict=True):
        r = symmle.mle("gamma", data=list(row))
        assert (a, b) == pytest.approx((float(r.estimate["alpha"]), float(r.estimate["beta"])))


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("poisson", {"lambda": 3.5}),
        ("exponential", {"lambda": 1.7}),
        ("gamma", {"alpha": 2.5, "beta": 1.5}),
    ],
)
def test_wald_intervals_cover_within_monte_carlo_error(name: str, values: dict[str, float]) -> None:
    family, size, replications = get(name), 300, 1500
    g = general(family)
    found = estimates(g, row_statistics(g, draws(family, values, (replications, size), seed=3)))
    covariance = information(family).covariance
    assert covariance is not None
    first = family.parameters[0].name
    se = wald_errors(covariance, g, found, size, 0)
    share, _ = coverage((np.abs(found[first] - values[first]) <= Z95 * se).astype(np.float64))
    monte_carlo = np.sqrt(0.95 * 0.05 / replications)  # 0.0056: a 90% interval fails
    assert abs(share - 0.95) <= 4 * monte_carlo + 0.01, share


def test_the_simplex_covariance_is_the_projected_inverse() -> None:
    """Z (Zᵀ I Z)⁻¹ Zᵀ equals I⁻¹ − I⁻¹11ᵀI⁻¹/(1ᵀI⁻¹1) for an invertible information I (the
    categorical's: diag(nⱼ/pⱼ²)), and its rows sum to zero."""
    information = np.diag([30 / 0.2**2, 50 / 0.5**2, 20 / 0.3**2])
    inverse = np.linalg.inv(information)
    spread = inverse @ np.ones(3)
    projected = inverse - np.outer(spread, spread) / spread.sum()
    found = covariance(information, simplex=True)
    assert np.allclose(found, projected, rtol=1e-12, atol=1e-15)
    assert np.allclose(found.sum(axis=1), 0, atol=1e-15)
