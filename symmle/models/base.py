"""A regression model as data: the family of the target, the mean as a function of the linear
predictor η = xᵀw, the loss it is trained by; and what deriving and fitting it gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.render.notebook import Displayed

if TYPE_CHECKING:
    from symmle.checks import Check

Array = np.ndarray[Any, np.dtype[np.float64]]
eta = sp.Symbol("eta", real=True)
"""The linear predictor of one observation, ηᵢ = xᵢᵀw."""


@dataclass(frozen=True)
class Model:
    """A generalised linear model: yᵢ | xᵢ follows ``family`` whose ``parameter`` is
    ``mean(ηᵢ)``; ``nuisance`` parameters (the Normal's σ) are estimated after the weights."""

    name: str
    title: str
    family: Distribution
    parameter: sp.Symbol
    mean: sp.Expr
    link: str
    loss: str
    """The symmle loss that the model's NLL is (its registry name)."""
    targets: str
    """What the targets must be: "real", "binary" or "counts"."""
    nuisance: tuple[sp.Symbol, ...] = ()
    existence: Callable[[Array, Array], None] | None = field(default=None, compare=False)
    """Raises NoMLEError where the data leave the likelihood without a maximum."""


@dataclass(frozen=True)
class Iteration:
    """One Newton step: the NLL and the size of its gradient."""

    number: int
    nll: float
    gradient_norm: float


@dataclass(frozen=True)
class Fit:
    """The MLE of a model on data: weights, standard errors, the maximised log-likelihood."""

    X: Array
    y: Array
    names: tuple[str, ...]
    weights: Array
    standard_errors: Array
    log_likelihood: float
    iterations: tuple[Iteration, ...] = ()
    nuisance: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RegressionResult(Displayed):
    """A regression derived step by step; with data, fitted (``estimate``, ``standard_errors``)."""

    model: Model
    steps: tuple[Step, ...]
    nll: sp.Expr
    """The per-observation NLL in y and eta (the nuisance parameters kept)."""
    fit: Fit | None = None

    @property
    def estimate(self) -> dict[str, float]:
        return (
            {}
            if self.fit is None
            else dict(zip(self.fit.names, map(float, self.fit.weights), strict=True))
        )

    @property
    def standard_errors(self) -> dict[str, float]:
        if self.fit is None:
            return {}
        return dict(zip(self.fit.names, map(float, self.fit.standard_errors), strict=True))

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        from symmle.models.checks import check_fit

        return () if self.fit is None else check_fit(self)
