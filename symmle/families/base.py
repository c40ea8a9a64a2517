"""A distribution family as data: its density, support and parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import sympy as sp

from symmle.errors import OptionError


@dataclass(frozen=True)
class Parameter:
    """A parameter: its name, SymPy symbol (with assumptions) and domain."""

    name: str
    symbol: sp.Symbol
    domain: sp.Interval
    meaning: str


@dataclass(frozen=True)
class LossModel:
    """How a family becomes a loss: a network predicts one parameter."""

    parameter: str
    name: str
    sum_name: str
    mean_name: str


@dataclass(frozen=True)
class Distribution:
    """One family: its pmf/pdf in ``symbols.value`` and its parameters."""

    name: str
    title: str
    density: sp.Expr
    support: sp.Set
    parameters: tuple[Parameter, ...]
    discrete: bool
    example: tuple[str, ...]
    loss: LossModel | None = None
    shown: sp.Expr | None = None
    """The density as displayed (a factor kept whole with UnevaluatedExpr); defaults to density."""
    known: tuple[tuple[str, sp.Expr], ...] = ()

    @property
    def display(self) -> sp.Expr:
        return self.density if self.shown is None else self.shown

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(p.symbol for p in self.parameters)

    @property
    def density_name(self) -> str:
        return "pmf" if self.discrete else "pdf"

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        names = ", ".join(p.name for p in self.parameters)
        raise OptionError(f"{self.title} has no parameter {name!r}; its parameters are: {names}.")

    def fix(self, known: Mapping[str, sp.Expr]) -> Distribution:
        """The family with some parameters known (fixed to values in their domains)."""
        for name, val in known.items():
            p = self.parameter(name)
            if p.domain.contains(val) is not sp.true:
                raise OptionError(
                    f"known {name} = {val} lies outside its domain {sp.pretty(p.domain)}."
                )
        if len(known) == len(self.parameters):
            raise OptionError("every parameter is known: nothing is left to estimate.")
        subs = {self.parameter(k).symbol: v for k, v in known.items()}
        return replace(
            self,
            density=self.density.subs(subs),
            shown=None if self.shown is None else self.shown.subs(subs),
            parameters=tuple(p for p in self.parameters if p.name not in known),
            known=self.known + tuple(sorted(known.items())),
        )
