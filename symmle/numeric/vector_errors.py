"""Wald standard errors of the vector families' estimates, from the Fisher information: one
home for ``symmle.mle``'s and ``symmle.fit``'s."""

from __future__ import annotations

from typing import Any

import numpy as np

from symmle.numeric.covariance import standard_errors
from symmle.numeric.dirichlet import information

Array = np.ndarray[Any, np.dtype[np.float64]]


def normal_errors(sigma: Array, count: float) -> tuple[Array, Array]:
    """√(Σ̂ⱼⱼ/n) for μ̂ⱼ and √((Σ̂ⱼⱼΣ̂ₗₗ + Σ̂ⱼₗ²)/n) for Σ̂ⱼₗ (the inverse Fisher information)."""
    variances = np.diag(sigma)
    spread = (np.outer(variances, variances) + sigma**2) / count
    return np.sqrt(variances / count), np.sqrt(spread)


def multinomial_errors(p: Array, count: float, trials: float) -> Array:
    """√(p̂ⱼ(1 − p̂ⱼ)/(n·m)); NaN for p̂ⱼ of 0 or 1, on the edge of the simplex (no Wald
    standard error there, as for the Categorical)."""
    inside = (p > 0) & (p < 1)
    return np.where(inside, np.sqrt(np.clip(p * (1 - p), 0, None) / (count * trials)), np.nan)


def dirichlet_errors(alpha: Array, count: float) -> Array:
    """√ of the diagonal of (n·I(α̂))⁻¹, I the Fisher information of one row."""
    return standard_errors(information(count, alpha))
