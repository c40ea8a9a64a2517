"""Exact sums over a large sample without a Python loop per observation.

A float stands for the shortest decimal that prints as it (0.1 is 1/10, as ``symmle.data``
reads it). ``DecimalSample`` finds that decimal m/10^d for a whole array at once. For each
number of places d, the candidate is m = the integer nearest to x·10^d, computed exactly as a
sum of two floats (Dekker's product); it prints as x when it lies inside x's rounding interval,
x ± ulp(x)/2, and if d places work, so do d + 1. A binary search over d then finds the fewest
places: up to 17 significant digits (m < 2^62) and 44 places (two exact powers of ten). Values
it cannot settle (from 2^53 up, very small, or too close to call) are read one by one.

Sums of powers are then exact integers, summed in int64 limbs. A statistic that is not a
polynomial (Σ log yᵢ) has no small exact value over many distinct observations: it is exact
over at most ``EXACT_DISTINCT`` distinct values, and beyond them a float to about 15
significant digits (``math.fsum`` of NumPy's values).
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
from sympy.printing.pycode import PythonCodePrinter

from symmle.data import rational, to_fraction
from symmle.derive.lambdified import per_sample
from symmle.symbols import value

Array = np.ndarray[Any, np.dtype[Any]]

EXACT_DISTINCT = 20
"""A non-polynomial statistic is summed exactly over at most this many distinct values."""
CHUNK = 1 << 21


EXACT_POWER = 22
POWERS = 10.0 ** np.arange(EXACT_POWER + 1)
"""10^d for the places d whose power of ten is an exact float."""
VELTKAMP = 2.0**27 + 1
SEARCHES = 5
"""Halvings of the range of places (at most 19 numbers) down to one."""
BLOCK = 1 << 14
"""Floats read at once (the temporaries stay in the CPU's cache)."""


def decimals(x: Array) -> tuple[Array, Array]:
    """Per float, the mantissa m and places d of its shortest decimal; d = -1 where unsettled."""
    found = [block_decimals(x[i : i + BLOCK]) for i in range(0, x.size, BLOCK)]
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    mantissas, places = zip(*found, strict=True)
    return np.concatenate(mantissas), np.concatenate(places)


def block_decimals(x: Array) -> tuple[Array, Array]:
    size = np.abs(x)
    with np.errstate(all="ignore"):  # the largest floats overflow: they stay unsettled
        edge = np.spacing(size) / 2
        # Below a power of two the interval is half as wide: only its exact decimal is taken
        # (the shortest for 2^k with |k| ≤ 22; other powers stay unsettled).
        edge[np.frexp(size)[0] == 0.5] = 0
        mantissa, places = search(size, edge)
        places[(edge == 0) & (places > EXACT_POWER)] = -1
    mantissa[x < 0] *= -1
    places[x == 0], mantissa[x == 0] = 0, 0
    return mantissa, places


def place_range(size: Array) -> tuple[Array, Array]:
    """The fewest and most places the shortest decimal can have: from one to 18 significant
    digits (17 always do), at most 44 places; none (-1) from 2^53 on, where ulp ≥ 2 and the
    shortest decimal may need fewer than 0 places."""
    digits = np.floor(np.log10(size))  # the place of the first digit, give or take one
    top = np.clip(np.nan_to_num(17 - digits, posinf=0), 0, 2 * EXACT_POWER).astype(np.int64)
    top[size >= 2.0**53] = -1
    low = np.clip(np.nan_to_num(-digits - 1, posinf=0), 0, None).astype(np.int64)
    return np.minimum(low, np.maximum(top, 0)), top


def nearest(size: Array, edge: Array, d: Array) -> tuple[Array, Array, Array]:
    """m = the integer nearest size·10^d; whether m/10^d lies strictly within ``edge`` of the
    size (exactly on it where the edge is 0); and whether that is too close to call (near the
    edge, or halfway between two integers)."""
    first, second = POWERS[np.minimum(d, EXACT_POWER)], POWERS[np.maximum(d - EXACT_POWER, 0)]
    high, low = two_product(size, first)
    if (d > EXACT_POWER).any():  # (high + low)·second, to a relative 2^-100 or so
        high, low, carried = *two_product(high, second), low * second
        low += carried
    rounded = np.rint(high)
    rest = (high - rounded) + low  # size·10^d − rounded, to a relative 2^-53
    step = np.rint(rest)  # beyond 2^53, low may exceed 1
    rest -= step
    edge = edge * first * second  # exact up to 22 places
    gap = np.abs(rest)
    inside = np.where(edge > 0, gap < edge, gap == 0)
    halfway = (np.abs(gap - 0.5) <= 1e-12) & (edge > 0.49)  # two nearest, both maybe inside
    unsure = (edge > 0) & ((np.abs(gap - edge) <= 1e-9 * edge) | halfway)
    return rounded.astype(np.int64) + step.astype(np.int64), inside, unsure


def two_product(a: Array, b: Array) -> tuple[Array, Array]:
    """a·b = high + low exactly (Dekker's product with Veltkamp's split)."""
    high = a * b
    a_high, a_low = split(a)
    b_high, b_low = split(b)
    low = ((a_high * b_high - high) + a_high * b_low + a_low * b_high) + a_low * b_low
    return high, low


def split(a: Array) -> tuple[Array, Array]:
    scaled = VELTKAMP * a
    high = scaled - (scaled - a)
    return high, a - high


def search(size: Array, edge: Array) -> tuple[Array, Array]:
    """The fewest places d whose nearest decimal is inside: a binary search, since the nearest
    decimal with d + 1 places is at least as near as the one with d."""
    low, top = place_range(size)
    high = np.maximum(top, 0)
    best, inside, unsure = nearest(size, edge, high)
    settled = (top >= 0) & inside & ~unsure
    for _ in range(SEARCHES):
        searching = low < high
        middle = (low + high) // 2
        m, inside, unsure = nearest(size, edge, middle)
        settled &= ~(searching & unsure)
        found = searching & inside
        high, best = np.where(found, middle, high), np.where(found, m, best)
        low = np.where(searching & ~inside, middle + 1, low)
    return best, np.where(settled, high, -1)


def integer_power_sum(values: Array, k: int) -> int:
    """Σ vᵏ exactly for int64 values below 2^62 in size: limbs small enough that each
    product of k limbs, summed over a chunk, fits in int64."""
    bits = (62 - 21) // k
    widest = int(np.abs(values).max(initial=0)).bit_length()
    count = max(1, -(-widest // bits))
    mask = (1 << bits) - 1
    total = 0
    for start in range(0, values.size, CHUNK):
        chunk = values[start : start + CHUNK]
        sign = np.sign(chunk) ** k
        size = np.abs(chunk)
        limbs = [(size >> (bits * j)) & mask for j in range(count)]
        for combo in itertools.combinations_with_replacement(range(count), k):
            product = sign.copy()
            for j in combo:
                product *= limbs[j]
            total += arrangements(combo) * int(product.sum()) << (bits * sum(combo))
    return total


def arrangements(combo: tuple[int, ...]) -> int:
    """How many orderings of the limbs give this product (a multinomial coefficient)."""
    found = math.factorial(len(combo))
    for c in Counter(combo).values():
        found //= math.factorial(c)
    return found


class DecimalSample(Sequence[Fraction]):
    """A float array read as exact decimals, with exact statistics computed vectorised."""

    def __init__(self, floats: Array) -> None:
        self.floats = np.asarray(floats, dtype=np.float64)

    @cached_property
    def decimals(self) -> tuple[Array, Array]:
        """Each float's shortest decimal, worked out when first asked: a fit needs none."""
        return decimals(self.floats)

    @property
    def mantissa(self) -> Array:
        return self.decimals[0]

    @property
    def places(self) -> Array:
        return self.decimals[1]

    @cached_property
    def rest(self) -> list[Fraction]:
        """The values whose shortest decimal is unsettled, as fractions."""
        return [to_fraction(float(v)) for v in self.floats[self.places < 0]]

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

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Array:
        """The floats: NumPy reads the sample without a Fraction made per value."""
        return np.array(self.floats, dtype=dtype, copy=copy)

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
    with np.errstate(all="ignore"):
        (terms,) = per_sample([term], [])(floats(data))
    return sp.Float(math.fsum(np.broadcast_to(terms, (len(data),)).tolist()), 15)


def rational_valued(term: sp.Expr) -> bool:
    """True for a rational function of y, |·| allowed: rational on rational data."""
    functions = all(isinstance(f, sp.Abs) for f in term.atoms(sp.Function))
    return functions and all(p.exp.is_integer for p in term.atoms(sp.Pow))


class Exact(PythonCodePrinter):
    """Python code that keeps rationals exact: 183/5 as Fraction(183, 5), not float division."""

    def _print_Rational(self, expr: sp.Rational) -> str:
        return f"Fraction({expr.p}, {expr.q})"

    _print_Half = _print_Rational


def exact_total(term: sp.Expr, data: Sequence[Fraction]) -> sp.Expr | None:
    """Σ term(yᵢ): exact for a polynomial or for a rational function (|·| allowed) on a sample
    of Fractions; a float over more than ``EXACT_DISTINCT`` distinct values; None otherwise
    (few distinct values: summed exactly value by value by the caller)."""
    if term.is_polynomial(value):
        return rational(polynomial_total(term, data))
    if rational_valued(term) and not isinstance(data, DecimalSample):
        fn = sp.lambdify([value], term, [{"Abs": abs, "Fraction": Fraction}], printer=Exact)
        return rational(sum((fn(v) for v in data), Fraction(0)))
    if distinct_count(data) > EXACT_DISTINCT:
        return float_total(term, data)
    return None
