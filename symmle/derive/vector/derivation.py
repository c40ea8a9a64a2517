"""A derivation for vector observations as plain data, like the scalar ``Derivation``: the
family, the rows, the estimate (SymPy matrices or expressions), the steps, the
log-likelihood and the method."""

from __future__ import annotations

from dataclasses import dataclass, fields
from fractions import Fraction

import sympy as sp

from symmle.derive.step import Step
from symmle.families.vector import VectorFamily

Rows = tuple[tuple[Fraction, ...], ...]


@dataclass(frozen=True)
class VectorDerivation:
    """A derivation of the MLE from rows (``data``), or for n rows of symbolic size k."""

    family: VectorFamily
    data: Rows | None
    estimate: dict[str, sp.Basic]
    steps: tuple[Step, ...]
    log_likelihood: sp.Expr
    """ℓ in the parameters; with data, in the data's statistics."""
    method: str
    parameters: tuple[sp.Basic, ...]
    """The symbols (or matrix symbols) ``log_likelihood`` is a function of, in ``estimate``'s
    order."""

    def fields(self) -> dict[str, object]:
        """Every field by name (what a subclass is built from)."""
        return {f.name: getattr(self, f.name) for f in fields(VectorDerivation)}

    @property
    def size(self) -> int:
        """n, the number of rows (with data)."""
        assert self.data is not None
        return len(self.data)

    @property
    def columns(self) -> int:
        assert self.data is not None
        return len(self.data[0])


def matrix_of(rows: Rows) -> sp.Matrix:
    """The rows as an exact SymPy matrix."""
    return sp.Matrix([[sp.Rational(v.numerator, v.denominator) for v in row] for row in rows])
