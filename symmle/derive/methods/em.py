"""EM: every parameter of a finite mixture, found by expectation-maximisation. The observed
score has no closed form, but each M-step does (the component family's own derivation with
weights, and the weights by a Lagrange multiplier); the iterations raise ℓ at every step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive.compiled import Array
from symmle.derive.em.run import fit_em
from symmle.derive.em.steps import general_steps, iterations_step
from symmle.derive.em.updates import updates
from symmle.derive.exact import floats
from symmle.derive.methods.base import Problem, Rule, Worked
from symmle.derive.step import Step
from symmle.errors import ConvergenceError
from symmle.families.mixtures import Mixture

if TYPE_CHECKING:
    from symmle.derive.general import General


@dataclass(frozen=True)
class EM(Rule):
    mixture: Mixture | None = None

    label = "EM"
    precedence = 4
    stationary = False
    """The checks compare ℓ with scipy.optimize's from near the estimate."""
    scored = False
    """Its steps replace the score equations."""

    @property
    def model(self) -> Mixture:
        assert self.mixture is not None
        return self.mixture

    @property
    def constraint(self) -> sp.Expr:
        return sp.Add(*self.model.weights()) - 1

    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        return general_steps(self.model, updates(self.model))

    def on_data(self, g: General, worked: Worked) -> tuple[dict[sp.Symbol, sp.Expr], list[Step]]:
        fitted = fit_em(self.model, floats(worked.data))
        if not fitted.best.monotone:
            raise ConvergenceError(
                f"EM's log-likelihood fell by {fitted.best.largest_fall:.3g} (relative) in an "
                "iteration: the updates are not the M-step of this likelihood."
            )
        steps = [*self.general_steps(g, g.log_likelihood, {}), iterations_step(self.model, fitted)]
        estimate = {s: sp.Float(v, 15) for s, v in zip(self.symbols, fitted.theta, strict=True)}
        return estimate, steps

    def estimate(self, g: General, sample: Array) -> dict[sp.Symbol, float]:
        fitted = fit_em(self.model, sample)
        return dict(zip(self.symbols, (float(v) for v in fitted.theta), strict=True))


def claim(problem: Problem) -> EM | None:
    """Every parameter of a mixture with k known."""
    family = problem.family
    if not isinstance(family, Mixture) or not family.size:
        return None
    return EM(family.symbols, {}, family)
