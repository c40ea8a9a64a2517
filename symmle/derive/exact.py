"""Exact sums over a large sample without a Python loop per observation.

A float stands for the shortest decimal that prints as it (0.1 is 1/10, as ``symmle.data``
reads it). ``DecimalSample`` finds that decimal m/10^d for a whole array at once: for each d,
m = rint(x·10^d) is the only d-place decimal that can round to x when 10^-d ≥ 4·ulp(x), and
m/10^d == x (a correctly rounded division of exact floats) says whether it does; the fewest
places that work give repr's decimal. Values it cannot settle (very large or tiny, or needing
more digits than that) are read one by one. Sums of powers are then exact integers, summed in
int64 limbs. A statistic that is not a polynomial (Σ log yᵢ) has no small exact value over many
distinct observations: it is exact over at most ``EXACT_DISTINCT`` distinct values, and beyond
them a float to about 15 significant digits (``math.fsum`` of NumPy's values).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from fractions import Fraction
from functools import cached_property
from typing import Any, overload

import numpy as np
import sympy as sp

from symmle.data import rational, to_fraction
from symmle.symbols import value

Array = np.ndarray[Any, np.dtype[Any]]

EXACT_DISTINCT = 20
"""A non-polynomial statistic is summed exactly over at most this many distinct values."""
CHUNK = 1 << 21


def decimals(x: Array) -> tuple[Array, Array]:
    """Per float, the mantissa m and places d of its shortest decimal; d = -1 where unsettled."""
    with np.errstate(all="ignore"):  # the largest floats overflow: they stay unsettled
        return settle(x, np.spacing(np.abs(x)))


def settle(x: Array, ulp: Array) -> tuple[Array, Array]:
    mantissa = np.zeros(x.size, dtype=np.int64)
    places = np.full(x.size, -1, dtype=np.int8)
    todo = np.arange(x.size)
    for d in range(23):  # 10^d is an exact float up to 10^22
        if not todo.size:
            break
        scale, xs = 10.0**d, x[todo]
        scaled = xs * scale
        unique = (4 * ulp[todo] * scale <= 1) & (np.abs(scaled) < 2.0**52)
        candidate = np.rint(scaled)
        found = unique & (candidate / scale == xs)
        mantissa[todo[found]] = candidate[found]
        places[todo[found]] = d
        todo = todo[unique & ~found]  # once not unique, never again for more places
    return mantissa, places


def integer_power_sum(values: Array, k: int) -> int:
    """Σ vᵏ exactly for int64 values below 2^53 in size: limbs small enough that each
    product of k limbs, summed over a chunk, fits in int64."""
    bits = (62 - 21) // k
    count = -(-53 // bits)
    mask = (1 << bits) - 1
    total = 0
    for start in range(0, values.size, CHUNK):
        chunk = values[start : start + CHUNK]
        sign = np.sign(chunk) ** k
        size = np.abs(chunk)
        limbs = [(size >> (bits * j)) & mask for j in range(count)]
        for combo in itertools.product(range(count), repeat=k):
            product = sign.copy()
            for j in combo:
                product *= limbs[j]
            total += int(product.sum()) << (bits * sum(combo))
    return total


class DecimalSample(Sequence[Fraction]):
    """A float array read as exact decimals, with exact statistics computed vectorised."""

    def __init__(self, floats: Array) -> None:
        self.floats = np.asarray(floats, dtype=np.float64)
        self.mantissa, self.places = decimals(self.floats)
        unsettled = np.flatnonzero(self.places < 0)
        self.rest = [to_fraction(float(v)) for v in self.floats[unsettled]]

    def __len__(self) -> int:
        return int(self.floats.size)

    @overload
    def __getitem__(self, index: int) -> Fraction: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Fraction, ...]: ...

    def __getitem__(self, index: int | slice) -> Fraction | tuple[Fraction, ...]:
        if isinstance(index, slice):
            return tuple(self[j] for j in range(*index.indices(len(self))))
        d = int(self.places[index])
        if d < 0:
            return to_fraction(float(self.floats[index]))
        return Fraction(int(self.mantissa[index]), 10**d)

    def __iter__(self) -> Iterator[Fraction]:
        return (self[j] for j in range(len(self)))

    def power_sum(self, k: int) -> Fraction:
        """Σ vᵢᵏ, exactly."""
        total = sum((v**k for v in self.rest), Fraction(0))
        for d in np.unique(self.places[self.places >= 0]):
            group = self.mantissa[self.places == d]
            total += Fraction(integer_power_sum(group, k), 10 ** (int(d) * k))
        return total

    @cached_property
    def distinct(self) -> tuple[Array, Array]:
        """The distinct floats and their counts (each float is one decimal)."""
        found, counts = np.unique(self.floats, return_counts=True)
        return found, counts

    def counts(self) -> Counter[Fraction]:
        found, counts = self.distinct
        return Counter({to_fraction(float(v)): int(c) for v, c in zip(found, counts, strict=True)})

    def order(self, kind: str) -> Fraction:
        """min, max or the median (the midpoint of the middle two for an even size)."""
        x = self.floats
        if kind != "median":
            return self[int(np.argmin(x) if kind == "min" else np.argmax(x))]
        middle = sorted({(x.size - 1) // 2, x.size // 2})
        ordered = np.partition(x, middle)[middle]
        return sum((to_fraction(float(v)) for v in ordered), Fraction(0)) / len(middle)


def polynomial_total(term: sp.Expr, data: Sequence[Fraction]) -> Fraction:
    """Σ term(yᵢ) for a polynomial term with rational coefficients, exactly."""
    poly = sp.Poly(term, value)
    total = Fraction(0)
    for (k,), c in poly.terms():
        coefficient = Fraction(int(c.p), int(c.q))
        if isinstance(data, DecimalSample):
            total += coefficient * (data.power_sum(k) if k else len(data))
        else:
            total += coefficient * sum((v**k for v in data), Fraction(0))
    return total


def counts(data: Sequence[Fraction]) -> Counter[Fraction]:
    return data.counts() if isinstance(data, DecimalSample) else Counter(data)


def distinct_count(data: Sequence[Fraction]) -> int:
    return data.distinct[0].size if isinstance(data, DecimalSample) else len(set(data))


def floats(data: Sequence[Fraction]) -> Array:
    """The sample as a float64 array."""
    if isinstance(data, DecimalSample):
        return data.floats
    return np.array([float(v) for v in data], dtype=np.float64)


def float_total(term: sp.Expr, data: Sequence[Fraction]) -> sp.Float:
    """Σ term(yᵢ) to about 15 significant digits: NumPy's values summed by math.fsum."""
    from symmle.derive.compiled import per_sample  # compiled imports statistics, which imports us

    with np.errstate(all="ignore"):
        (terms,) = per_sample([term], [])(floats(data))
    return sp.Float(math.fsum(np.broadcast_to(terms, (len(data),)).tolist()), 15)


def rational_valued(term: sp.Expr) -> bool:
    """True for a rational function of y, |·| allowed: rational on rational data."""
    functions = all(isinstance(f, sp.Abs) for f in term.atoms(sp.Function))
    return functions and all(p.exp.is_integer for p in term.atoms(sp.Pow))


def exact_total(term: sp.Expr, data: Sequence[Fraction]) -> sp.Expr | None:
    """Σ term(yᵢ): exact for a polynomial or for a rational function (|·| allowed) on a sample
    of Fractions; a float over more than ``EXACT_DISTINCT`` distinct values; None otherwise
    (few distinct values: summed exactly value by value by the caller)."""
    if term.is_polynomial(value):
        return rational(polynomial_total(term, data))
    if rational_valued(term) and not isinstance(data, DecimalSample):
        fn = sp.lambdify([value], term, modules=[{"Abs": abs}])
        return rational(sum((fn(v) for v in data), Fraction(0)))
    if distinct_count(data) > EXACT_DISTINCT:
        return float_total(term, data)
    return None
