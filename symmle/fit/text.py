"""A sample as text (a file or standard input): one value per line, or comma-separated."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from symmle.data import parse_value, read_text, token
from symmle.derive.compiled import Array
from symmle.errors import DataError

MISSING = re.compile(r"(^|,)[ \t]*(,|$)", re.MULTILINE)
"""An empty entry: a comma at the start or end of a line, or two commas in a row."""


def read_values(text: str) -> Array:
    """The numbers in ``text`` as a float64 array, written as `derive` reads them (integers,
    decimals, fractions like 1/3); NaN and infinity are left to the checks."""
    missing = next((m for m in MISSING.finditer(text) if "," in m.group(0)), None)
    if missing is not None:
        line = text.count("\n", 0, missing.start()) + 1
        raise DataError(f"a value is missing: line {line} of the data has an empty entry.")
    tokens = text.replace(",", " ").split()
    if not tokens:
        raise DataError("the data are empty; give at least one value.")
    try:
        values = np.array(tokens, dtype=np.float64)
    except ValueError:  # a fraction (1/3) or a mistake: read as derive reads it
        values = np.array([float(t) if is_number(t) else float(parse_value(t)) for t in tokens])
    check_range(values, tokens)
    return values


NONZERO = re.compile(r"^[^eE]*[1-9]")
"""A written number whose mantissa has a digit other than 0: it is not zero."""


def check_range(values: Array, tokens: list[str]) -> None:
    """A written value that float64 turns into 0 (1e-400) or into ±∞ (1e400) is refused, not
    silently changed; NaN and inf written as such are left to the checks."""
    for at in np.flatnonzero((values == 0) | np.isinf(values)):
        written = tokens[at]
        if values[at] == 0 and NONZERO.match(written):
            raise DataError(f"{token(written)} is too small for a 64-bit float (it reads as 0).")
        if np.isinf(values[at]) and "inf" not in written.lower():
            raise DataError(f"{token(written)} is too large for a 64-bit float.")


EXACT_DIGITS = 15
"""A decimal of at most this many significant digits is the shortest decimal of its float."""


def exact_floats(text: str) -> Array | None:
    """The values of ``text`` as floats when each float stands exactly for the value written
    (plain numbers of at most 15 significant digits), so that the exact derivation may read
    them vectorised; None otherwise (fractions like 1/3, longer decimals, a malformed value)."""
    tokens = text.replace(",", " ").split()
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


def is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def read_file(path: str) -> Array:
    """The values in the file at ``path`` (``-``: standard input)."""
    return read_values(read_text(path))
