"""Continuous families: their pdf on an interval."""

from __future__ import annotations

import sympy as sp

from symmle.families.base import Distribution, LossModel, Parameter
from symmle.symbols import value

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)

NORMAL = Distribution(
    name="normal",
    title="Normal",
    density=sp.exp(-((value - mu) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2),
    support=sp.Reals,
    parameters=(
        Parameter("mu", mu, sp.Interval(-sp.oo, sp.oo), "the mean"),
        Parameter("sigma", sigma, sp.Interval.open(0, sp.oo), "the standard deviation"),
    ),
    discrete=False,
    example=("-1", "0", "1"),
    loss=LossModel("mu", "squared error", "sum of squared errors", "mean squared error"),
    shown=sp.exp(-((value - mu) ** 2) / (2 * sigma**2))
    * sp.UnevaluatedExpr(2 * sp.pi * sigma**2) ** -sp.S.Half,
)
