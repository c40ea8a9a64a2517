"""What a method of estimation is: a rule that claims some of a family's parameters, gives its
steps for a sample of symbolic size n and for concrete data, its estimate on a NumPy sample,
and tells the checks how its optimum is judged. (SymPy's ``manualintegrate`` rules are the
model: a finder per method returns a rule, or None when the method does not apply.)"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

import sympy as sp

from symmle.derive.compiled import Array, Compiled
from symmle.derive.statistics import with_data
from symmle.derive.step import Step
from symmle.families import Distribution, Parameter
from symmle.printing.notation import OrderStatistic

if TYPE_CHECKING:
    from symmle.derive.general import General


@dataclass(frozen=True)
class Problem:
    """What is left to estimate when a method is tried: the parameters no earlier rule
    claimed, and the log-likelihood with the earlier rules' solutions put in."""

    family: Distribution
    log_likelihood: sp.Expr
    parameters: tuple[Parameter, ...]
    at_probe: Callable[[sp.Expr], sp.Expr]
    """An expression in statistics at the worked example's data: to tell roots apart."""

    def without(self, rule: Rule) -> Problem:
        left = tuple(p for p in self.parameters if p.symbol not in rule.symbols)
        return replace(self, log_likelihood=rule.reduce(self.log_likelihood), parameters=left)

    @property
    def score(self) -> list[sp.Expr]:
        return [sp.diff(self.log_likelihood, p.symbol) for p in self.parameters]


@dataclass(frozen=True)
class Worked:
    """A derivation with data, as far as the rules before this one took it."""

    data: Sequence[Fraction]
    values: dict[sp.Symbol, sp.Expr]
    """n and the statistics of the data."""
    score: Mapping[sp.Symbol, sp.Expr]
    """∂ℓ/∂θ with the data put in, for each parameter ℓ is differentiable in."""
    estimate: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    """The estimates the earlier rules found."""

    def exact(self, expr: sp.Expr) -> sp.Expr:
        """An expression in statistics with the data's values put in."""
        return with_data(expr.subs(self.values), self.data)


@dataclass(frozen=True)
class Rule:
    """One method's part of a plan: the parameters it claims and their solution."""

    symbols: tuple[sp.Symbol, ...]
    solution: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    """Each claimed parameter in statistics (and, for a profile, the other parameters)."""

    label: ClassVar[str] = "closed form"
    """What ``Result.method`` says when this is the deciding rule."""
    precedence: ClassVar[int] = 0
    """The plan's method is the label of its rule of highest precedence."""
    smooth: ClassVar[bool] = True
    """Its parameters are in the score and the Hessian (False: at an order statistic)."""
    stationary: ClassVar[bool] = True
    """Its estimate is a zero of the score (False: the checks compare ℓ with an optimiser's)."""
    differentiable: ClassVar[bool] = True
    """ℓ is differentiable in its parameters (False: an optimiser must not use gradients)."""
    scored: ClassVar[bool] = True
    """Its steps follow the score equations (False: it replaces them)."""

    @property
    def explicit(self) -> dict[sp.Symbol, sp.Expr]:
        """The solution where it is in the statistics alone."""
        return self.solution

    @property
    def region(self) -> dict[sp.Symbol, OrderStatistic]:
        """Parameters whose domain the data bound: a support end beyond the data's extreme."""
        return {}

    @property
    def constraint(self) -> sp.Expr | None:
        """An equation (= 0) the estimates satisfy, as a constrained optimiser is given it."""
        return None

    def reduce(self, ell: sp.Expr) -> sp.Expr:
        """ℓ as the next method sees it."""
        return ell

    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        """The steps for a sample of symbolic size n (``ell`` as shown, ``shown`` the
        solutions as a textbook writes them)."""
        return []

    def on_data(self, g: General, worked: Worked) -> tuple[dict[sp.Symbol, sp.Expr], list[Step]]:
        """The claimed parameters' estimates for the data and the steps that find them (the
        earlier rules' estimates are in ``worked``)."""
        return {s: worked.exact(e) for s, e in self.explicit.items()}, []

    def estimate(self, g: General, sample: Array) -> dict[sp.Symbol, float]:
        """The claimed parameters' estimates on a NumPy sample."""
        return explicit_on(g, self.explicit, sample)


@dataclass(frozen=True)
class AtOrderStatistic(Rule, ABC):
    """A rule whose parameters sit at an order statistic (min, max, median): ℓ has no zero
    of the score there; one step says why, with or without data."""

    label = "boundary"
    precedence = 1
    smooth = False
    stationary = False

    def reduce(self, ell: sp.Expr) -> sp.Expr:
        return ell.subs(self.solution)

    def general_steps(
        self, g: General, ell: sp.Expr, shown: dict[sp.Symbol, sp.Expr]
    ) -> list[Step]:
        return [self.step(g, None)]

    def on_data(self, g: General, worked: Worked) -> tuple[dict[sp.Symbol, sp.Expr], list[Step]]:
        estimate, _ = super().on_data(g, worked)
        return estimate, [self.step(g, worked)]

    @abstractmethod
    def step(self, g: General, worked: Worked | None) -> Step:
        """The step that says why ℓ is largest at the order statistic."""


def explicit_on(
    g: General, solution: Mapping[sp.Symbol, sp.Expr], sample: Array
) -> dict[sp.Symbol, float]:
    """Solutions in statistics, lambdified, on a sample."""
    if not solution:
        return {}
    symbols = list(solution)
    found = Compiled([solution[s] for s in symbols], [], g.form, sample)([])
    return dict(zip(symbols, found, strict=True))


Finder = Callable[[Problem], Rule | None]
"""A method's finder: its rule for what is left of a problem, or None."""


def parameters_of(family: Distribution, symbols: Sequence[sp.Symbol]) -> list[Parameter]:
    return [p for p in family.parameters if p.symbol in symbols]
