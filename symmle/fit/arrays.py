"""A sample in memory: a NumPy array (or anything ``numpy.asarray`` takes: a list, a pandas
Series), checked and reduced with NumPy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from symmle.derive.compiled import Array, NumpySample, Terms
from symmle.derive.exact import DecimalSample
from symmle.errors import DataError
from symmle.families import Distribution
from symmle.fit.summary import Summary, check_shape, check_support, real_dtype, stride


def as_numpy(x: Any) -> NumpyData:
    """The data as a 1-D float64 array; DataError for anything that is not real numbers."""
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as error:
        raise DataError(f"the data must be real numbers: {error}.") from None
    check_shape(array.shape)
    if array.dtype.kind == "O":  # Python objects (Fractions, Decimals, None …): one by one
        array = np.fromiter((number(v) for v in array), np.float64, array.size)
    integers = array.dtype.kind in "biu"
    return NumpyData(np.asarray(array, dtype=real_dtype(array.dtype)), integers)


def number(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"the data must be real numbers: {v!r} is not a number.") from None


class NumpyData(NumpySample):
    """A checked 1-D float64 array; ``integers`` when it came from integers (no check then)."""

    def __init__(self, data: Array, integers: bool = False) -> None:
        super().__init__(data)
        self.integers = integers

    def summary(
        self, terms: Terms, args: Sequence[float], integers: bool, subsample: bool
    ) -> Summary:
        y = self.data
        with np.errstate(all="ignore"):
            totals = self.totals(terms, args)
        return Summary(
            size=self.size,
            low=float(np.min(y)),
            high=float(np.max(y)),
            totals=totals,
            non_integer=non_integer(y) if integers and not self.integers else None,
            subsample=y[:: stride(self.size)] if subsample else None,
        )

    def first(self) -> float:
        return float(self.data[0])

    def median(self) -> float:
        return float(np.median(self.data))

    def outside(self, support: sp.Set) -> float | None:
        for v in np.unique(self.data):
            if support.contains(sp.Rational(repr(float(v)))) is not sp.true:
                return float(v)
        return None


def non_integer(y: Array) -> float | None:
    """The first observation that is not an integer, or None."""
    wrong = np.flatnonzero(y != np.floor(y))
    return float(y[wrong[0]]) if wrong.size else None


LARGE = 1000
"""``symmle.mle`` reads samples at least this large through ``DecimalSample``."""


def large_sample(data: Any, family: Distribution) -> DecimalSample | None:
    """A large sample of floats or integers for the exact derivation, checked against the
    family's support in one vectorised pass; None for anything else (read one by one)."""
    if not isinstance(data, (np.ndarray, list, tuple)) or len(data) < LARGE:
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
    x = NumpyData(np.asarray(array, dtype=np.float64), array.dtype.kind in "biu")
    summary = x.summary(lambda y: [], [], family.discrete, subsample=False)
    check_support(summary, family.data_support, family.title, x)
    return DecimalSample(x.data)
