"""Median: a location inside Σ|yᵢ − μ| (the Laplace's μ) has no derivative at the data; its
subgradient changes sign at the sample median, where ℓ is largest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive.methods.base import AtOrderStatistic, Problem, Worked
from symmle.derive.statistics import summands
from symmle.derive.step import Step
from symmle.printing.notation import LogLikelihood, OrderStatistic, hat
from symmle.symbols import i, n, y

if TYPE_CHECKING:
    from symmle.derive.general import General


@dataclass(frozen=True)
class Median(AtOrderStatistic):
    differentiable = False

    def step(self, g: General, worked: Worked | None) -> Step:
        """ℓ is not differentiable in a location inside |yᵢ − μ|: its subgradient."""
        lines: list[sp.Basic] = []
        for symbol, statistic in self.solution.items():
            kinked = [s for s in summands(g.log_likelihood) if symbol in s.free_symbols]
            coefficient = g.log_likelihood.coeff(kinked[0])
            slope = -coefficient * sp.Sum(sp.sign(y[i] - symbol), (i, 1, n))
            lines += [
                sp.Eq(sp.Derivative(LogLikelihood(*g.family.symbols), symbol), slope),
                sp.Eq(hat(symbol), statistic),
            ]
        text = (
            "Each |yᵢ − μ| has a kink at yᵢ, so ℓ has no derivative there; elsewhere its slope "
            "is proportional to #{yᵢ > μ} − #{yᵢ < μ}, which is positive below the median and "
            "negative above it: ℓ is largest at the median ỹ."
        )
        if worked is not None and len(worked.data) % 2 == 0:
            text += (
                " With an even number of observations every μ between the two middle values "
                "maximises ℓ; the estimate reported is their midpoint (as NumPy and SciPy do)."
            )
        return Step("subgradient", "Maximum at the median", sp.Tuple(*lines), text)


def claim(problem: Problem) -> Median | None:
    """Locations inside Σ|yᵢ − μ|: the log-likelihood is not differentiable there."""
    kinks = [a for s in summands(problem.log_likelihood) for a in s.atoms(sp.Abs)]
    found: dict[sp.Symbol, sp.Expr] = {
        p.symbol: OrderStatistic("median")
        for p in problem.parameters
        if any(p.symbol in a.free_symbols for a in kinks)
    }
    return Median(tuple(found), found) if found else None
