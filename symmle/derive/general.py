"""The derivation for a sample y_1..y_n of symbolic size n, done once per family.

Everything is written with sufficient statistics S_k, so concrete data only substitute
numbers into these results: the cost does not grow with the sample size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from symmle.data import sample
from symmle.derive.solve import stationary_point
from symmle.derive.statistics import StatisticForm, statistic_form
from symmle.families import Distribution


@dataclass(frozen=True)
class General:
    """Log-likelihood, score, stationary point and Hessian in terms of S_k and n."""

    family: Distribution
    form: StatisticForm
    score: tuple[sp.Expr, ...]
    solution: dict[sp.Symbol, sp.Expr]
    hessian: sp.Matrix

    @property
    def log_likelihood(self) -> sp.Expr:
        return self.form.log_likelihood

    def hessian_in_estimates(self) -> sp.Matrix | None:
        """The Hessian at the stationary point written with the parameters standing for the
        estimates: the score equations solved for the statistics (the moment equations)."""
        statistics = sorted(
            set().union(*(e.free_symbols for e in self.score))
            & {s.symbol for s in self.form.statistics},
            key=sp.default_sort_key,
        )
        moments = sp.solve(list(self.score), statistics, dict=True)
        if len(moments) != 1:
            return None
        return self.hessian.subs(moments[0]).applyfunc(sp.simplify)


@lru_cache(maxsize=64)
def general(family: Distribution) -> General:
    """Derive the family's MLE for a sample of symbolic size n."""
    symbols = family.symbols
    form = statistic_form(family.density, symbols)
    ell = form.log_likelihood
    score = tuple(sp.diff(ell, s) for s in symbols)
    probe = form.values(sample(family.example, family.support, family.title))
    solution = stationary_point(score, family.parameters, probe)
    hessian = sp.hessian(ell, symbols)
    return General(family, form, score, solution, hessian)
