"""A regression model as data: the family of the target, the mean as a function of the linear
predictor η = xᵀw, the loss it is trained by; and a fit's iterations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from symmle.families import Distribution
from symmle.numeric.newton import Iteration

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
