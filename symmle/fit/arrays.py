"""A sample in memory: a NumPy array (or anything ``numpy.asarray`` takes: a list, a pandas
Series), checked and reduced with NumPy."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symmle.data import shortest
from symmle.derive.blocks import FIRST_BLOCK, Terms, Values, proofs, reduce
from symmle.derive.compiled import Array, NumpySample
from symmle.derive.exact import DecimalSample
from symmle.errors import DataError
from symmle.families import Distribution
from symmle.fit.summary import FirstPass, Summary, check_shape, check_support, real_dtype, stride
from symmle.numeric.location import spaced


def as_numpy(x: Any) -> NumpyData:
    """The data as a 1-D array of real numbers (integers and floats of any width are kept,
    and read as float64 block by block); DataError for anything else."""
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as error:
        raise DataError(f"the data must be real numbers: {error}.") from None
    check_shape(array.shape)
    if array.dtype.kind == "O":  # Python objects (Fractions, Decimals, None …): one by one
        array = np.fromiter((number(v) for v in array), np.float64, array.size)
    real_dtype(array.dtype)
    return NumpyData(array, array.dtype.kind in "biu")


def number(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"the data must be real numbers: {v!r} is not a number.") from None


class NumpyData(NumpySample):
    """A checked 1-D array of real numbers; ``integers`` for an integer dtype (no NaN, no ±∞,
    every value an integer)."""

    def __init__(self, data: Values, integers: bool = False) -> None:
        super().__init__(data)
        self.integers = integers

    def summary(self, wanted: FirstPass) -> Summary:
        """The first pass; an extreme not in ``wanted.ends`` is skipped where the data are
        proven free of NaN and of ±∞ on its side (by their integer dtype, or by finite
        totals)."""
        y, args = self.data, wanted.args
        fractions = wanted.integers and not self.integers
        terms = with_fractions(wanted.terms) if fractions else wanted.terms
        proven = (True, True) if self.integers else proofs(terms, args)
        ask = [need or not sure for need, sure in zip(wanted.ends, proven, strict=True)]
        found = reduce(y, terms, args, ask[0], ask[1], block=FIRST_BLOCK)
        extremes = found.low, found.high
        missing = any(v is None for v in extremes)
        if missing and not self.integers and not np.all(np.isfinite(found.totals)):
            both = reduce(y, lambda _: [], [], True, True)  # bad data: both ends, as before
            extremes = both.low, both.high
        low, high = (None if v is None else float(v) for v in extremes)
        totals = found.totals[:-1] if fractions else found.totals
        return Summary(
            size=self.size,
            low=low,
            high=high,
            totals=totals,
            non_integer=non_integer(y) if fractions and found.totals[-1] != 0 else None,
            subsample=np.asarray(y[:: stride(self.size)], np.float64) if wanted.subsample else None,
        )

    def first(self) -> float:
        return float(self.data[0])

    def median(self) -> float:
        return float(np.median(self.data))

    def points(self) -> Array:
        return np.asarray(spaced(self.data), np.float64)

    def strided(self, step: int) -> Array | None:
        return np.ascontiguousarray(self.data[::step])

    def outside(self, support: sp.Set) -> float | None:
        for v in np.unique(self.data):
            if support.contains(sp.Rational(repr(float(v)))) is not sp.true:
                return float(v)
        return None


def with_fractions(terms: Terms) -> Terms:
    """The terms and y − ⌊y⌋, whose sum is 0 exactly when every (finite) y is an integer."""

    def extended(y: Array, *args: float) -> list[Any]:
        return [*terms(y, *args), y - np.floor(y)]

    return extended


def non_integer(y: Values) -> float | None:
    """The first observation that is not an integer, or None."""
    wrong = np.flatnonzero(y != np.floor(y))
    return float(y[wrong[0]]) if wrong.size else None


LARGE = 1000
"""``symmle.mle`` reads samples at least this large through ``DecimalSample``."""


def large_sample(data: Any, family: Distribution) -> DecimalSample | None:
    """A large sample of floats or integers for the exact derivation, checked against the
    family's support in one vectorised pass; None for anything else (read one by one)."""
    if not isinstance(data, (np.ndarray, list, tuple)) or np.ndim(data) != 1 or len(data) < LARGE:
        return None
    array = np.asarray(data)
    if array.ndim != 1 or array.dtype.kind not in "biuf":
        return None
    if array.dtype.kind == "f":  # from a list, only floats: ints beyond 2^53 would round
        exact = isinstance(data, np.ndarray) or all(isinstance(v, float) for v in data)
    else:
        exact = bool(np.all(np.abs(array) < 2**53))
    if not exact:
        return None
    if array.dtype.kind == "f" and array.dtype.itemsize < 8:  # each as its own shortest decimal
        array = np.array([shortest(v) for v in array], dtype=np.float64)
    x = NumpyData(np.asarray(array, dtype=np.float64), array.dtype.kind in "biu")
    summary = x.summary(FirstPass(lambda y: [], [], family.discrete, subsample=False))
    check_support(summary, family.data_support, family.title, x)
    return DecimalSample(x.data)
