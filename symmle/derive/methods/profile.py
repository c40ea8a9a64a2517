"""Profile: a parameter solved from its own score equation as a function of the others (the
Gamma's β = α/ȳ), leaving the profile log-likelihood in fewer parameters for Newton's method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive.methods.base import Problem, Rule, Worked
from symmle.derive.solve import algebraic, solve_unique
from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.printing.notation import LogLikelihood
from symmle.printing.prose import listed, say

if TYPE_CHECKING:
    from symmle.derive.general import General


@dataclass(frozen=True)
class Profile(Rule):
    """The solution is in the statistics and the parameters left to Newton's method, which
    evaluates it at its estimate."""

    @property
    def explicit(self) -> dict[sp.Symbol, sp.Expr]:
        return {}

    def reduce(self, ell: sp.Expr) -> sp.Expr:
        return ell.subs(self.solution)

    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        return [profile_step(g.family, self.solution, g.form.as_sums(g.plan.log_likelihood))]

    def on_data(self, g: General, worked: Worked) -> tuple[dict[sp.Symbol, sp.Expr], list[Step]]:
        profiles = {s: worked.exact(e) for s, e in self.solution.items()}
        ell = worked.exact(g.plan.log_likelihood)
        return {}, [profile_step(g.family, profiles, ell)]


def profile_step(family: Distribution, profiled: dict[sp.Symbol, sp.Expr], ell: sp.Expr) -> Step:
    """Parameters solved from their own score equation, as functions of the others."""
    rest = [s for s in family.symbols if s not in profiled]
    lines: list[sp.Basic] = [sp.Eq(s, e) for s, e in profiled.items()]
    lines.append(sp.Eq(LogLikelihood(*rest), ell))
    text = say(
        "The score equation of ",
        listed(profiled),
        " can be solved for it given the other parameters; putting that back leaves the "
        "profile log-likelihood in fewer parameters.",
    )
    return Step("profile", "Profiling out a parameter", sp.Tuple(*lines), text)


def claim(problem: Problem) -> Profile | None:
    """Each parameter, in turn, whose score equation (with the earlier profiles in) is
    algebraic in it and has one root in the domain; at least one is left to Newton's method."""
    profiled: dict[sp.Symbol, sp.Expr] = {}
    left = problem.parameters
    for p, equation in zip(left, problem.score, strict=True):
        equation = equation.subs(profiled)
        if len(profiled) < len(left) - 1 and algebraic(equation, p.symbol):
            root = solve_unique([equation], [p], problem.at_probe)
            if root is not None:
                profiled[p.symbol] = root[p.symbol]
    return Profile(tuple(profiled), profiled) if profiled else None
