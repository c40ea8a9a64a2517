"""The theory derived for the Theory pages: KL divergences, limits, method-of-moments estimators,
the exact variances of a support end's estimators; and the pages themselves."""

from __future__ import annotations

import sympy as sp

from symmle.families import get
from symmle.inference.consistency import consistency_step
from symmle.inference.kl import divergence
from symmle.inference.moments import method_of_moments
from symmle.inference.rates import end_against_moments_step
from symmle.printing.notation import SampleMean
from symmle.symbols import n, value

theta, theta0 = sp.Symbol("theta", nonnegative=True), sp.Symbol("theta_0", nonnegative=True)
mu, mu0 = sp.Symbol("mu", real=True), sp.Symbol("mu_0", real=True)
sigma, sigma0 = sp.Symbol("sigma", positive=True), sp.Symbol("sigma_0", positive=True)
b = sp.Symbol("b", real=True)
mean, squares = SampleMean(value), SampleMean(value**2)


def same(a: sp.Expr, c: sp.Expr) -> bool:
    return bool(sp.simplify(a - c) == 0)


def test_kl_between_two_bernoullis() -> None:
    d = divergence(get("bernoulli"))
    expected = theta0 * sp.log(theta0 / theta) + (1 - theta0) * sp.log((1 - theta0) / (1 - theta))
    assert same(sp.expand_log(d.expr, force=True), sp.expand_log(expected, force=True))
    assert d.curvature_is_information


def test_kl_between_two_normals() -> None:
    d = divergence(get("normal"))
    expected = sp.log(sigma / sigma0) + (sigma0**2 + (mu - mu0) ** 2) / (2 * sigma**2) - sp.S.Half
    assert same(sp.expand_log(d.expr, force=True), sp.expand_log(expected, force=True))
    assert d.curvature_is_information
    assert [s.kind for s in d.steps] == ["kl", "kl", "kl"]
    assert d.expr.has((mu - mu0) ** 2), "shown as a square of μ − μ₀, not expanded"


def test_limits_of_closed_form_estimates_are_the_truth() -> None:
    for name, parameter in [("normal", "sigma"), ("exponential", "lambda"), ("uniform", "b")]:
        step = consistency_step(get(name), parameter)
        symbol = get(name).parameter(parameter).symbol
        assert same(step.expr.args[-1].rhs, symbol), name
        assert "consistent" in step.text and "not consistent" not in step.text


def test_method_of_moments_estimators() -> None:
    gamma = method_of_moments(get("gamma"))
    assert same(gamma.estimator["alpha"], mean**2 / (squares - mean**2))
    assert same(gamma.estimator["beta"], mean / (squares - mean**2))
    assert gamma.mle == {"alpha": None, "beta": None}
    uniform = method_of_moments(get("uniform").fix({"a": sp.Integer(0)}))
    assert same(uniform.estimator["b"], 2 * mean)
    normal = method_of_moments(get("normal"))
    assert all(same(normal.estimator[k], v) for k, v in normal.mle.items() if v is not None)
    assert "same estimator" in normal.step.text


def test_uniform_end_against_twice_the_mean() -> None:
    step = end_against_moments_step(get("uniform").fix({"a": sp.Integer(0)}), "b")
    mean_mle, var_mle, _, mean_mom, var_mom = (line.rhs for line in step.expr.args)
    assert same(mean_mle, n * b / (n + 1))
    assert same(var_mle, n * b**2 / ((n + 1) ** 2 * (n + 2)))
    assert same(mean_mom, b) and same(var_mom, b**2 / (3 * n))


def test_theory_pages_are_in_their_own_section_with_figures() -> None:
    from symmle.site.page import Page
    from symmle.site.pages import navigation
    from symmle.site.theory import builders

    pages = [build() for build in builders()]
    assert [p.section for p in pages] == ["Theory"] * 5
    for page in pages:
        assert page.figures and all(f.svg.startswith("<?xml") for f in page.figures)
        assert page.checks and all(check.passed for _, check in page.checks), page.path
        assert all(f.name in page.markdown for f in page.figures)
    nav = navigation(
        [Page("poisson.md", "Poisson", "", "# P", section="Discrete families"), *pages]
    )
    theory = next(entry["Theory"] for entry in nav if "Theory" in entry)
    assert [next(iter(e.values())) for e in theory] == [p.path for p in pages]
