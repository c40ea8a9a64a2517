"""Families whose MLE is an order statistic: the support moves with a parameter (Uniform,
Pareto) or the log-density is not differentiable (Laplace)."""

from __future__ import annotations

import scipy
import sympy as sp

from symmle.families.base import SIGN, Distribution, Parameter, Pivot, W
from symmle.families.continuous import POSITIVE, REAL, alpha, mu
from symmle.symbols import value

a = sp.Symbol("a", real=True)
b_upper = sp.Symbol("b", real=True)
x_m = sp.Symbol("x_m", positive=True)
b = sp.Symbol("b", positive=True)

UNIFORM = Distribution(
    name="uniform",
    title="Uniform",
    density=1 / (b_upper - a),
    support=sp.Interval(a, b_upper),
    parameters=(
        Parameter("a", a, REAL, "the lower end"),
        Parameter("b", b_upper, REAL, "the upper end"),
    ),
    discrete=False,
    example=("2", "5", "3", "4"),
    scipy=lambda v: scipy.stats.uniform(v["a"], v["b"] - v["a"]),
    probe=(("a", -1.0), ("b", 2.5)),
)

PARETO = Distribution(
    name="pareto",
    title="Pareto",
    density=alpha * x_m**alpha / value ** (alpha + 1),
    support=sp.Interval(x_m, sp.oo),
    parameters=(
        Parameter("x_m", x_m, POSITIVE, "the scale (the smallest possible value)"),
        Parameter("alpha", alpha, POSITIVE, "the shape (tail index)"),
    ),
    discrete=False,
    example=("1", "2", "4"),
    scipy=lambda v: scipy.stats.pareto(v["alpha"], scale=v["x_m"]),
    probe=(("x_m", 1.5), ("alpha", 2.5)),
)

LAPLACE = Distribution(
    name="laplace",
    title="Laplace",
    density=sp.exp(-sp.Abs(value - mu) / b) / (2 * b),
    support=sp.Reals,
    parameters=(
        Parameter("mu", mu, REAL, "the location (median)"),
        Parameter("b", b, POSITIVE, "the scale"),
    ),
    discrete=False,
    example=("1", "2", "4", "7", "10"),
    scipy=lambda v: scipy.stats.laplace(v["mu"], v["b"]),
    probe=(("mu", 0.5), ("b", 1.5)),
    pivot=Pivot(mu + b * SIGN * W, "gamma", (sp.Integer(1),)),  # |y − μ|/b ~ Exp(1), fair sign
)

FAMILIES = (UNIFORM, PARETO, LAPLACE)
