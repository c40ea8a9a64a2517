"""Assemble the steps of an MLE derivation: model -> likelihood -> log -> NLL -> the method's
steps (score and solution, boundary, subgradient, constraint, profile and Newton) -> estimate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
import sympy as sp

from symmle.derive import common, methods
from symmle.derive.derivation import Derivation
from symmle.derive.estimate import hessian_at, numeric_estimate
from symmle.derive.exact import DecimalSample, floats
from symmle.derive.general import General
from symmle.derive.solve import place
from symmle.derive.statistics import at_value, with_data
from symmle.derive.step import Step
from symmle.derive.textbook import definitions, even_powers, shown_log_likelihood, textbook
from symmle.errors import NoMLEError
from symmle.families import Distribution, Parameter
from symmle.printing.latex import inline
from symmle.symbols import i, n, value, y

EXPLICIT_PRODUCT_UP_TO = 10
"""Concrete samples up to this size show the likelihood as the explicit product."""


def opening(
    g: General, product: sp.Expr, ell: sp.Expr, values: dict[sp.Symbol, sp.Expr] | None = None
) -> list[Step]:
    """Likelihood, log-likelihood and NLL; with data, the region holds the data's extremes."""
    family = g.family
    if g.plan.boundary:
        region = common.region(g)
        product = sp.Piecewise((product, region.subs(values or {})), (0, True))
    return [
        common.likelihood_step(family, product),
        common.log_step(family, ell),
        common.nll_step(family, ell),
    ]


def smooth_parameters(g: General) -> list[sp.Symbol]:
    return [s for s in g.family.symbols if s not in g.plan.median]


def score_of(g: General, ell: sp.Expr) -> list[sp.Expr]:
    return [sp.diff(ell, s) for s in smooth_parameters(g)]


def general_steps(g: General, ell: sp.Expr, score: Sequence[sp.Expr]) -> list[Step]:
    """Everything after the NLL, for a sample of symbolic size n."""
    family, plan = g.family, g.plan
    steps = []
    if plan.multiplier is not None:
        return [methods.constraint_step(g, ell)]
    steps.append(common.score_step(family, smooth_parameters(g), score))
    if plan.boundary:
        steps.append(methods.boundary_step(g))
    if plan.median:
        steps.append(methods.subgradient_step(g))
    if plan.profiled:
        steps.append(
            methods.profile_step(family, plan.profiled, g.form.as_sums(plan.log_likelihood))
        )
    if plan.numeric:
        steps.append(methods.no_closed_form_step(g))
    return steps


def derive_general(g: General) -> Derivation:
    """The derivation for a sample y_1..y_n of symbolic size n."""
    family, form, plan = g.family, g.form, g.plan
    ell = shown_log_likelihood(family.display)
    score = [form.as_sums(e) for e in score_of(g, g.log_likelihood)]
    product = sp.Product(family.display.subs(value, y[i]), (i, 1, n))
    steps = [common.model_step(family), *opening(g, product, ell), *general_steps(g, ell, score)]
    estimate = {
        p.name: form.as_sums(g.solution[p.symbol])
        for p in family.parameters
        if p.symbol in g.solution
    }
    if not plan.numeric:
        shown = {s: textbook(e, form.statistics) for s, e in g.solution.items()}
        closed = [p for p in family.parameters if p.symbol in plan.closed]
        if closed:
            extra = definitions(sp.Tuple(*shown.values()))
            steps.append(common.solve_step(family, shown, closed, extra))
            if plan.multiplier is None:
                steps += common.hessian_step(family, g, g.hessian_in_estimates())
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


def edge_step(family: Distribution, score: Sequence[sp.Expr], estimate: dict[str, sp.Expr]) -> Step:
    """A closed-form estimate on the domain's edge: the score has no zero inside."""
    from symmle.derive.solve import sign_on_interior
    from symmle.printing.notation import LogLikelihood

    lines: list[sp.Basic] = []
    reasons = []
    for p, derivative in zip(family.parameters, score, strict=True):
        if place(estimate[p.name], p) != "boundary":
            continue
        sign = sign_on_interior(derivative, family.parameters)
        lines.append(sp.Eq(sp.Derivative(LogLikelihood(*family.symbols), p.symbol), derivative))
        direction = {1: "positive", -1: "negative", None: "never zero"}[sign]
        reasons.append(
            f"the derivative in {inline(p.symbol)} is {direction} on the interior of "
            f"{inline(p.domain)}, so the log-likelihood is largest at the endpoint "
            f"{inline(p.symbol)} = {inline(estimate[p.name])}"
        )
    text = "The score has no zero inside the domain: " + "; ".join(reasons) + "."
    return Step("boundary", "Maximum on the boundary", sp.Tuple(*lines), text)


def derive_data(g: General, data: Sequence[Fraction]) -> Derivation:
    """The derivation for concrete data: numbers substituted into the general result."""
    family, plan = g.family, g.plan
    values = g.form.values(data)
    exact = with_data(g.log_likelihood.subs(values), data)
    ell = common.tidy(exact, family)
    shown_ell = even_powers(
        with_data(shown_log_likelihood(family.display).subs(n, len(data)), data)
    )
    score = [sp.expand(with_data(e.subs(values), data)) for e in score_of(g, g.log_likelihood)]
    steps = [
        common.model_step(family),
        common.data_step(data, values, g),
        *opening(g, explicit_product(family, data, ell), shown_ell, values),
    ]
    if plan.numeric:
        estimate, finish = numeric_finish(g, data, score)
        method = "numeric"
    else:
        estimate = {
            p.name: with_data(g.solution[p.symbol].subs(values), data) for p in family.parameters
        }
        method = check_places(family, estimate, plan.method)
        finish = closed_finish(g, data, values, score, estimate, method)
    steps += finish
    steps.append(common.estimate_step(estimate, family, method))
    kept = data if isinstance(data, DecimalSample) else tuple(data)  # not a million Fractions
    return Derivation(family, kept, estimate, tuple(steps), ell, method, g)


def closed_finish(
    g: General,
    data: Sequence[Fraction],
    values: dict[sp.Symbol, sp.Expr],
    score: Sequence[sp.Expr],
    estimate: dict[str, sp.Expr],
    method: str,
) -> list[Step]:
    family, plan = g.family, g.plan
    at = {p.symbol: estimate[p.name] for p in family.parameters}
    if plan.multiplier is not None:
        steps = [methods.constraint_step(g, with_data(g.log_likelihood.subs(values), data))]
        return [*steps, common.solve_step(family, at, family.parameters)]
    steps = [common.score_step(family, smooth_parameters(g), score)]
    if method == "boundary" and not (plan.boundary or plan.median):
        return [*steps, edge_step(family, score, estimate)]
    if plan.boundary:
        steps.append(methods.boundary_step(g))
    if plan.median:
        steps.append(methods.subgradient_step(g, even=len(data) % 2 == 0))
    closed = [p for p in family.parameters if p.symbol in plan.closed]
    if closed:
        steps.append(common.solve_step(family, at, closed))
        hessian = g.hessian.subs(values).subs(at)
        hessian = hessian.applyfunc(lambda e: with_data(e, data))
        steps += common.hessian_step(family, g, hessian)
    return steps


def numeric_finish(
    g: General, data: Sequence[Fraction], score: Sequence[sp.Expr]
) -> tuple[dict[str, sp.Expr], list[Step]]:
    """Profile, Newton's method on the rest, and the Hessian checked numerically."""
    family, plan, form = g.family, g.plan, g.form
    sample = floats(data)
    found = numeric_estimate(g, sample)
    hessian = hessian_at(g, sample, found.values)
    steps = [common.score_step(family, smooth_parameters(g), score), methods.no_closed_form_step(g)]
    if plan.profiled:
        values = form.values(data)
        profiles = {s: with_data(e.subs(values), data) for s, e in plan.profiled.items()}
        profile_ell = with_data(plan.log_likelihood.subs(values), data)
        steps.append(methods.profile_step(family, profiles, profile_ell))
    numeric = [p for p in family.parameters if p.symbol in plan.numeric]
    starting = ", ".join(f"{inline(p.symbol)} = {found.start[p.name]:.4g}" for p in numeric)
    steps.append(methods.newton_step(plan.numeric, found.history, starting))
    shown = sp.Matrix(hessian).applyfunc(lambda v: sp.Float(v, 6))
    steps.append(methods.numeric_second_order_step(shown, list(np.linalg.eigvalsh(hessian))))
    estimate = {p.name: sp.Float(found.values[p.symbol], 15) for p in family.parameters}
    return estimate, steps
