"""The estimator against the Cramér–Rao bound, exactly, for a sample of symbolic size n.

Where the estimate θ̂ (or θ̂², or 1/θ̂) is a polynomial of degree at most two in the
sufficient statistics S_k = Σ T_k(yᵢ), its mean follows from E[S_k] = n·E[T_k] and
E[S_a·S_b] = n·E[T_a·T_b] + n(n − 1)·E[T_a]·E[T_b]; for degree one its variance is
Σ c_a·c_b·n·Cov(T_a, T_b). Second moments the expectation routes do not give come from the
information equality: the score is Jᵀ·T + c, so Cov(T) = J⁻ᵀ·I(θ)·J⁻¹.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from symmle.derive.general import General
from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.inference.expectation import Expectations, Unresolved, Y, expectations, log_density
from symmle.inference.fisher import Information, information, tidy
from symmle.printing.latex import inline
from symmle.printing.notation import Expectation, OrderStatistic, Variance, hat
from symmle.printing.prose import Prose, listed, phrase, say
from symmle.symbols import n, value

Transform = Callable[[sp.Expr], sp.Expr]
TRANSFORMS: tuple[Transform, ...] = (lambda t: t, lambda t: t**2, lambda t: 1 / t)
"""θ̂, θ̂², 1/θ̂: the first that is a polynomial in the statistics is compared."""


@dataclass
class Moments:
    """E[T_a] and E[T_a·T_b] of the statistics' terms, by the expectation routes or the
    information equality."""

    expect: Expectations
    info: Information

    def first(self, term: sp.Expr) -> sp.Expr:
        return self.expect(term)

    def second(self, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        try:
            return self.expect(a * b)
        except Unresolved:
            return self.covariance(a, b) + self.first(a) * self.first(b)

    def covariance(self, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        """Cov(T_a, T_b) = (J⁻ᵀ I J⁻¹)_ab, J the coefficients of the terms in the score."""
        info = self.info
        if info.matrix is None:
            raise Unresolved("no information")
        ell = log_density(info.family)
        symbols = [p.symbol for p in info.parameters]
        scores = [sp.expand(sp.diff(ell, s)) for s in symbols]
        data = sorted(
            {d for s in scores for d in sp.Add.make_args(s) for d in [d.as_independent(Y)[1]]}
            - {1},
            key=sp.default_sort_key,
        )
        if len(data) != len(symbols) or a not in data or b not in data:
            raise Unresolved("the score is not linear in one statistic per parameter")
        J = sp.Matrix(len(data), len(symbols), lambda k, j: scores[j].coeff(data[k]))
        inverse = J.inv()
        covariance = inverse.T * info.matrix * inverse
        return tidy(covariance[data.index(a), data.index(b)])


def polynomial_moments(
    expr: sp.Expr, statistics: dict[sp.Symbol, sp.Expr], moments: Moments
) -> tuple[sp.Expr, sp.Expr | None] | None:
    """(E[expr], Var(expr) or None) for a polynomial of degree ≤ 2 in the statistics."""
    symbols = [s for s in statistics if s in expr.free_symbols]
    order = [s for s in expr.free_symbols if isinstance(s, OrderStatistic)]
    if not symbols or order or expr.has(sp.Sum) or not expr.is_polynomial(*symbols):
        return None
    poly = sp.Poly(expr, *symbols)
    if poly.total_degree() > 2:
        return None
    mean = sp.S.Zero
    for powers, c in poly.terms():
        factors = [t for s, k in zip(symbols, powers, strict=True) for t in [statistics[s]] * k]
        if not factors:
            mean += c
        elif len(factors) == 1:
            mean += c * n * moments.first(factors[0])
        else:
            a, b = factors
            mean += c * (
                n * moments.second(a, b) + n * (n - 1) * moments.first(a) * moments.first(b)
            )
    if poly.total_degree() != 1:
        return tidy(mean), None
    linear = {s: poly.coeff_monomial(s) for s in symbols}
    variance = sum(
        (
            ca
            * cb
            * n
            * (
                moments.second(statistics[sa], statistics[sb])
                - moments.first(statistics[sa]) * moments.first(statistics[sb])
            )
            for sa, ca in linear.items()
            for sb, cb in linear.items()
        ),
        sp.S.Zero,
    )
    return tidy(mean), tidy(variance)


def compare(
    shown: sp.Expr, target: sp.Expr, mean: sp.Expr, variance: sp.Expr | None, bound: sp.Expr
) -> tuple[list[sp.Basic], Prose]:
    """The estimator's mean (and variance) against its target (and the bound), in words."""
    lines: list[sp.Basic] = [sp.Eq(Expectation(shown), mean, evaluate=False)]
    bias = tidy(mean - target)
    if bias == 0:
        said = phrase("{0} is unbiased for {1}", shown, target)
    else:
        said = phrase(
            "{0} is biased for {1}, by {2}, which vanishes as n grows", shown, target, bias
        )
    if variance is not None:
        lines.append(sp.Eq(Variance(shown), variance, evaluate=False))
        if bias == 0 and tidy(variance - bound) == 0:
            said += " and its variance equals the Cramér–Rao bound: it is efficient for every n"
        else:
            ratio = tidy(bound / variance)
            said += phrase("; the bound over its variance (its efficiency) is {0}", ratio)
    return lines, said


def polynomial_form(
    estimate: sp.Expr, statistics: dict[sp.Symbol, sp.Expr], moments: Moments
) -> tuple[Transform, tuple[sp.Expr, sp.Expr | None]] | None:
    """The first transform of the estimate that is a polynomial in the statistics, with its
    exact mean and variance."""
    for transform in TRANSFORMS:
        try:
            found = polynomial_moments(sp.expand(transform(estimate)), statistics, moments)
        except Unresolved:
            found = None
        if found is not None:
            return transform, found
    return None


def efficiency_step(g: General, info: Information) -> Step | None:
    """Each closed-form estimate's exact mean (and variance) against the bound."""
    if info.covariance is None or g.plan.constraint is not None:
        return None
    statistics = {s.symbol: s.term.subs(value, Y) for s in g.form.statistics}
    moments = Moments(expectations(info.family, [p.symbol for p in info.parameters]), info)
    lines: list[sp.Basic] = []
    said: list[Prose] = []
    for k, p in enumerate(info.parameters):
        estimate = g.plan.explicit.get(p.symbol)
        found = None if estimate is None else polynomial_form(estimate, statistics, moments)
        if found is None:
            continue
        transform, (mean, variance) = found
        target = transform(p.symbol)
        bound = tidy(sp.diff(target, p.symbol) ** 2 * info.covariance[k, k] / n)
        more, sentence = compare(transform(hat(p.symbol)), target, mean, variance, bound)
        lines += more
        said.append(sentence)
    if not lines:
        return None
    text = say(
        "For a sample of any size n, from E[S_k] = n·E[T_k] and E[S_a·S_b] = n·E[T_a·T_b] + "
        "n(n − 1)·E[T_a]·E[T_b]: ",
        listed(said, "; "),
        ".",
    )
    return Step("efficiency", "The estimator against the bound", sp.Tuple(*lines), text)


def bound_step(family: Distribution, name: str) -> Step:
    """The Cramér–Rao bound of one parameter, Σⱼⱼ(θ)/n, as a step of its own."""
    info = information(family)
    assert info.covariance is not None
    k = [p.name for p in info.parameters].index(name)
    symbol = info.parameters[k].symbol
    bound = tidy(info.covariance[k, k] / n)
    text = phrase(
        f"The {family.title}'s {{0}}: I(θ) derived on its page, the bound Σⱼⱼ(θ)/n = {{1}}.",
        symbol,
        bound,
    )
    expr = sp.Ge(Variance(hat(symbol)), bound, evaluate=False)
    return Step("cramer_rao", f"{family.title}: the bound for {inline(symbol)}", expr, text)
