"""A sample as text (a file or standard input): one value per line, or comma-separated."""

from __future__ import annotations

import re

import numpy as np

from symmle.data import exact_values, parse_value, token
from symmle.derive.compiled import Array
from symmle.errors import DataError
from symmle.files import read_text

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


def exact_floats(text: str) -> Array | None:
    """The values of ``text`` (commas or white space between) as ``exact_values`` reads them:
    floats that stand exactly for the decimals written, or None."""
    return exact_values(text.replace(",", " ").split())


def is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def read_file(path: str) -> Array:
    """The values in the file at ``path`` (``-``: standard input)."""
    return read_values(read_text(path))
