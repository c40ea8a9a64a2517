"""The steps of the methods beyond a stationary point: an order statistic at the edge of the
region the data allow (boundary), the median where |y − μ| has a kink (subgradient), a Lagrange
multiplier for probabilities that sum to one (constrained), and Newton's method (numeric)."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symmle.derive.general import General
from symmle.derive.plan import MULTIPLIER, lagrangian
from symmle.derive.step import Step
from symmle.errors import NoMLEError
from symmle.families import Distribution
from symmle.numeric.newton import Iteration
from symmle.printing.latex import inline
from symmle.printing.notation import LogLikelihood, OrderStatistic, hat
from symmle.symbols import i, n, y

WHERE = {"min": "min yᵢ, the smallest observation", "max": "max yᵢ, the largest observation"}


def boundary_step(g: General) -> Step:
    """Each support end sits at the order statistic the data allow it to reach."""
    lhs = LogLikelihood(*g.family.symbols)
    lines: list[sp.Basic] = []
    reasons = []
    for symbol, statistic in g.plan.boundary.items():
        derivative = sp.diff(g.log_likelihood, symbol)
        lines += [sp.Eq(sp.Derivative(lhs, symbol), derivative), sp.Eq(hat(symbol), statistic)]
        sign = g.plan.signs[symbol]
        direction = {1: "increasing", -1: "decreasing"}.get(sign or 0, "monotone")
        limit = "at most" if statistic == OrderStatistic("min") else "at least"
        reasons.append(
            f"the likelihood is zero unless {inline(symbol)} is {limit} "
            f"{WHERE[statistic.statistic]}, and on that region ℓ is {direction} in "
            f"{inline(symbol)}, so it is largest at the endpoint {inline(hat(symbol))} = "
            f"{WHERE[statistic.statistic].split(',')[0]}"
        )
    text = "The score has no zero in the region the data allow: " + "; ".join(reasons) + "."
    return Step("boundary", "Maximum at the edge of the region", sp.Tuple(*lines), text)


def subgradient_step(g: General, even: bool | None = None) -> Step:
    """ℓ is not differentiable in a location inside |yᵢ − μ|: its subgradient."""
    lines: list[sp.Basic] = []
    for symbol, statistic in g.plan.median.items():
        kinked = [s for s in g.log_likelihood.atoms(sp.Sum) if symbol in s.free_symbols]
        coefficient = g.log_likelihood.coeff(kinked[0])
        slope = -coefficient * sp.Sum(sp.sign(y[i] - symbol), (i, 1, n))
        lines += [
            sp.Eq(sp.Derivative(LogLikelihood(*g.family.symbols), symbol), slope),
            sp.Eq(hat(symbol), statistic),
        ]
    text = (
        "Each |yᵢ − μ| has a kink at yᵢ, so ℓ has no derivative there; elsewhere its slope is "
        "proportional to #{yᵢ > μ} − #{yᵢ < μ}, which is positive below the median and "
        "negative above it: ℓ is largest at the median ỹ."
    )
    if even is True:
        text += (
            " With an even number of observations every μ between the two middle values "
            "maximises ℓ; the estimate reported is their midpoint (as NumPy and SciPy do)."
        )
    return Step("subgradient", "Maximum at the median", sp.Tuple(*lines), text)


def constraint_step(g: General, ell: sp.Expr) -> Step:
    """The Lagrangian of Σ p_j = 1 and its stationary point."""
    family = g.family
    lag = lagrangian(family, ell)
    lines: list[sp.Basic] = [sp.Eq(sp.Symbol("Lambda"), lag)]
    lines += [sp.Eq(sp.Derivative(sp.Symbol("Lambda"), s), 0) for s in family.symbols]
    lines += [sp.Eq(MULTIPLIER, g.plan.multiplier)]
    text = (
        f"The probabilities must sum to one, so ℓ is maximised on Σ pⱼ = 1 with a Lagrange "
        f"multiplier {inline(MULTIPLIER)}: each ∂Λ/∂pⱼ = nⱼ/pⱼ − {inline(MULTIPLIER)} = 0 "
        f"gives pⱼ = nⱼ/{inline(MULTIPLIER)}, and the constraint gives {inline(MULTIPLIER)} "
        "= Σ nⱼ = n. ℓ is concave in the pⱼ and the constraint is linear, so this is the maximum."
    )
    return Step("constraint", "Constrained maximum (Lagrange multiplier)", sp.Tuple(*lines), text)


def profile_step(family: Distribution, profiled: dict[sp.Symbol, sp.Expr], ell: sp.Expr) -> Step:
    """Parameters solved from their own score equation, as functions of the others."""
    rest = [s for s in family.symbols if s not in profiled]
    lines: list[sp.Basic] = [sp.Eq(s, e) for s, e in profiled.items()]
    lines.append(sp.Eq(LogLikelihood(*rest), ell))
    names = ", ".join(inline(s) for s in profiled)
    text = (
        f"The score equation of {names} can be solved for it given the other parameters; "
        "putting that back leaves the profile log-likelihood in fewer parameters."
    )
    return Step("profile", "Profiling out a parameter", sp.Tuple(*lines), text)


def no_closed_form_step(g: General) -> Step:
    names = ", ".join(inline(s) for s in g.plan.numeric)
    text = (
        f"{g.plan.reason} With data, {names} are found numerically by Newton's method on "
        "the score and Hessian derived here."
    )
    return Step("numeric", "No closed form", sp.Tuple(), text)


def newton_step(symbols: Sequence[sp.Symbol], history: Sequence[Iteration], start: str) -> Step:
    header = ("iteration", *(inline(s) for s in symbols), "ℓ", "‖score‖")
    rows = tuple(
        (
            str(it.number),
            *(f"{t:.10g}" for t in it.theta),
            f"{it.log_likelihood:.12g}",
            f"{it.score_norm:.2e}",
        )
        for it in history
    )
    last = history[-1]
    expr = sp.Tuple(
        *(sp.Eq(hat(s), sp.Float(t, 12)) for s, t in zip(symbols, last.theta, strict=True))
    )
    text = (
        f"Newton's method on the lambdified score and Hessian, from the moment estimates "
        f"({start}), with a backtracking line search that keeps the parameters in their "
        f"domain: converged in {last.number} iterations."
    )
    return Step("numeric", "Newton's method", expr, text, table=(header, *rows))


def numeric_second_order_step(hessian: sp.Matrix, eigenvalues: Sequence[float]) -> Step:
    shown = ", ".join(f"{v:.4g}" for v in eigenvalues)
    negative = all(v < 0 for v in eigenvalues)
    if not negative:
        raise NoMLEError("Newton's method stopped where the Hessian is not negative definite.")
    text = (
        f"The Hessian of ℓ at the estimate has eigenvalues {shown}, all negative: it is negative "
        "definite, so the estimate is a (local) maximum."
    )
    expr = sp.Eq(sp.Symbol("H"), hessian, evaluate=False)
    return Step("second_order", "Second-order check (numeric)", expr, text)
