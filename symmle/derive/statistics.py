"""Sufficient statistics: the log-likelihood of a sample through sums S_k = sum T_k(y_i).

For an exponential family, log f(y; theta) = sum_k a_k(theta) T_k(y) + b(theta), so the
log-likelihood of y_1..y_n is sum_k a_k(theta) S_k + n b(theta): its cost does not grow with n.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from symmle.data import rational
from symmle.symbols import n, sample_sum, value


@dataclass(frozen=True)
class Statistic:
    """S = sum of term(y_i) over the sample."""

    symbol: sp.Symbol
    term: sp.Expr

    @property
    def sum(self) -> sp.Expr:
        return sample_sum(self.term)

    def of(self, data: Sequence[Fraction]) -> sp.Expr:
        """The exact value of the statistic for concrete data."""
        if self.term.is_polynomial(value):
            # A polynomial with rational coefficients is exact on Fractions, and fast.
            term = sp.lambdify([value], self.term, modules=[])
            return rational(sum((term(v) for v in data), Fraction(0)))
        total: sp.Expr = sp.Integer(0)
        for v, count in Counter(data).items():
            total += count * self.term.subs(value, rational(v))
        return total


@dataclass(frozen=True)
class StatisticForm:
    """The log-likelihood of a sample written with sufficient statistics."""

    log_likelihood: sp.Expr
    statistics: tuple[Statistic, ...]

    def as_sums(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with each statistic written as its sum over the sample."""
        return expr.subs({s.symbol: s.sum for s in self.statistics})

    def values(self, data: Sequence[Fraction]) -> dict[sp.Symbol, sp.Expr]:
        """Statistics and sample size for concrete data."""
        found: dict[sp.Symbol, sp.Expr] = {s.symbol: s.of(data) for s in self.statistics}
        found[n] = sp.Integer(len(data))
        return found


def log_density(density: sp.Expr) -> sp.Expr:
    """log f(y; theta) expanded into a sum of simple terms."""
    return sp.expand(sp.expand_log(sp.log(density), force=True))


def statistic_form(density: sp.Expr, parameters: tuple[sp.Symbol, ...]) -> StatisticForm:
    """Split the log-density into a_k(theta) T_k(y) + b(theta) and sum over the sample."""
    coefficients: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(log_density(density)):
        coefficient, data_part = term.as_independent(value, as_Add=False)
        if data_part.free_symbols & set(parameters):
            raise NotImplementedError(
                f"log-density term {term} does not separate data from parameters"
            )
        coefficients[data_part] = coefficients.get(data_part, sp.Integer(0)) + coefficient
    constant = coefficients.pop(sp.Integer(1), sp.Integer(0))
    terms = sorted(coefficients, key=sp.default_sort_key)
    statistics = tuple(
        Statistic(sp.Symbol(f"S_{k}", real=True), term) for k, term in enumerate(terms, start=1)
    )
    ell = n * constant + sum((coefficients[s.term] * s.symbol for s in statistics), sp.Integer(0))
    return StatisticForm(collect_logs(ell, parameters), statistics)


def collect_logs(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """Expand, then collect the terms of each logarithm of the parameters."""
    expanded = sp.expand(expr)
    logs = sorted(
        (a for a in expanded.atoms(sp.log) if a.free_symbols & set(symbols)),
        key=sp.default_sort_key,
    )
    return sp.collect(expanded, logs) if logs else expanded
