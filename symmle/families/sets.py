"""Parameter domains and supports written by a user: intervals such as "(0, oo)", "[0, 1]" or
"[0, theta]" (an end may be a parameter), and for a pmf sets of integers such as "{0, 1}",
"{0, 1, 2, ...}" or "{1, ..., 6}"."""

from __future__ import annotations

import re
from collections.abc import Mapping

import sympy as sp

from symmle.data import parse_value, rational, short
from symmle.errors import DataError, FormulaError

INFINITE = {"oo": sp.oo, "+oo": sp.oo, "inf": sp.oo, "∞": sp.oo, "-oo": -sp.oo, "-inf": -sp.oo}
INTERVAL = re.compile(r"\s*([\[(])([^,]*),([^,]*)([\])])\s*")
INTEGERS = re.compile(r"\s*\{(.*)\}\s*")
DOTS = ("...", "…")


def end(text: str, names: Mapping[str, sp.Symbol], where: str) -> sp.Expr:
    """One end of an interval: a number, ±oo, or one of ``names``."""
    written = text.strip()
    if written in INFINITE:
        return INFINITE[written]
    if written in names:
        return names[written]
    try:
        return rational(parse_value(written))
    except DataError:
        allowed = " or a parameter" if names else ""
        raise FormulaError(
            f"cannot read the {where}: {short(written)!r} is not a number, oo{allowed}."
        ) from None


def interval(text: object, names: Mapping[str, sp.Symbol] = {}, where: str = "domain") -> sp.Set:
    """An interval such as "(0, oo)" or "[0, theta]"; an infinite end is always open."""
    if isinstance(text, sp.Interval):
        return text
    match = INTERVAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise FormulaError(
            f"cannot read the {where} {short(str(text))!r}: write an interval such as "
            "(0, oo), [0, 1] or (-oo, oo)."
        )
    low, high = end(match[2], names, where), end(match[3], names, where)
    if low == sp.oo or high == -sp.oo or (low.is_number and high.is_number and low >= high):
        raise FormulaError(f"the {where} {short(str(text))!r} is empty: its ends are reversed.")
    return sp.Interval(low, high, match[1] == "(" or low.is_infinite, match[4] == ")")


def integers(text: object, where: str = "support") -> sp.Set:
    """A set of integers: "{0, 1}", "{0, 1, 2, ...}", "{1, ..., 6}" or an interval's integers."""
    if isinstance(text, sp.Set):
        return text
    match = INTEGERS.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return _integers_in(interval(text, where=where), text)  # type: ignore[arg-type]
    items = [item.strip() for item in match[1].split(",")]
    numbers = [_integer(item, text) for item in items if item not in DOTS]  # type: ignore[arg-type]
    if not numbers:
        raise FormulaError(f"the {where} {short(str(text))!r} holds no number.")
    if items[-1] in DOTS:
        return sp.Range(numbers[0], sp.oo)
    if any(item in DOTS for item in items):
        return sp.Range(numbers[0], numbers[-1] + 1)
    return sp.FiniteSet(*sorted(set(numbers)))


def _integer(item: str, text: str) -> int:
    try:
        number = parse_value(item)
    except DataError:
        number = None
    if number is None or number.denominator != 1:
        raise FormulaError(
            f"cannot read the support {short(text)!r}: {short(item)!r} is not an integer "
            "(a pmf's support is a set of integers such as {0, 1, 2, ...})."
        )
    return int(number)


def _integers_in(found: sp.Set, text: str) -> sp.Set:
    """The integers of an interval with numeric ends, as a Range."""
    low, high = found.inf, found.sup
    if not (low.is_number and high.is_number):
        raise FormulaError(f"the support {short(text)!r} of a pmf must have numeric ends.")
    if low.is_infinite:
        raise FormulaError(f"the support {short(text)!r} of a pmf must start at an integer.")
    first = sp.ceiling(low) + (1 if found.left_open and low.is_integer else 0)
    if high.is_infinite:
        return sp.Range(first, sp.oo)
    last = sp.floor(high) - (1 if found.right_open and high.is_integer else 0)
    if last < first:
        raise FormulaError(f"the support {short(text)!r} of a pmf holds no integer.")
    return sp.Range(first, last + 1)
