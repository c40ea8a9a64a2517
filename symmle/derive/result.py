"""What ``symmle.mle`` returns: the estimate, the steps, and the numeric checks."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from symmle.checks import Check, check_mle
from symmle.derive.general import General
from symmle.derive.step import Step
from symmle.display import Displayed
from symmle.errors import RegularityError
from symmle.families import Distribution

if TYPE_CHECKING:
    from symmle.inference.fisher import Information
    from symmle.inference.wald import LikelihoodRatio


@dataclass(frozen=True)
class Result(Displayed):
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

    @cached_property
    def information(self) -> Information:
        """The Fisher information of one observation, derived as steps."""
        from symmle.inference.fisher import information

        return information(self.family)

    @property
    def fisher(self) -> sp.Matrix:
        """I(θ) per observation over the parameters that have information."""
        if self.information.matrix is None:
            raise RegularityError(self.information.reason)
        return self.information.matrix

    @cached_property
    def inference_steps(self) -> tuple[Step, ...]:
        """Information, bound and (with data) standard errors and intervals."""
        from symmle.inference.steps import inference_steps

        return inference_steps(self)

    @property
    def standard_errors(self) -> dict[str, float]:
        """SE(θ̂ⱼ) = √([I(θ̂)⁻¹]ⱼⱼ/n), from the expected information (needs data)."""
        from symmle.inference.wald import standard_errors

        return standard_errors(self)

    @property
    def observed_standard_errors(self) -> dict[str, float]:
        """SE from the observed information −ℓ''(θ̂) (needs data)."""
        from symmle.inference.wald import observed_standard_errors

        return observed_standard_errors(self)

    def interval(
        self, level: float = 0.95, observed: bool = False
    ) -> dict[str, tuple[float, float]]:
        """Wald intervals θ̂ ± z·SE (needs data)."""
        from symmle.inference.wald import interval

        return interval(self, level, observed)

    def likelihood_ratio(self, **null: object) -> LikelihoodRatio:
        """The likelihood-ratio test of parameters fixed at values, e.g. theta=0.5."""
        from symmle.inference.wald import likelihood_ratio

        return likelihood_ratio(self, null)
