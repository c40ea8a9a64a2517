"""A derivation of the MLE as plain data: the family, the data, the estimate, the steps, the
log-likelihood, the method and the general-n derivation it came from. Checks, inference and
output are added on top, by ``symmle.results.Result``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from fractions import Fraction

import sympy as sp

from symmle.derive.general import General
from symmle.derive.step import Step
from symmle.families import Distribution


@dataclass(frozen=True)
class Derivation:
    """A derivation of the MLE of one family, for concrete data or for general n."""

    family: Distribution
    data: Sequence[Fraction] | None
    estimate: dict[str, sp.Expr]
    steps: tuple[Step, ...]
    log_likelihood: sp.Expr
    method: str
    general: General

    def fields(self) -> dict[str, object]:
        """Every field by name (what a subclass is built from)."""
        return {f.name: getattr(self, f.name) for f in fields(Derivation)}

    def step(self, kind: str) -> Step:
        """The first step of a kind."""
        return next(s for s in self.steps if s.kind == kind)
