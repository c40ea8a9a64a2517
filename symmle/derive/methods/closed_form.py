"""Closed form: the score equations solved by SymPy for every parameter left, the one root in
the domain kept, and the Hessian there shown negative definite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive import common
from symmle.derive.methods.base import Problem, Rule, Worked, parameters_of
from symmle.derive.solve import algebraic, place, sign_on_interior, solve_unique
from symmle.derive.step import Step
from symmle.derive.textbook import definitions
from symmle.printing.notation import LogLikelihood
from symmle.printing.prose import listed, say

if TYPE_CHECKING:
    from symmle.derive.general import General


@dataclass(frozen=True)
class ClosedForm(Rule):
    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        extra = definitions(sp.Tuple(*shown.values()))
        solved = parameters_of(g.family, self.symbols)
        return [
            common.solve_step(g.family, shown, solved, extra),
            *common.hessian_step(g.family, g, g.hessian_in_estimates()),
        ]

    def on_data(self, g: General, worked: Worked) -> tuple[dict[sp.Symbol, sp.Expr], list[Step]]:
        estimate, _ = super().on_data(g, worked)
        solved = parameters_of(g.family, self.symbols)
        if any(place(estimate[p.symbol], p) == "boundary" for p in solved):
            return estimate, [edge_step(g, worked, estimate)]
        at = {**worked.estimate, **estimate}
        hessian = g.hessian.subs(worked.values).subs(at).applyfunc(worked.exact)
        steps = [
            common.solve_step(g.family, at, solved),
            *common.hessian_step(g.family, g, hessian),
        ]
        return estimate, steps


def edge_step(g: General, worked: Worked, estimate: dict[sp.Symbol, sp.Expr]) -> Step:
    """A closed-form estimate on the domain's edge: the score has no zero inside."""
    family = g.family
    lines: list[sp.Basic] = []
    reasons = []
    for p in parameters_of(family, list(estimate)):
        if place(estimate[p.symbol], p) != "boundary":
            continue
        derivative = worked.score[p.symbol]
        sign = sign_on_interior(derivative, family.parameters)
        lines.append(sp.Eq(sp.Derivative(LogLikelihood(*family.symbols), p.symbol), derivative))
        direction = {1: "positive", -1: "negative", None: "never zero"}[sign]
        reasons.append(
            say(
                "the derivative in ",
                p.symbol,
                f" is {direction} on the interior of ",
                p.domain,
                ", so the log-likelihood is largest at the endpoint ",
                p.symbol,
                " = ",
                estimate[p.symbol],
            )
        )
    text = say("The score has no zero inside the domain: ", listed(reasons, "; "), ".")
    return Step("boundary", "Maximum on the boundary", sp.Tuple(*lines), text)


def claim(problem: Problem) -> ClosedForm | None:
    """Every parameter left, when its score equation is algebraic in it and has one root in
    the domain."""
    left, score = problem.parameters, problem.score
    if not left or not all(algebraic(e, p.symbol) for e in score for p in left):
        return None
    root = solve_unique(score, left, problem.at_probe)
    if root is None:
        return None
    return ClosedForm(tuple(p.symbol for p in left), root)
