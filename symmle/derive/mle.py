"""Build the steps of an MLE derivation: model -> likelihood -> log -> NLL -> score ->
solve -> second order -> estimate. Deriving never formats text beyond the explanations."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import sympy as sp

from symmle.data import rational
from symmle.derive.general import General
from symmle.derive.result import Result
from symmle.derive.solve import negative_definite, place, sign_on_interior
from symmle.derive.statistics import collect_logs
from symmle.derive.step import Step
from symmle.errors import NoMLEError
from symmle.families import Distribution
from symmle.render.latex import inline
from symmle.render.notation import Density, Likelihood, LogLikelihood, NegativeLogLikelihood, hat
from symmle.symbols import i, n, value, y

EXPLICIT_PRODUCT_UP_TO = 10
"""Concrete samples up to this size show the likelihood as the explicit product."""


def model_step(family: Distribution) -> Step:
    names = ", ".join(inline(p.symbol) for p in family.parameters)
    known = "".join(f"; {k} = {v} is known" for k, v in family.known)
    expr = sp.Eq(Density(value, *family.symbols), family.display)
    text = (
        f"The {family.title} {family.density_name} of one observation y in "
        f"{inline(family.support)}, with parameters {names}{known}."
    )
    return Step("model", f"The {family.title} model", expr, text)


def likelihood_step(family: Distribution, product: sp.Expr) -> Step:
    L = Likelihood(*family.symbols)
    general = sp.Product(Density(y[i], *family.symbols), (i, 1, n))
    expr = sp.Tuple(sp.Eq(L, general), sp.Eq(L, product))
    text = (
        "The observations are independent, so the likelihood of the parameters is the product "
        f"of the {family.density_name} at each observation: a function of the parameters with "
        "the data fixed, not a probability of the parameters."
    )
    return Step("likelihood", "Likelihood", expr, text)


def log_step(family: Distribution, ell: sp.Expr) -> Step:
    lhs = LogLikelihood(*family.symbols)
    first = sp.Sum(sp.log(Density(y[i], *family.symbols)), (i, 1, n))
    expr = sp.Tuple(sp.Eq(lhs, first), sp.Eq(lhs, ell))
    text = (
        "The logarithm turns the product into a sum and, being increasing, "
        "has its maximum at the same parameters."
    )
    return Step("log", "Log-likelihood", expr, text)


def nll_step(family: Distribution, ell: sp.Expr) -> Step:
    expr = sp.Eq(NegativeLogLikelihood(*family.symbols), collect_logs(-ell, family.symbols))
    text = "Maximising the log-likelihood is minimising the negative log-likelihood (NLL)."
    return Step("nll", "Negative log-likelihood", expr, text)


def score_step(family: Distribution, score: Sequence[sp.Expr]) -> Step:
    lhs = LogLikelihood(*family.symbols)
    lines: list[sp.Basic] = []
    for symbol, derivative in zip(family.symbols, score, strict=True):
        d = sp.Derivative(lhs, symbol)
        lines += [sp.Eq(d, derivative), sp.Eq(d, 0)]
    text = (
        "Inside the domain a maximum is a stationary point: "
        "each partial derivative of the log-likelihood (the score) is zero."
    )
    return Step("score", "Score equations", sp.Tuple(*lines), text)


def solve_step(family: Distribution, solution: dict[sp.Symbol, sp.Expr]) -> Step:
    expr = sp.Tuple(*(sp.Eq(s, solution[s]) for s in family.symbols))
    domains = ", ".join(f"{inline(p.symbol)} ∈ {inline(p.domain)}" for p in family.parameters)
    text = f"Solving the score equations, keeping the root in the domain {domains}."
    return Step("solve", "Solution", expr, text)


def second_order_step(family: Distribution, hessian: sp.Matrix, verdict: bool | None) -> Step:
    """The Hessian at the solution; ``verdict`` says whether it is negative definite."""
    lhs = LogLikelihood(*(hat(s) for s in family.symbols))
    at = hessian.subs({s: hat(s) for s in family.symbols})
    if at.shape == (1, 1):
        d2 = sp.Derivative(lhs, hat(family.symbols[0]), 2)
        expr: sp.Basic = sp.Tuple(sp.Eq(d2, at[0, 0]), sp.Lt(d2, 0, evaluate=False))
        what = "the second derivative is negative"
    else:
        expr = sp.Eq(sp.Symbol("H"), at, evaluate=False)
        what = "the Hessian is negative definite (its leading minors alternate in sign, from -)"
    if verdict is None:
        what = "the sign of the second derivative could not be decided symbolically"
    elif not verdict:
        raise NoMLEError("the stationary point of the likelihood is not a maximum.")
    text = f"At the solution {what}, so it is a maximum of the log-likelihood."
    return Step("second_order", "Second-order check", expr, text)


def estimate_step(estimate: dict[str, sp.Expr], family: Distribution, method: str) -> Step:
    expr = sp.Tuple(
        *(sp.Eq(hat(p.symbol), estimate[p.name], evaluate=False) for p in family.parameters)
    )
    meanings = "; ".join(f"{inline(p.symbol)} is {p.meaning}" for p in family.parameters)
    text = f"The maximum-likelihood estimate ({method}); {meanings}."
    return Step("estimate", "Maximum-likelihood estimate", expr, text)


def derive_general(g: General) -> Result:
    """The derivation for a sample y_1..y_n of symbolic size n."""
    family, form = g.family, g.form
    ell, *score = (form.as_sums(e) for e in (g.log_likelihood, *g.score))
    product = sp.Product(family.display.subs(value, y[i]), (i, 1, n))
    hessian = g.hessian_in_estimates()
    solution = {s: form.as_sums(g.solution[s]) for s in family.symbols}
    estimate = {p.name: solution[p.symbol] for p in family.parameters}
    steps = (
        model_step(family),
        likelihood_step(family, product),
        log_step(family, ell),
        nll_step(family, ell),
        score_step(family, score),
        solve_step(family, solution),
        *(
            [second_order_step(family, hessian, negative_definite(hessian, family.parameters))]
            if hessian is not None
            else []
        ),
        estimate_step(estimate, family, "closed form"),
    )
    return Result(family, None, estimate, steps, ell, "closed form", g)


def data_step(data: Sequence[Fraction], values: dict[sp.Symbol, sp.Expr], g: General) -> Step:
    shown = ", ".join(str(v) for v in data[:20]) + (", …" if len(data) > 20 else "")
    lines = [sp.Eq(n, values[n])] + [sp.Eq(s.sum, values[s.symbol]) for s in g.form.statistics]
    text = (
        f"The sample y = ({shown}). The likelihood depends on it only through n and these "
        "sums (sufficient statistics), which are all the general derivation needs."
    )
    return Step("data", "The data", sp.Tuple(*lines), text)


def explicit_product(family: Distribution, data: Sequence[Fraction], ell: sp.Expr) -> sp.Expr:
    """The likelihood as the product over the data (small samples) or exp(log-likelihood)."""
    if len(data) > EXPLICIT_PRODUCT_UP_TO:
        return sp.powsimp(sp.expand_power_exp(sp.exp(ell)))
    factors = (family.display.subs(value, rational(v)) for v in data)
    return sp.factor_terms(sp.powsimp(sp.Mul(*factors), combine="exp"))


def boundary_step(
    family: Distribution, score: Sequence[sp.Expr], estimate: dict[str, sp.Expr]
) -> Step:
    """The maximum lies on the boundary of the domain, where the score has no zero."""
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


def check_places(family: Distribution, estimate: dict[str, sp.Expr]) -> str:
    """'closed form' or 'boundary'; NoMLEError when an estimate lies outside the domain."""
    places = {p.name: place(estimate[p.name], p) for p in family.parameters}
    for p in family.parameters:
        if places[p.name] == "outside":
            raise NoMLEError(
                f"no maximum-likelihood estimate exists for this sample: the likelihood is "
                f"largest as {p.name} approaches {estimate[p.name]}, which lies outside its "
                f"domain {sp.pretty(p.domain)}."
            )
    return "boundary" if "boundary" in places.values() else "closed form"


def derive_data(g: General, data: Sequence[Fraction]) -> Result:
    """The derivation for concrete data: numbers substituted into the general result."""
    family = g.family
    values = g.form.values(data)
    ell = collect_logs(g.log_likelihood.subs(values), family.symbols)
    score = [sp.expand(e.subs(values)) for e in g.score]
    estimate = {p.name: g.solution[p.symbol].subs(values) for p in family.parameters}
    method = check_places(family, estimate)
    if method == "boundary":
        finish = [boundary_step(family, score, estimate)]
    else:
        at = {p.symbol: estimate[p.name] for p in family.parameters}
        hessian = g.hessian.subs(values).subs(at)
        finish = [
            solve_step(family, at),
            second_order_step(family, hessian, negative_definite(hessian, family.parameters)),
        ]
    steps = (
        model_step(family),
        data_step(data, values, g),
        likelihood_step(family, explicit_product(family, data, ell)),
        log_step(family, ell),
        nll_step(family, ell),
        score_step(family, score),
        *finish,
        estimate_step(estimate, family, method),
    )
    return Result(family, tuple(data), estimate, steps, ell, method, g)
