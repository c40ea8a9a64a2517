"""The Fisher information of one observation, derived as steps: the second derivatives of the
log-density (or the score, where the log-density has a kink), their expectations, the
information matrix I(θ), and the Cramér–Rao bound it gives. Parameters at an end of the
support have no information: a step says why and what the rate of their estimator is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import sympy as sp

from symmle.budget import FORMULA_WITHIN, within
from symmle.derive.general import general
from symmle.derive.step import Step
from symmle.errors import OptionError, RegularityError
from symmle.families import REGISTRY, Distribution, Parameter
from symmle.families.base import SIGN
from symmle.families.mixtures import Mixture
from symmle.inference.expectation import Expectations, Unresolved, Y, expectations, log_density
from symmle.inference.regularity import kink_step, support_end_step
from symmle.printing.notation import Density, Expectation, FisherInformation, Variance, hat
from symmle.printing.prose import Prose, listed, phrase
from symmle.symbols import n

SIGMA = sp.Symbol("Sigma")
NO_MIXTURE_INFORMATION = (
    "a mixture's Fisher information is an expectation of a ratio of sums with no closed form, "
    "and its likelihood is not regular where two components coincide, so EM gives no standard "
    "errors or intervals."
)
"""The asymptotic covariance of one observation, I(θ)⁻¹ (projected on a constraint)."""


@dataclass(frozen=True)
class Information:
    """I(θ) per observation over ``parameters`` (those with information), the asymptotic
    covariance Σ(θ) of √n(θ̂ − θ), the steps, and why the other parameters have none."""

    family: Distribution
    parameters: tuple[Parameter, ...]
    matrix: sp.Matrix | None
    covariance: sp.Matrix | None
    steps: tuple[Step, ...]
    reason: str = ""


def log_f(family: Distribution) -> sp.Expr:
    """log f(y; θ) as displayed."""
    return sp.log(Density(sp.Symbol("y"), *family.symbols))


def curvature(ell: sp.Expr, symbols: list[sp.Symbol], kink: bool) -> sp.Matrix:
    """The Hessian of the log-density, or minus the outer product of the score at a kink."""
    if not kink:
        return sp.hessian(ell, symbols)
    score = [sp.diff(ell, s) for s in symbols]
    return -sp.Matrix(len(symbols), len(symbols), lambda a, b: score[a] * score[b])


def curvature_step(
    family: Distribution, ell: sp.Expr, symbols: list[sp.Symbol], h: sp.Matrix, kink: bool
) -> Step:
    f = log_f(family)
    if kink:
        lines = [sp.Eq(sp.Derivative(f, s), sp.diff(ell, s)) for s in symbols]
        text = (
            "The score of one observation, for y away from the kink (probability one). The "
            "information is its variance, I(θ) = E[score·scoreᵀ]."
        )
        return Step("fisher", "Score of one observation", sp.Tuple(*lines), text)
    lines = [
        sp.Eq(sp.Derivative(f, a, b), h[k, j])
        for k, a in enumerate(symbols)
        for j, b in enumerate(symbols[k:], start=k)
    ]
    text = (
        "The Fisher information of one observation is I(θ) = −E[∂² log f(y; θ)/∂θ∂θᵀ], the "
        "expected curvature of the log-density at the true θ; differentiating ∫ f(y; θ) dy = 1 "
        "twice under the integral shows that it is also the variance of the score."
    )
    return Step("fisher", "Second derivatives of the log-density", sp.Tuple(*lines), text)


def route_text(family: Distribution, e: Expectations) -> tuple[str | Prose, list[sp.Basic]]:
    """Why the expectations are what they are, and the lines that say how they were found."""
    pivot = family.pivot
    if family.discrete and family.support.is_finite_set and not family.support.free_symbols:
        points = ", ".join(str(v) for v in family.support)
        return f"y takes the values {points}: each expectation is the sum Σ h(y)·f(y; θ).", []
    if pivot is not None:
        law = "Gamma" if pivot.law == "gamma" else "Beta"
        shape = listed([*pivot.shape, *([sp.S.One] if pivot.law == "gamma" else [])])
        sign = (
            " and ς = ±1 a fair sign independent of w"
            if SIGN in pivot.observation.free_symbols
            else ""
        )
        moment = "Γ(a + p)/Γ(a)" if pivot.law == "gamma" else "B(a + p, b + q)/B(a, b)"
        text = phrase(
            f"Write y = {{0}} with w ~ {law}({{1}}){sign}. Each term becomes "
            "c·w^p (1 − w)^q log^r w log^s (1 − w), whose mean is the r-th and s-th derivative "
            f"in p and q of {moment} (the law's Mellin transform).",
            pivot.observation,
            shape,
        )
        return text, [sp.Eq(sp.Symbol("y"), pivot.observation)]
    lines = [sp.Eq(Expectation(d.subs(Y, sp.Symbol("y"))), m) for d, (m, _) in e.used.items()]
    if not lines:
        return "The second derivatives do not involve the data: each is its own expectation.", []
    return (
        "The score has mean zero, E[∂ log f/∂θⱼ] = 0 (differentiate ∫ f(y; θ) dy = 1 under the "
        "integral). Each such equation is linear in the means of the statistics, which gives "
        "them; the expectations of the second derivatives follow term by term.",
        lines,
    )


def expected(
    family: Distribution, h: sp.Matrix, symbols: list[sp.Symbol], kink: bool
) -> tuple[sp.Matrix, Step]:
    """−E[curvature h], entry by entry, with the step that shows the expectations."""
    e = expectations(family, symbols)
    k = len(symbols)
    matrix = sp.zeros(k, k)
    lines: list[sp.Basic] = []
    f = log_f(family)
    for a in range(k):
        for b in range(a, k):
            matrix[a, b] = matrix[b, a] = tidy(-e(h[a, b]))
            what = (
                sp.Derivative(f, symbols[a]) * sp.Derivative(f, symbols[b])
                if kink
                else sp.Derivative(f, symbols[a], symbols[b])
            )
            sign = 1 if kink else -1
            lines.append(sp.Eq(Expectation(what), sign * matrix[a, b], evaluate=False))
    text, how = route_text(family, e)
    return matrix, Step("expectation", "Expectations", sp.Tuple(*how, *lines), text)


def tidy(expr: sp.Expr) -> sp.Expr:
    """Factored, with a leading minus taken into a factor: θ(1 − θ), not −θ(θ − 1)."""
    expr = sp.factor(sp.cancel(expr))
    coefficient, rest = expr.as_coeff_Mul()
    if coefficient >= 0:
        return expr
    factors = list(sp.Mul.make_args(rest))
    for k, f in enumerate(factors):
        base, exponent = f.as_base_exp()
        if base.is_Add and exponent.is_integer and exponent.is_odd:
            factors[k] = sp.Add(*(-t for t in base.args)) ** exponent
            return -coefficient * sp.Mul(*factors)
    return expr


def information_step(symbols: list[sp.Symbol], matrix: sp.Matrix, kink: bool) -> Step:
    shown = matrix[0, 0] if matrix.shape == (1, 1) else matrix
    definition = "E[score·scoreᵀ]" if kink else "−E[∂² log f/∂θ∂θᵀ]"
    text = (
        f"The Fisher information of one observation, I(θ) = {definition}; n independent "
        "observations carry n·I(θ)."
    )
    expr = sp.Eq(FisherInformation(*symbols), shown, evaluate=False)
    return Step("fisher", "Fisher information", expr, text)


def covariance_of(matrix: sp.Matrix, symbols: list[sp.Symbol], simplex: bool) -> sp.Matrix:
    """I⁻¹, projected on Σ pⱼ = 1 for probabilities: I⁻¹ − I⁻¹11ᵀI⁻¹/(1ᵀI⁻¹1)."""
    inverse = matrix.adjugate() / sp.factor(matrix.det())
    if simplex:
        ones = sp.ones(len(symbols), 1)
        scale = (ones.T * inverse * ones)[0, 0].xreplace({sp.Add(*symbols): 1})
        inverse = inverse - inverse * ones * ones.T * inverse / scale
    return inverse.applyfunc(tidy)


def cramer_rao_step(
    parameters: tuple[Parameter, ...], covariance: sp.Matrix, simplex: bool
) -> Step:
    shown = covariance[0, 0] if covariance.shape == (1, 1) else covariance
    lines: list[sp.Basic] = [sp.Eq(SIGMA, shown, evaluate=False)]
    for k, p in enumerate(parameters):
        lines.append(sp.Ge(Variance(hat(p.symbol)), covariance[k, k] / n, evaluate=False))
    where = (
        "Σ(θ) is I(θ)⁻¹ restricted to the simplex Σ pⱼ = 1, I⁻¹ − I⁻¹11ᵀI⁻¹/(1ᵀI⁻¹1)"
        if simplex
        else "Σ(θ) = I(θ)⁻¹"
    )
    text = (
        f"The Cramér–Rao bound: an unbiased estimator of θⱼ has variance at least Σⱼⱼ(θ)/n, where "
        f"{where}. The MLE attains it as n grows: √n(θ̂ − θ) → N(0, Σ(θ)), so its standard "
        "errors are SE(θ̂ⱼ) = √(Σⱼⱼ(θ̂)/n) and θ̂ⱼ ± 1.96·SE is an approximate 95% (Wald) interval."
    )
    return Step("cramer_rao", "Cramér–Rao bound", sp.Tuple(*lines), text)


def irregular(family: Distribution, ends: list[Parameter]) -> str:
    """Why the parameters at an end of the support have no standard errors."""
    if not ends:
        return ""
    names = " and ".join(p.name for p in ends)
    return (
        f"the support of the {family.title} moves with {names}: the regularity conditions fail, "
        f"so {names} {'has' if len(ends) == 1 else 'have'} no Fisher information, standard "
        "error, Wald interval or χ² likelihood-ratio test (the estimator converges at the rate "
        "1/n, not 1/√n)."
    )


def at_constants(family: Distribution) -> Information | None:
    """A registered family with only its constants known: the information derived once with
    the constants as symbols, then evaluated at their values."""
    base = REGISTRY.get(family.name)
    known = dict(family.known)
    if base is None or base == family or not known or base.sized is not None:
        return None
    if not set(known) <= {c.name for c in base.constants}:
        return None
    general = information(base)
    values = {base.parameter(k).symbol: v for k, v in known.items()}
    steps = tuple(replace(s, expr=s.expr.subs(values)) for s in general.steps)
    return Information(
        family,
        general.parameters,
        None if general.matrix is None else general.matrix.subs(values),
        None if general.covariance is None else general.covariance.subs(values),
        steps,
        general.reason,
    )


@lru_cache(maxsize=64)
def information(family: Distribution) -> Information:
    """Derive the Fisher information of one observation of ``family``."""
    if isinstance(family, Mixture):
        return Information(family, (), None, None, (), NO_MIXTURE_INFORMATION)
    evaluated = at_constants(family)
    if evaluated is not None:
        return evaluated
    if family.sized is not None:
        raise OptionError(
            f"the information of the {family.title} needs k known: pass known={{'k': …}}."
        )
    plan = general(family).plan  # how each parameter is estimated decides its information
    ends = [p for p in family.parameters if p.symbol in plan.region]
    kinks = [p for p in family.parameters if p.symbol in plan.kinked]
    constrained = plan.constraint is not None
    steps = [support_end_step(family, p) for p in ends]
    reason = irregular(family, ends)
    parameters = tuple(p for p in family.parameters if p not in ends)
    if not parameters:
        return Information(family, (), None, None, tuple(steps), reason)
    symbols = [p.symbol for p in parameters]
    ell = log_density(family)
    h = curvature(ell, symbols, bool(kinks))
    try:
        matrix, expectation = expected(family, h, symbols, bool(kinks))
    except Unresolved as error:
        raise RegularityError(  # a user's formula may need an expectation symmle cannot take
            f"symmle cannot derive the expected information of the {family.title} ({error}), "
            "so there are no standard errors, Wald intervals or χ² likelihood-ratio tests here."
        ) from error
    covariance = covariance_of(matrix, symbols, constrained)
    steps += [
        kink_step(family, p, ell, matrix[parameters.index(p), parameters.index(p)]) for p in kinks
    ]
    steps += [
        curvature_step(family, ell, symbols, h, bool(kinks)),
        expectation,
        information_step(symbols, matrix, bool(kinks)),
        cramer_rao_step(parameters, covariance, constrained),
    ]
    return Information(family, parameters, matrix, covariance, tuple(steps), reason)


@lru_cache(maxsize=64)
def budgeted_information(family: Distribution) -> Information:
    """``information(family)``; a user formula's in a worker process under FORMULA_WITHIN (its
    expectations may be sums over thousands of support points), with no information and the
    reason when SymPy does not finish in time."""
    if family.formula is None:
        return information(family)
    try:
        return within(FORMULA_WITHIN, information, family)
    except TimeoutError:
        reason = (
            f"SymPy did not finish the Fisher information of this formula within "
            f"{FORMULA_WITHIN:g} s."
        )
        return Information(family, (), None, None, (), reason)
