"""symmle: maximum-likelihood estimates and the losses of machine learning, derived step by step."""

from __future__ import annotations

from symmle.api import mle
from symmle.checks import Check
from symmle.derive.step import KINDS, Step
from symmle.errors import (
    DataError,
    FormulaError,
    NoMLEError,
    OptionError,
    RegularityError,
    SymmleError,
    UnknownFamilyError,
    UnknownLossError,
)
from symmle.families import Distribution, families
from symmle.families.known import family_with_known
from symmle.families.user import define
from symmle.fit import fit
from symmle.fit.compare import Comparison, compare
from symmle.losses import LossResult, loss, losses
from symmle.models import RegressionResult, regression, regressions
from symmle.results import Result
from symmle.symbols import i, n, y

__all__ = [
    "KINDS",
    "Check",
    "Comparison",
    "DataError",
    "Distribution",
    "FormulaError",
    "LossResult",
    "NoMLEError",
    "OptionError",
    "RegressionResult",
    "RegularityError",
    "Result",
    "Step",
    "SymmleError",
    "UnknownFamilyError",
    "UnknownLossError",
    "compare",
    "define",
    "families",
    "family_with_known",
    "fit",
    "i",
    "loss",
    "losses",
    "mle",
    "n",
    "regression",
    "regressions",
    "y",
]
