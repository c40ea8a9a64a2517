"""A support end's MLE against its method-of-moments estimator, exactly: the largest observation
has density n·F(y)ⁿ⁻¹·f(y), whose moments give E and Var for any n; the moment estimator's come
from the sample mean's, Var(ȳ) = Var(y)/n. The first shrinks like 1/n², the second like 1/n."""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.inference.efficiency import Moments
from symmle.inference.expectation import Y, expectations
from symmle.inference.fisher import information, tidy
from symmle.inference.moments import method_of_moments, tilde
from symmle.printing.latex import inline
from symmle.printing.notation import Expectation, SampleMean, Variance, hat
from symmle.printing.prose import phrase
from symmle.symbols import n, value


@lru_cache(maxsize=32)
def largest_moment(family: Distribution, power: int) -> sp.Expr:
    """E[y₍ₙ₎^power] on a bounded support, through y = low + (high − low)·u."""
    low, high = family.support.inf, family.support.sup
    width = high - low
    u, v = sp.Dummy("u", positive=True), sp.Dummy("v", positive=True)
    density = family.density.subs(value, low + width * v) * width
    cdf = sp.integrate(density, (v, 0, u))
    integrand = (low + width * u) ** power * n * cdf ** (n - 1) * sp.diff(cdf, u)
    return sp.factor(sp.integrate(sp.expand(integrand), (u, 0, 1), conds="none"))


def linear_moments(family: Distribution, estimator: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """E and Var of c·ȳ (a multiple of the sample mean)."""
    c = estimator / SampleMean(value)
    if c.free_symbols or c.has(SampleMean):
        raise ValueError("the moment estimator is not a multiple of the sample mean")
    moments = Moments(expectations(family, list(family.symbols)), information(family))
    first, second = moments.first(Y), moments.second(Y, Y)
    return tidy(c * first), tidy(c**2 * (second - first**2) / n)


def end_against_moments_step(family: Distribution, name: str) -> Step:
    """The largest observation and c·ȳ as estimators of the upper end, exactly."""
    p = family.parameter(name)
    mean = largest_moment(family, 1)
    variance = tidy(largest_moment(family, 2) - mean**2)
    mom = method_of_moments(family).estimator[name]
    mom_mean, mom_variance = linear_moments(family, mom)
    lines = [
        sp.Eq(Expectation(hat(p.symbol)), mean, evaluate=False),
        sp.Eq(Variance(hat(p.symbol)), variance, evaluate=False),
        sp.Eq(tilde(p.symbol), mom),
        sp.Eq(Expectation(tilde(p.symbol)), mom_mean, evaluate=False),
        sp.Eq(Variance(tilde(p.symbol)), mom_variance, evaluate=False),
    ]
    text = phrase(
        "The MLE {0} = y₍ₙ₎ (density n·F(y)ⁿ⁻¹·f(y)) is biased low and its variance falls like "
        "1/n²; the moment estimator {1} = {2} is unbiased with variance falling like 1/n. No "
        "Cramér–Rao bound applies (the support moves with the parameter), and the MLE beats the "
        "1/n variance of a regular problem.",
        hat(p.symbol),
        tilde(p.symbol),
        mom,
    )
    title = f"{family.title}: the largest observation against {inline(mom)}"
    return Step("efficiency", title, sp.Tuple(*lines), text)
