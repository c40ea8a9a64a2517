"""Training as machine learning does it: plain gradient descent and Adam on the mean NLL, with
the gradient Xᵀℓ′(Xw)/n written from the derivation; both approach the MLE that Newton's
method (or the normal equations) finds in a few steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from symmle.models.fit import Compiled, compile_model
from symmle.models.model import Array

if TYPE_CHECKING:
    from symmle.models.base import RegressionResult


@dataclass(frozen=True)
class Trace:
    """The mean NLL and the weights after each iteration of one optimiser."""

    name: str
    nll: Array
    weights: Array


def compiled_for(result: RegressionResult) -> Compiled:
    assert result.fit is not None
    fixed = {s: result.fit.nuisance[s.name] for s in result.model.nuisance}
    return compile_model(result.nll, fixed)


def gradient_descent(result: RegressionResult, rate: float, steps: int) -> Trace:
    """w ← w − rate·∇(mean NLL), from w = 0."""
    assert result.fit is not None
    X, y, compiled = result.fit.X, result.fit.y, compiled_for(result)
    w = np.zeros(X.shape[1])
    nll, weights = [], []
    for _ in range(steps):
        w = w - rate * (X.T @ compiled.first(y, X @ w)) / len(y)
        nll.append(compiled.value(X, y, w) / len(y))
        weights.append(w)
    return Trace("gradient descent", np.array(nll), np.array(weights))


def adam(
    result: RegressionResult, rate: float, steps: int, betas: tuple[float, float] = (0.9, 0.999)
) -> Trace:
    """Adam (Kingma & Ba, 2015) with bias-corrected moments, from w = 0."""
    assert result.fit is not None
    X, y, compiled = result.fit.X, result.fit.y, compiled_for(result)
    w = np.zeros(X.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    nll, weights = [], []
    for t in range(1, steps + 1):
        g = (X.T @ compiled.first(y, X @ w)) / len(y)
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g**2
        w = w - rate * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + 1e-12)
        nll.append(compiled.value(X, y, w) / len(y))
        weights.append(w)
    return Trace("Adam", np.array(nll), np.array(weights))


def smoothness(result: RegressionResult) -> float:
    """The largest eigenvalue of the mean NLL's Hessian at the MLE: 1/that is a safe step."""
    assert result.fit is not None
    _, _, hessian = compiled_for(result).derivatives(result.fit.X, result.fit.y, result.fit.weights)
    return float(np.max(np.linalg.eigvalsh(hessian / len(result.fit.y))))
