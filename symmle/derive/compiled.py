"""Expressions of a derivation compiled with lambdify and evaluated on a sample.

An expression holds the parameters, the sample size n, sufficient statistics S_k, order
statistics, and sums over the sample in which a parameter stays (Σ log(1 + (yᵢ − x₀)²/γ²)).
A ``Program`` is compiled once; the statistics are computed once per sample, and each
remaining sum at every evaluation, all in one pass (common subexpressions computed once) by
a ``Sample``: a NumPy array here, a Dask array in ``symmle.fit``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import sympy as sp

from symmle.derive.basis import basis
from symmle.derive.blocks import Terms, Values, reduce
from symmle.derive.lambdified import MODULES, Lambdified, numeric_form, per_sample
from symmle.derive.statistics import StatisticForm, summands
from symmle.printing.notation import OrderStatistic
from symmle.store import kept
from symmle.symbols import i, n, value, y

Array = np.ndarray[Any, np.dtype[np.float64]]
"""A NumPy function of one observation (and numbers) returning several per-sample terms."""

ORDER: dict[str, Any] = {"min": np.min, "max": np.max, "median": np.median}


class Sample(Protocol):
    """Where the data live: sums of per-sample terms over it, in one pass."""

    @property
    def size(self) -> int: ...

    def totals(self, terms: Terms, args: Sequence[float]) -> list[float]: ...


class NumpySample:
    """A sample held in memory as a NumPy array (of any real dtype), reduced in blocks."""

    def __init__(self, data: Values) -> None:
        self.data = data

    @property
    def size(self) -> int:
        return int(self.data.size)

    def totals(self, terms: Terms, args: Sequence[float]) -> list[float]:
        return reduce(self.data, terms, args).totals


def statistic_symbols(form: StatisticForm) -> list[sp.Symbol]:
    """Every statistic an expression may hold: n, the S_k and the order statistics."""
    return [n, *(s.symbol for s in form.statistics), *(OrderStatistic(k) for k in ORDER)]


def statistic_values(
    form: StatisticForm, sample: Array, needed: Sequence[sp.Symbol]
) -> dict[sp.Symbol, float]:
    """The ``needed`` statistics of a NumPy sample."""
    found: dict[sp.Symbol, float] = {n: float(sample.size)}
    chosen = [s for s in form.statistics if s.symbol in needed]
    if chosen:
        sums = NumpySample(sample).totals(statistic_terms(tuple(s.term for s in chosen)), [])
        found.update(zip((s.symbol for s in chosen), sums, strict=True))
    for kind, extreme in ORDER.items():
        if OrderStatistic(kind) in needed:
            found[OrderStatistic(kind)] = float(extreme(sample))
    return found


class Program:
    """Expressions in the parameters, statistics and sums over the sample, compiled once."""

    def __init__(
        self,
        exprs: Sequence[sp.Expr],
        parameters: Sequence[sp.Symbol],
        statistics: Sequence[sp.Symbol],
        decompose: bool = False,
    ) -> None:
        exprs = [sp.sympify(e) for e in exprs]
        free = set().union(*(e.free_symbols for e in exprs))
        self.statistics = tuple(s for s in statistics if s in free)
        """The statistics the expressions need, in the order ``__call__`` takes them."""
        sums = sorted(set().union(*(summands(e) for e in exprs)), key=sp.default_sort_key)
        terms = [s.function.subs(y[i], value) for s in sums]
        arguments = [*parameters, *self.statistics]
        found = basis(terms, arguments) if decompose and sums else None
        if found is None:
            hidden: Sequence[sp.Symbol] = [sp.Dummy("Q") for _ in sums]
            self._terms = per_sample(terms, arguments)
            written: Sequence[sp.Expr] = hidden
        else:  # the sums as combinations of the totals of fewer, cheaper per-sample terms
            hidden, self._terms, written = found.totals, found.terms, found.combinations
        self.sums = len(hidden)
        shown = [numeric_form(e.xreplace(dict(zip(sums, written, strict=True)))) for e in exprs]
        self._fn = Lambdified(
            sp.lambdify([list(parameters), list(self.statistics), hidden], shown, MODULES)
        )

    def __call__(
        self,
        theta: Sequence[float] | Array,
        statistics: Mapping[sp.Symbol, float],
        sample: Sample | None = None,
    ) -> list[float]:
        """The expressions at ``theta``; ``sample`` is needed only for sums over the sample."""
        sums: list[float] = []
        if self.sums:
            assert sample is not None, "a sum over the sample needs the sample"
            sums = sample.totals(self.terms, self.arguments(theta, statistics))
        return self.at(theta, statistics, sums)

    @property
    def terms(self) -> Terms:
        """The per-sample terms whose totals the expressions read, a function of the
        observation and ``arguments``."""
        return self._terms

    def arguments(
        self, theta: Sequence[float] | Array, statistics: Mapping[sp.Symbol, float]
    ) -> list[np.float64]:
        """The numbers the per-sample terms take besides the observation."""
        return [
            *(np.float64(t) for t in theta),
            *(np.float64(statistics[s]) for s in self.statistics),
        ]

    def at(
        self,
        theta: Sequence[float] | Array,
        statistics: Mapping[sp.Symbol, float],
        sums: Sequence[float],
    ) -> list[float]:
        """The expressions at ``theta`` from the totals of ``terms`` over the sample."""
        # NumPy floats: a division by zero is inf (or nan), as on arrays, not an exception.
        known = [np.float64(statistics[s]) for s in self.statistics]
        point = [np.float64(t) for t in theta]
        with np.errstate(all="ignore"):
            totals = [np.float64(v) for v in sums]
            return [float(v) for v in self._fn(point, known, totals)]


@lru_cache(maxsize=512)
def program(
    exprs: tuple[sp.Expr, ...], parameters: tuple[sp.Symbol, ...], statistics: tuple[sp.Symbol, ...]
) -> Program:
    """A Program compiled once per expressions (checks, profiles and comparisons compile the
    same log-likelihood for sample after sample), and kept on disk."""
    key = (exprs, parameters, statistics)
    return kept("program", key, lambda: Program(exprs, parameters, statistics))


@lru_cache(maxsize=512)
def statistic_terms(terms: tuple[sp.Expr, ...]) -> Terms:
    return per_sample(terms, [])


class Compiled:
    """Expressions in the parameters, compiled for one NumPy sample."""

    def __init__(
        self,
        exprs: Sequence[sp.Expr],
        parameters: Sequence[sp.Symbol],
        form: StatisticForm,
        sample: Array,
    ) -> None:
        self.sample = sample
        self.program = program(tuple(exprs), tuple(parameters), tuple(statistic_symbols(form)))
        self._statistics = statistic_values(form, sample, self.program.statistics)
        self._sample = NumpySample(sample)

    def __call__(self, theta: Sequence[float] | Array) -> list[float]:
        return self.program(theta, self._statistics, self._sample)
