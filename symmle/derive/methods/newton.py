"""Newton's method: the parameters no other method solved, found numerically on the score and
Hessian derived here (on the profile log-likelihood where a profile took some out), from the
family's moment estimates; the Hessian at the end shown negative definite."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from symmle.derive.compiled import Array, Compiled
from symmle.derive.estimate import hessian_at
from symmle.derive.exact import floats
from symmle.derive.methods.base import Problem, Rule, Worked, parameters_of
from symmle.derive.newton import compile_newton, newton
from symmle.derive.solve import SOLVE_FUNCTIONS
from symmle.derive.step import Step
from symmle.errors import ConvergenceError, NoMLEError
from symmle.families import Distribution, Parameter
from symmle.families.location import seen_from
from symmle.families.user import GridStart
from symmle.numeric.newton import Iteration
from symmle.printing.latex import inline
from symmle.printing.notation import hat
from symmle.printing.prose import Prose, listed, say

if TYPE_CHECKING:
    from symmle.derive.general import General


@dataclass(frozen=True)
class NumericEstimate:
    """Every parameter's estimate, Newton's iterations and where they started."""

    values: dict[sp.Symbol, float]
    history: tuple[Iteration, ...]
    start: dict[str, float]


@dataclass(frozen=True)
class Newton(Rule):
    reason: str = ""
    """Why the score equations have no closed-form solution, in one sentence."""

    label = "numeric"
    precedence = 3

    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        return [self.no_closed_form_step()]

    def on_data(self, g: General, worked: Worked) -> tuple[dict[sp.Symbol, sp.Expr], list[Step]]:
        sample = floats(worked.data)
        earlier = {s: float(v) for s, v in worked.estimate.items()}
        found = numeric_estimate(g, sample)
        hessian = hessian_at(g, sample, {**earlier, **found.values})
        numeric = parameters_of(g.family, self.symbols)
        start = listed(say(p.symbol, f" = {found.start[p.name]:.4g}") for p in numeric)
        shown = sp.Matrix(hessian).applyfunc(lambda v: sp.Float(v, 6))
        steps = [
            self.no_closed_form_step(),
            newton_step(self.symbols, found.history, start),
            numeric_second_order_step(shown, list(np.linalg.eigvalsh(hessian))),
        ]
        return {s: sp.Float(v, 15) for s, v in found.values.items()}, steps

    def estimate(self, g: General, sample: Array) -> dict[sp.Symbol, float]:
        return numeric_estimate(g, sample).values

    def no_closed_form_step(self) -> Step:
        text = say(
            f"{self.reason} With data, ",
            listed(self.symbols),
            " are found numerically by Newton's method on the score and Hessian derived here.",
        )
        return Step("numeric", "No closed form", sp.Tuple(), text)


def starting_values(family: Distribution, sample: Array) -> dict[str, float]:
    """The family's moment estimates (the best point of a grid over the domains where it has
    none: a closed form SymPy did not find in time); ConvergenceError where they are not
    numbers."""
    if np.ptp(sample) == 0:
        raise NoMLEError(
            f"no maximum-likelihood estimate exists for this sample: with every observation "
            f"equal to {sample[0]:g}, the likelihood of the {family.title} grows without bound."
        )
    try:
        with np.errstate(all="ignore"):
            start = (family.start or GridStart(family))(sample)
    except (ZeroDivisionError, OverflowError):
        start = {}
    if not start or not all(np.isfinite(v) for v in start.values()):
        raise ConvergenceError(
            "Newton's method has no starting point: the moment estimates are not finite for "
            "this sample (are all the observations equal?)."
        )
    return start


def numeric_estimate(g: General, sample: Array) -> NumericEstimate:
    """Newton's method on the profile log-likelihood, then the profiled parameters; for a
    location family, on the sample seen from its origin c, the location moved back by c."""
    moved, c = seen_from(g.family, sample)
    found = estimate_on(g, sample - c if c else sample)
    return found if moved is None or not c else relocated(found, g, moved, c)


def estimate_on(g: General, sample: Array) -> NumericEstimate:
    plan = g.plan
    numeric = parameters_of(g.family, plan.numeric)
    start = starting_values(g.family, sample)
    compiled = compile_newton(plan.log_likelihood, numeric, g.form, sample)
    theta, history = newton(compiled, numeric, [start[p.name] for p in numeric])
    found = dict(zip(plan.numeric, (float(t) for t in theta), strict=True))
    profiled = list(plan.profiled)
    if profiled:
        values = Compiled([plan.profiled[s] for s in profiled], list(plan.numeric), g.form, sample)
        found.update(zip(profiled, values(list(theta)), strict=True))
    return NumericEstimate(found, tuple(history), {p.name: start[p.name] for p in numeric})


def relocated(found: NumericEstimate, g: General, moved: Parameter, c: float) -> NumericEstimate:
    """The estimate on y − c in the data's units: the location (its estimate, its iterates
    and its start) moved by c; ℓ, its score and the other parameters are unchanged."""
    shift = [c if s == moved.symbol else 0.0 for s in g.plan.numeric]
    history = tuple(
        replace(it, theta=tuple(t + d for t, d in zip(it.theta, shift, strict=True)))
        for it in found.history
    )
    values = {s: v + c if s == moved.symbol else v for s, v in found.values.items()}
    start = {k: v + c if k == moved.name else v for k, v in found.start.items()}
    return NumericEstimate(values, history, start)


def newton_step(symbols: Sequence[sp.Symbol], history: Sequence[Iteration], start: Prose) -> Step:
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
    text = say(
        "Newton's method on the lambdified score and Hessian, from the moment estimates (",
        start,
        "), with a backtracking line search that keeps the parameters in their domain: "
        f"converged in {last.number} iterations.",
    )
    return Step("numeric", "Newton's method", expr, text, table=(header, *rows))


def numeric_second_order_step(hessian: sp.Matrix, eigenvalues: Sequence[float]) -> Step:
    shown = ", ".join(f"{v:.4g}" for v in eigenvalues)
    if not all(v < 0 for v in eigenvalues):
        raise NoMLEError("Newton's method stopped where the Hessian is not negative definite.")
    text = (
        f"The Hessian of ℓ at the estimate has eigenvalues {shown}, all negative: it is negative "
        "definite, so the estimate is a (local) maximum."
    )
    expr = sp.Eq(sp.Symbol("H"), hessian, evaluate=False)
    return Step("second_order", "Second-order check (numeric)", expr, text)


def why_numeric(score: Sequence[sp.Expr], symbols: Sequence[sp.Symbol]) -> str:
    """Why the score equations have no closed-form solution, in one sentence."""
    special = sorted(
        {
            type(f).__name__
            for e in score
            for f in e.atoms(sp.Function)
            if set(symbols) & f.free_symbols and not isinstance(f, SOLVE_FUNCTIONS)
        }
    )
    names = {"polygamma": "the digamma function ψ", "gamma": "the gamma function Γ"}
    if special:
        shown = ", ".join(names.get(s, s) for s in special)
        return f"The score equations involve {shown}: they have no closed-form solution."
    return (
        "The parameters sit inside a sum over the sample of a nonlinear function of the data "
        "(no sufficient statistic of fixed size): the score equations have no closed-form "
        "solution."
    )


def claim(problem: Problem) -> Newton | None:
    """Every parameter left."""
    if not problem.parameters:
        return None
    symbols = tuple(p.symbol for p in problem.parameters)
    return Newton(symbols, {}, why_numeric(problem.score, symbols))
