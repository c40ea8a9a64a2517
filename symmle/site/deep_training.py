"""Training on the derived gradients, in NumPy (the site needs no framework): each network
output is z = Φ w, a fixed hidden layer Φ (radial basis functions, or the input itself) and a
trained output layer w; ∂𝓛/∂z is the derivative of the loss's stable form, differentiated by
SymPy and lambdified, and ∂𝓛/∂w = Φᵀ ∂𝓛/∂z / n. Adam takes the steps, from seeded weights."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symmle.checks import Check
from symmle.losses import LossResult
from symmle.losses.functions import compile_numpy

Array = Any


def gradients(loss: LossResult) -> list[Callable[..., Array]]:
    """∂𝓛/∂z for each output z of the loss, compiled from SymPy's derivative."""
    return [
        compile_numpy(list(loss.arguments), sp.diff(loss.stable, z)) for z in loss.arguments[1:]
    ]


def radial(x: Array, centres: int = 12, width: float = 0.7) -> Array:
    """A fixed hidden layer: a bias and Gaussian bumps spread over [−3, 3]."""
    at = np.linspace(-3, 3, centres)
    return np.column_stack([np.ones_like(x), np.exp(-(((x[:, None] - at) / width) ** 2))])


def linear(x: Array) -> Array:
    return np.column_stack([np.ones_like(x), x])


@dataclass(frozen=True)
class Trained:
    """The output layers' weights and the mean loss every 25 steps."""

    weights: tuple[Array, ...]
    history: Array

    def outputs(self, designs: Sequence[Array]) -> list[Array]:
        return [d @ w for d, w in zip(designs, self.weights, strict=True)]


def mean_loss(
    loss: LossResult, y: Array, designs: Sequence[Array], weights: Sequence[Array]
) -> float:
    return float(np.mean(loss.fn(y, *(d @ w for d, w in zip(designs, weights, strict=True)))))


def weight_gradients(
    loss: LossResult,
    grads: list[Callable[..., Array]],
    y: Array,
    designs: Sequence[Array],
    weights: Sequence[Array],
) -> list[Array]:
    """∂(mean 𝓛)/∂w for each output layer: the chain rule through z = Φ w."""
    z = [d @ w for d, w in zip(designs, weights, strict=True)]
    return [
        d.T @ np.broadcast_to(g(y, *z), y.shape) / len(y)
        for d, g in zip(designs, grads, strict=True)
    ]


def train(
    loss: LossResult,
    y: Array,
    designs: Sequence[Array],
    start: Sequence[Array],
    steps: int = 2000,
    rate: float = 0.05,
) -> Trained:
    """Adam (β₁ = 0.9, β₂ = 0.999) on the mean loss, from the weights ``start``."""
    grads = gradients(loss)
    weights = [np.array(w, float) for w in start]
    first = [np.zeros_like(w) for w in weights]
    second = [np.zeros_like(w) for w in weights]
    history = []
    for t in range(1, steps + 1):
        for j, g in enumerate(weight_gradients(loss, grads, y, designs, weights)):
            first[j] = 0.9 * first[j] + 0.1 * g
            second[j] = 0.999 * second[j] + 0.001 * g * g
            step = first[j] / (1 - 0.9**t) / (np.sqrt(second[j] / (1 - 0.999**t)) + 1e-8)
            weights[j] = weights[j] - rate * step
        if t % 25 == 0:  # the curve every 25 steps: evaluating it costs as much as a step
            history.append(mean_loss(loss, y, designs, weights))
    return Trained(tuple(weights), np.asarray(history))


def gradient_check(
    loss: LossResult, y: Array, designs: Sequence[Array], weights: Sequence[Array]
) -> Check:
    """The derived gradient against central differences of the mean loss (step 1e-6)."""
    derived = weight_gradients(loss, gradients(loss), y, designs, weights)
    worst = 0.0
    for j, w in enumerate(weights):
        for k in range(len(w)):
            shifted = [np.array(v, float) for v in weights]
            shifted[j][k] += 1e-6
            up = mean_loss(loss, y, designs, shifted)
            shifted[j][k] -= 2e-6
            down = mean_loss(loss, y, designs, shifted)
            numeric = (up - down) / 2e-6
            worst = max(worst, float(abs(derived[j][k] - numeric) / max(1.0, abs(numeric))))
    return Check(
        "the derived gradient equals central differences of the mean loss (weights at start)",
        bool(worst <= 1e-6),
        float(worst),
        1e-6,
    )
