"""A derived log-likelihood over a whole grid of parameter values in one vectorised NumPy call
(a figure's 6,561 points at once, not one compiled evaluation per point): the expression is
lambdified with its sums over the sample as arrays, the sample's statistics as numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from symmle.derive.compiled import statistic_symbols, statistic_values
from symmle.derive.lambdified import MODULES, numeric_form
from symmle.derive.statistics import StatisticForm, summands
from symmle.symbols import i, value, y

Array = np.ndarray[Any, np.dtype[np.float64]]


def on_grid(
    ell: sp.Expr, form: StatisticForm, sample: Array, columns: Mapping[sp.Symbol, Any]
) -> Array:
    """ℓ at every point whose coordinates are ``columns`` (an array or a number per parameter,
    broadcast together), the sample's statistics put in, each sum over the sample added up
    over the observations."""
    sums = sorted(summands(ell), key=sp.default_sort_key)
    hidden = [sp.Dummy("Q") for _ in sums]
    shown = numeric_form(ell.xreplace(dict(zip(sums, hidden, strict=True))))
    statistics = [s for s in statistic_symbols(form) if ell.has(s)]
    known = statistic_values(form, sample, statistics)
    shape = np.broadcast(*(np.asarray(v) for v in columns.values())).shape
    coords = [np.broadcast_to(np.asarray(v, float), shape) for v in columns.values()]
    names, numbers = [*columns, *statistics], [*coords, *(known[s] for s in statistics)]
    with np.errstate(all="ignore"):
        totals = [total(s, names, numbers, sample, shape) for s in sums]
        fn = sp.lambdify([names, hidden], shown, MODULES)
        found: Array = np.broadcast_to(fn(numbers, totals), shape)
    return found


def total(
    term: sp.Sum,
    names: Sequence[sp.Symbol],
    numbers: Sequence[Any],
    sample: Array,
    shape: tuple[int, ...],
) -> Array:
    """Σᵢ of a sum's term at every point: the points along the first axes, the sample along
    the last."""
    fn = sp.lambdify([names, value], numeric_form(term.function.subs(y[i], value)), MODULES)
    points = [np.expand_dims(v, -1) if np.ndim(v) else v for v in numbers]
    summed: Array = np.sum(np.broadcast_to(fn(points, sample), (*shape, sample.size)), axis=-1)
    return summed
