"""The catalogue: every family derives with data and for general n, by the right method, and
the general results are the textbook formulas."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle import i, n, y
from symmle.families import get
from symmle.printing.notation import OrderStatistic

METHODS = {
    "bernoulli": "closed form",
    "binomial": "closed form",
    "geometric": "closed form",
    "poisson": "closed form",
    "negative_binomial": "closed form",
    "categorical": "constrained",
    "normal": "closed form",
    "lognormal": "closed form",
    "exponential": "closed form",
    "gamma": "numeric",
    "beta": "numeric",
    "weibull": "numeric",
    "uniform": "boundary",
    "pareto": "boundary",
    "laplace": "boundary",
    "rayleigh": "closed form",
    "inverse_gaussian": "closed form",
    "half_normal": "closed form",
    "cauchy": "numeric",
    "logistic": "numeric",
    "gumbel": "numeric",
    "student_t": "numeric",
    "normal_mixture": "EM",
    "poisson_mixture": "EM",
    "exponential_mixture": "EM",
}


def test_twenty_two_families() -> None:
    assert set(symmle.families("scalar")) == set(METHODS)
    assert set(symmle.families()) - set(METHODS) == set(symmle.families("vector"))


def worked(name: str) -> symmle.Result:
    family = get(name)
    return symmle.mle(name, data=family.example, known=dict(family.example_known))


@pytest.mark.parametrize("name", sorted(METHODS))
def test_worked_example_derives_and_checks_pass(name: str) -> None:
    r = worked(name)
    assert r.method == METHODS[name]
    assert r.steps[0].kind == "model" and r.steps[-1].kind == "estimate"
    assert all(c.passed for c in r.checks), r.checks
    assert len(r.checks) >= 2
    for p in r.family.parameters:
        assert p.domain.contains(r.estimate[p.name]) == sp.true, (p.name, r.estimate)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_general_n_derives_and_checks_pass(name: str) -> None:
    r = symmle.mle(name)
    assert r.method == METHODS[name]
    assert all(c.passed for c in r.checks), r.checks
    if METHODS[name] == "numeric":
        last = r.steps[-1]
        assert last.kind == "numeric" and "no closed-form solution" in last.text
        assert r.estimate == {}
    elif METHODS[name] == "EM":  # for any k: the updates, no estimate
        assert r.estimate == {} and r.steps[-1].kind in ("constraint", "boundary")
    else:
        assert r.steps[-1].kind == "estimate"


S = sp.Sum(y[i], (i, 1, n))
S2 = sp.Sum(y[i] ** 2, (i, 1, n))
LOG = sp.Sum(sp.log(y[i]), (i, 1, n))
m, r_ = sp.Symbol("m", integer=True, positive=True), sp.Symbol("r", integer=True, positive=True)

TEXTBOOK = [
    ("bernoulli", "theta", S / n),
    ("binomial", "p", S / (m * n)),
    ("geometric", "p", n / S),
    ("poisson", "lambda", S / n),
    ("negative_binomial", "p", n * r_ / (n * r_ + S)),
    ("exponential", "lambda", n / S),
    ("normal", "mu", S / n),
    ("lognormal", "mu", LOG / n),
    ("rayleigh", "sigma", sp.sqrt(S2 / (2 * n))),
    ("half_normal", "sigma", sp.sqrt(S2 / n)),
    ("inverse_gaussian", "mu", S / n),
]


@pytest.mark.parametrize(("name", "parameter", "expected"), TEXTBOOK)
def test_general_estimates_are_the_textbook_formulas(
    name: str, parameter: str, expected: sp.Expr
) -> None:
    got = symmle.mle(name).estimate[parameter]
    assert sp.simplify(got - expected) == 0


def at_sample(expr: sp.Expr, sample: list[float]) -> float:
    values = {y[k + 1]: v for k, v in enumerate(sample)}
    written = expr.subs(n, len(sample)).doit().subs(values)
    return float(written.subs(OrderStatistic("min"), min(sample)))


@pytest.mark.parametrize(
    ("name", "parameter", "formula"),
    [
        ("normal", "sigma", lambda v: np.std(v)),
        ("lognormal", "sigma", lambda v: np.std(np.log(v))),
        ("inverse_gaussian", "lambda", lambda v: 1 / np.mean(1 / v - 1 / np.mean(v))),
        ("pareto", "alpha", lambda v: len(v) / np.sum(np.log(v / np.min(v)))),
    ],
)
def test_general_estimates_agree_with_the_textbook_on_a_sample(
    name: str, parameter: str, formula: object
) -> None:
    sample = [1.3, 2.0, 4.5, 2.2, 7.0]
    got = at_sample(symmle.mle(name).estimate[parameter], sample)
    assert got == pytest.approx(formula(np.array(sample)), rel=1e-12)  # type: ignore[operator]


def test_textbook_latex_normal() -> None:
    general = symmle.mle("normal")
    log = general.step("log").latex
    assert r"\frac{n \log{\left(2 \pi \sigma^{2} \right)}}{2}" in log
    assert r"\left({y}_{i} - \mu\right)^{2}" in log and r"- \mu + {y}_{i}" not in log
    estimate = general.step("estimate").latex
    assert r"\hat{\mu} &= \bar{y}" in estimate
    assert r"\sqrt{\frac{\sum_{i=1}^{n} \left({y}_{i} - \bar{y}\right)^{2}}{n}}" in estimate
    solve = general.step("solve").latex
    assert r"\bar{y} &= \frac{\sum_{i=1}^{n} {y}_{i}}{n}" in solve
    data = symmle.mle("normal", data=[-1, 0, 1]).step("log").latex
    assert r"- \frac{3 \log{\left(2 \pi \sigma^{2} \right)}}{2}" in data


@pytest.mark.parametrize(
    ("name", "tex"),
    [
        ("poisson", r"\hat{\lambda} = \bar{y}"),
        ("exponential", r"\hat{\lambda} = \frac{1}{\bar{y}}"),
    ],
)
def test_textbook_latex_means(name: str, tex: str) -> None:
    assert tex in symmle.mle(name).step("estimate").latex


def test_uniform_is_the_range_of_the_sample() -> None:
    r = symmle.mle("uniform", data=[2, 5, 3, 4])
    assert r.estimate == {"a": 2, "b": 5}
    text = r.step("boundary").text
    assert "no zero" in text and "min yᵢ" in text and "max yᵢ" in text
    assert "increasing in a" in text and "decreasing in b" in text


def test_pareto_scale_is_the_minimum_then_alpha_closed_form() -> None:
    r = symmle.mle("pareto", data=[1, 2, 4])
    assert r.estimate["x_m"] == 1
    assert sp.simplify(r.estimate["alpha"] - 1 / sp.log(2)) == 0


@pytest.mark.parametrize(
    ("data", "median", "even"), [([1, 2, 4, 7, 10], 4, False), ([1, 2, 4, 10], 3, True)]
)
def test_laplace_location_is_the_median(data: list[int], median: int, even: bool) -> None:
    r = symmle.mle("laplace", data=data)
    assert r.estimate["mu"] == median
    expected_b = sp.Rational(sum(abs(v - median) for v in data), len(data))
    assert r.estimate["b"] == expected_b
    assert ("every μ between the two middle values" in r.step("subgradient").text) is even


def test_categorical_constrained() -> None:
    r = symmle.mle("categorical", data=[1, 2, 2, 3, 3, 3], known={"k": 3})
    assert r.estimate == {
        "p_1": sp.Rational(1, 6),
        "p_2": sp.Rational(1, 3),
        "p_3": sp.Rational(1, 2),
    }
    assert "constraint" in [s.kind for s in r.steps]
    general = symmle.mle("categorical")
    (estimate,) = general.estimate.values()
    assert (
        sp.simplify(estimate - sp.IndexedBase("n")[sp.Symbol("j", integer=True, positive=True)] / n)
        == 0
    )


def test_categorical_needs_k_with_data() -> None:
    with pytest.raises(symmle.OptionError, match="k"):
        symmle.mle("categorical", data=[1, 2])


def test_binomial_needs_m_with_data() -> None:
    with pytest.raises(symmle.OptionError, match="m"):
        symmle.mle("binomial", data=[3, 5])
    r = symmle.mle("binomial", data=[3, 5], known={"m": 10})
    assert r.estimate["p"] == sp.Rational(2, 5)


def test_numeric_gamma_profiles_beta_and_iterates() -> None:
    r = symmle.mle("gamma", data=[1, 2, 3, 6])
    kinds = [s.kind for s in r.steps]
    assert "profile" in kinds and kinds.count("numeric") == 2
    why = next(s for s in r.steps if s.kind == "numeric")
    assert "digamma" in why.text
    newton = [s for s in r.steps if s.kind == "numeric"][-1]
    assert newton.table[0][0] == "iteration" and len(newton.table) >= 3
    alpha = float(r.estimate["alpha"])
    beta = float(r.estimate["beta"])
    assert beta == pytest.approx(alpha / 3, rel=1e-10)  # the profile: beta = alpha / mean


@pytest.mark.parametrize(("name", "known"), [("gamma", {"alpha": 2}), ("weibull", {"k": 2})])
def test_known_shape_gives_closed_form(name: str, known: dict[str, int]) -> None:
    r = symmle.mle(name, data=[1, 2, 3, 6], known=known)
    assert r.method == "closed form"
    assert all(c.passed for c in r.checks)


def test_numeric_estimate_matches_scipy() -> None:
    from scipy import stats

    data = [1.2, 0.7, 3.1, 2.2, 0.4, 1.9, 5.0]
    r = symmle.mle("weibull", data=data)
    c, _, scale = stats.weibull_min.fit(data, floc=0)
    assert float(r.estimate["k"]) == pytest.approx(c, rel=1e-4)
    assert float(r.estimate["lambda"]) == pytest.approx(scale, rel=1e-4)
