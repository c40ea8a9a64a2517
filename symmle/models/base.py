"""What deriving and fitting a regression gives: the public RegressionResult."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive.step import Step
from symmle.display import Displayed
from symmle.models.model import Fit, Model

if TYPE_CHECKING:
    from symmle.checks import Check


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
