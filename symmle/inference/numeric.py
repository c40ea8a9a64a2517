"""The Fisher information checked by an independent route: the variance of the score of
scipy.stats' log-density (central differences), by tanh-sinh quadrature over the quantiles
(continuous) or by summation over the support (discrete), at the family's probe values."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import scipy
import sympy as sp

from symmle.checks import Check, compare, frozen, log_density
from symmle.inference.fisher import Information

TOLERANCE = 1e-6
STEP = 1e-7


def score(family_values: dict[str, float], names: list[str], info: Information) -> Any:
    """y -> the score vector of scipy's log-density at y, by central differences."""
    twins = []
    for name in names:
        h = STEP * max(1.0, abs(family_values[name]))
        up, down = dict(family_values), dict(family_values)
        up[name] += h
        down[name] -= h
        twins.append((frozen(info.family, up), frozen(info.family, down), 2 * h))

    def at(y: Any) -> Any:
        return np.array([(log_density(u, y) - log_density(d, y)) / w for u, d, w in twins])

    return at


def variance_of_score(info: Information, values: dict[str, float]) -> Any:
    """E[score·scoreᵀ] under scipy's twin at ``values``."""
    names = [p.name for p in info.parameters]
    twin = frozen(info.family, values)
    at = score(values, names, info)
    if info.family.discrete:
        y = np.arange(twin.ppf(1e-15), twin.ppf(1 - 1e-15) + 1)
        s = at(y)
        weights = np.exp(log_density(twin, y))
        return np.einsum("ik,jk,k->ij", s, s, weights)
    k = len(names)
    matrix = np.zeros((k, k))
    for a in range(k):
        for b in range(a, k):
            # in halves: a kink of the log-density at the median (Laplace) is then an end
            halves = scipy.integrate.tanhsinh(
                product(twin, at, a, b), np.array([0, 0.5]), np.array([0.5, 1]), rtol=1e-10
            )
            matrix[a, b] = matrix[b, a] = float(np.sum(halves.integral))
    return matrix


def product(twin: Any, at: Any, a: int, b: int) -> Any:
    """u -> score_a·score_b at the u-quantile (0 where the far tails overflow)."""

    def f(u: Any) -> Any:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # quantiles within 1e-300 of 0 or 1
            s = at(twin.ppf(u))
            v = s[a] * s[b]
        return np.where(np.isfinite(v), v, 0.0)

    return f


def information_check(info: Information) -> Check:
    """I(θ) at the probe values against the variance of scipy's score, each entry relative to
    √(I_aa·I_bb) (an off-diagonal zero has no size of its own)."""
    assert info.matrix is not None
    known = {name: float(v) for name, v in info.family.known}
    probe = {**info.family.probe_values, **known}
    values = {p.name: probe[p.name] for p in info.family.parameters}
    at = {p.symbol: sp.Float(probe[p.name]) for p in info.family.parameters + info.family.constants}
    ours = np.array(info.matrix.subs(at).evalf(), dtype=float)
    theirs = variance_of_score(info, values)
    name = "Fisher information equals the variance of scipy.stats' score (numerically)"
    diagonal = np.sqrt(np.abs(np.diag(theirs)))
    return compare(name, ours, theirs, TOLERANCE, scale=np.outer(diagonal, diagonal))
