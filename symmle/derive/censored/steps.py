"""The steps of an MLE from right-censored data: the model (f and S), the likelihood as the
product of f over the events and S over the censored times, its log in n, d and statistics,
the score, each planned method's steps (closed form; profile and Newton's method), the
estimate, and the observed information with the standard errors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sympy as sp

from symmle.derive import common
from symmle.derive.censored.numeric import Split, numeric
from symmle.derive.censored.optimum import Simplex, compilable, hessian, nelder_mead
from symmle.derive.censored.sample import CensoredSample, d, e, event, with_censored_data
from symmle.derive.derivation import Derivation
from symmle.derive.exact import floats
from symmle.derive.general import General
from symmle.derive.methods import Worked
from symmle.derive.methods.newton import Newton, newton_step, numeric_second_order_step
from symmle.derive.methods.profile import profile_step
from symmle.derive.mle import check_places
from symmle.derive.statistics import at_value
from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.numeric.covariance import covariance
from symmle.printing.notation import Density, Likelihood, LogLikelihood, StandardError, hat
from symmle.printing.prose import listed, say
from symmle.symbols import i, n, value, y

Survival = sp.Function("S")
"""S(y, θ) as displayed."""
EXPLICIT_UP_TO = 12
"""Samples up to this size show the likelihood and ℓ written out over the data."""


def survival_of(family: Distribution) -> sp.Expr:
    assert family.survival is not None
    return family.survival


def model_step(family: Distribution) -> Step:
    point = sp.Symbol("y")
    expr = sp.Tuple(
        sp.Eq(Density(point, *family.symbols), family.display),
        sp.Eq(Survival(point, *family.symbols), survival_of(family)),
    )
    text = say(
        f"The {family.title} pdf of a time y in ",
        family.support,
        ", with parameters ",
        listed(family.symbols),
        ", and its survival function S(y) = P(Y > y) = 1 − F(y): what a censored time tells, "
        "that the event comes after it.",
    )
    return Step("model", f"The {family.title} model with right-censoring", expr, text)


def likelihood_step(family: Distribution, product: sp.Expr | None) -> Step:
    symbols = family.symbols
    term = Density(y[i], *symbols) ** e[i] * Survival(y[i], *symbols) ** (1 - e[i])
    lines: list[sp.Basic] = [sp.Eq(Likelihood(*symbols), sp.Product(term, (i, 1, n)))]
    if product is not None:
        lines.append(sp.Eq(Likelihood(*symbols), product, evaluate=False))
    text = (
        "The observations are independent; an event at yᵢ (eᵢ = 1) contributes the density "
        "f(yᵢ), a time censored at yᵢ (eᵢ = 0) the probability S(yᵢ) that the event comes "
        "later. Censoring is assumed not to depend on the parameters."
    )
    return Step("likelihood", "Likelihood with censored observations", sp.Tuple(*lines), text)


def log_step(family: Distribution, ell: sp.Expr) -> Step:
    symbols = family.symbols
    first = sp.Sum(
        e[i] * sp.log(Density(y[i], *symbols)) + (1 - e[i]) * sp.log(Survival(y[i], *symbols)),
        (i, 1, n),
    )
    lhs = LogLikelihood(*symbols)
    text = say(
        "The logarithm turns the product into a sum; ",
        d,
        " = Σ eᵢ is the number of events. Terms alike in log f and log S are summed over every "
        "observation, the others over the events (weight eᵢ) or the censored times (1 − eᵢ).",
    )
    return Step("log", "Log-likelihood", sp.Tuple(sp.Eq(lhs, first), sp.Eq(lhs, ell)), text)


def data_step(data: CensoredSample, values: dict[sp.Symbol, sp.Expr], g: General) -> Step:
    shown = ", ".join(f"{t}" + ("" if seen else "+") for t, seen in list(data.pairs())[:20])
    more = ", …" if len(data) > 20 else ""
    lines = [sp.Eq(n, values[n]), sp.Eq(d, values[d])]
    lines += [sp.Eq(g.form.as_sums(s.symbol), values[s.symbol]) for s in g.form.statistics]
    text = (
        f"The times y = ({shown}{more}), a + marking a censored time. The likelihood depends "
        "on them through n, d and these statistics (and, where a parameter stays inside, "
        "sums over the data)."
    )
    return Step("data", "The data", sp.Tuple(*lines), text)


def explicit_product(family: Distribution, data: CensoredSample) -> sp.Expr | None:
    if len(data) > EXPLICIT_UP_TO:
        return None
    survival = survival_of(family)
    factors = [at_value(family.display if seen else survival, t) for t, seen in data.pairs()]
    return sp.Mul(*factors, evaluate=False)


def derive_censored_general(g: General) -> Derivation:
    """The derivation for a censored sample of symbolic size n."""
    family, form, plan = g.family, g.form, g.plan
    ell = form.as_sums(g.log_likelihood)
    score = [form.as_sums(s) for s in g.score]
    shown = {s: form.as_sums(x) for s, x in g.solution.items()}
    steps = [
        model_step(family),
        likelihood_step(family, None),
        log_step(family, ell),
        common.nll_step(family, ell),
        common.score_step(family, family.symbols, score),
    ]
    for rule in plan.rules:
        steps += method_steps(g) if isinstance(rule, Newton) else rule.general_steps(g, ell, shown)
    estimate = {p.name: shown[p.symbol] for p in family.parameters if p.symbol in shown}
    if not plan.numeric:
        steps.append(common.estimate_step(estimate, family, plan.method))
    steps.append(information_step(g, None))
    return Derivation(family, None, estimate, tuple(steps), g.log_likelihood, plan.method, g)


def in_data(expr: sp.Expr, data: CensoredSample, values: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """An expression in statistics with the data put in; sums written out for small samples."""
    put = expr.subs(values)
    return with_censored_data(put, data) if len(data) <= EXPLICIT_UP_TO else put


def derive_censored_data(g: General, data: CensoredSample) -> Derivation:
    """The derivation for a concrete censored sample."""
    family, plan = g.family, g.plan
    values = g.form.values(data)
    ell = common.tidy(in_data(g.log_likelihood, data, values), family)
    score = {
        s: sp.expand(in_data(x, data, values)) for s, x in zip(family.symbols, g.score, strict=True)
    }
    steps = [
        model_step(family),
        data_step(data, values, g),
        likelihood_step(family, explicit_product(family, data)),
        log_step(family, ell),
        common.nll_step(family, ell),
        common.score_step(family, list(score), list(score.values())),
    ]
    split = Split(
        floats([t for t, seen in data.pairs() if seen]),
        floats([t for t, seen in data.pairs() if not seen]),
    )
    if plan.numeric:
        estimate, more = numeric_steps(g, data, values, split)
        steps += more
        method = plan.method
    else:
        worked = Worked(data, values, score)
        found: dict[sp.Symbol, sp.Expr] = {}
        for rule in plan.rules:
            part, more = rule.on_data(g, worked)
            found.update(part)
            steps += more
        estimate = {p.name: found[p.symbol] for p in family.parameters}
        method = check_places(family, estimate, plan.method)
    steps.append(common.estimate_step(estimate, family, method))
    at = {p.symbol: float(estimate[p.name]) for p in family.parameters}
    steps.append(information_step(g, (split, at)))
    return Derivation(family, data, estimate, tuple(steps), ell, method, g)


def numeric_steps(
    g: General, data: CensoredSample, values: dict[sp.Symbol, sp.Expr], split: Split
) -> tuple[dict[str, sp.Expr], list[Step]]:
    """Newton's method (or Nelder–Mead) on the censored sample: why, the profiles, the
    iterations, the Hessian's eigenvalues."""
    plan, family = g.plan, g.family
    steps = method_steps(g)
    if compilable(g):
        found = numeric(g, split)
        if plan.profiled:
            profiles = {s: in_data(x, data, values) for s, x in plan.profiled.items()}
            ell = in_data(plan.log_likelihood, data, values)
            steps.append(profile_step(family, profiles, ell))
        start = listed(say(s, f" = {found.start[str(s)]:.4g}") for s in plan.numeric)
        steps.append(newton_step(plan.numeric, found.history, start))
        at = found.values
    else:
        simplex = nelder_mead(g, split)
        steps.append(simplex_step(g, simplex))
        at = simplex.values
    matrix = hessian(g, split, at)
    shown = sp.Matrix(matrix).applyfunc(lambda v: sp.Float(v, 6))
    steps.append(numeric_second_order_step(shown, list(np.linalg.eigvalsh(matrix))))
    estimate = {p.name: sp.Float(at[p.symbol], 15) for p in family.parameters}
    return estimate, steps


def method_steps(g: General) -> list[Step]:
    """Why there is no closed form, and how the estimate is found."""
    rule = next(r for r in g.plan.rules if isinstance(r, Newton))
    if compilable(g):
        return [rule.no_closed_form_step()]
    text = say(
        f"{rule.reason} Their derivative in ",
        listed(rule.symbols),
        " holds a Meijer G function, which NumPy cannot evaluate: with data, ℓ itself is "
        "compiled and maximised by SciPy's Nelder–Mead, and its Hessian taken by central "
        "differences.",
    )
    return [Step("numeric", "No closed form", sp.Tuple(), text)]


def simplex_step(g: General, simplex: Simplex) -> Step:
    symbols = g.family.symbols
    start = listed(say(s, f" = {simplex.start[str(s)]:.4g}") for s in symbols)
    expr = sp.Tuple(*(sp.Eq(hat(s), sp.Float(simplex.values[s], 12)) for s in symbols))
    text = say(
        "SciPy's Nelder–Mead on the compiled log-likelihood, from the moment estimates (",
        start,
        f"), to a tolerance of 1e-12 in the parameters: {simplex.iterations} iterations.",
    )
    return Step("numeric", "Nelder–Mead", expr, text)


def information_step(g: General, at: tuple[Split, dict[sp.Symbol, float]] | None) -> Step:
    """J(θ) = −∂²ℓ/∂θ∂θᵀ in the statistics; with data, its value at the estimate and the
    standard errors √[J(θ̂)⁻¹]ⱼⱼ."""
    family = g.family
    observed = (-g.hessian).applyfunc(lambda x: sp.factor_terms(g.form.as_sums(x)))
    J = sp.Symbol("J")
    lines: list[sp.Basic] = [sp.Eq(J, scalar_or_matrix(observed), evaluate=False)]
    text = (
        "The observed information is minus the Hessian of ℓ. Its expectation, the Fisher "
        "information, would need the law of the censoring times, which the data do not give: "
        "standard errors come from the observed information, as in lifelines and R's survreg."
    )
    if at is None:
        return Step("fisher", "Observed information", sp.Tuple(*lines), text)
    split, point = at
    matrix = -hessian(g, split, point)
    inverse = covariance(matrix)
    shown = sp.Matrix(matrix).applyfunc(lambda v: sp.Float(v, 6))
    lines.append(sp.Eq(J, scalar_or_matrix(shown), evaluate=False))
    errors = standard_errors(family.symbols, inverse)
    lines += [sp.Eq(StandardError(hat(s)), sp.Float(v, 6)) for s, v in errors.items()]
    return Step(
        "standard_errors", "Observed information and standard errors", sp.Tuple(*lines), text
    )


def scalar_or_matrix(matrix: sp.Matrix) -> sp.Basic:
    """A 1×1 matrix as its entry (the printers show Eq(J, 1×1 matrix) badly)."""
    return matrix[0, 0] if matrix.shape == (1, 1) else matrix


def standard_errors(symbols: Sequence[sp.Symbol], covariance: np.ndarray) -> dict[sp.Symbol, float]:
    return {s: float(np.sqrt(covariance[k, k])) for k, s in enumerate(symbols)}


__all__ = ["derive_censored_data", "derive_censored_general", "event", "value"]
