"""Data for which the likelihood has no maximum: a direction in which the NLL keeps
decreasing. Found by linear programming (scipy.optimize.linprog), as in Konis (2007)."""

from __future__ import annotations

import numpy as np
import scipy

from symmle.errors import NoMLEError
from symmle.models.model import Array


def recession(objective: Array, upper: Array, equal: Array | None) -> float:
    """max objective·w subject to upper·w ≤ 0, equal·w = 0 and −1 ≤ w ≤ 1."""
    found = scipy.optimize.linprog(
        -objective,
        A_ub=upper if len(upper) else None,
        b_ub=np.zeros(len(upper)) if len(upper) else None,
        A_eq=equal if equal is not None and len(equal) else None,
        b_eq=np.zeros(len(equal)) if equal is not None and len(equal) else None,
        bounds=(-1, 1),
        method="highs",
    )
    return float(-found.fun) if found.status == 0 else 0.0


def tolerance(X: Array) -> float:
    return 1e-7 * (1.0 + float(np.abs(X).sum()))


def separation(X: Array, y: Array) -> None:
    """Logistic: a w with (2yᵢ − 1)·xᵢᵀw ≥ 0 for all i, not all 0, separates the classes."""
    signed = (2 * y - 1)[:, None] * X
    if recession(signed.sum(axis=0), -signed, None) > tolerance(X):
        raise NoMLEError(
            "the classes are separated by a hyperplane (every 1 on one side, every 0 on the "
            "other, or on it): the likelihood grows without bound along it and there is no MLE."
        )


def zero_counts(X: Array, y: Array) -> None:
    """Poisson: a w with xᵢᵀw ≤ 0 where yᵢ = 0 and xᵢᵀw = 0 where yᵢ > 0, not all 0, lowers
    the rates of the zero counts towards 0 without changing the others."""
    zero = y == 0
    if not zero.any():
        return
    if recession(-X[zero].sum(axis=0), X[zero], X[~zero]) > tolerance(X):
        raise NoMLEError(
            "the zero counts can be fitted by rates going to 0 without changing the other "
            "observations: the likelihood grows without bound and there is no MLE."
        )
