"""symmle: maximum-likelihood estimates and the losses of machine learning, derived step by step."""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from symmle.api import mle
    from symmle.checks import Check
    from symmle.derive.step import KINDS, Step
    from symmle.families import Distribution, families
    from symmle.families.known import family_with_known
    from symmle.families.user import define
    from symmle.fit import fit
    from symmle.fit.compare import Comparison, compare
    from symmle.losses import LossResult, loss, losses
    from symmle.models import RegressionResult, regression, regressions
    from symmle.results import Result
    from symmle.symbols import i, n, y

PRINTERS = "symmle.render.notebook"
"""Imported with the first public name: results print themselves through it (symmle.display)."""
LAZY = {
    "mle": "symmle.api",
    "Check": "symmle.checks",
    "KINDS": "symmle.derive.step",
    "Step": "symmle.derive.step",
    "Distribution": "symmle.families",
    "families": "symmle.families",
    "family_with_known": "symmle.families.known",
    "define": "symmle.families.user",
    "fit": "symmle.fit",
    "Comparison": "symmle.fit.compare",
    "compare": "symmle.fit.compare",
    "LossResult": "symmle.losses",
    "loss": "symmle.losses",
    "losses": "symmle.losses",
    "RegressionResult": "symmle.models",
    "regression": "symmle.models",
    "regressions": "symmle.models",
    "Result": "symmle.results",
    "i": "symmle.symbols",
    "n": "symmle.symbols",
    "y": "symmle.symbols",
}
"""Where each public name lives, imported on its first use (PEP 562) with the printers results
show themselves with: ``import symmle`` alone costs nothing, so a command of the CLI pays only
for the parts it runs (a derivation kept on disk imports neither SymPy nor SciPy)."""


if not TYPE_CHECKING:  # hidden from mypy, which types these names by the imports above

    def __getattr__(name: str) -> Any:
        if name not in LAZY:
            raise AttributeError(f"module 'symmle' has no attribute {name!r}")
        import_module(PRINTERS)
        value = getattr(import_module(LAZY[name]), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(LAZY))


class Package(ModuleType):
    """symmle itself: the first import of its subpackages symmle.families, symmle.fit and
    symmle.losses does not bind them over the functions of the same names."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in LAZY and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = Package

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
