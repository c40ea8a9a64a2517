"""Continuous families with a closed-form MLE: their pdf on an interval."""

from __future__ import annotations

import scipy
import sympy as sp

from symmle.families.base import Distribution, Parameter
from symmle.symbols import value

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
lam = sp.Symbol("lambda", positive=True)
alpha = sp.Symbol("alpha", positive=True)
beta = sp.Symbol("beta", positive=True)
mean = sp.Symbol("mu", positive=True)

REAL = sp.Interval(-sp.oo, sp.oo)
POSITIVE = sp.Interval.open(0, sp.oo)


def gaussian(x: sp.Expr, scale: sp.Expr) -> sp.Expr:
    """exp(-x²/(2·scale²)) with (2π·scale²)^(-1/2) kept whole, as a textbook writes it."""
    return sp.exp(-(x**2) / (2 * scale**2)) * sp.UnevaluatedExpr(2 * sp.pi * scale**2) ** -sp.S.Half


NORMAL = Distribution(
    name="normal",
    title="Normal",
    density=sp.exp(-((value - mu) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2),
    support=sp.Reals,
    parameters=(
        Parameter("mu", mu, REAL, "the mean"),
        Parameter("sigma", sigma, POSITIVE, "the standard deviation"),
    ),
    discrete=False,
    example=("-1", "0", "1"),
    scipy=lambda v: scipy.stats.norm(v["mu"], v["sigma"]),
    probe=(("mu", 0.7), ("sigma", 1.6)),
    shown=gaussian(value - mu, sigma),
    survival=sp.erfc((value - mu) / (sp.sqrt(2) * sigma)) / 2,
)

LOGNORMAL = Distribution(
    name="lognormal",
    title="Log-normal",
    density=sp.exp(-((sp.log(value) - mu) ** 2) / (2 * sigma**2))
    / (value * sp.sqrt(2 * sp.pi * sigma**2)),
    support=POSITIVE,
    parameters=(
        Parameter("mu", mu, REAL, "the mean of log y"),
        Parameter("sigma", sigma, POSITIVE, "the standard deviation of log y"),
    ),
    discrete=False,
    example=("1", "2", "4"),
    scipy=lambda v: scipy.stats.lognorm(v["sigma"], scale=float(sp.exp(v["mu"]))),
    probe=(("mu", 0.4), ("sigma", 0.8)),
    shown=gaussian(sp.log(value) - mu, sigma) / value,
    survival=sp.erfc((sp.log(value) - mu) / (sp.sqrt(2) * sigma)) / 2,
)

EXPONENTIAL = Distribution(
    name="exponential",
    title="Exponential",
    density=lam * sp.exp(-lam * value),
    support=sp.Interval(0, sp.oo),
    parameters=(Parameter("lambda", lam, POSITIVE, "the rate"),),
    discrete=False,
    example=("1", "2", "3"),
    scipy=lambda v: scipy.stats.expon(scale=1 / v["lambda"]),
    probe=(("lambda", 1.7),),
    survival=sp.exp(-lam * value),
)

RAYLEIGH = Distribution(
    name="rayleigh",
    title="Rayleigh",
    density=value / sigma**2 * sp.exp(-(value**2) / (2 * sigma**2)),
    support=POSITIVE,
    parameters=(Parameter("sigma", sigma, POSITIVE, "the scale"),),
    discrete=False,
    example=("1", "2", "3"),
    scipy=lambda v: scipy.stats.rayleigh(scale=v["sigma"]),
    probe=(("sigma", 1.3),),
)

HALF_NORMAL = Distribution(
    name="half_normal",
    title="Half-normal",
    density=sp.sqrt(2 / sp.pi) / sigma * sp.exp(-(value**2) / (2 * sigma**2)),
    support=sp.Interval(0, sp.oo),
    parameters=(Parameter("sigma", sigma, POSITIVE, "the scale"),),
    discrete=False,
    example=("1", "2", "3"),
    scipy=lambda v: scipy.stats.halfnorm(scale=v["sigma"]),
    probe=(("sigma", 1.3),),
)

INVERSE_GAUSSIAN = Distribution(
    name="inverse_gaussian",
    title="Inverse Gaussian",
    density=sp.sqrt(lam / (2 * sp.pi * value**3))
    * sp.exp(-lam * (value - mean) ** 2 / (2 * mean**2 * value)),
    support=POSITIVE,
    parameters=(
        Parameter("mu", mean, POSITIVE, "the mean"),
        Parameter("lambda", lam, POSITIVE, "the shape"),
    ),
    discrete=False,
    example=("1", "2", "4"),
    scipy=lambda v: scipy.stats.invgauss(v["mu"] / v["lambda"], scale=v["lambda"]),
    probe=(("mu", 1.5), ("lambda", 2.5)),
)
FAMILIES = (NORMAL, LOGNORMAL, EXPONENTIAL, RAYLEIGH, HALF_NORMAL, INVERSE_GAUSSIAN)
