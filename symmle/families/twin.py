"""The numeric twin of a user-defined family, in the place scipy.stats holds for the catalogue:
log-densities evaluated straight from the formula (not from the derivation's sufficient
statistics), and random samples (scipy's numerical inversion for a pdf, a table for a pmf)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symmle.symbols import value

TABLE_UP_TO = 10_000
"""A pmf on infinitely many integers is tabulated up to this many values or a tail below 1e-12."""


def log_formula(density: sp.Expr) -> sp.Expr:
    """log f with the logarithm expanded (no underflow of f) and log Γ for factorials."""
    logged = sp.expand_log(sp.log(density.rewrite(sp.gamma)), force=True)
    return logged.replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.gamma),
        lambda e: sp.loggamma(e.args[0].args[0]),
    )


class FormulaTwin:
    """A user's density at fixed parameter values, evaluated in NumPy and SciPy."""

    def __init__(self, density: sp.Expr, support: sp.Set, discrete: bool) -> None:
        self.support, self.discrete = support, discrete
        self._log = sp.lambdify([value], log_formula(density), ["scipy", "numpy"])
        self._pdf = sp.lambdify([value], density, ["scipy", "numpy"])

    def logpdf(self, y: Any) -> Any:
        y = np.asarray(y, float)
        with np.errstate(all="ignore"):
            return np.asarray(self._log(y), float) * np.ones_like(y)

    def logpmf(self, y: Any) -> Any:
        return self.logpdf(y)

    def pdf(self, y: float) -> float:
        return float(self._pdf(float(y)))

    def rvs(self, size: int, random_state: np.random.Generator) -> Any:
        if self.discrete:
            points = self.points()
            weights = np.exp(self.logpdf(points))
            return random_state.choice(points, size=size, p=weights / weights.sum())
        from scipy.stats.sampling import NumericalInversePolynomial  # SciPy only where used

        low, high = float(self.support.inf), float(self.support.sup)
        center = self.center(low, high)
        generator = NumericalInversePolynomial(
            self, domain=(low, high), center=center, random_state=random_state
        )
        return generator.rvs(size)

    def center(self, low: float, high: float) -> float:
        """A point inside the support where the density is positive (for the inversion)."""
        inside = [low + 1, high - 1, 0.0] if np.isfinite(low) or np.isfinite(high) else [0.0]
        if np.isfinite(low) and np.isfinite(high):
            inside = [(low + high) / 2]
        for point in inside:
            if low < point < high and self.pdf(point) > 0:
                return point
        return inside[0]

    def points(self) -> Any:
        """The support's integers, as far as the mass reaches."""
        support = self.support
        if isinstance(support, sp.FiniteSet):
            return np.array([float(v) for v in support], float)
        first = float(support.inf)
        points = first + np.arange(TABLE_UP_TO, dtype=float)
        if np.isfinite(float(support.sup)):
            points = points[points <= float(support.sup)]
        mass = np.cumsum(np.exp(self.logpdf(points)))
        kept = int(np.searchsorted(mass, mass[-1] * (1 - 1e-12))) + 1
        return points[:kept]


@dataclass(frozen=True)
class Twin:
    """Parameter values by name -> the twin at those values (what Distribution.scipy holds);
    a plain record, so that a derivation can come back from a worker process."""

    density: sp.Expr
    support: sp.Set
    discrete: bool
    symbols: Mapping[str, sp.Symbol]

    def __call__(self, values: Mapping[str, float]) -> FormulaTwin:
        subs = {self.symbols[k]: sp.Float(v) for k, v in values.items() if k in self.symbols}
        return FormulaTwin(self.density.subs(subs), self.support.subs(subs), self.discrete)
