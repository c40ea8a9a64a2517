"""Where the regularity conditions of the Fisher information fail, and what holds instead: a
parameter at an end of the support (Uniform, Pareto's x_m) has a score without mean zero and an
estimator that converges at the rate 1/n; a parameter at a kink of the log-density (Laplace's μ)
has information only as the variance of its score."""

from __future__ import annotations

import sympy as sp

from symmle.derive.step import Step
from symmle.families import Distribution, Parameter
from symmle.inference.expectation import Y, log_density
from symmle.printing.latex import inline
from symmle.printing.notation import Density, Expectation, OrderStatistic
from symmle.printing.prose import phrase
from symmle.symbols import n, value


def tail_integral(family: Distribution, lower: bool) -> sp.Expr:
    """∫ (1 − F(t))ⁿ dt over the support (lower end) or ∫ F(t)ⁿ dt (upper end): the mean
    distance from the end to the nearest observation."""
    low, high = family.support.inf, family.support.sup
    density = family.density.subs(value, Y)
    u, v = sp.Dummy("u", positive=True), sp.Dummy("v", positive=True)
    if low.is_finite and high.is_finite:  # over [0, 1]: y = low + (high − low)·u
        width = high - low
        cdf = sp.integrate(density.subs(Y, low + width * v) * width, (v, 0, u))
        tail = (1 - cdf if lower else cdf) ** n * width
        return sp.simplify(sp.integrate(tail, (u, 0, 1), conds="none"))
    cdf = sp.integrate(density.subs(Y, v), (v, low, u), conds="none")
    tail = (1 - cdf if lower else cdf) ** n
    return sp.simplify(
        sp.integrate(sp.powsimp(sp.simplify(tail), force=True), (u, low, high), conds="none")
    )


def support_end_step(family: Distribution, p: Parameter) -> Step:
    """The score of a support end has nonzero mean; its order statistic is 1/n away."""
    lower = p.symbol in family.support.inf.free_symbols
    score = sp.diff(log_density(family), p.symbol)
    statistic = OrderStatistic("min" if lower else "max")
    distance = tail_integral(family, lower)
    gap = statistic - p.symbol if lower else p.symbol - statistic
    f = sp.log(Density(sp.Symbol("y"), *family.symbols))
    lines = [
        sp.Eq(Expectation(sp.Derivative(f, p.symbol)), score, evaluate=False),
        sp.Eq(Expectation(gap), distance, evaluate=False),
    ]
    which = "smallest" if lower else "largest"
    text = phrase(
        "No Fisher information for {0}: the support {1} moves with {0}, so differentiating "
        "∫ f(y) dy = 1 in {0} picks up the density at the end and the score does not have mean "
        "zero (below). The regularity conditions behind the information, the Cramér–Rao bound "
        f"and asymptotic normality fail. The estimator, the {which} observation, lies on average "
        "the distance below from {0}: it converges at the rate 1/n, faster than the 1/√n of a "
        "regular parameter, and its error is not normal.",
        p.symbol,
        family.support,
    )
    return Step("regularity", f"Regularity fails for {inline(p.symbol)}", sp.Tuple(*lines), text)


def kink_step(family: Distribution, p: Parameter, ell: sp.Expr, information: sp.Expr) -> Step:
    """A location inside |y − μ|: the curvature sits at the kink; the score's variance is the
    information, and the median attains it."""
    second = sp.diff(ell, p.symbol, 2).replace(sp.DiracDelta, lambda *args: sp.S.Zero)
    density_at = family.density.subs(value, p.symbol)
    f = sp.log(Density(sp.Symbol("y"), *family.symbols))
    median_variance = sp.simplify(1 / (4 * density_at**2))
    lines = [
        sp.Eq(sp.Derivative(f, p.symbol, 2), sp.simplify(second)),
        sp.Eq(Expectation(sp.Derivative(f, p.symbol) ** 2), information, evaluate=False),
        sp.Eq(1 / (4 * Density(p.symbol, *family.symbols) ** 2), median_variance),
    ]
    text = phrase(
        "log f has a kink at y = {0}: its second derivative in {0} is {1} wherever it exists "
        "(y ≠ {0}), so the pointwise −E[∂² log f] misses the curvature at the kink and the "
        "information equality fails. The score exists with probability one and has mean zero; "
        "the information is its variance, {2}. The median's asymptotic variance, "
        "1/(4n·f({0})²) = {3}/n, equals the bound: the median is efficient.",
        p.symbol,
        lines[0].rhs,
        information,
        median_variance,
    )
    return Step("regularity", f"A kink in {inline(p.symbol)}", sp.Tuple(*lines), text)
