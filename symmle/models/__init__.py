"""Regression models trained by the losses: linear, logistic and Poisson regression, derived
with a design matrix and fitted by the normal equations or Newton's method (IRLS)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sympy as sp

from symmle.errors import DataError, OptionError
from symmle.families.continuous import NORMAL, mu, sigma
from symmle.families.discrete import BERNOULLI, POISSON, lam, theta
from symmle.losses.functions import sigmoid
from symmle.models.base import RegressionResult
from symmle.models.derive import derive_steps
from symmle.models.existence import separation, zero_counts
from symmle.models.fit import fit_model
from symmle.models.model import Model, eta
from symmle.models.steps import data_steps

__all__ = ["MODELS", "Model", "RegressionResult", "regression", "regressions"]

MODELS: dict[str, Model] = {
    m.name: m
    for m in (
        Model(
            "linear",
            "Linear regression",
            NORMAL,
            mu,
            eta,
            "identity",
            "squared-error",
            "real",
            (sigma,),
        ),
        Model(
            "logistic",
            "Logistic regression",
            BERNOULLI,
            theta,
            sigmoid(eta),
            "logit",
            "bce-with-logits",
            "binary",
            existence=separation,
        ),
        Model(
            "poisson",
            "Poisson regression",
            POISSON,
            lam,
            sp.exp(eta),
            "log",
            "poisson-nll",
            "counts",
            existence=zero_counts,
        ),
    )
}


def regressions() -> list[str]:
    """Names of the regression models."""
    return list(MODELS)


def regression(
    name: str,
    X: object = None,
    y: object = None,
    names: Sequence[str] | None = None,
) -> RegressionResult:
    """Derive the regression ``name`` step by step; with data (X n × d, y n targets) fit it:
    the weights, their standard errors, Wald and profile-likelihood intervals, and the numeric
    checks. ``names`` labels X's columns."""
    model = MODELS.get(name.strip().lower()) if isinstance(name, str) else None
    if model is None:
        raise OptionError(f"unknown regression {name!r}; choose one of: {', '.join(MODELS)}.")
    nll, steps = derive_steps(model)
    if X is None and y is None:
        return RegressionResult(model, tuple(steps), nll)
    if X is None or y is None:
        raise DataError("give both X and y to fit the model (or neither for the derivation).")
    fitted = RegressionResult(model, tuple(steps), nll, fit_model(model, nll, X, y, names))
    return replace(fitted, steps=(*fitted.steps, *data_steps(fitted)))
