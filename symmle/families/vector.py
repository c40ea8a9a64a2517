"""Families of vector observations: each row of an (n, k) table is one observation. The
entries are data, as the scalar families' are: name, parameters, method, the check of a row's
support and a worked example; the derivations live in symmle.derive.vector."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from symmle.errors import DataError, OptionError

SIMPLEX_TOLERANCE = 1e-9
"""A Dirichlet row sums to one within this (floats such as 1/3 written as 0.3333333333333333)."""


@dataclass(frozen=True)
class VectorFamily:
    """One family of k-vector observations (k is the data's number of columns)."""

    name: str
    title: str
    method: str
    names: Callable[[int], tuple[str, ...]]
    """The parameters' names for k columns."""
    meaning: str
    """The parameters in words, for ``symmle list``."""
    require_rows: Callable[[VectorFamily, Any, int], None]
    """Refuse a float (n, k) array outside the support, with one clear sentence (its rows
    numbered from the offset + 1)."""
    example: tuple[tuple[int | str, ...], ...]
    known: tuple[tuple[str, int], ...] = ()
    """The known values given, by name."""
    constants: tuple[str, ...] = ()
    """Known parameters the family takes (the Multinomial's trials per row m)."""

    def fix(self, known: Mapping[str, object] | None) -> VectorFamily:
        """The family with known values (only its constants; whole numbers)."""
        if not known:
            return self
        unknown = set(known) - set(self.constants)
        if unknown:
            raise OptionError(
                f"the {self.title} has no known parameter {sorted(unknown)[0]!r}"
                + (f"; it takes {', '.join(self.constants)}." if self.constants else ".")
            )
        return replace(self, known=tuple((k, whole(k, v)) for k, v in known.items()))

    def constant(self, name: str) -> int | None:
        return dict(self.known).get(name)

    def check(self, X: Any, offset: int = 0) -> None:
        """Refuse a float (n, k) array outside the support; ``X`` may be a block of the data
        that starts after ``offset`` rows."""
        self.require_rows(self, X, offset)


def whole(name: str, value: object) -> int:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if not (number.is_integer() and 1 <= number < 2**53):
        raise OptionError(f"the known {name} must be a whole number ≥ 1, not {value!r}.")
    return int(number)


def indexed(base: str) -> Callable[[int], tuple[str, ...]]:
    return lambda k: tuple(f"{base}_{j}" for j in range(1, k + 1))


def first_row(mask: Any) -> int:
    """The index of the first row where ``mask`` holds."""
    return int(np.argmax(mask))


def real_rows(family: VectorFamily, X: Any, offset: int = 0) -> None:
    """Any real rows of two columns or more (a Normal of one column is the scalar normal)."""
    if X.shape[1] < 2:
        raise DataError(f"the {family.title} needs rows of k ≥ 2 values; use 'normal' for k = 1.")


def count_rows(family: VectorFamily, X: Any, offset: int = 0) -> None:
    """Rows of non-negative whole counts, each summing to the known m (or all to one total)."""
    bad = (X < 0) | (np.floor(X) != X)
    if bad.any():
        row = first_row(bad.any(axis=1))
        raise DataError(
            f"row {offset + row + 1} of the {family.title}'s counts is not whole and ≥ 0."
        )
    totals = X.sum(axis=1)
    m = family.constant("m")
    expected = totals[0] if m is None else m
    off = totals != expected
    if off.any():
        row = first_row(off)
        raise DataError(
            f"row {offset + row + 1} sums to {totals[row]:g}, not m = {expected:g}: every row of a "
            f"{family.title} sample counts the same number m of trials."
        )
    if expected < 1:
        raise DataError("the rows count no trials: m must be at least 1.")


def simplex_rows(family: VectorFamily, X: Any, offset: int = 0) -> None:
    """Rows of positive values summing to one."""
    if X.shape[1] < 2:
        raise DataError(f"the {family.title} needs rows of k ≥ 2 proportions.")
    outside = (X <= 0) | (X >= 1)
    if outside.any():
        row = first_row(outside.any(axis=1))
        raise DataError(
            f"row {offset + row + 1} has a value outside (0, 1): every value of a "
            f"{family.title} row is a proportion strictly between 0 and 1."
        )
    off = np.abs(X.sum(axis=1) - 1) > SIMPLEX_TOLERANCE
    if off.any():
        row = first_row(off)
        raise DataError(
            f"row {offset + row + 1} sums to {X[row].sum():.12g}, not 1: a {family.title} row "
            "lies on the simplex (its proportions sum to one)."
        )


MULTIVARIATE_NORMAL = VectorFamily(
    name="multivariate_normal",
    title="multivariate Normal distribution",
    method="closed form",
    names=lambda k: ("mu", "Sigma"),
    meaning="mu, Sigma",
    require_rows=real_rows,
    example=((0, 0), (1, 2), (2, 1)),
)
MULTINOMIAL = VectorFamily(
    name="multinomial",
    title="Multinomial distribution",
    method="constrained",
    names=indexed("p"),
    meaning="p_1..p_k [m known]",
    require_rows=count_rows,
    example=((3, 1, 1), (2, 2, 1), (4, 0, 1), (3, 1, 1)),
    constants=("m",),
)
DIRICHLET = VectorFamily(
    name="dirichlet",
    title="Dirichlet distribution",
    method="numeric",
    names=indexed("alpha"),
    meaning="alpha_1..alpha_k",
    require_rows=simplex_rows,
    example=(
        ("1/2", "1/4", "1/4"),
        ("1/5", "1/2", "3/10"),
        ("3/5", "1/5", "1/5"),
        ("1/4", "1/4", "1/2"),
        ("2/5", "2/5", "1/5"),
    ),
)

FAMILIES = (MULTIVARIATE_NORMAL, MULTINOMIAL, DIRICHLET)
VECTOR = {f.name: f for f in FAMILIES}


def vector_family(name: object, known: Mapping[str, object] | None = None) -> VectorFamily | None:
    """The vector family called ``name`` with its known values, or None if it is not one."""
    family = VECTOR.get(name.strip().lower()) if isinstance(name, str) else None
    return None if family is None else family.fix(known)
