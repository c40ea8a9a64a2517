"""Expressions of a derivation compiled with lambdify and evaluated on a NumPy sample.

An expression holds the parameters, the sample size n, sufficient statistics S_k, order
statistics, and sums over the sample in which a parameter stays (Σ log(1 + (yᵢ − x₀)²/γ²)):
the statistics are computed once from the sample, each remaining sum at every evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp
from sympy.codegen.rewriting import log1p_opt, optimize

from symmle.derive.statistics import StatisticForm, summands
from symmle.render.notation import OrderStatistic
from symmle.symbols import i, n, value, y

Array = np.ndarray[Any, np.dtype[np.float64]]

ORDER: dict[str, Any] = {"min": np.min, "max": np.max, "median": np.median}


def log_gamma(term: sp.Expr) -> sp.Expr:
    """log k!, log C(a, b) and log Γ(x) through log Γ, which SciPy evaluates on arrays."""

    def through_loggamma(e: sp.log) -> sp.Expr:
        (inner,) = e.args
        if isinstance(inner, sp.factorial):
            return sp.loggamma(inner.args[0] + 1)
        if isinstance(inner, sp.gamma):
            return sp.loggamma(inner.args[0])
        a, b = inner.args
        return sp.loggamma(a + 1) - sp.loggamma(b + 1) - sp.loggamma(a - b + 1)

    return term.replace(
        lambda e: (
            isinstance(e, sp.log) and isinstance(e.args[0], (sp.factorial, sp.binomial, sp.gamma))
        ),
        through_loggamma,
    ).replace(
        lambda e: isinstance(e, sp.KroneckerDelta),
        lambda e: sp.Piecewise((1, sp.Eq(*e.args)), (0, True)),
    )


def numeric_form(expr: sp.Expr) -> sp.Expr:
    """``expr`` ready for floats: log k! and friends through log Γ, log(1 − p) as log1p(−p)
    (exact to the last bit for a tiny p, where log(1 − p) loses every digit)."""
    return optimize(log_gamma(sp.sympify(expr)), [log1p_opt])


def statistic_values(form: StatisticForm, sample: Array) -> dict[sp.Symbol, float]:
    """n, each S_k and each order statistic of a NumPy sample."""
    found: dict[sp.Symbol, float] = {n: float(sample.size)}
    for s in form.statistics:
        term = sp.lambdify([value], numeric_form(s.term), ["scipy", "numpy"])
        found[s.symbol] = float(np.sum(term(sample) * np.ones_like(sample)))
    for kind, reduce in ORDER.items():
        found[OrderStatistic(kind)] = float(reduce(sample))
    return found


class Compiled:
    """Expressions in the parameters, compiled for one sample."""

    def __init__(
        self,
        exprs: Sequence[sp.Expr],
        parameters: Sequence[sp.Symbol],
        form: StatisticForm,
        sample: Array,
    ) -> None:
        self.sample = sample
        statistics = statistic_values(form, sample)
        sums = sorted(set().union(*(summands(e) for e in exprs)), key=sp.default_sort_key)
        hidden = [sp.Dummy("Q") for _ in sums]
        arguments = [value, *parameters, *statistics]
        self._terms = [
            sp.lambdify(arguments, numeric_form(s.function.subs(y[i], value)), ["scipy", "numpy"])
            for s in sums
        ]
        shown = [
            numeric_form(sp.sympify(e).xreplace(dict(zip(sums, hidden, strict=True))))
            for e in exprs
        ]
        self._fn: Any = sp.lambdify(
            [list(parameters), list(statistics), hidden], shown, ["scipy", "numpy"]
        )
        # NumPy floats, not Python's: an overflow is inf (a failed check), not an exception.
        self._statistics = [np.float64(v) for v in statistics.values()]
        self._ones = np.ones_like(sample)

    def __call__(self, theta: Sequence[float] | Array) -> list[float]:
        with np.errstate(all="ignore"):
            point = [np.float64(t) for t in theta]
            sums = [
                np.sum(term(self.sample, *point, *self._statistics) * self._ones)
                for term in self._terms
            ]
            found = self._fn(point, self._statistics, sums)
            return [float(v) for v in found]
