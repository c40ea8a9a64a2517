"""The derivation for a sample y_1..y_n of symbolic size n, done once per family.

Everything is written with sufficient statistics S_k (and order statistics), so concrete data
only substitute numbers into these results: the cost does not grow with the sample size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from symmle.data import rational, sample, to_fraction
from symmle.derive.plan import Plan, make_plan
from symmle.derive.statistics import StatisticForm, statistic_form, with_data
from symmle.families import Distribution
from symmle.printing.notation import OrderStatistic
from symmle.store import kept


@dataclass(frozen=True)
class General:
    """Log-likelihood, score, plan, solution and Hessian in terms of S_k and n."""

    family: Distribution
    form: StatisticForm
    score: tuple[sp.Expr, ...]
    plan: Plan
    hessian: sp.Matrix

    @property
    def log_likelihood(self) -> sp.Expr:
        return self.form.log_likelihood

    @property
    def solution(self) -> dict[sp.Symbol, sp.Expr]:
        """Every parameter that has an explicit estimate, in statistics."""
        return self.plan.explicit

    @property
    def smooth(self) -> tuple[sp.Symbol, ...]:
        """The parameters the score and Hessian are taken in (not at an order statistic)."""
        fixed = self.plan.order_statistics
        return tuple(s for s in self.family.symbols if s not in fixed)

    def hessian_in_estimates(self) -> sp.Matrix | None:
        """The Hessian at the stationary point written with the parameters standing for the
        estimates: the score equations solved for the statistics (the moment equations)."""
        at = self.plan.smooth_log_likelihood
        score = [sp.diff(at, s) for s in self.smooth]
        statistics = sorted(
            set().union(*(e.free_symbols for e in score))
            & {s.symbol for s in self.form.statistics},
            key=sp.default_sort_key,
        )
        if not statistics or len(score) != len(statistics):
            return None
        moments = sp.solve(score, statistics, dict=True)
        if len(moments) != 1:
            return None
        return sp.hessian(at, self.smooth).subs(moments[0]).applyfunc(sp.simplify)


def example_sample(family: Distribution) -> tuple[Distribution, tuple[object, ...]]:
    """The family with its example's constants fixed, and the example data; where a known
    value leaves the example outside the support (binomial m = 5 and the example's 7), spread
    values over the support instead: a user's data is never judged by the example."""
    known = {k: rational(to_fraction(v)) for k, v in family.example_known}
    fixed = family.fix(known) if known else family
    support = fixed.data_support
    values = tuple(rational(to_fraction(v)) for v in family.example)
    if any(support.contains(v) is not sp.true for v in values):
        values = spread(support, len(values))
    return fixed, tuple(sample(values, support, family.title))


SPREAD = (sp.Rational(1, 5), sp.Rational(1, 2), sp.Rational(3, 5), sp.Rational(4, 5))


def spread(support: sp.Set, size: int) -> tuple[sp.Expr, ...]:
    """``size`` values at fixed fractions of a bounded support (integers for a discrete one)."""
    low, high = support.inf, support.sup
    points = [low + (high - low) * SPREAD[k % len(SPREAD)] for k in range(max(size, 2))]
    if support.is_subset(sp.Integers) or isinstance(support, sp.Range):
        return tuple(sp.floor(p + sp.Rational(1, 2)) for p in points)
    return tuple(points)


def prober(family: Distribution, form: StatisticForm) -> Callable[[sp.Expr], sp.Expr]:
    """Evaluate an expression in statistics at the worked example's data and the probe
    parameter values: to tell which root of the score lies in the domain."""
    _, data = example_sample(family)
    values = form.values(data)  # type: ignore[arg-type]
    constants = {
        c.symbol: rational(to_fraction(v))
        for c in family.constants
        for k, v in family.example_known
        if k == c.name
    }
    params = {
        p.symbol: sp.Float(v) for p in family.parameters for k, v in family.probe if k == p.name
    }
    held = {v: sp.Float(pv) for k, v in family.known for kk, pv in family.probe if kk == k}
    params.update({s: v for s, v in held.items() if isinstance(s, sp.Symbol)})  # held as symbols

    def at_probe(expr: sp.Expr) -> sp.Expr:
        done = with_data(expr.subs(values).subs(constants), data)  # type: ignore[arg-type]
        return sp.sympify(done.subs(values).subs(constants).subs(params)).evalf(30)

    return at_probe


@lru_cache(maxsize=64)
def general(family: Distribution) -> General:
    """The family's MLE for a sample of symbolic size n, derived once (and kept on disk)."""
    return kept("general", family, lambda: uncached_general(family))


def uncached_general(family: Distribution) -> General:
    """Derive the family's MLE for a sample of symbolic size n."""
    form = statistic_form(family.density, family.symbols)
    ell = form.log_likelihood
    plan = make_plan(family, ell, prober(family, form))
    smooth = [s for s in family.symbols if s not in plan.order_statistics]
    score = tuple(sp.diff(ell, s) for s in family.symbols)
    hessian = sp.hessian(plan.smooth_log_likelihood, smooth) if smooth else sp.Matrix()
    return General(family, form, score, plan, hessian)


__all__ = ["General", "OrderStatistic", "general"]
