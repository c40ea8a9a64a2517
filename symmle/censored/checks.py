"""The checks of a censored derivation, each against an independent route: ℓ at the estimate
against scipy.stats' logpdf over the events plus logsf over the censored times, the catalogue's
survival function against scipy.stats' sf, the score at the estimate, and ℓ no worse than
scipy.optimize's maximum of the scipy.stats log-likelihood."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

import numpy as np
import scipy
import sympy as sp

from symmle.checks import Check, compare, frozen
from symmle.derive.censored.numeric import Split
from symmle.derive.censored.optimum import derivatives, log_likelihood
from symmle.derive.general import General
from symmle.families import Distribution
from symmle.numeric.covariance import standard_errors
from symmle.symbols import value

LOG_LIKELIHOOD_TOLERANCE = 1e-9
SURVIVAL_TOLERANCE = 1e-10
SCORE_TOLERANCE = 1e-6


def scipy_log_likelihood(family: Distribution, split: Split, values: Mapping[str, float]) -> float:
    """Σ log f over the events + Σ log S over the censored times, by scipy.stats."""
    twin = frozen(family, values)
    return float(np.sum(twin.logpdf(split.events)) + np.sum(twin.logsf(split.censored)))


def survival_check(family: Distribution, split: Split, values: Mapping[str, float]) -> Check:
    """S(y) from the catalogue, lambdified, against scipy.stats' sf at the times."""
    assert family.survival is not None
    at = {p.symbol: values[p.name] for p in family.parameters}
    fn = sp.lambdify(value, family.survival.subs(at), "scipy")
    times = split.times
    got = np.broadcast_to(np.asarray(fn(times), float), times.shape)
    expected = frozen(family, values).sf(times)
    return compare("S(y) against scipy.stats' sf", got, expected, SURVIVAL_TOLERANCE, 1.0)


def within_domain(domain: sp.Set) -> Callable[[float], bool]:
    """Whether a float lies in a parameter's domain: an interval's ends compared as floats (a
    SymPy containment per evaluation was most of the optimiser's time), else SymPy's."""
    if not isinstance(domain, sp.Interval):
        return lambda v: bool(domain.contains(sp.Float(v)))
    low, high = float(domain.inf), float(domain.sup)
    left = operator.lt if domain.left_open else operator.le
    right = operator.lt if domain.right_open else operator.le
    return lambda v: left(low, v) and right(v, high)


def optimum_check(g: General, split: Split, at: Mapping[sp.Symbol, float]) -> Check:
    """ℓ at the estimate no lower than scipy.optimize's maximum (Nelder–Mead from a point off
    the estimate) of the scipy.stats log-likelihood."""
    family = g.family
    names = [p.name for p in family.parameters]
    start = np.array([at[p.symbol] for p in family.parameters]) * 1.05 + 0.01

    inside = [within_domain(p.domain) for p in family.parameters]

    def negative(theta: np.ndarray) -> float:
        values = dict(zip(names, theta, strict=True))
        if not all(ok(float(v)) for ok, v in zip(inside, theta, strict=True)):
            return np.inf
        found = scipy_log_likelihood(family, split, values)
        return -found if np.isfinite(found) else np.inf

    best = scipy.optimize.minimize(
        negative,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000},
    )
    ours = log_likelihood(g, split, at)
    shortfall = float(max(0.0, -best.fun - ours) / max(1.0, abs(ours)))
    return Check("ℓ no lower than scipy.optimize's maximum", shortfall <= 1e-9, shortfall, 1e-9)


def score_check(g: General, split: Split, at: Mapping[sp.Symbol, float]) -> Check:
    """The score at the estimate in standard errors: |∂ℓ/∂θ|·SE, a fraction of the estimate's
    uncertainty."""
    _, gradient, hessian = derivatives(g, split, at)
    scale = np.abs(standard_errors(-hessian))
    zero = np.zeros_like(gradient)
    return compare("score zero at the estimate", gradient * scale, zero, SCORE_TOLERANCE, 1.0)


def censored_checks(g: General, split: Split, values: Mapping[str, float]) -> tuple[Check, ...]:
    family = g.family
    at = {p.symbol: values[p.name] for p in family.parameters}
    ours = log_likelihood(g, split, at)
    reference = scipy_log_likelihood(family, split, values)
    return (
        compare(
            "ℓ against scipy.stats (logpdf + logsf)", ours, reference, LOG_LIKELIHOOD_TOLERANCE
        ),
        survival_check(family, split, values),
        score_check(g, split, at),
        optimum_check(g, split, at),
    )
