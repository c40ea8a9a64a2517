"""The Fisher information of every family against the textbook, the regularity notes of the
boundary families, the pivots' laws, and the exact efficiency of closed-form estimators."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import stats

import symmle
from symmle.families import get
from symmle.families.base import SIGN, W
from symmle.inference import information
from symmle.inference.efficiency import efficiency_step
from symmle.inference.numeric import information_check
from symmle.symbols import n

g = sp.EulerGamma
S = sp.Symbol


def sym(name: str, **assumptions: bool) -> sp.Symbol:
    return sp.Symbol(name, **assumptions)


theta, p = sym("theta", nonnegative=True), sym("p", nonnegative=True)
lam_d, lam, mu = sym("lambda", nonnegative=True), sym("lambda", positive=True), sym("mu", real=True)
sigma, alpha, beta = (
    sym("sigma", positive=True),
    sym("alpha", positive=True),
    sym("beta", positive=True),
)
m, r = sym("m", integer=True, positive=True), sym("r", integer=True, positive=True)
k, s, b, nu = (sym(x, positive=True) for x in ("k", "s", "b", "nu"))
x0, gam, mu_pos = sym("x0", real=True), sym("gamma", positive=True), sym("mu", positive=True)
tri = sp.polygamma(1, alpha)
euler = (1 - g) ** 2 + sp.pi**2 / 6

TEXTBOOK = {
    "bernoulli": [[1 / (theta * (1 - theta))]],
    "binomial": [[m / (p * (1 - p))]],
    "geometric": [[1 / (p**2 * (1 - p))]],
    "poisson": [[1 / lam_d]],
    "negative_binomial": [[r / (p**2 * (1 - p))]],
    "normal": [[1 / sigma**2, 0], [0, 2 / sigma**2]],
    "lognormal": [[1 / sigma**2, 0], [0, 2 / sigma**2]],
    "exponential": [[1 / lam**2]],
    "rayleigh": [[4 / sigma**2]],
    "half_normal": [[2 / sigma**2]],
    "inverse_gaussian": [[lam / mu_pos**3, 0], [0, 1 / (2 * lam**2)]],
    "gamma": [[tri, -1 / beta], [-1 / beta, alpha / beta**2]],
    "beta": [
        [tri - sp.polygamma(1, alpha + beta), -sp.polygamma(1, alpha + beta)],
        [-sp.polygamma(1, alpha + beta), sp.polygamma(1, beta) - sp.polygamma(1, alpha + beta)],
    ],
    "weibull": [[euler / k**2, -(1 - g) / lam], [-(1 - g) / lam, k**2 / lam**2]],
    "cauchy": [[1 / (2 * gam**2), 0], [0, 1 / (2 * gam**2)]],
    "logistic": [[1 / (3 * s**2), 0], [0, (3 + sp.pi**2) / (9 * s**2)]],
    "gumbel": [[1 / beta**2, -(1 - g) / beta**2], [-(1 - g) / beta**2, euler / beta**2]],
    "student_t": [
        [(nu + 1) / ((nu + 3) * sigma**2), 0],
        [0, 2 * nu / ((nu + 3) * sigma**2)],
    ],
    "pareto": [[1 / alpha**2]],
    "laplace": [[1 / b**2, 0], [0, 1 / b**2]],
}


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_fisher_information_is_the_textbook_one(name: str) -> None:
    got = symmle.mle(name).fisher
    expected = sp.Matrix(TEXTBOOK[name])
    assert got.shape == expected.shape
    assert (got - expected).applyfunc(sp.simplify) == sp.zeros(*got.shape), got


def test_every_family_is_covered() -> None:
    mixtures = {"normal_mixture", "poisson_mixture", "exponential_mixture"}  # no information
    assert set(TEXTBOOK) | {"uniform", "categorical"} | mixtures == set(symmle.families("scalar"))


def test_categorical_information_and_its_covariance_on_the_simplex() -> None:
    r = symmle.mle("categorical", data=[1, 2, 2, 3, 3, 3], known={"k": 3})
    ps = [sp.Symbol(f"p_{j}", nonnegative=True) for j in (1, 2, 3)]
    assert r.fisher == sp.diag(*(1 / q for q in ps))
    covariance = r.information.covariance
    assert covariance is not None
    expected = sp.diag(*ps) - sp.Matrix(ps) * sp.Matrix(ps).T
    assert (covariance - expected).applyfunc(sp.simplify) == sp.zeros(3, 3)
    with pytest.raises(symmle.OptionError, match="k"):
        symmle.mle("categorical").fisher  # noqa: B018


def test_uniform_has_no_information_and_says_why() -> None:
    r = symmle.mle("uniform")
    with pytest.raises(symmle.RegularityError, match="support"):
        r.fisher  # noqa: B018
    steps = r.information.steps
    assert [s.kind for s in steps] == ["regularity", "regularity"]
    a, b_ = sym("a", real=True), sym("b", real=True)
    distance = steps[1].expr.args[1].rhs
    assert sp.simplify(distance - (b_ - a) / (n + 1)) == 0  # rate n, not √n
    assert "1/n" in steps[1].text and "mean zero" in steps[1].text


def test_pareto_scale_is_irregular_and_shape_regular() -> None:
    info = symmle.mle("pareto").information
    assert [p.name for p in info.parameters] == ["alpha"]
    (note,) = [s for s in info.steps if s.kind == "regularity"]
    x_m = sym("x_m", positive=True)
    assert sp.simplify(note.expr.args[1].rhs - x_m / (alpha * n - 1)) == 0


def test_laplace_location_has_information_as_the_variance_of_its_score() -> None:
    info = symmle.mle("laplace").information
    (kink,) = [s for s in info.steps if s.kind == "regularity"]
    assert "kink" in kink.text and "median" in kink.text
    second, variance, median = kink.expr.args
    assert second.rhs == 0 and sp.simplify(variance.rhs - 1 / b**2) == 0
    assert sp.simplify(median.rhs - b**2) == 0  # 1/(4 f(μ)²): the median attains the bound


def test_information_is_not_the_hessian_alone_but_its_expectation() -> None:
    steps = symmle.mle("normal").information.steps
    kinds = [s.kind for s in steps]
    assert kinds == ["fisher", "expectation", "fisher", "cramer_rao"]
    means = {str(e.lhs.args[0]): e.rhs for e in steps[1].expr.args[:2]}
    assert sp.simplify(means["y**2"] - (mu**2 + sigma**2)) == 0  # from E[score] = 0


PIVOTED = ["weibull", "cauchy", "logistic", "gumbel", "student_t", "laplace"]


@pytest.mark.parametrize("name", PIVOTED)
def test_pivot_has_the_stated_law(name: str) -> None:
    """y built from W (and a fair sign) is distributed as scipy.stats' twin (KS test)."""
    family = get(name)
    pivot = family.pivot
    assert pivot is not None
    probe = family.probe_values
    values = {
        sp.Symbol(q.name, **q.symbol.assumptions0): v
        for q in family.parameters + family.constants
        for v in [probe[q.name]]
    }
    rng = np.random.default_rng(11)
    shape = [float(e.subs(values)) for e in pivot.shape]
    w = (
        rng.gamma(shape[0], size=4000)
        if pivot.law == "gamma"
        else rng.beta(shape[0], shape[1], size=4000)
    )
    signs = rng.choice([-1.0, 1.0], size=w.size)
    build = sp.lambdify([W, SIGN], pivot.observation.subs(values), "numpy")
    y = np.asarray(build(w, signs), dtype=float) * np.ones_like(w)
    twin = family.scipy({**probe})  # type: ignore[misc]
    assert stats.kstest(y, twin.cdf).pvalue > 0.01


@pytest.mark.parametrize("name", [*sorted(TEXTBOOK), "categorical"])
def test_information_equals_the_variance_of_scipys_score(name: str) -> None:
    family = get(name)
    if family.sized is not None:
        family = family.fix({"k": sp.Integer(3)})
    check = information_check(information(family))
    assert check.passed, check


def efficiency(name: str) -> sp.Tuple:
    family = get(name)
    step = efficiency_step(symmle.mle(name).general, information(family))
    assert step is not None
    return step


def test_poisson_mean_attains_the_bound() -> None:
    step = efficiency("poisson")
    mean, variance = step.expr.args
    assert sp.simplify(mean.rhs - lam_d) == 0 and sp.simplify(variance.rhs - lam_d / n) == 0
    assert "efficient for every n" in step.text


def test_normal_variance_estimate_is_biased() -> None:
    step = efficiency("normal")
    squared = step.expr.args[-1]
    assert sp.simplify(squared.rhs - (n - 1) * sigma**2 / n) == 0
    assert "biased for σ²" in step.text


def test_exponential_mean_is_efficient_for_the_mean() -> None:
    step = efficiency("exponential")
    mean, variance = step.expr.args
    assert sp.simplify(mean.rhs - 1 / lam) == 0
    assert sp.simplify(variance.rhs - 1 / (n * lam**2)) == 0
