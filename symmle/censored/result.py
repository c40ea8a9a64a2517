"""What ``symmle.mle(family, data=t, observed=e)`` returns: the censored derivation with its
checks, observed information, standard errors and Wald intervals."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from symmle.censored.checks import censored_checks
from symmle.censored.profile import censored_intervals
from symmle.checks import Check, compare
from symmle.data import sample
from symmle.derive.censored.numeric import Split
from symmle.derive.censored.optimum import hessian
from symmle.derive.censored.sample import (
    CensoredSample,
    censored_general,
    censored_sample,
    example,
    require_survival,
)
from symmle.derive.censored.steps import derive_censored_data, derive_censored_general
from symmle.derive.derivation import Derivation
from symmle.derive.exact import floats
from symmle.derive.step import Step
from symmle.errors import OptionError, RegularityError
from symmle.families import Distribution
from symmle.inference.wald import LikelihoodRatio
from symmle.numeric.covariance import covariance
from symmle.numeric.quantiles import normal_quantile
from symmle.results import Result


@dataclass(frozen=True)
class CensoredResult(Result):
    """A derivation of the MLE from right-censored data (or for a censored sample of symbolic
    size n), with its checks and inference: a ``Result`` whose information is the observed
    one (the Fisher information would need the law of the censoring times)."""

    @classmethod
    def of(cls, derivation: Derivation) -> CensoredResult:
        return cls(**derivation.fields())  # type: ignore[arg-type]

    @property
    def observed(self) -> tuple[bool, ...] | None:
        """The event indicators (None for general n)."""
        return None if self.data is None else self.censored.events

    @property
    def censored(self) -> CensoredSample:
        if not isinstance(self.data, CensoredSample):
            raise OptionError("this derivation is for general n: give data for numbers.")
        return self.data

    @cached_property
    def split(self) -> Split:
        data = self.censored
        seen = [t for t, e in data.pairs() if e]
        return Split(floats(seen), floats([t for t, e in data.pairs() if not e]))

    def estimate_values(self) -> dict[str, float] | None:
        if self.data is None:
            return None
        return {name: float(v) for name, v in self.estimate.items()}

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        """Numeric checks against scipy.stats and scipy.optimize (for general n: on the
        censored worked example, with the general solution put in)."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if self.data is not None:
                values = self.estimate_values()
                assert values is not None
                return censored_checks(self.general, self.split, values)
            worked = censored_derivation(self.family, example(self.family))
            found = worked.checks
            if self.estimate:
                found += (general_check(self, worked),)
            return found

    @cached_property
    def observed_information(self) -> sp.Matrix:
        """The observed information −∂²ℓ/∂θ∂θᵀ: in the statistics for general n, its value at
        the estimate with data (the Fisher information would need the censoring law)."""
        if self.data is None:
            return (-self.general.hessian).applyfunc(self.general.form.as_sums)
        values = self.estimate_values()
        assert values is not None
        at = {p.symbol: values[p.name] for p in self.family.parameters}
        return sp.Matrix(-hessian(self.general, self.split, at))

    @property
    def covariance(self) -> np.ndarray:
        matrix = np.array(self.observed_information.tolist(), float)
        if not np.all(np.linalg.eigvalsh(matrix) > 0):
            raise RegularityError("the observed information is not positive definite here.")
        return covariance(matrix)

    @property
    def standard_errors(self) -> dict[str, float]:
        """SE(θ̂ⱼ) = √[J(θ̂)⁻¹]ⱼⱼ from the observed information (needs data)."""
        covariance = self.covariance
        return {
            p.name: float(np.sqrt(covariance[k, k])) for k, p in enumerate(self.family.parameters)
        }

    @property
    def observed_standard_errors(self) -> dict[str, float]:
        return self.standard_errors

    @property
    def fisher(self) -> sp.Matrix:
        raise RegularityError(NO_FISHER)

    @cached_property
    def inference_steps(self) -> tuple[Step, ...]:
        return (self.steps[-1],)

    def likelihood_ratio(self, **null: object) -> LikelihoodRatio:
        raise OptionError("likelihood-ratio tests are not available for censored data yet.")

    def interval(
        self, level: float = 0.95, observed: bool = True, method: str = "wald"
    ) -> dict[str, tuple[float, float]]:
        """Wald intervals θ̂ ± z·SE from the observed information, or with
        ``method="profile"`` profile-likelihood intervals (needs data)."""
        if self.data is None:
            raise OptionError("intervals need data: pass data=[…] with observed=[…].")
        if method == "profile":
            return censored_intervals(self, level)
        if method != "wald":
            raise OptionError(f"the interval's method is 'wald' or 'profile', not {method!r}.")
        if not 0 < level < 1:
            raise OptionError(f"the level must lie between 0 and 1, not {level!r}.")
        z = normal_quantile((1 + level) / 2)
        values = self.estimate_values() or {}
        return {
            name: (values[name] - z * se, values[name] + z * se)
            for name, se in self.standard_errors.items()
        }


NO_FISHER = (
    "the Fisher information of censored data needs the law of the censoring times; "
    "observed_information holds the observed information −ℓ''(θ̂)."
)


def general_check(general: CensoredResult, worked: CensoredResult) -> Check:
    """The general solution with the example's statistics put in, against the example's
    estimate."""
    values = general.general.form.values(worked.censored)
    names = list(general.estimate)
    solution = general.general.solution
    got = [float(solution[general.family.parameter(k).symbol].subs(values)) for k in names]
    expected = [float(worked.estimate[k]) for k in names]
    return compare("general solution at the worked example", got, expected, 1e-12)


def censored_derivation(family: Distribution, data: CensoredSample) -> CensoredResult:
    return CensoredResult.of(derive_censored_data(censored_general(family), data))


def censored_mle(
    family: Distribution, data: Iterable[object] | None, observed: object
) -> CensoredResult:
    """The censored pipeline: check the family and data, derive (for general n: no data and
    ``observed=True``)."""
    require_survival(family)
    if data is None:
        if observed is not True:
            raise OptionError(
                "observed= needs data=; for a censored sample of symbolic size n give "
                "observed=True."
            )
        return CensoredResult.of(derive_censored_general(censored_general(family)))
    times = sample(data, family.data_support, family.title)
    return censored_derivation(family, censored_sample(times, observed, family))
