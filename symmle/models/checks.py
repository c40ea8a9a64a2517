"""Numeric checks of a fitted regression against independent routes: scipy.optimize on the
lambdified NLL (for the estimate, and for ℓₚ at the profile intervals' ends), NumPy's least
squares, finite differences of the NLL; and, in the tests, statsmodels (OLS, Logit, GLM
Poisson)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy

from symmle.checks import Check, compare
from symmle.models.fit import compile_model
from symmle.models.model import Array
from symmle.models.profile import LogLikelihood, log_likelihood
from symmle.numeric.quantiles import chi2_quantile

if TYPE_CHECKING:
    from symmle.models.base import RegressionResult

TOLERANCE = 1e-6


def minimised(result: RegressionResult) -> Array:
    """scipy.optimize's BFGS minimum of the NLL, from w = 0, with the derived gradient
    replaced by finite differences (an independent route to the same minimum)."""
    assert result.fit is not None
    fit = result.fit
    compiled = compile_model(result.nll, {s: fit.nuisance[s.name] for s in result.model.nuisance})
    found = scipy.optimize.minimize(
        lambda w: compiled.value(fit.X, fit.y, w) / len(fit.y),
        np.zeros(fit.X.shape[1]),
        method="BFGS",
        options={"gtol": 1e-10},
    )
    return np.asarray(found.x, float)


def check_fit(result: RegressionResult) -> tuple[Check, ...]:
    assert result.fit is not None
    fit = result.fit
    checks = [
        compare(
            "estimate equals scipy.optimize's minimum of the NLL",
            fit.weights,
            minimised(result),
            1e-4,
        )
    ]
    if result.model.nuisance:
        lstsq = np.linalg.lstsq(fit.X, fit.y, rcond=None)[0]
        checks.append(compare("weights equal NumPy's least squares", fit.weights, lstsq, 1e-10))
    checks.append(gradient_check(result))
    checks.append(profile_check(result))
    return tuple(checks)


def gradient_check(result: RegressionResult) -> Check:
    """The derived gradient at ŵ + δ equals central differences of the NLL."""
    assert result.fit is not None
    fit = result.fit
    compiled = compile_model(result.nll, {s: fit.nuisance[s.name] for s in result.model.nuisance})
    w = fit.weights + 0.1
    _, gradient, _ = compiled.derivatives(fit.X, fit.y, w)
    steps = 1e-6 * np.eye(len(w))
    numeric = [
        (compiled.value(fit.X, fit.y, w + h) - compiled.value(fit.X, fit.y, w - h)) / 2e-6
        for h in steps
    ]
    scale = max(1.0, float(np.max(np.abs(numeric))))
    return compare(
        "derived gradient equals finite differences of the NLL",
        gradient / scale,
        np.array(numeric) / scale,
        1e-6,
    )


def constrained(ell: LogLikelihood, result: RegressionResult, name: str, value: float) -> float:
    """ℓ maximised by scipy.optimize (BFGS, finite differences) over every parameter but
    ``name`` (σ through log σ), from the estimate: an independent route to ℓₚ."""
    assert result.fit is not None
    fit = result.fit
    names = [*fit.names, *fit.nuisance]
    start = np.array([*fit.weights, *np.log(list(fit.nuisance.values()))])
    held = names.index(name)
    fixed = value if held < len(fit.names) else np.log(value)

    def negative(u: Array) -> float:
        theta = np.insert(u, held, fixed)
        spread = dict(zip(fit.nuisance, np.exp(theta[len(fit.names) :]), strict=True))
        return -ell(theta[: len(fit.names)], spread)

    others = np.delete(start, held)
    found = scipy.optimize.minimize(negative, others, method="BFGS", options={"gtol": 1e-9})
    return float(-found.fun)


def profile_check(result: RegressionResult) -> Check:
    """2(ℓ̂ − ℓₚ) at both ends of every 95% profile interval is χ²₁,₀.₉₅."""
    assert result.fit is not None
    ell = log_likelihood(result)
    top = ell(result.fit.weights, result.fit.nuisance)
    deviances = [
        2 * (top - constrained(ell, result, name, end))
        for name, ends in result.interval(method="profile").items()
        for end in ends
    ]
    return compare(
        "2(ℓ̂ − ℓₚ) at the profile intervals' ends is χ²₁,₀.₉₅, ℓₚ by scipy.optimize",
        deviances,
        np.full(len(deviances), chi2_quantile(0.95, 1)),
        1e-6,
    )


def statsmodels_checks(result: RegressionResult) -> tuple[Check, ...]:
    """The estimate, standard errors and log-likelihood against statsmodels (test extra)."""
    import statsmodels.api as sm

    assert result.fit is not None
    fit, name = result.fit, result.model.name
    if name == "linear":
        theirs = sm.OLS(fit.y, fit.X).fit()
        n, d = fit.X.shape
        errors = theirs.bse * np.sqrt((n - d) / n)  # statsmodels' σ² is RSS/(n − d)
    elif name == "logistic":
        theirs = sm.Logit(fit.y, fit.X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
        errors = theirs.bse
    else:
        theirs = sm.GLM(fit.y, fit.X, family=sm.families.Poisson()).fit(tol=1e-13)
        errors = theirs.bse
    return (
        compare("estimate equals statsmodels'", fit.weights, theirs.params, TOLERANCE),
        compare("standard errors equal statsmodels'", fit.standard_errors, errors, TOLERANCE),
        compare("log-likelihood equals statsmodels'", fit.log_likelihood, theirs.llf, 1e-9),
    )
