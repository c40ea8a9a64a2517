"""Families whose score equations have no closed-form solution: Newton's method from moment
estimates (each entry's ``start``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy
import sympy as sp

from symmle.families.base import SIGN, Distribution, Parameter, Pivot, W
from symmle.families.continuous import POSITIVE, REAL, alpha, beta, lam, mu, sigma
from symmle.symbols import value

k = sp.Symbol("k", positive=True)
x0 = sp.Symbol("x0", real=True)
gamma_ = sp.Symbol("gamma", positive=True)
s = sp.Symbol("s", positive=True)
nu = sp.Symbol("nu", positive=True)

SHAPE, SCALE = "the shape", "the scale"


def _fitted(found: Any, name: Any) -> dict[str, float]:
    return {k: float(v) for k, v in name(*found).items()}


def _gamma_start(y: Any) -> dict[str, float]:
    scale = float(np.max(y)) or 1.0  # y² overflows from 1e154 on: the moments of y/scale
    mean, var = float(np.mean(y / scale)), float(np.var(y / scale))
    return {"alpha": mean**2 / var, "beta": mean / var / scale}


def _beta_start(y: Any) -> dict[str, float]:
    mean, var = float(np.mean(y)), float(np.var(y))
    common = mean * (1 - mean) / var - 1
    return {"alpha": mean * common, "beta": (1 - mean) * common}


def _weibull_start(y: Any) -> dict[str, float]:
    shape = 1.2 / float(np.std(np.log(y)))  # the Gumbel scale of log y is 1/k
    return {"k": shape, "lambda": float(np.mean(y**shape)) ** (1 / shape)}


def _location_scale_start(location: str, scale: str, spread: float) -> Any:
    def start(y: Any) -> dict[str, float]:
        q1, median, q3 = np.percentile(y, [25, 50, 75])
        floor = 1e-8 * float(np.max(np.abs(y))) or 1e-8  # relative: data may be tiny
        return {location: float(median), scale: max(float(q3 - q1) * spread, floor)}

    return start


GAMMA = Distribution(
    name="gamma",
    title="Gamma",
    density=beta**alpha / sp.gamma(alpha) * value ** (alpha - 1) * sp.exp(-beta * value),
    support=POSITIVE,
    parameters=(
        Parameter("alpha", alpha, POSITIVE, SHAPE),
        Parameter("beta", beta, POSITIVE, "the rate"),
    ),
    discrete=False,
    example=("1", "2", "3", "6"),
    scipy=lambda v: scipy.stats.gamma(v["alpha"], scale=1 / v["beta"]),
    probe=(("alpha", 2.5), ("beta", 1.5)),
    fit=lambda y: _fitted(
        scipy.stats.gamma.fit(y, floc=0), lambda a, _, scale: {"alpha": a, "beta": 1 / scale}
    ),
    start=_gamma_start,
    survival=sp.uppergamma(alpha, beta * value) / sp.gamma(alpha),
)

BETA = Distribution(
    name="beta",
    title="Beta",
    density=sp.gamma(alpha + beta)
    / (sp.gamma(alpha) * sp.gamma(beta))
    * value ** (alpha - 1)
    * (1 - value) ** (beta - 1),
    support=sp.Interval.open(0, 1),
    parameters=(
        Parameter("alpha", alpha, POSITIVE, "the first shape"),
        Parameter("beta", beta, POSITIVE, "the second shape"),
    ),
    discrete=False,
    example=("1/4", "1/2", "2/3", "3/4"),
    scipy=lambda v: scipy.stats.beta(v["alpha"], v["beta"]),
    probe=(("alpha", 2.0), ("beta", 3.5)),
    fit=lambda y: _fitted(
        scipy.stats.beta.fit(y, floc=0, fscale=1), lambda a, b, *_: {"alpha": a, "beta": b}
    ),
    start=_beta_start,
)

WEIBULL = Distribution(
    name="weibull",
    title="Weibull",
    density=k / lam * (value / lam) ** (k - 1) * sp.exp(-((value / lam) ** k)),
    support=POSITIVE,
    parameters=(Parameter("k", k, POSITIVE, SHAPE), Parameter("lambda", lam, POSITIVE, SCALE)),
    discrete=False,
    example=("1", "2", "3", "5"),
    scipy=lambda v: scipy.stats.weibull_min(v["k"], scale=v["lambda"]),
    probe=(("k", 1.8), ("lambda", 2.0)),
    fit=lambda y: _fitted(
        scipy.stats.weibull_min.fit(y, floc=0), lambda c, _, scale: {"k": c, "lambda": scale}
    ),
    start=_weibull_start,
    pivot=Pivot(lam * W ** (1 / k), "gamma", (sp.Integer(1),)),  # (y/λ)^k ~ Exp(1)
    survival=sp.exp(-((value / lam) ** k)),
)

CAUCHY = Distribution(
    name="cauchy",
    title="Cauchy",
    density=1 / (sp.pi * gamma_ * (1 + ((value - x0) / gamma_) ** 2)),
    support=sp.Reals,
    parameters=(
        Parameter("x0", x0, REAL, "the location (median)"),
        Parameter("gamma", gamma_, POSITIVE, "the scale (half the interquartile range)"),
    ),
    discrete=False,
    example=("-2", "-1", "0", "1", "5"),
    scipy=lambda v: scipy.stats.cauchy(v["x0"], v["gamma"]),
    probe=(("x0", 0.5), ("gamma", 1.2)),
    fit=lambda y: _fitted(
        scipy.stats.cauchy.fit(y), lambda loc, scale: {"x0": loc, "gamma": scale}
    ),
    start=_location_scale_start("x0", "gamma", 0.5),
    pivot=Pivot(x0 + gamma_ * SIGN * sp.sqrt((1 - W) / W), "beta", (sp.S.Half, sp.S.Half)),
)

LOGISTIC = Distribution(
    name="logistic",
    title="Logistic",
    density=sp.exp(-(value - mu) / s) / (s * (1 + sp.exp(-(value - mu) / s)) ** 2),
    support=sp.Reals,
    parameters=(Parameter("mu", mu, REAL, "the location"), Parameter("s", s, POSITIVE, SCALE)),
    discrete=False,
    example=("-2", "0", "1", "3", "6"),
    scipy=lambda v: scipy.stats.logistic(v["mu"], v["s"]),
    probe=(("mu", 0.5), ("s", 1.2)),
    fit=lambda y: _fitted(scipy.stats.logistic.fit(y), lambda loc, scale: {"mu": loc, "s": scale}),
    start=_location_scale_start("mu", "s", 1 / (2 * np.log(3))),
    pivot=Pivot(mu + s * sp.log(W / (1 - W)), "beta", (sp.Integer(1), sp.Integer(1))),  # the cdf
)

GUMBEL = Distribution(
    name="gumbel",
    title="Gumbel",
    density=sp.exp(-(value - mu) / beta - sp.exp(-(value - mu) / beta)) / beta,
    support=sp.Reals,
    parameters=(
        Parameter("mu", mu, REAL, "the location (mode)"),
        Parameter("beta", beta, POSITIVE, SCALE),
    ),
    discrete=False,
    example=("-1", "0", "1", "2", "5"),
    scipy=lambda v: scipy.stats.gumbel_r(v["mu"], v["beta"]),
    probe=(("mu", 0.5), ("beta", 1.2)),
    fit=lambda y: _fitted(
        scipy.stats.gumbel_r.fit(y), lambda loc, scale: {"mu": loc, "beta": scale}
    ),
    start=_location_scale_start("mu", "beta", 1 / 1.57),
    pivot=Pivot(mu - beta * sp.log(W), "gamma", (sp.Integer(1),)),  # exp(−(y − μ)/β) ~ Exp(1)
)

STUDENT_T = Distribution(
    name="student_t",
    title="Student's t",
    density=sp.gamma((nu + 1) / 2)
    / (sp.gamma(nu / 2) * sp.sqrt(nu * sp.pi) * sigma)
    * (1 + ((value - mu) / sigma) ** 2 / nu) ** (-(nu + 1) / 2),
    support=sp.Reals,
    parameters=(
        Parameter("mu", mu, REAL, "the location"),
        Parameter("sigma", sigma, POSITIVE, SCALE),
    ),
    constants=(Parameter("nu", nu, POSITIVE, "the degrees of freedom"),),
    discrete=False,
    example=("-3", "-1", "0", "1", "2", "8"),
    example_known=(("nu", "3"),),
    scipy=lambda v: scipy.stats.t(v["nu"], v["mu"], v["sigma"]),
    probe=(("mu", 0.5), ("sigma", 1.2), ("nu", 3.0)),
    start=_location_scale_start("mu", "sigma", 0.75),
    # ν/(ν + z²) ~ Beta(ν/2, 1/2) for z = (y − μ)/σ, with a fair sign
    pivot=Pivot(mu + sigma * SIGN * sp.sqrt(nu * (1 - W) / W), "beta", (nu / 2, sp.S.Half)),
)

FAMILIES = (GAMMA, BETA, WEIBULL, CAUCHY, LOGISTIC, GUMBEL, STUDENT_T)
