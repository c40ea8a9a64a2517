"""A fitted regression's intervals for its weights and its dispersion (the linear model's σ):
Wald, ŵⱼ ± z·SE, or profile-likelihood, {wⱼ : 2(ℓ̂ − ℓₚ(wⱼ)) ≤ χ²₁,₁₋α}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from symmle.errors import ConvergenceError, OptionError
from symmle.inference.profile import check_level, intervals_of
from symmle.models.profile import dispersion_errors, fitted, regression_profiles
from symmle.numeric.quantiles import normal_quantile

if TYPE_CHECKING:
    from symmle.models.base import RegressionResult

Intervals = dict[str, tuple[float, float]]


def standard_errors(result: RegressionResult) -> dict[str, float]:
    """The weights' from the inverse Hessian, then σ̂/√(2n) for the linear model's σ."""
    fit = fitted(result)
    weights = dict(zip(fit.names, map(float, fit.standard_errors), strict=True))
    return {**weights, **dispersion_errors(fit)}


def estimates(result: RegressionResult) -> dict[str, float]:
    fit = fitted(result)
    return {**dict(zip(fit.names, map(float, fit.weights), strict=True)), **fit.nuisance}


def wald(result: RegressionResult, level: float = 0.95) -> Intervals:
    """θ̂ ± z·SE, z the (1 + level)/2 normal quantile."""
    z = normal_quantile((1 + check_level(level)) / 2)
    found = estimates(result)
    return {
        name: (found[name] - z * se, found[name] + z * se)
        for name, se in standard_errors(result).items()
    }


def intervals(result: RegressionResult, level: float = 0.95, method: str = "wald") -> Intervals:
    if method == "profile":
        return intervals_of(lambda: regression_profiles(result), level)
    if method != "wald":
        raise OptionError(f"the interval's method is 'wald' or 'profile', not {method!r}.")
    return wald(result, level)


def profiled(result: RegressionResult) -> Intervals:
    """The 95% profile-likelihood intervals; none where a constrained fit does not converge."""
    try:
        return intervals(result, method="profile")
    except ConvergenceError:
        return {}


def inference_summary(result: RegressionResult) -> dict[str, Any]:
    """With data: the 95% Wald and profile-likelihood intervals, as JSON lists."""
    if result.fit is None:
        return {}
    return {
        "intervals": {k: list(v) for k, v in intervals(result).items()},
        "profile_intervals": {k: list(v) for k, v in profiled(result).items()},
    }
