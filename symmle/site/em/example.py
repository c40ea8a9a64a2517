"""A mixture fitted to a small sample for the EM page: the derivation, the EM run behind it,
and EM's two steps recomputed by hand (scipy.stats densities, NumPy weighted sums) as the
independent route of the page's checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy.special import logsumexp

import symmle
from symmle.checks import frozen
from symmle.derive.em.run import Fitted, fit_em
from symmle.families import get
from symmle.families.mixtures import Mixture
from symmle.results import Result

K = 2
"""Components of every example."""
BUDGET = 300.0
"""Seconds for each derivation (a few when the machine is idle; the build runs many at once)."""

Array = np.ndarray[Any, np.dtype[np.float64]]
Theta = Sequence[float] | Array


@dataclass(frozen=True)
class Example:
    """One mixture fitted to a small sample: the derivation and the EM run behind it."""

    data: tuple[float, ...]
    result: Result
    fitted: Fitted

    @property
    def family(self) -> Mixture:
        family = self.result.family
        assert isinstance(family, Mixture)
        return family

    @property
    def y(self) -> Array:
        return np.asarray(self.data, float)

    def values(self, theta: Theta) -> dict[str, float]:
        """θ as a dict by parameter name."""
        return {p.name: float(v) for p, v in zip(self.family.parameters, theta, strict=True)}

    @property
    def estimate(self) -> dict[str, float]:
        return {name: float(v) for name, v in self.result.estimate.items()}

    def twin(self, theta: Theta) -> Any:
        """The mixture's scipy.stats twin at θ (weights and component distributions)."""
        return frozen(self.family, self.values(theta))


def example(name: str, data: tuple[float, ...]) -> Example:
    """The derivation of ``name`` with k = K on ``data``, and the same EM run kept whole."""
    result = symmle.mle(name, data=list(data), known={"k": K}, budget=BUDGET)
    family = get(name).fix({"k": sp.Integer(K)})
    assert isinstance(family, Mixture)
    return Example(data, result, fit_em(family, np.asarray(data, float)))


def component_logs(example: Example, theta: Theta) -> Array:
    """log w_j + log f(yᵢ; θ_j) by scipy.stats: one row per observation, one column per j."""
    twin = example.twin(theta)
    logs = [d.logpmf(example.y) if twin.discrete else d.logpdf(example.y) for d in twin.parts]
    with np.errstate(divide="ignore"):
        found: Array = np.log(twin.weights)[None, :] + np.array(logs).T
    return found


def log_likelihood(example: Example, theta: Theta) -> float:
    """ℓ(θ) = Σᵢ log Σⱼ w_j f(yᵢ; θ_j), by scipy.stats."""
    return float(np.sum(logsumexp(component_logs(example, theta), axis=1)))


def responsibilities(example: Example, theta: Theta) -> Array:
    """rᵢⱼ = w_j f(yᵢ; θ_j) / Σₗ w_l f(yᵢ; θ_l) (Bayes' rule)."""
    logs = component_logs(example, theta)
    shares: Array = np.exp(logs - logsumexp(logs, axis=1, keepdims=True))
    return shares


def normal_update(y: Array, r: Array, count: float) -> list[float]:
    mu = float(r @ y) / count
    return [mu, float(np.sqrt(r @ (y - mu) ** 2 / count))]


def poisson_update(y: Array, r: Array, count: float) -> list[float]:
    return [float(r @ y) / count]


def exponential_update(y: Array, r: Array, count: float) -> list[float]:
    return [count / float(r @ y)]


UPDATES: dict[str, Callable[[Array, Array, float], list[float]]] = {
    "normal": normal_update,
    "poisson": poisson_update,
    "exponential": exponential_update,
}
"""The textbook M-step of each component family, written out in NumPy."""


def by_hand(example: Example, theta: Theta) -> Array:
    """One EM iteration from θ: responsibilities by Bayes' rule, then w_j = N_j/n and the
    component's weighted maximum-likelihood estimate."""
    shares = responsibilities(example, theta)
    counts = shares.sum(axis=0)
    update = UPDATES[example.family.base.name]
    own = [update(example.y, shares[:, c], float(counts[c])) for c in range(K)]
    return np.array([*(counts / example.y.size), *(v for part in own for v in part)])
