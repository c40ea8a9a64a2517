"""Rows as the CLI takes them: ``--data "0,0;1,2;2,1"`` or a CSV file of k columns, one row
a line, with or without a first line of column names."""

from __future__ import annotations

import io

import numpy as np

from symmle.data import parse_value, rows_of
from symmle.derive.vector.derivation import Rows
from symmle.errors import DataError


def parse_rows(text: str) -> Rows:
    """Rows separated by ';' or new lines, values by commas (or spaces in a file); a first
    line of names (no number in it) is skipped."""
    lines = [line for line in text.replace(";", "\n").splitlines() if line.strip()]
    if lines and not any(is_number(cell) for cell in cells(lines[0])):
        lines = lines[1:]
    if not lines:
        raise DataError("the data hold no rows; give rows such as 0,0;1,2;2,1.")
    return rows_of([cells(line) for line in lines])


def cells(line: str) -> list[str]:
    return line.split(",") if "," in line else line.split()


def is_number(cell: str) -> bool:
    try:
        parse_value(cell)
    except DataError:
        return False
    return True


def float_rows(text: str) -> np.ndarray:
    """A CSV of rows as a float (n, k) array, read by NumPy, for ``symmle fit``; a malformed
    file gets the exact reader's message."""
    lines = text.lstrip().splitlines()
    header = int(bool(lines) and not any(is_number(cell) for cell in cells(lines[0])))
    if len(lines) <= header:
        parse_rows(text)  # raises: no rows
    delimiter = "," if "," in lines[-1] else None
    try:
        found = np.loadtxt(io.StringIO(text), delimiter=delimiter, skiprows=header, ndmin=2)
    except ValueError:
        parse_rows(text)  # raises the message that names the row
        raise DataError("the data file is not a table of numbers.") from None
    if not np.all(np.isfinite(found)):
        raise DataError("the data file holds a value that is not finite; every value must be.")
    return np.asarray(found, dtype=float)
