"""Distribution families as data, and the registry keyed by name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import sympy as sp

from symmle.errors import OptionError, UnknownFamilyError
from symmle.symbols import value


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


theta = sp.Symbol("theta", nonnegative=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)

BERNOULLI = Distribution(
    name="bernoulli",
    title="Bernoulli",
    density=theta**value * (1 - theta) ** (1 - value),
    support=sp.FiniteSet(0, 1),
    parameters=(Parameter("theta", theta, sp.Interval(0, 1), "the probability of a 1"),),
    discrete=True,
    example=("0", "0", "0", "1", "0"),
    loss=LossModel(
        "theta", "binary cross-entropy", "binary cross-entropy", "mean binary cross-entropy"
    ),
)

NORMAL = Distribution(
    name="normal",
    title="Normal",
    density=sp.exp(-((value - mu) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2),
    support=sp.Reals,
    parameters=(
        Parameter("mu", mu, sp.Interval(-sp.oo, sp.oo), "the mean"),
        Parameter("sigma", sigma, sp.Interval.open(0, sp.oo), "the standard deviation"),
    ),
    discrete=False,
    example=("-1", "0", "1"),
    loss=LossModel("mu", "squared error", "sum of squared errors", "mean squared error"),
    shown=sp.exp(-((value - mu) ** 2) / (2 * sigma**2))
    * sp.UnevaluatedExpr(2 * sp.pi * sigma**2) ** -sp.S.Half,
)

REGISTRY: dict[str, Distribution] = {d.name: d for d in (BERNOULLI, NORMAL)}


def families() -> list[str]:
    """Names of every registered family."""
    return sorted(REGISTRY)


def get(name: str) -> Distribution:
    """The family called ``name`` (case-insensitive)."""
    family = REGISTRY.get(name.strip().lower())
    if family is None:
        raise UnknownFamilyError(
            f"unknown family {name!r}; choose one of: {', '.join(families())}."
        )
    return family
