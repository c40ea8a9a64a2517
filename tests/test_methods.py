"""The methods of estimation as rules: which method claims which parameter of each family, the
planner's order and its budget, and what the checks, fit and inference ask a plan."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.derive import plan as plan_module
from symmle.derive import solve
from symmle.derive.estimate import estimate_on
from symmle.derive.general import General, general, uncached_general
from symmle.derive.methods import (
    Problem,
    Rule,
    boundary,
    closed_form,
    median,
    newton,
    profile,
)
from symmle.derive.mle import derive_data, derive_general
from symmle.derive.plan import METHODS
from symmle.derive.statistics import statistic_form, summands
from symmle.derive.step import Step
from symmle.families import get
from symmle.families.known import family_with_known
from symmle.printing.notation import OrderStatistic
from symmle.results import Result
from symmle.symbols import i, n, value, y

CLAIMS = {
    "normal": [("closed form", ("mu", "sigma"))],
    "uniform": [("boundary", ("a", "b"))],
    "pareto": [("boundary", ("x_m",)), ("closed form", ("alpha",))],
    "laplace": [("median", ("mu",)), ("closed form", ("b",))],
    "gamma": [("profile", ("beta",)), ("newton", ("alpha",))],
    "weibull": [("profile", ("lambda",)), ("newton", ("k",))],
    "cauchy": [("newton", ("x0", "gamma"))],
}
MODULES = {
    boundary.Boundary: "boundary",
    median.Median: "median",
    closed_form.ClosedForm: "closed form",
    profile.Profile: "profile",
    newton.Newton: "newton",
}


def claims(name: str) -> list[tuple[str, tuple[str, ...]]]:
    family = get(name)
    names = {p.symbol: p.name for p in family.parameters}
    rules = general(family).plan.rules
    return [(MODULES[type(r)], tuple(names[s] for s in r.symbols)) for r in rules]


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_each_method_claims_the_parameters_it_solves(name: str) -> None:
    assert claims(name) == CLAIMS[name]


def test_the_categorical_is_constrained_by_its_one_rule() -> None:
    g = general(family_with_known("categorical", {"k": 3}))
    (rule,) = g.plan.rules
    assert rule.label == "constrained" and not rule.scored
    assert sp.simplify(g.plan.constraint - (sum(g.family.symbols) - 1)) == 0


def test_every_parameter_of_every_family_is_claimed_once() -> None:
    for name in symmle.families("scalar"):
        family = get(name)
        if family.sized is not None:
            family = family_with_known(name, {"k": 3})
        claimed = [s for r in general(family).plan.rules for s in r.symbols]
        assert sorted(claimed, key=str) == sorted(family.symbols, key=str), name


def test_the_plan_answers_what_checks_and_fit_ask() -> None:
    uniform, laplace, gamma = (general(get(f)).plan for f in ("uniform", "laplace", "gamma"))
    a, b = get("uniform").symbols
    assert uniform.region == {a: OrderStatistic("min"), b: OrderStatistic("max")}
    assert not uniform.stationary and uniform.method == "boundary"
    assert laplace.kinked == (get("laplace").symbols[0],) and laplace.method == "boundary"
    assert gamma.numeric == (get("gamma").symbols[0],) and set(gamma.profiled) == {
        get("gamma").symbols[1]
    }
    assert gamma.stationary and not gamma.kinked and gamma.method == "numeric"


@pytest.mark.parametrize("name", ["pareto", "laplace", "gamma"])
def test_each_rule_estimates_its_parameters_on_an_array(name: str) -> None:
    """The rules' array estimates together equal the derivation's estimate with data."""
    family = get(name)
    data = [1.5, 2.0, 3.25, 0.5, 4.0, 2.5]
    g = general(family)
    found = estimate_on(g, np.array(data))
    derived = symmle.mle(name, data=data).estimate
    for p in family.parameters:
        assert found[p.symbol] == pytest.approx(float(derived[p.name]), rel=1e-9)


def test_methods_are_tried_in_order() -> None:
    """EM first (a mixture's every parameter), the constraint (every parameter), the order
    statistics before the score,
    Newton's method last (it takes whatever is left)."""
    order = [m.__module__.rsplit(".", 1)[-1] for m in METHODS]
    assert order == ["em", "constrained", "boundary", "median", "closed_form", "profile", "newton"]


def test_a_solve_past_its_budget_leaves_the_parameter_to_the_next_method(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no time for SymPy's solve, the Normal falls through to Newton's method: the same
    estimate, found numerically, from a thread as well as from the main thread."""
    monkeypatch.setattr(solve, "SOLVE_WITHIN", 1e-6)
    results: list[object] = []

    def plan_in_a_thread() -> None:
        results.append(uncached_general(get("normal")))

    worker = threading.Thread(target=plan_in_a_thread)
    worker.start()
    worker.join(timeout=120)
    for g in (uncached_general(get("normal")), *results):
        assert [type(r) for r in g.plan.rules] == [newton.Newton]  # type: ignore[attr-defined]
        r = derive_data(g, [sp.Integer(-1), sp.Integer(0), sp.Integer(1)])  # type: ignore[arg-type]
        assert r.method == "numeric"
        assert float(r.estimate["mu"]) == pytest.approx(0, abs=1e-9)
        assert float(r.estimate["sigma"]) == pytest.approx(np.sqrt(2 / 3), rel=1e-9)
    assert len(results) == 1


def test_a_planner_solve_that_raises_or_overruns_finds_no_roots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    x = sp.Symbol("x", positive=True)
    assert solve.roots([x**2 - 4], [x]) == [{x: 2}]
    assert solve.roots([sp.gamma(x) - x * sp.zeta(x)], [x]) == []  # SymPy: NotImplementedError
    monkeypatch.setattr(solve, "SOLVE_WITHIN", 1e-6)
    assert solve.roots([x**2 - 4], [x]) == []


def test_a_sum_in_the_density_is_not_a_sum_over_the_sample() -> None:
    """A normaliser Σⱼ λʲ/j! is a function of λ: ℓ = n·(−log Σⱼ …) + …, with no sum over the
    sample for the planner to hide or the methods to take apart."""
    lam = sp.Symbol("lambda", positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    normaliser = sp.Sum(lam**j / sp.factorial(j), (j, 0, 5))
    form = statistic_form(lam**value / sp.factorial(value) / normaliser, (lam,))
    assert summands(form.log_likelihood) == []
    assert sp.simplify(form.log_likelihood.coeff(sp.log(normaliser)) + n) == 0
    assert summands(sp.Sum(y[i] ** 2, (i, 1, n)) + normaliser) == [sp.Sum(y[i] ** 2, (i, 1, n))]


@dataclass(frozen=True)
class SampleMean(Rule):
    """A method from outside the package: a parameter whose score is zero at the sample mean
    of y (θ̂ = S/n), claimed before the closed form would solve it."""

    label = "sample mean"
    precedence = 2

    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        return [Step("solve", "The sample mean", sp.Tuple(*shown.items()), "θ̂ = ȳ.")]


def sample_mean(problem: Problem) -> SampleMean | None:
    statistic = sp.Symbol("S_1", real=True)
    for p in problem.parameters:
        if (
            sp.simplify(sp.diff(problem.log_likelihood, p.symbol).subs(p.symbol, statistic / n))
            == 0
        ):
            return SampleMean((p.symbol,), {p.symbol: statistic / n})
    return None


def test_a_new_method_is_one_rule_and_its_place_in_the_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Derivation, checks, estimates on arrays, fit and inference run a method they have never
    seen: they ask the plan, not a list of methods."""
    monkeypatch.setattr(plan_module, "METHODS", (sample_mean, *METHODS))
    family = family_with_known("bernoulli", {})
    g = uncached_general(family)
    (rule,) = g.plan.rules
    assert isinstance(rule, SampleMean) and g.plan.method == "sample mean"
    data = [sp.Integer(v) for v in (0, 0, 0, 1, 0)]
    r = Result.of(derive_data(g, data))
    assert r.estimate == {"theta": sp.Rational(1, 5)} and r.method == "sample mean"
    assert all(c.passed for c in r.checks), r.checks
    assert "The sample mean" in [s.title for s in Result.of(derive_general(g)).steps]
    assert estimate_on(g, np.array([0.0, 1, 1, 0]))[rule.symbols[0]] == pytest.approx(0.5)
