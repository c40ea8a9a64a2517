"""A sample from the user: checked, and converted exactly to fractions."""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction

import sympy as sp

from symmle.errors import DataError


def to_fraction(item: object) -> Fraction:
    """One observation as an exact fraction; floats by their shortest decimal (0.1 -> 1/10)."""
    if isinstance(item, bool):
        return Fraction(int(item))
    if isinstance(item, sp.Basic):
        if not (item.is_Rational or item.is_Float):
            raise DataError(f"{item} is not a number.")
        item = float(item) if item.is_Float else Fraction(int(item.p), int(item.q))
    if isinstance(item, str):
        return _parse_text(item)
    if isinstance(item, numbers.Integral):
        return Fraction(int(item))
    if isinstance(item, Fraction):
        return item
    if isinstance(item, numbers.Real):
        number = float(item)
        if not math.isfinite(number):
            raise DataError(f"the data contain {number}; every value must be a finite number.")
        return Fraction(repr(number))
    raise DataError(f"{item!r} is not a number.")


def _parse_text(text: str) -> Fraction:
    if not text.strip():
        raise DataError("a value is missing: the data have an empty entry.")
    try:
        number = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        number = None
    if number is None:
        if text.strip().lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            raise DataError(
                f"the data contain {text.strip()}; every value must be a finite number."
            )
        raise DataError(f"{text.strip()!r} is not a number.")
    return number


def rational(number: Fraction) -> sp.Rational:
    """A fraction as a SymPy Rational."""
    return sp.Rational(number.numerator, number.denominator)


def parse_list(text: str) -> tuple[Fraction, ...]:
    """Comma-separated numbers, as given to the CLI's --data."""
    if not text.strip():
        raise DataError("the data are empty; give at least one value, e.g. --data 0,1,0.")
    return tuple(_parse_text(part) for part in text.split(","))


def sample(data: Iterable[object], support: sp.Set, title: str) -> tuple[Fraction, ...]:
    """The data as exact fractions, each checked to lie in the support."""
    if isinstance(data, (str, bytes)):
        raise DataError("the data must be a sequence of numbers, not a string.")
    values = tuple(to_fraction(item) for item in data)
    if not values:
        raise DataError("the data are empty; give at least one value.")
    if support == sp.Reals:
        return values
    for distinct in Counter(values):
        if support.contains(rational(distinct)) is not sp.true:
            raise DataError(f"{distinct} lies outside the support of the {title}, {support}.")
    return values
