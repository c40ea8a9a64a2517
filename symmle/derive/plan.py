"""How each parameter is estimated, decided once per family for a sample of symbolic size n:
the methods are tried in order (METHODS), each claiming the parameters it can solve (see
``symmle.derive.methods``); what consumers need to know about the plan they ask it here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from symmle.derive.methods import (
    Finder,
    Problem,
    Rule,
    boundary,
    closed_form,
    constrained,
    em,
    median,
    newton,
    profile,
)
from symmle.families import Distribution
from symmle.printing.notation import OrderStatistic

METHODS: tuple[Finder, ...] = (
    em.claim,
    constrained.claim,
    boundary.claim,
    median.claim,
    closed_form.claim,
    profile.claim,
    newton.claim,
)
"""The methods of estimation in the order they are tried."""


@dataclass(frozen=True)
class Plan:
    """The rules that estimate a family's parameters, in the order they were claimed."""

    rules: tuple[Rule, ...]
    log_likelihood: sp.Expr
    """ℓ with the order statistics and profiles put in: what Newton's method maximises."""
    smooth_log_likelihood: sp.Expr
    """ℓ with the order statistics put in: a function of the smooth parameters."""

    @property
    def method(self) -> str:
        deciding = max(self.rules, key=lambda r: r.precedence, default=None)
        return "closed form" if deciding is None else deciding.label

    @property
    def explicit(self) -> dict[sp.Symbol, sp.Expr]:
        """Every parameter with an estimate in the statistics alone."""
        return {s: e for r in self.rules for s, e in r.explicit.items()}

    @property
    def order_statistics(self) -> dict[sp.Symbol, sp.Expr]:
        """Parameters at an order statistic: outside the score and the Hessian."""
        return {s: e for r in self.rules if not r.smooth for s, e in r.solution.items()}

    @property
    def region(self) -> dict[sp.Symbol, OrderStatistic]:
        """Support ends that the data bound (a lower end ≤ min yᵢ, an upper one ≥ max yᵢ)."""
        return {s: o for r in self.rules for s, o in r.region.items()}

    @property
    def profiled(self) -> dict[sp.Symbol, sp.Expr]:
        """Parameters written in the statistics and the numeric parameters."""
        return {s: e for r in self.rules for s, e in r.solution.items() if s not in r.explicit}

    @property
    def numeric(self) -> tuple[sp.Symbol, ...]:
        """Parameters without a solution: found by an iterative method."""
        return tuple(s for r in self.rules for s in r.symbols if s not in r.solution)

    @property
    def constraint(self) -> sp.Expr | None:
        """An equation (= 0) the parameters satisfy, or None."""
        return next((r.constraint for r in self.rules if r.constraint is not None), None)

    @property
    def stationary(self) -> bool:
        """The estimate is a zero of the score."""
        return all(r.stationary for r in self.rules)

    @property
    def kinked(self) -> tuple[sp.Symbol, ...]:
        """Parameters ℓ is not differentiable in."""
        return tuple(s for r in self.rules if not r.differentiable for s in r.symbols)

    @property
    def scored(self) -> bool:
        """The steps go through the score equations."""
        return all(r.scored for r in self.rules)


def make_plan(family: Distribution, ell: sp.Expr, at_probe: Callable[[sp.Expr], sp.Expr]) -> Plan:
    """Try each method in turn on the parameters the earlier ones left."""
    problem = Problem(family, ell, family.parameters, at_probe)
    rules: list[Rule] = []
    smooth = ell
    for claim in METHODS:
        rule = claim(problem)
        if rule is None:
            continue
        rules.append(rule)
        problem = problem.without(rule)
        if not rule.smooth:
            smooth = rule.reduce(smooth)
    return Plan(tuple(rules), problem.log_likelihood, smooth)
