"""Profile-likelihood intervals from right-censored data: ℓₚ(θⱼ) maximises the censored
log-likelihood (f over the events, S over the censored times) over the other parameters, and
the interval is where 2(ℓ̂ − ℓₚ(θⱼ)) ≤ χ²₁,₁₋α, found by the same search as the families'."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import scipy
import sympy as sp

from symmle.derive.censored.optimum import log_likelihood
from symmle.families import Parameter
from symmle.inference.profile import HUGE, Profile, intervals_of

if TYPE_CHECKING:
    from symmle.censored.result import CensoredResult


def censored_intervals(result: CensoredResult, level: float) -> dict[str, tuple[float, float]]:
    """Each parameter's profile-likelihood interval at ``level`` (needs data)."""
    return intervals_of(lambda: censored_profiles(result), level)


def censored_profiles(result: CensoredResult) -> dict[str, Profile]:
    values = result.estimate_values()
    assert values is not None
    at = {p.symbol: values[p.name] for p in result.family.parameters}
    errors = result.standard_errors
    return {
        p.name: censored_profile(result, p, at, errors[p.name]) for p in result.family.parameters
    }


def censored_profile(
    result: CensoredResult, p: Parameter, at: Mapping[sp.Symbol, float], scale: float
) -> Profile:
    """ℓₚ of one parameter: L-BFGS-B over the others (in their domains), from the nearest
    point already solved."""
    g, split = result.general, result.split
    others = [q for q in result.family.parameters if q != p]

    def ell(point: Mapping[sp.Symbol, float]) -> float:
        found = log_likelihood(g, split, point)
        return found if np.isfinite(found) else -HUGE

    nearest = {at[p.symbol]: np.array([at[q.symbol] for q in others], float)}

    def maximised(value: float) -> float:
        if not others:
            return ell({p.symbol: value})
        start = nearest[min(nearest, key=lambda v: abs(v - value))]
        found = scipy.optimize.minimize(
            negative(ell, p, others, value),
            start,
            method="L-BFGS-B",
            bounds=[bounds(q) for q in others],
            options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10_000},
        )
        nearest[value] = np.asarray(found.x, float)
        return float(-found.fun)

    low, high = float(p.domain.inf), float(p.domain.sup)
    return Profile(at[p.symbol], ell(at), maximised, low, high, scale)


def negative(
    ell: Callable[[Mapping[sp.Symbol, float]], float],
    p: Parameter,
    others: list[Parameter],
    value: float,
) -> Callable[[np.ndarray], float]:
    """−ℓ in the other parameters, θⱼ = value."""

    def at_point(u: np.ndarray) -> float:
        return -ell(
            {p.symbol: value, **{q.symbol: float(v) for q, v in zip(others, u, strict=True)}}
        )

    return at_point


def bounds(q: Parameter) -> tuple[float | None, float | None]:
    """q's domain as scipy's bounds, an open end nudged inwards."""
    low, high = float(q.domain.inf), float(q.domain.sup)
    return (
        low + 1e-10 if np.isfinite(low) else None,
        high - 1e-10 if np.isfinite(high) else None,
    )
