"""Boundary: a parameter that is an end of the support sits at the order statistic the data
allow it to reach (the uniform's a and b, the Pareto's x_m); ℓ is monotone up to there."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive.methods.base import AtOrderStatistic, Problem, Worked
from symmle.derive.solve import region_sweep, sign_on
from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.printing.notation import LogLikelihood, OrderStatistic, hat
from symmle.printing.prose import listed, say

if TYPE_CHECKING:
    from symmle.derive.general import General

WHERE = {"min": "min yᵢ, the smallest observation", "max": "max yᵢ, the largest observation"}


@dataclass(frozen=True)
class Boundary(AtOrderStatistic):
    signs: dict[sp.Symbol, int | None] = field(default_factory=dict)
    """The sign of ∂ℓ/∂θ on the region the data allow (1 increasing, −1 decreasing)."""

    @property
    def region(self) -> dict[sp.Symbol, OrderStatistic]:
        return self.solution

    def step(self, g: General, worked: Worked | None) -> Step:
        """Each support end sits at the order statistic the data allow it to reach."""
        lhs = LogLikelihood(*g.family.symbols)
        lines: list[sp.Basic] = []
        reasons = []
        for symbol, statistic in self.region.items():
            derivative = sp.diff(g.log_likelihood, symbol)
            lines += [sp.Eq(sp.Derivative(lhs, symbol), derivative), sp.Eq(hat(symbol), statistic)]
            direction = {1: "increasing", -1: "decreasing"}.get(self.signs[symbol] or 0, "monotone")
            limit = "at most" if statistic == OrderStatistic("min") else "at least"
            where = WHERE[statistic.statistic]
            reasons.append(
                say(
                    "the likelihood is zero unless ",
                    symbol,
                    f" is {limit} {where}, and on that region ℓ is {direction} in ",
                    symbol,
                    ", so it is largest at the endpoint ",
                    hat(symbol),
                    f" = {where.split(',')[0]}",
                )
            )
        text = say(
            "The score has no zero in the region the data allow: ", listed(reasons, "; "), "."
        )
        return Step("boundary", "Maximum at the edge of the region", sp.Tuple(*lines), text)


def bounding(family: Distribution) -> dict[sp.Symbol, OrderStatistic]:
    """Parameters at an end of the support: a lower end is at most min yᵢ, an upper end at
    least max yᵢ."""
    found: dict[sp.Symbol, OrderStatistic] = {}
    for p in family.parameters:
        if p.symbol in family.support.inf.free_symbols:
            found[p.symbol] = OrderStatistic("min")
        elif p.symbol in family.support.sup.free_symbols:
            found[p.symbol] = OrderStatistic("max")
    return found


def claim(problem: Problem) -> Boundary | None:
    left = {p.symbol for p in problem.parameters}
    found = {s: o for s, o in bounding(problem.family).items() if s in left}
    if not found:
        return None
    sweep = region_sweep(found, problem.family.parameters)
    signs = {s: sign_on(sp.diff(problem.log_likelihood, s), sweep) for s in found}
    return Boundary(tuple(found), dict(found), signs)
