"""A censored derivation's expressions compiled with lambdify and evaluated on a censored sample
held as two arrays, the event times and the censored times: a sum over the sample of
F(yᵢ, eᵢ) is Σ over the events of F(y, 1) plus Σ over the censored times of F(y, 0), each
reduced by the block reducer of complete samples. Newton's method and the explicit estimates
run on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from symmle.derive.blocks import reduce
from symmle.derive.censored.sample import d, e, event
from symmle.derive.compiled import Array
from symmle.derive.general import General
from symmle.derive.lambdified import MODULES, Lambdified, numeric_form, per_sample
from symmle.derive.methods.base import parameters_of
from symmle.derive.methods.newton import NumericEstimate, starting_values
from symmle.derive.newton import newton, newton_exprs
from symmle.derive.statistics import Statistic, summands
from symmle.store import kept
from symmle.symbols import i, n, value, y


@dataclass(frozen=True)
class Split:
    """A censored sample as two float arrays."""

    events: Array
    censored: Array

    @classmethod
    def of(cls, times: Array, observed: Any) -> Split:
        flags = np.asarray(observed, dtype=bool)
        return cls(np.ascontiguousarray(times[flags]), np.ascontiguousarray(times[~flags]))

    @property
    def times(self) -> Array:
        return np.concatenate([self.events, self.censored])

    def totals(
        self, terms: Sequence[sp.Expr], parameters: Sequence[sp.Symbol], args: Sequence[float]
    ) -> list[float]:
        """Σ terms(yᵢ, eᵢ) over the sample (terms compiled once per tuple)."""
        on_events, on_censored = compiled_terms(tuple(terms), tuple(parameters))
        first = reduce(self.events, on_events, args).totals
        second = reduce(self.censored, on_censored, args).totals
        return [a + b for a, b in zip(first, second, strict=True)]


@lru_cache(maxsize=256)
def compiled_terms(
    terms: tuple[sp.Expr, ...], parameters: tuple[sp.Symbol, ...]
) -> tuple[Lambdified, Lambdified]:
    """Per-sample terms at e = 1 and at e = 0, each one NumPy function of the observation."""
    found = kept("censored-terms", (terms, parameters), lambda: both(terms, parameters))
    return found


def both(
    terms: tuple[sp.Expr, ...], parameters: tuple[sp.Symbol, ...]
) -> tuple[Lambdified, Lambdified]:
    made = [per_sample([t.subs(event, flag) for t in terms], parameters) for flag in (1, 0)]
    return made[0], made[1]  # type: ignore[return-value]


def statistic_values(statistics: Sequence[Statistic], split: Split) -> dict[sp.Symbol, float]:
    """n, d and the statistics S_k of a censored sample."""
    found = {n: float(split.events.size + split.censored.size), d: float(split.events.size)}
    if statistics:
        sums = split.totals([s.term for s in statistics], [], [])
        found.update(zip((s.symbol for s in statistics), sums, strict=True))
    return found


class CensoredProgram:
    """Expressions in the parameters, n, d, the statistics and sums over the sample."""

    def __init__(
        self,
        exprs: Sequence[sp.Expr],
        parameters: Sequence[sp.Symbol],
        statistics: Sequence[Statistic],
    ) -> None:
        exprs = [sp.sympify(x) for x in exprs]
        self.parameters = tuple(parameters)
        self.statistics = (n, d, *(s.symbol for s in statistics))
        sums = sorted(set().union(*(summands(x) for x in exprs)), key=sp.default_sort_key)
        self.terms = tuple(s.function.subs({y[i]: value, e[i]: event}) for s in sums)
        hidden = [sp.Dummy("Q") for _ in sums]
        shown = [numeric_form(x.xreplace(dict(zip(sums, hidden, strict=True)))) for x in exprs]
        self.fn = Lambdified(
            sp.lambdify([list(parameters), list(self.statistics), hidden], shown, MODULES)
        )

    def __call__(
        self, theta: Sequence[float] | Array, values: Mapping[sp.Symbol, float], split: Split
    ) -> list[float]:
        point = [np.float64(t) for t in theta]
        known = [np.float64(values[s]) for s in self.statistics]
        with np.errstate(all="ignore"):
            sums = split.totals(self.terms, self.parameters, point) if self.terms else []
            return [float(v) for v in self.fn(point, known, [np.float64(s) for s in sums])]


@lru_cache(maxsize=256)
def program(
    exprs: tuple[sp.Expr, ...], parameters: tuple[sp.Symbol, ...], statistics: tuple[Statistic, ...]
) -> CensoredProgram:
    key = (exprs, parameters, statistics)
    return kept("censored-program", key, lambda: CensoredProgram(exprs, parameters, statistics))


def evaluate(
    g: General,
    exprs: Sequence[sp.Expr],
    parameters: Sequence[sp.Symbol],
    split: Split,
    theta: Sequence[float],
) -> list[float]:
    """Expressions of a censored derivation at ``theta`` on a sample."""
    found = program(tuple(exprs), tuple(parameters), g.form.statistics)
    return found(theta, statistic_values(g.form.statistics, split), split)


def explicit(g: General, split: Split) -> dict[sp.Symbol, float]:
    """The closed-form estimates on a sample."""
    symbols = list(g.solution)
    if not symbols:
        return {}
    return dict(
        zip(symbols, evaluate(g, [g.solution[s] for s in symbols], [], split, []), strict=True)
    )


def numeric(g: General, split: Split) -> NumericEstimate:
    """Newton's method on the (profile) log-likelihood, from the family's moment estimates on
    every time (a start, not an estimate: censoring pulls them down), then the profiles."""
    plan = g.plan
    parameters = parameters_of(g.family, plan.numeric)
    start = starting_values(g.family, split.times)
    values = statistic_values(g.form.statistics, split)
    objective = program(
        tuple(newton_exprs(plan.log_likelihood, plan.numeric)), plan.numeric, g.form.statistics
    )
    theta, history = newton(
        lambda t: objective(t, values, split), parameters, [start[p.name] for p in parameters]
    )
    found = dict(zip(plan.numeric, (float(t) for t in theta), strict=True))
    profiled = list(plan.profiled)
    if profiled:
        solved = evaluate(g, [plan.profiled[s] for s in profiled], plan.numeric, split, list(theta))
        found.update(zip(profiled, solved, strict=True))
    return NumericEstimate(found, tuple(history), {p.name: start[p.name] for p in parameters})
