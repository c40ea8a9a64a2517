"""Sufficient statistics: the log-likelihood of a sample through sums S_k = Σ T_k(yᵢ).

log f(y; θ) is split into terms a(θ)·T(y) + b(θ). Where T is free of the parameters (an
exponential family) the sum Σ T(yᵢ) is a statistic S_k and the log-likelihood
Σ a_k(θ)·S_k + n·b(θ) costs nothing more for a larger n. Where T holds a parameter (Cauchy,
Weibull's shape, Laplace's |y − μ|) the sum over the sample stays in the log-likelihood.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from symmle.data import rational
from symmle.derive.exact import DecimalSample, counts, distinct_count, exact_total
from symmle.printing.notation import OrderStatistic
from symmle.symbols import i, is_sample_sum, n, sample_sum, value, y

ORDER = {"min": min, "max": max}


@dataclass(frozen=True)
class Statistic:
    """S = sum of term(y_i) over the sample."""

    symbol: sp.Symbol
    term: sp.Expr

    @property
    def sum(self) -> sp.Expr:
        return sample_sum(self.term)

    def of(self, data: Sequence[Fraction]) -> sp.Expr:
        """The value of the statistic for concrete data (exact where it can be: see
        ``symmle.derive.exact``)."""
        found = exact_total(self.term, data)
        return summed(self.term, data) if found is None else found


COMBINATORIAL = (sp.factorial, sp.binomial, sp.gamma)
EVALUATED_UP_TO = 20
"""k!, C(a, b) and Γ(k) of data are written as numbers only for arguments up to this size: 1000!
has 2568 digits, and SymPy would compute 10¹²! exactly."""


def at_value(term: sp.Expr, number: Fraction) -> sp.Expr:
    """``term`` at y = number, a factorial of a large number kept as the factorial."""
    v = rational(number)

    def keep_large(e: sp.Expr) -> sp.Expr:
        args = [a.subs(value, v) for a in e.args]
        small = all(abs(a) <= EVALUATED_UP_TO for a in args if a.is_number)
        return e.func(*args) if small else e.func(*args, evaluate=False)

    held = term.replace(
        lambda e: isinstance(e, COMBINATORIAL) and value in e.free_symbols, keep_large
    )
    return held.subs(value, v)


def summed(term: sp.Expr, data: Sequence[Fraction]) -> sp.Expr:
    """Σ term(yᵢ) over concrete data, each distinct value once with its count."""
    total: sp.Expr = sp.Integer(0)
    for v, count in counts(data).items():
        total += count * at_value(term, v)
    return total


def median(data: Sequence[Fraction]) -> Fraction:
    """The middle value; for an even n the midpoint of the two middle values (as NumPy)."""
    ordered = sorted(data)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def order_value(statistic: OrderStatistic, data: Sequence[Fraction]) -> sp.Expr:
    kind = statistic.statistic
    if isinstance(data, DecimalSample):
        return rational(data.order(kind))
    found = median(data) if kind == "median" else ORDER[kind](data)
    return rational(found)


def summands(expr: sp.Basic) -> list[sp.Sum]:
    """The sums over the sample inside an expression, in a stable order."""
    return sorted(filter(is_sample_sum, expr.atoms(sp.Sum)), key=sp.default_sort_key)


@dataclass(frozen=True)
class StatisticForm:
    """The log-likelihood of a sample written with sufficient statistics."""

    log_likelihood: sp.Expr
    statistics: tuple[Statistic, ...]

    def as_sums(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with each statistic written as its sum over the sample."""
        return expr.subs({s.symbol: s.sum for s in self.statistics})

    def values(self, data: Sequence[Fraction]) -> dict[sp.Symbol, sp.Expr]:
        """Statistics, order statistics and sample size for concrete data."""
        found: dict[sp.Symbol, sp.Expr] = {s.symbol: s.of(data) for s in self.statistics}
        for o in ("min", "max", "median"):
            found[OrderStatistic(o)] = order_value(OrderStatistic(o), data)
        found[n] = sp.Integer(len(data))
        return found


def with_data(expr: sp.Expr, data: Sequence[Fraction], explicit_up_to: int = 50) -> sp.Expr:
    """Each sum over the sample written out over the data (up to ``explicit_up_to`` distinct
    values; beyond, the sum stays, with its upper limit the sample size)."""
    distinct = distinct_count(data)

    def write_out(s: sp.Sum) -> sp.Expr:
        term = s.function.subs(y[i], value)
        if distinct <= explicit_up_to:
            return summed(term, data)
        if term.free_symbols <= {value}:  # a statistic of the data alone: its value
            found = exact_total(term, data)
            return summed(term, data) if found is None else found
        return sp.Sum(s.function, (i, 1, len(data)))

    return expr.xreplace({s: write_out(s) for s in summands(expr)})


def mixed(expr: sp.Expr, parameters: set[sp.Symbol]) -> bool:
    """True for a function of the data and the parameters that must stay whole."""
    return value in expr.free_symbols and bool(expr.free_symbols & parameters)


def log_density(density: sp.Expr, parameters: Sequence[sp.Symbol] = ()) -> sp.Expr:
    """log f(y; θ) expanded into a sum of simple terms; a log or |·| of data and parameters
    together (log(1 + (y − x₀)²/γ²), |y − μ|) is kept whole."""
    expanded = sp.expand_log(sp.log(density), force=True)
    whole = {
        a: sp.Dummy("whole") for a in expanded.atoms(sp.log, sp.Abs) if mixed(a, set(parameters))
    }
    return sp.expand(expanded.xreplace(whole), force=True).xreplace(
        {d: a for a, d in whole.items()}
    )


def statistic_form(density: sp.Expr, parameters: tuple[sp.Symbol, ...]) -> StatisticForm:
    """Split the log-density into a_k(θ)·T_k(y) + b(θ) and sum over the sample."""
    coefficients: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(log_density(density, parameters)):
        coefficient, data_part = term.as_independent(value, as_Add=False)
        coefficients[data_part] = coefficients.get(data_part, sp.Integer(0)) + coefficient
    constant = coefficients.pop(sp.Integer(1), sp.Integer(0))
    pure = sorted(
        (t for t in coefficients if not t.free_symbols & set(parameters)), key=sp.default_sort_key
    )
    statistics = tuple(
        Statistic(sp.Symbol(f"S_{k}", real=True), term) for k, term in enumerate(pure, start=1)
    )
    ell = n * constant + sum((coefficients[s.term] * s.symbol for s in statistics), sp.Integer(0))
    for term in sorted(set(coefficients) - set(pure), key=sp.default_sort_key):
        ell += coefficients[term] * sample_sum(term)
    return StatisticForm(collect_logs(ell, parameters), statistics)


def collect_logs(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """Expand (each sum over the sample kept whole), then collect the terms of each logarithm
    of the parameters and of each sum."""
    whole = {a: sp.Dummy("sum") for a in summands(expr)}
    expanded = sp.expand(expr.xreplace(whole))
    logs = sorted(
        (a for a in expanded.atoms(sp.log) if a.free_symbols & set(symbols)),
        key=sp.default_sort_key,
    )
    sums = sp.Integer(0)
    for d in whole.values():
        coefficient = expanded.coeff(d)
        expanded = sp.expand(expanded - coefficient * d)
        sums += sp.factor_terms(coefficient) * d
    collected = sp.collect(expanded, logs) if logs else expanded
    return (collected + sums).xreplace({d: a for a, d in whole.items()})
