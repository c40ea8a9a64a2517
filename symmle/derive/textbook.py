"""Results in the form a textbook writes them: sample means ȳ, variances Σ(yᵢ − ȳ)²/n, and the
log-likelihood as n·log c(θ) + coefficient·Σ term(yᵢ), each factor kept whole."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symmle.derive.statistics import Statistic
from symmle.printing.notation import SampleMean
from symmle.symbols import i, is_sample_sum, n, sample_sum, value, y


def means(statistics: Sequence[Statistic]) -> dict[sp.Symbol, sp.Expr]:
    """Each statistic S = n·(mean of its term)."""
    return {s.symbol: n * SampleMean(s.term) for s in statistics}


def spread(term: sp.Expr) -> sp.Expr:
    """(1/n)·Σ(T(yᵢ) − mean T)², the sample variance of a term."""
    deviation = term.subs(value, y[i]) - SampleMean(term)
    return sp.UnevaluatedExpr(sp.Sum(deviation**2, (i, 1, n)) / n)


def textbook(expr: sp.Expr, statistics: Sequence[Statistic]) -> sp.Expr:
    """``expr`` in sample means, with mean(T²) − mean(T)² written as a variance."""
    written = sp.simplify(expr.subs(means(statistics)))
    terms = {s.term for s in statistics}
    for t in terms:
        if t**2 in terms:
            variance = sp.Dummy("V")
            written = sp.simplify(written.subs(SampleMean(t**2), variance + SampleMean(t) ** 2))
            written = written.subs(variance, spread(t))
    return sp.powdenest(written, force=True)


def merged_sums(expr: sp.Expr) -> sp.Expr:
    """Σa(yᵢ) + Σb(yᵢ) + n·c written as one factored Σ(a(yᵢ) + b(yᵢ) + c), as a textbook
    writes nμ² + Σyᵢ² − 2μΣyᵢ: Σ(yᵢ − μ)²; logs of products as sums of logs."""

    def merge(add: sp.Expr) -> sp.Expr:
        summands, rest = [], []
        for term in add.args:
            coefficient, factor = term.as_independent(sp.Sum, as_Add=False)
            if is_sample_sum(factor) and not coefficient.has(i):
                summands.append(coefficient * factor.function)
            elif term.has(n) and not term.has(sp.Sum) and not (term / n).has(n):
                summands.append(term / n)
            else:
                rest.append(term)
        if sum(1 for term in add.args if term.has(sp.Sum)) < 2:
            return add
        return sp.Add(*rest) + sp.Sum(sp.factor(sp.Add(*summands)), (i, 1, n))

    merged = expr.replace(lambda e: e.is_Add and e.has(sp.Sum), merge)
    return sp.factor_terms(sp.expand_log(merged, force=True))


def definitions(expr: sp.Expr) -> list[sp.Eq]:
    """ȳ = (1/n)Σyᵢ for every sample mean in ``expr``."""
    return [
        sp.Eq(m, sample_sum(m.args[0]) / n)
        for m in sorted(expr.atoms(SampleMean), key=sp.default_sort_key)
    ]


def even_powers(expr: sp.Expr) -> sp.Expr:
    """(−μ − 1)² written as (μ + 1)²: an even power of a negated sum."""
    return expr.replace(
        lambda e: (
            e.is_Pow
            and e.exp.is_even
            and e.base.is_Add
            and all(t.could_extract_minus_sign() for t in e.base.args)
        ),
        lambda e: sp.Pow(-e.base, e.exp),
    )


def shown_log_likelihood(display: sp.Expr) -> sp.Expr:
    """Σᵢ log f(yᵢ) as n·(terms free of y) + each coefficient times Σ its data term."""
    parts: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand_log(sp.log(display), force=True)):
        coefficient, data_part = term.as_independent(value, as_Add=False)
        parts[data_part] = parts.get(data_part, sp.Integer(0)) + coefficient
    constant = parts.pop(sp.Integer(1), sp.Integer(0))
    total = n * constant
    for data_part in sorted(parts, key=sp.default_sort_key):
        total += parts[data_part] * sample_sum(data_part)
    return total


def _holds_data(expr: sp.Expr) -> bool:
    return bool(expr.has(sp.Sum, SampleMean, y))


def _solved_form(score: sp.Expr, parameters: set[sp.Symbol]) -> sp.Eq:
    """score = 0 with its constant factors dropped and the terms free of the parameters on
    the right side."""
    factored = sp.factor_terms(score)
    if factored.is_Mul:
        factored = sp.Mul(*(f for f in factored.args if _holds_data(f)))
    terms = sp.Add.make_args(sp.expand_mul(factored, deep=False))
    right = -sp.Add(*(t for t in terms if not t.free_symbols & parameters))
    left = sp.Add(*terms) + right
    if left.could_extract_minus_sign():
        left, right = -left, -right
    return sp.Eq(left, right, evaluate=False)


def _tidy_sums(expr: sp.Expr) -> sp.Expr:
    return expr.replace(
        lambda e: isinstance(e, sp.Sum),
        lambda e: sp.Sum(sp.factor_terms(sp.simplify(e.function)), *e.limits),
    )


def estimating_equations(
    parameters: Sequence[sp.Symbol],
    score: Sequence[sp.Expr],
    profiled: dict[sp.Symbol, sp.Expr],
    statistics: Sequence[Statistic],
) -> list[sp.Eq]:
    """What an estimate without a closed form solves, in sample means: each profiled
    parameter as a function of the others, and the other score equations with the profiles
    put in (as log α − ψ(α) = log ȳ − mean(log y) for the Gamma); in the parameters'
    symbols, which stand for the estimates."""
    equations = [sp.Eq(s, textbook(e, statistics), evaluate=False) for s, e in profiled.items()]
    for symbol, equation in zip(parameters, score, strict=True):
        if symbol in profiled:
            continue
        mean_form = sp.powdenest(equation.subs(profiled), force=True).subs(means(statistics)) / n
        expanded = sp.expand_mul(sp.expand_log(mean_form, force=True), deep=False)
        equations.append(_solved_form(_tidy_sums(expanded), set(parameters)))
    return equations
