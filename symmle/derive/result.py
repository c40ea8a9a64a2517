"""What ``symmle.mle`` returns: the estimate, the steps, and the numeric checks."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import sympy as sp

from symmle.checks import Check, check_mle
from symmle.derive.general import General
from symmle.derive.step import Step
from symmle.families import Distribution


@dataclass(frozen=True)
class Result:
    """A derivation of the MLE of one family, for concrete data or for general n."""

    family: Distribution
    data: Sequence[Fraction] | None
    estimate: dict[str, sp.Expr]
    steps: tuple[Step, ...]
    log_likelihood: sp.Expr
    method: str
    general: General

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        """Numeric checks of every result against an independent route. An overflow shows as
        a failed check, not as a warning."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return check_mle(self.general, self.data, self.estimate_values())

    def estimate_values(self) -> dict[str, float] | None:
        """The estimate as floats (None for a general-n derivation)."""
        if self.data is None:
            return None
        return {name: float(val) for name, val in self.estimate.items()}

    def step(self, kind: str) -> Step:
        """The first step of a kind."""
        return next(s for s in self.steps if s.kind == kind)
