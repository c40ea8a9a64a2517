"""A regression's data from a CSV file with a header row: the target column and the others as
features, with an intercept column first (as statsmodels' add_constant)."""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from symmle.data import token
from symmle.errors import DataError
from symmle.files import read_text
from symmle.models.model import Array

INTERCEPT = "intercept"


def number(text: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(
            f"row {row}, column {token(column)!r}: {token(text)!r} is not a number."
        ) from None
    if not math.isfinite(value):
        raise DataError(f"row {row}, column {token(column)!r}: {token(text)!r} is not finite.")
    return value


def columns(header: list[str], shown: int = 8) -> str:
    """The header's names, each cut to a short token, at most ``shown`` of them."""
    names = ", ".join(repr(token(name)) for name in header[:shown])
    return names + (f" and {len(header) - shown} more" if len(header) > shown else "")


def check_header(header: list[str], path: str) -> None:
    """Every column named, once, and none named as the intercept symmle adds."""
    seen: set[str] = set()
    for name in header:
        if not name:
            raise DataError(f"{path} has a column without a name in its header row.")
        if name in seen:
            raise DataError(f"{path} names the column {token(name)!r} twice: name each once.")
        if name == INTERCEPT:
            raise DataError(
                f"{path} has a column named {INTERCEPT!r}, the name of the intercept symmle "
                "adds: rename it."
            )
        seen.add(name)


def read_csv(path: str, target: str) -> tuple[Array, Array, list[str]]:
    """X (intercept first, then every column but the target), y, and the columns' names."""
    rows = [r for r in csv.reader(io.StringIO(read_text(path))) if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise DataError(f"{path} needs a header row and at least one row of data.")
    header = [c.strip() for c in rows[0]]
    check_header(header, path)
    if target not in header:
        raise DataError(
            f"{path} has no column {token(target)!r}; its columns are: {columns(header)}."
        )
    table = []
    for k, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataError(f"row {k} of {path} has {len(row)} values for {len(header)} columns.")
        table.append([number(c.strip(), k, name) for c, name in zip(row, header, strict=True)])
    values = np.array(table)
    at = header.index(target)
    features = [name for name in header if name != target]
    X = np.column_stack([np.ones(len(values)), np.delete(values, at, axis=1)])
    return X, values[:, at], [INTERCEPT, *features]
