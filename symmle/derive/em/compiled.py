"""EM compiled from its derivation: the component's log-density as Σ_k a_k(θ_j)·T_k(y) +
b(θ_j) (its statistic form), so the E-step is one matrix product T·A over the per-sample terms
T; the M-step is the component's closed form at N_j and the weighted sums rᵀT, lambdified."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from symmle.derive.blocks import Terms
from symmle.derive.compiled import Array
from symmle.derive.em.updates import N, updates
from symmle.derive.lambdified import MODULES, Lambdified, numeric_form, per_sample
from symmle.families.mixtures import Mixture, j
from symmle.numeric import em
from symmle.symbols import n

BLOCK = 1 << 16
"""Observations per block of the E-step (its temporaries stay a few MB)."""

Totals = Callable[[Array], tuple[float, Array, Array]]
"""The E-step's coefficients ((m + 1) × k, b + log w in the last row) ↦ (ℓ, N_j, rᵀT): its
sums over the sample, wherever the sample lives."""


@dataclass(frozen=True, eq=False)
class Program:
    """One mixture family's EM, compiled."""

    family: Mixture
    terms: Terms
    """y ↦ the per-sample terms T_k(y) of the component's statistics."""
    coefficients: Lambdified
    """component parameters (arrays over j) ↦ a_1..a_m and b."""
    update: Lambdified
    """N_j, the weighted sums ↦ the component parameters (the M-step)."""
    weight: Lambdified
    """N_j, n ↦ w_j."""
    mean: Lambdified

    @property
    def size(self) -> int:
        return self.family.size

    def table(self, y: Array) -> Array:
        """T: one row per observation, one column per statistic term."""
        with np.errstate(all="ignore"):
            columns = self.terms(y)
        return np.column_stack([np.broadcast_to(np.asarray(c, float), y.shape) for c in columns])

    def split(self, theta: Array) -> tuple[Array, Array]:
        """θ ↦ the weights (k) and the component parameters (k × q)."""
        return theta[: self.size], theta[self.size :].reshape(self.size, -1)

    def matrix(self, theta: Array) -> Array:
        """The E-step's coefficients: a_k(θ_j), then b(θ_j) + log w_j, one column per j."""
        weights, own = self.split(theta)
        with np.errstate(all="ignore"):
            rows = [
                np.broadcast_to(np.asarray(v, float), (self.size,))
                for v in self.coefficients(*own.T)
            ]
            rows[-1] = rows[-1] + np.log(weights)
        return np.array(rows)

    def m_step(self, count: Array, weighted: Array, size: int) -> Array:
        """The weights and the component parameters from N_j and rᵀT."""
        with np.errstate(all="ignore"):
            own = [
                np.broadcast_to(np.asarray(v, float), (self.size,))
                for v in self.update(count, *weighted.T)
            ]
            weights = np.broadcast_to(np.asarray(self.weight(count, size), float), (self.size,))
        return np.concatenate([weights, np.array(own).T.ravel()])

    def step(self, totals: Totals, size: int) -> em.Step:
        def one(theta: Array) -> tuple[float, Array]:
            ell, count, weighted = totals(self.matrix(theta))
            return ell, self.m_step(count, weighted, size)

        return one

    def rank(self, theta: Array) -> Array:
        """The order of the components by their mean."""
        _, own = self.split(theta)
        with np.errstate(all="ignore"):
            means = np.broadcast_to(np.asarray(self.mean(*own.T), float), (self.size,))
        return np.argsort(means, kind="stable").astype(np.float64)

    def permuted(self, theta: Array, rank: Array) -> Array:
        weights, own = self.split(theta)
        order = rank.astype(np.intp)
        return np.concatenate([weights[order], own[order].ravel()])


def e_step(table: Array, matrix: Array) -> tuple[float, Array, Array]:
    """ℓ, N_j = Σᵢ rᵢⱼ and rᵀT on one block: rᵢⱼ = exp(Lᵢⱼ − log Σ_l exp Lᵢₗ)."""
    with np.errstate(all="ignore"):
        logs = table @ matrix[:-1] + matrix[-1]
        top = logs.max(axis=1, keepdims=True)
        top = np.where(np.isfinite(top), top, 0.0)
        shares = np.exp(logs - top)
        total = shares.sum(axis=1, keepdims=True)
        shares /= total
        ell = float(np.sum(np.log(total)) + np.sum(top))
    return ell, shares.sum(axis=0), shares.T @ table


def in_memory(table: Array) -> Totals:
    """The E-step's sums over a table held in memory, block by block."""

    def totals(matrix: Array) -> tuple[float, Array, Array]:
        parts = [e_step(table[s : s + BLOCK], matrix) for s in range(0, len(table), BLOCK)]
        return (
            float(sum(p[0] for p in parts)),
            np.sum([p[1] for p in parts], axis=0),
            np.sum([p[2] for p in parts], axis=0),
        )

    return totals


def lambdified(arguments: list[Any], exprs: list[sp.Expr] | sp.Expr) -> Lambdified:
    shown = [numeric_form(e) for e in exprs] if isinstance(exprs, list) else numeric_form(exprs)
    return Lambdified(sp.lambdify(arguments, shown, MODULES))


@lru_cache(maxsize=16)
def compile_em(family: Mixture) -> Program:
    """The family's EM, compiled from the derived updates."""
    u = updates(family)
    form, component = u.form, u.component
    statistics = [s.symbol for s in form.statistics]
    ell = form.log_likelihood
    coefficients = [sp.diff(ell, s) for s in statistics]
    constant = ell.subs({s: 0 for s in statistics}).subs(n, 1)
    count = sp.Symbol("N_j", positive=True)
    return Program(
        family,
        per_sample([s.term for s in form.statistics], []),
        lambdified(list(component.symbols), [*coefficients, constant]),
        lambdified([n, *statistics], [u.solution[s] for s in component.symbols]),
        lambdified([count, n], u.weight.subs(N[j], count)),
        lambdified(list(component.symbols), family.mean),
    )
