"""What ``symmle.mle`` returns: a derivation with its numeric checks, its inference (Fisher
information, standard errors, intervals, the likelihood-ratio test) and its output formats."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from symmle.checks import Check, check_mle
from symmle.derive.derivation import Derivation
from symmle.derive.step import Step
from symmle.display import Displayed
from symmle.errors import OptionError, RegularityError
from symmle.inference.fisher import NO_MIXTURE_INFORMATION, Information, budgeted_information
from symmle.inference.profile import profile_intervals
from symmle.inference.steps import inference_steps
from symmle.inference.wald import (
    LikelihoodRatio,
    interval,
    likelihood_ratio,
    observed_standard_errors,
    standard_errors,
)


@dataclass(frozen=True)
class Result(Derivation, Displayed):
    """A derivation of the MLE of one family, for concrete data or for general n, with its
    checks and inference."""

    @classmethod
    def of(cls, derivation: Derivation) -> Result:
        return cls(**derivation.fields())  # type: ignore[arg-type]

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

    @cached_property
    def information(self) -> Information:
        """The Fisher information of one observation, derived as steps (a user formula's under
        FORMULA_WITHIN)."""
        if self.method == "EM":
            return Information(self.family, (), None, None, (), NO_MIXTURE_INFORMATION)
        return budgeted_information(self.family)

    @property
    def fisher(self) -> sp.Matrix:
        """I(θ) per observation over the parameters that have information."""
        if self.information.matrix is None:
            raise RegularityError(self.information.reason)
        return self.information.matrix

    @cached_property
    def inference_steps(self) -> tuple[Step, ...]:
        """Information, bound and (with data) standard errors and intervals."""
        return inference_steps(self)

    @property
    def standard_errors(self) -> dict[str, float]:
        """SE(θ̂ⱼ) = √([I(θ̂)⁻¹]ⱼⱼ/n), from the expected information (needs data)."""
        return standard_errors(self)

    @property
    def observed_standard_errors(self) -> dict[str, float]:
        """SE from the observed information −ℓ''(θ̂) (needs data)."""
        return observed_standard_errors(self)

    def interval(
        self, level: float = 0.95, observed: bool = False, method: str = "wald"
    ) -> dict[str, tuple[float, float]]:
        """Wald intervals θ̂ ± z·SE, or with ``method="profile"`` profile-likelihood intervals
        {θⱼ : 2(ℓ̂ − ℓₚ(θⱼ)) ≤ χ²₁,₁₋α} (needs data)."""
        if self.method == "EM":
            raise RegularityError(NO_MIXTURE_INFORMATION)
        if method == "profile":
            if level not in self.found_profiles:  # each end is many constrained fits
                self.found_profiles[level] = profile_intervals(self, level)
            return dict(self.found_profiles[level])
        if method != "wald":
            raise OptionError(f"the interval's method is 'wald' or 'profile', not {method!r}.")
        return interval(self, level, observed)

    @cached_property
    def found_profiles(self) -> dict[float, dict[str, tuple[float, float]]]:
        """The profile-likelihood intervals found so far, by level."""
        return {}

    def likelihood_ratio(self, **null: object) -> LikelihoodRatio:
        """The likelihood-ratio test of parameters fixed at values, e.g. theta=0.5."""
        return likelihood_ratio(self, null)
