"""Which parameter of a family is a pure location, read from its pivot.

Where one observation is y = μ + (a term free of μ, of a variable whose law is free of μ),
the density depends on y and μ through y − μ alone: the maximum-likelihood estimate is
equivariant (fitting y − c gives μ̂ − c, the other estimates and ℓ unchanged).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from symmle.families.base import Distribution, Parameter
from symmle.numeric.location import Array, origin, spaced


@lru_cache(maxsize=256)
def location(family: Distribution) -> Parameter | None:
    """The parameter that moves the observations and nothing else (over ℝ, with observations
    over ℝ); None where the family has none, or no pivot to tell."""
    pivot = family.pivot
    if pivot is None or family.data_support != sp.Reals:
        return None
    shapes = set().union(*(sp.sympify(s).free_symbols for s in pivot.shape))
    for p in family.parameters:
        rest = pivot.observation - p.symbol
        if p.domain == sp.Reals and p.symbol not in rest.free_symbols | shapes:
            return p
    return None


def seen_from(family: Distribution, sample: Array) -> tuple[Parameter | None, float]:
    """The family's location parameter and the origin c to fit ``sample`` from (0 where
    there is none, or where the data lie near 0)."""
    moved = location(family)
    return moved, 0.0 if moved is None else origin(spaced(sample))
