"""Why a closed-form MLE is consistent, derived: it is a continuous function g of sample means
(and order statistics); by the law of large numbers each mean converges to its expectation,
so θ̂ → g(E[T]), which the expectation routes show to be θ. An order statistic converges to
the end of the support it estimates."""

from __future__ import annotations

import sympy as sp

from symmle.derive.general import general
from symmle.derive.step import Step
from symmle.derive.textbook import means
from symmle.families import Distribution
from symmle.inference.efficiency import Moments
from symmle.inference.expectation import Y, expectations
from symmle.inference.fisher import information, tidy
from symmle.printing.latex import inline
from symmle.printing.notation import Expectation, OrderStatistic, SampleMean, hat
from symmle.printing.prose import phrase
from symmle.symbols import n, value


def limits(
    family: Distribution, expr: sp.Expr
) -> tuple[dict[sp.Expr, sp.Expr], dict[sp.Expr, sp.Expr]]:
    """Each sample mean and order statistic in ``expr`` -> its limit, shown and evaluated."""
    symbols = [p.symbol for p in information(family).parameters]
    moments = Moments(expectations(family, symbols), information(family))
    shown: dict[sp.Expr, sp.Expr] = {}
    found: dict[sp.Expr, sp.Expr] = {}
    for mean in expr.atoms(SampleMean):
        (term,) = mean.args
        shown[mean] = Expectation(term)
        found[mean] = moments.first(term.subs(value, Y))
    ends = {"min": family.support.inf, "max": family.support.sup}
    for statistic in (s for s in expr.free_symbols if isinstance(s, OrderStatistic)):
        shown[statistic] = found[statistic] = ends[statistic.statistic]
    return shown, found


def consistency_step(family: Distribution, name: str) -> Step:
    """θ̂ = g(means) → g(E[T]) = θ for one parameter with an explicit estimate."""
    g = general(family)
    p = family.parameter(name)
    estimate = sp.simplify(g.solution[p.symbol].subs(means(g.form.statistics)))
    shown, found = limits(family, estimate)
    limit = sp.Limit(hat(p.symbol), n, sp.oo)
    result = tidy(estimate.xreplace(found))
    lines = [
        sp.Eq(hat(p.symbol), estimate),
        sp.Eq(limit, estimate.xreplace(shown)),
        sp.Eq(limit, result),
    ]
    order = [s for s in estimate.free_symbols if isinstance(s, OrderStatistic)]
    reason = (
        "the extreme observation converges to the end of the support it estimates (the chance "
        "that all n observations miss a neighbourhood of the end vanishes as n grows)"
        if order
        else "by the law of large numbers each sample mean converges to its expectation (found "
        "as for the Fisher information), and the estimate is a continuous function of them"
    )
    verdict = "consistent" if sp.simplify(result - p.symbol) == 0 else "not consistent"
    text = phrase(
        f"The {family.title}'s {{0}}: {reason}. The limit is {{1}}: the MLE is {verdict}.",
        p.symbol,
        result,
    )
    return Step(
        "consistency",
        f"{family.title}: the limit of {inline(hat(p.symbol))}",
        sp.Tuple(*lines),
        text,
    )
