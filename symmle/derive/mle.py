"""Assemble the steps of an MLE derivation: model -> likelihood -> log -> NLL -> the method's
steps (score and solution, boundary, subgradient, constraint, profile and Newton) -> estimate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

import sympy as sp

from symmle.derive import common
from symmle.derive.derivation import Derivation
from symmle.derive.exact import DecimalSample
from symmle.derive.general import General
from symmle.derive.methods import Worked
from symmle.derive.solve import place
from symmle.derive.statistics import at_value, with_data
from symmle.derive.step import Step
from symmle.derive.textbook import even_powers, shown_log_likelihood, textbook
from symmle.errors import NoMLEError
from symmle.families import Distribution, Parameter
from symmle.symbols import i, n, value, y

EXPLICIT_PRODUCT_UP_TO = 10
"""Concrete samples up to this size show the likelihood as the explicit product."""


def opening(
    g: General, product: sp.Expr, ell: sp.Expr, values: dict[sp.Symbol, sp.Expr] | None = None
) -> list[Step]:
    """Likelihood, log-likelihood and NLL; with data, the region holds the data's extremes."""
    family = g.family
    if g.plan.region:
        product = sp.Piecewise((product, common.region(g).subs(values or {})), (0, True))
    return [
        common.likelihood_step(family, product),
        common.log_step(family, ell),
        common.nll_step(family, ell),
    ]


def score_of(g: General) -> dict[sp.Symbol, sp.Expr]:
    """∂ℓ/∂θ for each parameter ℓ is differentiable in."""
    pairs = zip(g.family.symbols, g.score, strict=True)
    return {s: e for s, e in pairs if s not in g.plan.kinked}


def score_steps(g: General, score: dict[sp.Symbol, sp.Expr]) -> list[Step]:
    """The score equations, unless the method replaces them (a Lagrangian)."""
    if not g.plan.scored:
        return []
    return [common.score_step(g.family, list(score), list(score.values()))]


def derive_general(g: General) -> Derivation:
    """The derivation for a sample y_1..y_n of symbolic size n."""
    family, form, plan = g.family, g.form, g.plan
    ell = shown_log_likelihood(family.display)
    score = {s: form.as_sums(e) for s, e in score_of(g).items()}
    product = sp.Product(family.display.subs(value, y[i]), (i, 1, n))
    shown = {s: textbook(e, form.statistics) for s, e in g.solution.items()}
    steps = [common.model_step(family), *opening(g, product, ell), *score_steps(g, score)]
    for rule in plan.rules:
        steps += rule.general_steps(g, ell, shown)
    estimate = {
        p.name: form.as_sums(g.solution[p.symbol])
        for p in family.parameters
        if p.symbol in g.solution
    }
    if not plan.numeric:
        shown_estimate = {p.name: shown[p.symbol] for p in family.parameters}
        steps.append(common.estimate_step(shown_estimate, family, plan.method))
    return Derivation(family, None, estimate, tuple(steps), g.log_likelihood, plan.method, g)


def explicit_product(family: Distribution, data: Sequence[Fraction], ell: sp.Expr) -> sp.Expr:
    """The likelihood as the product over the data (small samples) or as the exponential of
    the log-likelihood, its constant kept in the exponent (a product of thousands of numbers
    has thousands of digits)."""
    if len(data) > EXPLICIT_PRODUCT_UP_TO:
        constant, varying = ell.as_independent(*family.symbols, as_Add=True)
        shown = sp.powsimp(sp.expand_power_exp(sp.exp(varying)))
        # Unevaluated: exp(-n·log 2) would otherwise become 2^-n, with thousands of digits.
        return shown if constant == 0 else sp.Mul(shown, sp.exp(sp.UnevaluatedExpr(constant)))
    factors = (at_value(family.display, v) for v in data)
    return sp.factor_terms(sp.powsimp(sp.Mul(*factors), combine="exp"))


def check_places(family: Distribution, estimate: dict[str, sp.Expr], method: str) -> str:
    """The method, 'boundary' when a closed form lands on the domain's edge; NoMLEError when an
    estimate lies outside the domain."""
    places = {p.name: place(estimate[p.name], p) for p in family.parameters}
    for p in family.parameters:
        if places[p.name] == "outside":
            raise no_estimate(p, estimate[p.name])
    require_a_support(family, estimate)
    return "boundary" if "boundary" in places.values() else method


def require_a_support(family: Distribution, estimate: Mapping[str, object]) -> None:
    """NoMLEError when a continuous family's support at the estimate is a single point (a
    uniform on equal values): the density there, and the likelihood, have no bound."""
    at = {p.symbol: estimate[p.name] for p in family.parameters}
    support = family.support.subs(at)
    if not family.discrete and support.measure == 0:
        raise NoMLEError(
            "no maximum-likelihood estimate exists for this sample: the support closes in on "
            f"the single value {float(support.inf):.15g}, where the density, and the likelihood, "
            "grow without bound (give at least two different values)."
        )


def no_estimate(p: Parameter, approached: object) -> NoMLEError:
    if approached in (sp.zoo, sp.oo, -sp.oo):  # SymPy's zoo means nothing to a reader
        approached = "infinity" if approached != -sp.oo else "minus infinity"
    return NoMLEError(
        f"no maximum-likelihood estimate exists for this sample: the likelihood is largest as "
        f"{p.name} approaches {approached}, which lies outside its domain {sp.pretty(p.domain)}."
    )


def derive_data(g: General, data: Sequence[Fraction]) -> Derivation:
    """The derivation for concrete data: numbers substituted into the general result, each
    method finding its parameters' estimates in turn."""
    family, plan = g.family, g.plan
    values = g.form.values(data)
    exact = with_data(g.log_likelihood.subs(values), data)
    ell = common.tidy(exact, family)
    shown_ell = even_powers(
        with_data(shown_log_likelihood(family.display).subs(n, len(data)), data)
    )
    needed = score_of(g) if any(rule.scored for rule in plan.rules) else {}  # not for EM
    score = {s: sp.expand(with_data(e.subs(values), data)) for s, e in needed.items()}
    steps = [
        common.model_step(family),
        common.data_step(data, values, g),
        *opening(g, explicit_product(family, data, ell), shown_ell, values),
        *score_steps(g, score),
    ]
    worked = Worked(data, values, score)
    for rule in plan.rules:
        found, more = rule.on_data(g, worked)
        worked = replace(worked, estimate={**worked.estimate, **found})
        steps += more
    estimate = {p.name: worked.estimate[p.symbol] for p in family.parameters}
    method = plan.method if plan.numeric else check_places(family, estimate, plan.method)
    steps.append(common.estimate_step(estimate, family, method))
    kept = data if isinstance(data, DecimalSample) else tuple(data)  # not a million Fractions
    return Derivation(family, kept, estimate, tuple(steps), ell, method, g)
