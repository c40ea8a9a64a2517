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
    """A regression derived step by step; with data, fitted (``estimate``, ``standard_errors``,
    ``interval``)."""

    model: Model
    steps: tuple[Step, ...]
    nll: sp.Expr
    """The per-observation NLL in y and eta (the nuisance parameters kept)."""
    fit: Fit | None = None

    @property
    def estimate(self) -> dict[str, float]:
        """The weights by name, then the linear model's σ̂ (empty without data)."""
        from symmle.models.intervals import estimates

        return {} if self.fit is None else estimates(self)

    @property
    def standard_errors(self) -> dict[str, float]:
        """SE of each weight from the inverse Hessian, and σ̂/√(2n) for σ (empty without data)."""
        from symmle.models.intervals import standard_errors

        return {} if self.fit is None else standard_errors(self)

    def interval(self, level: float = 0.95, method: str = "wald") -> dict[str, tuple[float, float]]:
        """Wald intervals θ̂ ± z·SE, or with ``method="profile"`` profile-likelihood intervals
        {θⱼ : 2(ℓ̂ − ℓₚ(θⱼ)) ≤ χ²₁,₁₋α}, each point a fit of the others (needs data)."""
        from symmle.models.intervals import intervals

        return intervals(self, level, method)

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        from symmle.models.checks import check_fit

        return () if self.fit is None else check_fit(self)
