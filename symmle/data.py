"""A sample from the user: checked, bounded, and converted exactly to fractions."""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping, Set
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from symmle.errors import DataError

LARGEST = 50
"""Accepted numbers have a size of at most 10^LARGEST and, unless zero, at least 10^-LARGEST:
exact arithmetic has no size limit and SymPy would try (1e1000000 runs for minutes)."""
MAX_DIGITS = 120
"""At most this many digits in the numerator and in the denominator of an exact value."""
MAX_TEXT = 300
"""At most this many characters in one written value."""
BOUNDS = (
    f"symmle accepts numbers of size at most 1e{LARGEST} and, unless zero, at least "
    f"1e-{LARGEST}, with at most {MAX_DIGITS} digits"
)


def describe(number: Fraction) -> str:
    """A short rendering of a possibly huge number, for messages."""
    bits = abs(number.numerator).bit_length() - number.denominator.bit_length()
    if number == 0 or abs(bits) < 1000:
        return f"{float(number):.6g}"
    return f"a number of about 1e{round(bits * math.log10(2))}"


def bounded(number: Fraction, shown: str | None = None) -> Fraction:
    """``number``, refused with a clear message when it is too large, too small or too long."""
    size = abs(number)
    if size > 10**LARGEST:
        problem = "too large"
    elif 0 < size < Fraction(1, 10**LARGEST):
        problem = "too small"
    elif number.numerator.bit_length() > 3.33 * MAX_DIGITS or number.denominator > 10**MAX_DIGITS:
        problem = "too long"
    else:
        return number
    raise DataError(f"{shown or describe(number)} is {problem}: {BOUNDS}.")


def not_finite(text: str) -> DataError:
    return DataError(f"{text} is not a finite number; every value must be finite.")


def to_fraction(item: object) -> Fraction:
    """One value as a bounded exact fraction; floats by their shortest decimal (0.1 -> 1/10)."""
    if isinstance(item, (bool, np.bool_)):
        return Fraction(int(item))
    if isinstance(item, str):
        return parse_value(item)
    if isinstance(item, sp.Basic):
        return sympy_fraction(item)
    if isinstance(item, numbers.Integral):
        return bounded(Fraction(int(item)))
    if isinstance(item, Fraction):
        return bounded(item)
    if isinstance(item, Decimal):
        return decimal_fraction(item, str(item))
    if isinstance(item, np.floating) and item.dtype.itemsize < 8:
        if not np.isfinite(item):
            raise not_finite(str(item))
        return parse_value(shortest(item))
    if isinstance(item, numbers.Real):
        number = float(item)
        if not math.isfinite(number):
            raise not_finite(repr(number))
        return bounded(Fraction(repr(number)))
    raise DataError(f"{short(repr(item))} is not a number.")


def shortest(item: np.floating[Any]) -> str:
    """The shortest decimal that reads back as this float in its own precision: a float32
    0.1 is 0.1, not the 0.100000001490116… it is as a float64."""
    return np.format_float_scientific(item, unique=True)


def sympy_fraction(item: sp.Basic) -> Fraction:
    if item.is_Rational:
        return bounded(Fraction(int(item.p), int(item.q)))
    if item.is_Float:
        return parse_value(str(item))
    if item in (sp.nan, sp.oo, -sp.oo, sp.zoo):
        raise not_finite(str(item))
    if item.is_number and item.is_real:
        raise DataError(
            f"{short(str(item))} is irrational: give exact values as integers, fractions or "
            "decimals (or floats)."
        )
    raise DataError(f"{short(str(item))} is not a number.")


def short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


TOKEN = 12
"""At most this many characters of a value are quoted in a message: a file's content (a
secret, in the worst case) is never echoed whole."""


def token(text: str, width: int = TOKEN) -> str:
    """A value cut to a short token, for messages."""
    return short(text, width)


def decimal_fraction(number: Decimal, text: str) -> Fraction:
    """A Decimal, bounded before it is made exact (Decimal('1e1000000') is cheap; its
    Fraction is not)."""
    if not number.is_finite():
        raise not_finite(short(text))
    if number and abs(number.adjusted()) > LARGEST:
        size = "too large" if number.adjusted() > 0 else "too small"
        raise DataError(f"{short(text)} is {size}: {BOUNDS}.")
    if len(number.as_tuple().digits) > MAX_DIGITS:
        raise DataError(f"{short(text)} is too long: {BOUNDS}.")
    return bounded(Fraction(number), short(text))


def parse_value(text: str) -> Fraction:
    """One written value: an integer, a decimal (1.5, 2e-3) or a fraction (1/3)."""
    text = text.strip()
    if not text:
        raise DataError("a value is missing: the data have an empty entry.")
    if len(text) > MAX_TEXT:
        raise DataError(f"{short(text)} is too long: {BOUNDS}.")
    try:
        return decimal_fraction(Decimal(text), text)
    except InvalidOperation:
        pass
    try:
        return bounded(Fraction(text), short(text))
    except (ValueError, ZeroDivisionError):
        raise DataError(f"{token(text)!r} is not a number.") from None


def rational(number: Fraction) -> sp.Rational:
    """A fraction as a SymPy Rational."""
    return sp.Rational(number.numerator, number.denominator)


def parse_list(text: str) -> tuple[Fraction, ...]:
    """Numbers separated by commas, spaces or new lines, as given to --data or in a file."""
    parts = text.replace("\n", ",").split(",")
    if not text.strip():
        raise DataError("the data are empty; give at least one value, e.g. --data 0,1,0.")
    if "\n" in text:  # a file: blank lines and spaces separate values too
        parts = [p for part in parts for p in part.split()]
    return tuple(parse_value(part) for part in parts)


def values_of(data: object) -> list[object]:
    """The items of a sample; refuse what is not an ordered sequence of values."""
    if isinstance(data, (str, bytes)):
        raise DataError("the data must be a sequence of numbers, not a string.")
    if isinstance(data, (Mapping, Set)):
        kind = "a mapping (its keys" if isinstance(data, Mapping) else "a set (repeated values"
        raise DataError(f"the data must be a sequence of numbers, not {kind} would be lost).")
    if isinstance(data, np.ndarray) and data.ndim != 1:
        raise DataError(f"the data must be one-dimensional; got an array of shape {data.shape}.")
    if not isinstance(data, Iterable):
        raise DataError(
            f"the data must be a sequence of numbers, e.g. [0, 1, 0]; got {short(repr(data))}."
        )
    return list(data)


def outside_support(shown: str, support: sp.Set, title: str) -> DataError:
    """The one message for a value outside the family's support (mle and fit alike)."""
    return DataError(f"{shown} lies outside the support of the {title}, {sp.pretty(support)}.")


def sample(data: object, support: sp.Set, title: str) -> tuple[Fraction, ...]:
    """The data as exact fractions, each checked to lie in the support."""
    values = tuple(to_fraction(item) for item in values_of(data))
    if not values:
        raise DataError("the data are empty; give at least one value.")
    if support == sp.Reals:
        return values
    for distinct in Counter(values):
        if support.contains(rational(distinct)) is not sp.true:
            raise outside_support(describe(distinct), support, title)
    return values


def rows_of(data: object) -> tuple[tuple[Fraction, ...], ...]:
    """Vector observations as exact fractions: a sequence of equally long rows, an (n, k)
    array, or text with rows on lines (or separated by ';') and values by commas."""
    if isinstance(data, str):
        data = [line.split(",") for line in data.replace(";", "\n").split("\n") if line.strip()]
    if isinstance(data, np.ndarray) and data.ndim != 2:
        raise DataError(f"the data must be an (n, k) table of rows; got shape {data.shape}.")
    given = data if isinstance(data, np.ndarray) else values_of(data)
    rows = [row_values(row, number) for number, row in enumerate(given, start=1)]
    if not rows:
        raise DataError("the data are empty; give at least one row.")
    for number, row in enumerate(rows, start=1):
        if len(row) != len(rows[0]):
            raise DataError(
                f"row {number} has {len(row)} value{'s' * (len(row) != 1)} where the first "
                f"row has {len(rows[0])}: every row must have the same length."
            )
    if not rows[0]:
        raise DataError("the rows are empty; give at least one value in each.")
    return tuple(tuple(to_fraction(item) for item in row) for row in rows)


def row_values(row: object, number: int) -> list[object]:
    if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
        raise DataError(
            f"row {number} is {short(repr(row))}, not a row of values: give the data as rows, "
            "e.g. [[0, 0], [1, 2], [2, 1]]."
        )
    return values_of(row)


Floats = np.ndarray[Any, np.dtype[np.float64]]

EXACT_DIGITS = 15
"""A decimal of at most this many significant digits is the shortest decimal of its float."""


def exact_values(tokens: list[str]) -> Floats | None:
    """Written values as floats when each float stands exactly for the value written (plain
    numbers of at most 15 significant digits), so that the exact derivation may read them
    vectorised; None otherwise (fractions like 1/3, longer decimals, a malformed value)."""
    try:
        values = np.array(tokens, dtype=np.float64)
        written = np.array(tokens, dtype=np.bytes_)
    except (ValueError, UnicodeEncodeError):
        return None
    if written.size == 0 or significant_digits(written) > EXACT_DIGITS:
        return None
    return values


def significant_digits(written: np.ndarray[Any, np.dtype[np.bytes_]]) -> int:
    """The most significant digits (trailing zeros included) of decimals written in ASCII."""
    chars = written[:, None].view(np.uint8).reshape(written.size, -1)
    mantissa = np.cumsum((chars == ord("e")) | (chars == ord("E")), axis=1) == 0
    digits = (chars >= ord("0")) & (chars <= ord("9")) & mantissa
    started = np.cumsum(digits & (chars != ord("0")), axis=1) > 0
    return int((digits & started).sum(axis=1).max())
