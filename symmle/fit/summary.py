"""The first pass over a sample: size, extremes, whether every value is an integer, the sums of
the sufficient statistics and a small subsample; then the checks of the data against the
family's support, which raise DataError like ``symmle.mle``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import sympy as sp

from symmle.data import outside_support
from symmle.derive.blocks import Terms
from symmle.derive.compiled import Array
from symmle.errors import DataError

SUBSAMPLE = 20_000
"""Newton's method first runs on about this many evenly spaced observations."""
LADDER = 5
"""... then, for data in memory, on LADDER times as many, while that is at most a 2·LADDER-th
of the data: each start closer to the next sample's optimum, so that two iterations on all
the data reach the tolerance."""


@dataclass(frozen=True)
class Summary:
    """What one pass over the data found."""

    size: int
    low: float | None
    high: float | None
    """The extremes; None where not computed: the data are then proven finite on that side,
    and neither the support (unbounded there) nor the estimator needs the extreme."""
    totals: list[float]
    non_integer: float | None
    """An observation that is not an integer (None: every one is, or it was not asked)."""
    subsample: Array | None


@dataclass(frozen=True)
class FirstPass:
    """What the first pass over the data computes besides the size and the extremes."""

    terms: Terms
    """The per-sample terms of the statistics, summed."""
    args: Sequence[float]
    integers: bool
    """Whether to look for an observation that is not an integer."""
    subsample: bool
    ends: tuple[bool, bool] = (True, True)
    """Whether the min and the max are needed besides the checks for NaN and ±∞."""


class Data(Protocol):
    """A validated sample (NumPy in memory, or Dask) that ``symmle.fit`` reduces."""

    @property
    def size(self) -> int: ...

    def totals(self, terms: Terms, args: Sequence[float]) -> list[float]: ...

    def summary(self, wanted: FirstPass) -> Summary: ...

    def first(self) -> float: ...

    def median(self) -> float: ...

    def points(self) -> Array:
        """A few observations that locate the sample (``symmle.numeric.location``)."""
        ...

    def strided(self, step: int) -> Array | None:
        """A copy of every ``step``-th observation, for data in memory (None otherwise)."""
        ...

    def outside(self, support: sp.Set) -> float | None:
        """An observation outside a support that is not an interval or a range of integers."""
        ...


def stride(size: int) -> int:
    """The step between the observations of the subsample."""
    return max(1, size // SUBSAMPLE)


def ladder(size: int) -> list[int]:
    """The steps between the observations of the larger subsamples, smallest sample first."""
    sizes = []
    m = SUBSAMPLE * LADDER
    while 2 * LADDER * m <= size:
        sizes.append(m)
        m *= LADDER
    return [size // m for m in sizes]


def real_dtype(dtype: Any) -> np.dtype[Any]:
    """The dtype the data are computed in; DataError for data that are not real numbers."""
    kind = np.dtype(dtype).kind
    if kind in "biuf":
        return np.dtype(np.float64)
    if kind == "c":
        raise DataError("the data are complex numbers; every value must be a real number.")
    raise DataError(f"the data must be real numbers, not values of type {np.dtype(dtype)}.")


def check_shape(shape: tuple[Any, ...]) -> None:
    if len(shape) != 1:
        raise DataError(
            f"the data must be one-dimensional (a sample of one variable), not of shape {shape}."
        )
    if shape[0] == 0:
        raise DataError("the data are empty; give at least one value.")


def ends(support: sp.Set) -> tuple[float, float, bool, bool, bool] | None:
    """(low, high, low included, high included, integers only) for an interval or a range of
    consecutive integers; None for any other set."""
    if isinstance(support, sp.Interval):
        low, high = float(support.inf), float(support.sup)
        return low, high, not support.left_open, not support.right_open, False
    if support in (sp.Naturals, sp.Naturals0, sp.Integers):
        return float(support.inf), float(support.sup), True, True, True
    if isinstance(support, sp.Range) and support.step == 1:
        return float(support.inf), float(support.sup), True, True, True
    if isinstance(support, sp.FiniteSet) and all(e.is_integer for e in support):
        low, high = int(support.inf), int(support.sup)
        if len(support) == high - low + 1:
            return float(low), float(high), True, True, True
    return None


@lru_cache(maxsize=256)
def place(v: float, domain: sp.Interval) -> str:
    """Where a float lies in an interval: 'interior', 'boundary' or 'outside' (as
    ``symmle.derive.solve.place``, without SymPy's comparisons)."""
    found = ends(domain)
    assert found is not None and not found[4], f"{domain} is not an interval"
    low, high, low_in, high_in, _ = found
    if not np.isfinite(v) or v < low or v > high:
        return "outside"
    if low < v < high:
        return "interior"
    return "boundary" if (v == low and low_in) or (v == high and high_in) else "outside"


def needed_ends(support: sp.Set, uses: tuple[bool, bool]) -> tuple[bool, bool]:
    """Whether the min and the max are needed: for an end of the support that is finite (or
    a support that is not an interval), or for the estimator (``uses``)."""
    found = ends(support)
    if found is None:
        return True, True
    return uses[0] or found[0] > -np.inf, uses[1] or found[1] < np.inf


def check_finite(summary: Summary) -> None:
    for end in (summary.low, summary.high):
        if end is not None and not np.isfinite(end):
            raise DataError(f"the data contain {end}; every value must be a finite number.")


def beyond(summary: Summary, ends: tuple[float, float, bool, bool, bool]) -> float | None:
    """An observation outside an interval or a range of integers, or None."""
    low, high, low_in, high_in, integers = ends
    least, most = summary.low, summary.high  # None only where the support is unbounded
    if least is not None and (least < low or (least == low and not low_in)):
        return least
    if most is not None and (most > high or (most == high and not high_in)):
        return most
    return summary.non_integer if integers else None


def check_support(summary: Summary, support: sp.Set, title: str, data: Data) -> None:
    """DataError unless every observation is finite and lies in ``support``."""
    check_finite(summary)
    found = ends(support)
    wrong = data.outside(support) if found is None else beyond(summary, found)
    if wrong is not None:
        raise outside_support(f"{float(wrong):.6g}", support, title)
