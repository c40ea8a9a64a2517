"""EM for a mixture, derived: the responsibilities from Bayes' rule (and from the score of
the log of a sum), the expected complete-data log-likelihood Q in weighted statistics, the
M-step of each component by the component family's own derivation with n → N_j and S → the
weighted sums, and the weights by a Lagrange multiplier."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from symmle.derive.methods.base import Problem
from symmle.derive.methods.closed_form import claim as closed_form
from symmle.derive.methods.constrained import MULTIPLIER
from symmle.derive.statistics import StatisticForm, statistic_form
from symmle.families import Distribution
from symmle.families.mixtures import Mixture, indexed, j, k
from symmle.symbols import i, n, value, y

r = sp.IndexedBase("r")
N = sp.IndexedBase("N")
w = sp.IndexedBase("w")
REST = sp.Symbol("R_j", positive=True)
"""Σ over the other components l ≠ j of w_l f(y; θ_l): free of θ_j."""


@dataclass(frozen=True)
class Updates:
    """The pieces of EM for one component family, as expressions."""

    component: Distribution
    form: StatisticForm
    """The component's log-likelihood in n and its statistics S_k."""
    solution: dict[sp.Symbol, sp.Expr]
    """The component's MLE in n and S_k: with n → N_j and S_k → Σᵢ rᵢⱼ T_k(yᵢ), the M-step."""
    factor: sp.Expr
    """w_j f_j/(w_j f_j + R_j): ∂ log(w_j f_j + R_j)/∂θ_j over ∂ log f_j/∂θ_j."""
    lagrangian: sp.Expr
    weight: sp.Expr
    """w_j in N_j and n."""
    multiplier: sp.Expr

    def at(self, expr: sp.Expr) -> sp.Expr:
        """A component expression with its parameters written θ_j (indexed)."""
        return expr.xreplace({s: indexed(s, j) for s in self.component.symbols})

    @property
    def statistics(self) -> dict[sp.Symbol, sp.Expr]:
        """n and each S_k as its weighted sum over the sample (the M-step's statistics)."""
        weighted = {
            s.symbol: sp.Sum(r[i, j] * s.term.subs(value, y[i]), (i, 1, n))
            for s in self.form.statistics
        }
        return {n: N[j], **weighted}

    @property
    def m_step(self) -> dict[sp.Symbol, sp.Expr]:
        """θ_j⁽ᵗ⁺¹⁾ in N_j and the weighted sums."""
        return {s: e.xreplace(self.statistics) for s, e in self.solution.items()}

    @property
    def component_q(self) -> sp.Expr:
        """Σᵢ rᵢⱼ log f(yᵢ; θ_j) in N_j and the weighted sums."""
        return self.at(self.form.log_likelihood).xreplace(self.statistics)


def responsibility_factor(component: Distribution) -> sp.Expr:
    """w_j f_j / (w_j f_j + R_j), shown to be the factor by which each component
    parameter's derivative of log(w_j f_j + R_j) differs from that of log f_j."""
    f = component.density
    factor = w[j] * f / (w[j] * f + REST)
    for s in component.symbols:
        mixed = sp.diff(sp.log(w[j] * f + REST), s)
        if sp.simplify(mixed - factor * sp.diff(sp.log(f), s)) != 0:
            raise ArithmeticError(f"the score of the mixture in {s} is not weighted by r_ij")
    return factor


def weights_by_multiplier() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Maximise Σ_j N_j log w_j on Σ_j w_j = 1: w_j = N_j/ν with ν = Σ_j N_j = n."""
    lagrangian = sp.Sum(N[j] * sp.log(w[j]), (j, 1, k)) - MULTIPLIER * (sp.Sum(w[j], (j, 1, k)) - 1)
    derivative = sp.diff(N[j] * sp.log(w[j]), w[j]) - MULTIPLIER
    (root,) = sp.solve(derivative, w[j])
    total = sp.factor_terms(sp.Sum(root, (j, 1, k))).subs(sp.Sum(N[j], (j, 1, k)), n)
    (multiplier,) = sp.solve(total - 1, MULTIPLIER)
    return lagrangian, root.subs(MULTIPLIER, multiplier), multiplier


def component_solution(component: Distribution) -> tuple[StatisticForm, dict[sp.Symbol, sp.Expr]]:
    """The component family's log-likelihood in its statistics and its MLE, found by the
    closed-form method (its root told apart at the family's example and probe values)."""
    form = statistic_form(component.density, component.symbols)
    values = form.values([Fraction(v) for v in component.example])
    probe = {p.symbol: sp.Float(dict(component.probe)[p.name]) for p in component.parameters}

    def at_probe(expr: sp.Expr) -> sp.Expr:
        return sp.sympify(expr.subs(values).subs(probe)).evalf(30)

    rule = closed_form(Problem(component, form.log_likelihood, component.parameters, at_probe))
    if rule is None or set(rule.solution) != set(component.symbols):
        raise NotImplementedError(f"the {component.title} has no closed-form M-step")
    return form, rule.solution


@lru_cache(maxsize=8)
def updates(family: Mixture) -> Updates:
    """EM's updates for the family's component, derived once per component family."""
    form, solution = component_solution(family.base)
    lagrangian, weight, multiplier = weights_by_multiplier()
    factor = responsibility_factor(family.base)
    return Updates(family.base, form, solution, factor, lagrangian, weight, multiplier)
