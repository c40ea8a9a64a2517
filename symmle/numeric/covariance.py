"""The covariance of an estimate from its information matrix (the negative Hessian of the
log-likelihood), and its standard errors: one routine for families, fits and regressions."""

from __future__ import annotations

import numpy as np

from symmle.numeric.newton import Array


def covariance(information: Array, simplex: bool = False) -> Array:
    """The inverse of the information; for probabilities that sum to one, restricted to the
    directions that keep Σ pⱼ fixed: Z (Zᵀ I Z)⁻¹ Zᵀ with Z a basis orthogonal to (1, …, 1)."""
    if not simplex:
        return np.asarray(np.linalg.inv(information), dtype=np.float64)
    k = information.shape[0]
    basis = np.linalg.svd(np.ones((1, k)))[2][1:].T  # the last k − 1 right singular vectors
    inner = np.linalg.inv(basis.T @ information @ basis)
    return np.asarray(basis @ inner @ basis.T, dtype=np.float64)


def standard_errors(information: Array, simplex: bool = False) -> Array:
    """√ of the covariance's diagonal; NaN where a variance is negative (no maximum there)."""
    variances = np.diag(covariance(information, simplex))
    return np.sqrt(np.where(variances >= 0, variances, np.nan))
