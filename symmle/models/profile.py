"""Profile likelihoods of a fitted regression. For a weight wⱼ, ℓₚ(wⱼ) is ℓ maximised over the
other weights (and σ) with wⱼ held: each point a constrained fit by the model's own engine —
the normal equations on the other columns with wⱼxⱼ taken from y, or Newton's method on the
other weights with wⱼxⱼ as an offset. For the linear model's σ, ℓ at the least-squares
weights, which do not depend on σ. The intervals are found as a family's are
(symmle.inference.profile), as R's ``confint`` on a ``glm``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from symmle.errors import OptionError
from symmle.inference.profile import HUGE, Profile
from symmle.losses.functions import compile_numpy
from symmle.models.fit import Compiled, compile_model, normal_equations, numeric_form
from symmle.models.model import Array, Fit, eta
from symmle.numeric.newton import maximise
from symmle.symbols import value as target

if TYPE_CHECKING:
    from symmle.models.base import RegressionResult

LogLikelihood = Callable[[Array, dict[str, float]], float]
"""ℓ at the weights w and the nuisance parameters by name."""


def fitted(result: RegressionResult) -> Fit:
    if result.fit is None:
        raise OptionError("intervals need data: pass X and y to fit the model.")
    return result.fit


def log_likelihood(result: RegressionResult) -> LogLikelihood:
    """ℓ(w, nuisance) from the derivation's NLL, the nuisance parameters kept as arguments."""
    fit, nuisance = fitted(result), result.model.nuisance
    nll = compile_numpy([target, eta, *nuisance], numeric_form(result.nll))

    def at(w: Array, others: dict[str, float]) -> float:
        found = float(np.sum(nll(fit.y, fit.X @ w, *(others[s.name] for s in nuisance))))
        return -found if np.isfinite(found) else -HUGE

    return at


def dispersion_errors(fit: Fit) -> dict[str, float]:
    """SE(σ̂) = σ̂/√(2n): the inverse of the information 2n/σ̂² in σ at the MLE."""
    return {name: float(v / np.sqrt(2 * len(fit.y))) for name, v in fit.nuisance.items()}


def least_squares_profile(fit: Fit, j: int, ell: LogLikelihood) -> Callable[[float], float]:
    """ℓₚ(wⱼ): least squares of y − wⱼxⱼ on the other columns, σ̂² = RSS/n of what is left."""
    others = np.delete(fit.X, j, axis=1)

    def at(value: float) -> float:
        offset = fit.y - value * fit.X[:, j]
        if others.shape[1] == 0:
            rest, sigma = np.empty(0), float(np.sqrt(np.mean(offset**2)))
        else:
            rest, sigma = normal_equations(others, offset)
        return ell(np.insert(rest, j, value), {"sigma": sigma})

    return at


def newton_profile(fit: Fit, j: int, compiled: Compiled) -> Callable[[float], float]:
    """ℓₚ(wⱼ): Newton's method on the other weights, wⱼxⱼ an offset, from the nearest point
    already solved (the estimate's other weights at first)."""
    keep = np.arange(fit.X.shape[1]) != j
    nearest = {float(fit.weights[j]): fit.weights[keep]}

    def at(value: float) -> float:
        def objective(u: Array) -> Array:
            f, g, hessian = compiled.derivatives(fit.X, fit.y, np.insert(u, j, value))
            return np.concatenate([[-f], -g[keep], -hessian[np.ix_(keep, keep)].ravel()])

        if not keep.any():
            return -compiled.value(fit.X, fit.y, np.array([value]))
        start = nearest[min(nearest, key=lambda v: abs(v - value))]
        rest, history = maximise(objective, start)
        nearest[value] = rest
        return history[-1].log_likelihood

    return at


def finite(scale: float) -> float | None:
    return scale if np.isfinite(scale) and scale > 0 else None


def weight_profiles(result: RegressionResult, ell: LogLikelihood) -> dict[str, Profile]:
    fit = fitted(result)
    top = ell(fit.weights, fit.nuisance)
    compiled = None if result.model.nuisance else compile_model(result.nll)
    curves = {}
    for j, name in enumerate(fit.names):
        curve = (
            least_squares_profile(fit, j, ell)
            if compiled is None
            else newton_profile(fit, j, compiled)
        )
        scale = finite(float(fit.standard_errors[j]))
        curves[name] = Profile(float(fit.weights[j]), top, curve, -np.inf, np.inf, scale)
    return curves


def dispersion_profile(fit: Fit, name: str, ell: LogLikelihood) -> Callable[[float], float]:
    """ℓₚ(σ): ℓ at the least-squares weights, which maximise ℓ whatever σ."""

    def at(value: float) -> float:
        return ell(fit.weights, {**fit.nuisance, name: value})

    return at


def dispersion_profiles(result: RegressionResult, ell: LogLikelihood) -> dict[str, Profile]:
    fit = fitted(result)
    top = ell(fit.weights, fit.nuisance)
    errors = dispersion_errors(fit)
    return {
        name: Profile(
            estimate, top, dispersion_profile(fit, name, ell), 0.0, np.inf, finite(errors[name])
        )
        for name, estimate in fit.nuisance.items()
    }


def regression_profiles(result: RegressionResult) -> dict[str, Profile]:
    """The profile of each weight, then of each nuisance parameter (the linear model's σ)."""
    ell = log_likelihood(result)
    return {**weight_profiles(result, ell), **dispersion_profiles(result, ell)}
