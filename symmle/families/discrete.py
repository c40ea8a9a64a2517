"""Discrete families: their pmf on a set of integers."""

from __future__ import annotations

import sympy as sp

from symmle.families.base import Distribution, LossModel, Parameter
from symmle.symbols import value

theta = sp.Symbol("theta", nonnegative=True)

BERNOULLI = Distribution(
    name="bernoulli",
    title="Bernoulli",
    density=theta**value * (1 - theta) ** (1 - value),
    support=sp.FiniteSet(0, 1),
    parameters=(Parameter("theta", theta, sp.Interval(0, 1), "the probability of a 1"),),
    discrete=True,
    example=("0", "0", "0", "1", "0"),
    loss=LossModel(
        "theta", "binary cross-entropy", "binary cross-entropy", "mean binary cross-entropy"
    ),
)
