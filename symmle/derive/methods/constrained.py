"""Constrained: probabilities p_1..p_k that sum to one (the Categorical with k known),
maximised on the constraint with a Lagrange multiplier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive import common
from symmle.derive.methods.base import Problem, Rule, Worked, parameters_of
from symmle.derive.step import Step
from symmle.derive.textbook import definitions
from symmle.families import Distribution
from symmle.printing.prose import say
from symmle.symbols import n

if TYPE_CHECKING:
    from symmle.derive.general import General

MULTIPLIER = sp.Symbol("nu_L", real=True)
"""The Lagrange multiplier of the constraint Σ p_j = 1."""


@dataclass(frozen=True)
class Constrained(Rule):
    multiplier: sp.Expr = n
    """The Lagrange multiplier at the solution."""

    label = "constrained"
    precedence = 2
    scored = False

    @property
    def constraint(self) -> sp.Expr:
        return sp.Add(*self.symbols) - 1

    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        solved = parameters_of(g.family, self.symbols)
        extra = definitions(sp.Tuple(*shown.values()))
        return [self.step(g, ell), common.solve_step(g.family, shown, solved, extra)]

    def on_data(self, g: General, worked: Worked) -> tuple[dict[sp.Symbol, sp.Expr], list[Step]]:
        estimate, _ = super().on_data(g, worked)
        ell = worked.exact(g.log_likelihood)
        solved = parameters_of(g.family, self.symbols)
        return estimate, [self.step(g, ell), common.solve_step(g.family, estimate, solved)]

    def step(self, g: General, ell: sp.Expr) -> Step:
        """The Lagrangian of Σ p_j = 1 and its stationary point."""
        lag = lagrangian(g.family, ell)
        lines: list[sp.Basic] = [sp.Eq(sp.Symbol("Lambda"), lag)]
        lines += [sp.Eq(sp.Derivative(sp.Symbol("Lambda"), s), 0) for s in self.symbols]
        lines += [sp.Eq(MULTIPLIER, self.multiplier)]
        m = MULTIPLIER
        text = say(
            "The probabilities must sum to one, so ℓ is maximised on Σ pⱼ = 1 with a Lagrange "
            "multiplier ",
            m,
            ": each ∂Λ/∂pⱼ = nⱼ/pⱼ − ",
            m,
            " = 0 gives pⱼ = nⱼ/",
            m,
            ", and the constraint gives ",
            m,
            " = Σ nⱼ = n. ℓ is concave in the pⱼ and the constraint is linear, so this is the "
            "maximum.",
        )
        return Step(
            "constraint", "Constrained maximum (Lagrange multiplier)", sp.Tuple(*lines), text
        )


def lagrangian(family: Distribution, ell: sp.Expr) -> sp.Expr:
    return ell - MULTIPLIER * (sp.Add(*family.symbols) - 1)


def claim(problem: Problem) -> Constrained | None:
    """Every parameter of a family whose parameters are probabilities that sum to one: the
    gradient of the Lagrangian is zero."""
    family = problem.family
    if not family.simplex:
        return None
    lag = lagrangian(family, problem.log_likelihood)
    equations = [sp.diff(lag, s) for s in family.symbols] + [sp.diff(lag, MULTIPLIER)]
    (root,) = sp.solve(equations, [*family.symbols, MULTIPLIER], dict=True)
    counts = root[MULTIPLIER]  # Σ_j n_j: every observation falls in one category
    closed = {s: root[s].subs(counts, n) for s in family.symbols}
    return Constrained(family.symbols, closed, n)
