"""A sample in a Dask array (``symmle[dask]``): larger than memory, or spread over a cluster.

Every reduction is a Dask reduction over the chunks: the first pass computes the extremes,
the integer check, the statistics and a subsample in one ``dask.compute``; Newton's method
computes its sums with one such pass per step. The median is exact: an approximate bracket
from ``dask.array.percentile``, then the few observations inside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import dask
import dask.array as da
import numpy as np
import sympy as sp

from symmle.derive.blocks import Terms
from symmle.derive.compiled import Array, NumpySample
from symmle.fit.arrays import non_integer
from symmle.fit.summary import FirstPass, Summary, check_shape, real_dtype, stride
from symmle.numeric.location import POINTS


def as_dask(x: Any) -> DaskData:
    """A 1-D Dask array of real numbers, in float64 chunks."""
    if not isinstance(x, da.Array):
        x = da.asarray(x)
    if any(np.isnan(c) for c in x.shape):
        x = x.compute_chunk_sizes()
    check_shape(x.shape)
    return DaskData(x.astype(real_dtype(x.dtype)))


def block_totals(block: Array, terms: Terms, args: Sequence[float]) -> Array:
    """The per-output sums over one chunk, as a row."""
    return np.array([NumpySample(block).totals(terms, args)], dtype=np.float64)


def block_non_integer(block: Array) -> Array:
    found = non_integer(block)
    return np.array([np.nan if found is None else found])


class DaskData:
    """A checked 1-D float64 Dask array."""

    def __init__(self, array: da.Array) -> None:
        self.array = array

    @property
    def size(self) -> int:
        return int(self.array.shape[0])

    def lazy_totals(self, terms: Terms, args: Sequence[float]) -> da.Array:
        with np.errstate(all="ignore"):
            count = len(terms(np.ones(1), *args))
        parts = self.array.map_blocks(
            partial(block_totals, terms=terms, args=list(args)),
            chunks=((1,) * self.array.numblocks[0], (count,)),
            new_axis=1,
            dtype=np.float64,
            meta=np.empty((0, count)),
        )
        return parts.sum(axis=0)

    def totals(self, terms: Terms, args: Sequence[float]) -> list[float]:
        return [float(v) for v in self.lazy_totals(terms, args).compute()]

    def summary(self, wanted: FirstPass) -> Summary:
        """The first pass, in one ``dask.compute``; both extremes, whatever ``ends`` says."""
        x = self.array
        lazy: dict[str, Any] = {"low": x.min(), "high": x.max()}
        lazy["totals"] = self.lazy_totals(wanted.terms, wanted.args)
        if wanted.integers:
            lazy["non_integer"] = x.map_blocks(block_non_integer, chunks=((1,) * x.numblocks[0],))
        if wanted.subsample:
            lazy["subsample"] = x[:: stride(self.size)]
        (found,) = dask.compute(lazy)
        wrong = found.get("non_integer", np.array([np.nan]))
        wrong = wrong[~np.isnan(wrong)]
        return Summary(
            size=self.size,
            low=float(found["low"]),
            high=float(found["high"]),
            totals=[float(v) for v in found["totals"]],
            non_integer=float(wrong[0]) if wrong.size else None,
            subsample=np.asarray(found["subsample"]) if wanted.subsample else None,
        )

    def first(self) -> float:
        return float(self.array[0].compute())

    def points(self) -> Array:
        """The first observations (one chunk read, not every one)."""
        return np.asarray(self.array[:POINTS].compute(), np.float64)

    def strided(self, step: int) -> Array | None:
        return None

    def median(self) -> float:
        """The exact median: the middle order statistic(s) of the observations inside a
        bracket around an approximate median (widened until it holds them)."""
        x, size = self.array, self.size
        ranks = sorted({(size - 1) // 2, size // 2})
        width = min(50.0, max(0.5, 100 / np.sqrt(size)))  # in percent either side
        while True:
            low, high = (
                (-np.inf, np.inf)
                if width >= 50
                else da.percentile(x, [50 - width, 50 + width]).compute()
            )
            below, inside = dask.compute((x < low).sum(), x[(x >= low) & (x <= high)])
            kept = np.sort(np.asarray(inside))
            if below <= ranks[0] and below + kept.size > ranks[-1]:
                return float(np.mean([kept[r - below] for r in ranks]))
            width = min(50, 2 * width)

    def outside(self, support: sp.Set) -> float | None:
        for v in da.unique(self.array).compute():
            if support.contains(sp.Rational(repr(float(v)))) is not sp.true:
                return float(v)
        return None
