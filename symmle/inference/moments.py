"""The method of moments, derived for one family and set against the MLE: the first d moments
E[y^k](θ) from the expectation routes, equated to the sample moments and solved for θ."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from symmle.derive.general import general
from symmle.derive.step import Step
from symmle.derive.textbook import means
from symmle.families import Distribution
from symmle.inference.efficiency import Moments
from symmle.inference.expectation import Y, expectations
from symmle.inference.fisher import information, tidy
from symmle.printing.notation import Expectation, SampleMean, hat
from symmle.printing.prose import Prose, listed, phrase, say
from symmle.symbols import value


@dataclass(frozen=True)
class MomentEstimate:
    """The method-of-moments estimator in sample means, the MLE beside it (None where it has
    no closed form), and the step that derives and compares them."""

    family: Distribution
    estimator: dict[str, sp.Expr]
    mle: dict[str, sp.Expr | None]
    step: Step


def tilde(symbol: sp.Symbol) -> sp.Symbol:
    """The method-of-moments estimate's symbol: alpha -> alphatilde (printed with a tilde)."""
    return sp.Symbol(f"{symbol.name}tilde", **symbol.assumptions0)


def population_moments(family: Distribution) -> list[sp.Expr]:
    """E[y], E[y²], … up to the number of parameters."""
    symbols = list(family.symbols)
    moments = Moments(expectations(family, symbols), information(family))
    found = [moments.first(Y)]
    if len(symbols) > 1:
        found.append(moments.second(Y, Y))
    return [tidy(m) for m in found]


def solve_moments(family: Distribution, moments: list[sp.Expr]) -> dict[sp.Symbol, sp.Expr]:
    """θ from E[y^k](θ) = mean of y^k, the root in the domain."""
    samples = [SampleMean(value ** (k + 1)) for k in range(len(moments))]
    hidden = {m: sp.Dummy(positive=True) for m in samples}
    equations = [e - hidden[m] for e, m in zip(moments, samples, strict=True)]
    roots = sp.solve(equations, list(family.symbols), dict=True)
    probe = {p.symbol: sp.nsimplify(family.probe_values[p.name]) for p in family.parameters}
    at_probe = {hidden[m]: e.subs(probe) for m, e in zip(samples, moments, strict=True)}
    kept = [
        r
        for r in roots
        if all(p.domain.contains(r[p.symbol].subs(at_probe)) == sp.true for p in family.parameters)
    ]
    back = {d: m for m, d in hidden.items()}
    (root,) = kept  # the root in the domain when the sample moments are the population's
    return {s: tidy(sp.simplify(v.xreplace(back))) for s, v in root.items()}


def closed_mle(family: Distribution) -> dict[sp.Symbol, sp.Expr | None]:
    """The MLE in sample means where it has a closed form (order statistics kept)."""
    g = general(family)
    written = means(g.form.statistics)
    return {
        s: (sp.simplify(g.solution[s].subs(written)) if s in g.solution else None)
        for s in family.symbols
    }


def comparison(
    family: Distribution, mom: dict[sp.Symbol, sp.Expr], mle: dict[sp.Symbol, sp.Expr | None]
) -> Prose:
    said = []
    for p in family.parameters:
        other = mle[p.symbol]
        if other is None:
            said.append(
                phrase(
                    "the MLE of {0} has no closed form (Newton's method), so the two differ",
                    p.symbol,
                )
            )
        elif sp.simplify(mom[p.symbol] - other) == 0:
            said.append(phrase("for {0} they are the same estimator", p.symbol))
        else:
            said.append(phrase("for {0} the MLE is {1} instead", p.symbol, other))
    return listed(said, "; ")


@lru_cache(maxsize=32)
def method_of_moments(family: Distribution) -> MomentEstimate:
    """Derive the method-of-moments estimator of ``family`` and compare it with the MLE."""
    moments = population_moments(family)
    mom = solve_moments(family, moments)
    mle = closed_mle(family)
    lines: list[sp.Basic] = [
        sp.Eq(Expectation(sp.Symbol("y") ** (k + 1)), m, evaluate=False)
        for k, m in enumerate(moments)
    ]
    lines += [sp.Eq(tilde(p.symbol), mom[p.symbol]) for p in family.parameters]
    lines += [
        sp.Eq(hat(p.symbol), mle[p.symbol]) for p in family.parameters if mle[p.symbol] is not None
    ]
    known = ", ".join(f"{k} = {v}" for k, v in family.known)
    title = family.title + (f" with {known}" if known else "")
    text = say(
        f"The {title}: equating E[y]{', E[y²]' if len(moments) > 1 else ''} to the "
        "sample moments and solving gives the method-of-moments estimator; ",
        comparison(family, mom, mle),
        ".",
    )
    estimator = {p.name: mom[p.symbol] for p in family.parameters}
    closed = {p.name: mle[p.symbol] for p in family.parameters}
    return MomentEstimate(
        family,
        estimator,
        closed,
        Step("moments", f"{title}: moments against likelihood", sp.Tuple(*lines), text),
    )
