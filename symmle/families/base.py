"""A distribution family as data: its density, support, parameters, worked example and its
scipy.stats twin (the independent route of the numeric checks)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from symmle.errors import OptionError

ScipyTwin = Callable[[Mapping[str, float]], Any]
"""Parameter values by name -> the frozen scipy.stats distribution."""

Start = Callable[[Any], dict[str, float]]
"""A NumPy sample -> starting values (moment estimates) for Newton's method."""

W = sp.Symbol("w", positive=True)
"""The variable of a pivot's known law."""

SIGN = sp.Symbol("varsigma", real=True, nonzero=True)
"""A fair random sign, ±1, independent of W (for a law symmetric about its location)."""


@dataclass(frozen=True)
class Pivot:
    """One observation written through a variable of known law, y = observation(W, SIGN):
    W ~ Gamma(shape, 1) (``law`` "gamma", one shape) or Beta(a, b) (``law`` "beta")."""

    observation: sp.Expr
    law: str
    shape: tuple[sp.Expr, ...]

    def subs(self, values: Mapping[sp.Symbol, sp.Expr]) -> Pivot:
        shape = tuple(s.subs(values) for s in self.shape)
        return Pivot(self.observation.subs(values), self.law, shape)


COUNTABLE = 2**53
"""The largest count a known integer parameter may have: floats hold integers exactly to here."""


@dataclass(frozen=True)
class Parameter:
    """A parameter: its name, SymPy symbol (with assumptions) and domain."""

    name: str
    symbol: sp.Symbol
    domain: sp.Set
    meaning: str


@dataclass(frozen=True)
class Distribution:
    """One family: its pmf/pdf in ``symbols.value``, its parameters and what checks it.

    ``constants`` are parameters that are never estimated (the Binomial's number of trials m,
    Student's ν): they stay symbols for general n and must be known with data."""

    name: str
    title: str
    density: sp.Expr
    support: sp.Set
    parameters: tuple[Parameter, ...]
    discrete: bool
    example: tuple[str, ...]
    scipy: ScipyTwin | None = field(default=None, compare=False)
    probe: tuple[tuple[str, float], ...] = ()
    """Parameter values (constants included) the checks draw random samples from."""
    example_known: tuple[tuple[str, str], ...] = ()
    constants: tuple[Parameter, ...] = ()
    start: Start | None = field(default=None, compare=False)
    fit: Start | None = field(default=None, compare=False)
    """scipy.stats' own fit of the family (for a check that symmle's NLL is no worse)."""
    shown: sp.Expr | None = None
    """The density as displayed (a factor kept whole with UnevaluatedExpr); defaults to density."""
    known: tuple[tuple[str, sp.Expr], ...] = ()
    sized: Callable[[int], Distribution] | None = field(default=None, compare=False)
    """For a family whose parameters depend on a constant (Categorical's k): the family at k."""
    simplex: bool = False
    """The parameters are probabilities that sum to one (a constrained maximum)."""
    formula: str | None = None
    """A user-defined family's formula, as written (its twin evaluates it directly)."""
    note: str = ""
    """Said after the model: what SymPy decided about a user's density."""
    pivot: Pivot | None = None
    """For a family outside the exponential families: y through a Gamma or Beta variable, whose
    moments give the expectations of the Fisher information."""
    survival: sp.Expr | None = None
    """S(y) = P(Y > y) = 1 − F(y) in closed form, for right-censored observations (so that
    SymPy need not integrate the density)."""

    @property
    def display(self) -> sp.Expr:
        return self.density if self.shown is None else self.shown

    @property
    def reference(self) -> str:
        """Where the numeric checks' independent log-densities come from."""
        if self.formula is None:
            return "scipy.stats log-densities"
        return "the formula's log-densities, evaluated directly"

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(p.symbol for p in self.parameters)

    @property
    def density_name(self) -> str:
        return "pmf" if self.discrete else "pdf"

    @property
    def data_support(self) -> sp.Set:
        """The support with each parameter at its extreme: where any observation may lie."""
        ends = {}
        for p in self.parameters:
            if p.symbol in self.support.inf.free_symbols:
                ends[p.symbol] = p.domain.inf
            elif p.symbol in self.support.sup.free_symbols:
                ends[p.symbol] = p.domain.sup
        return self.support.subs(ends) if ends else self.support

    @property
    def probe_values(self) -> dict[str, float]:
        return dict(self.probe)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters + self.constants:
            if p.name == name:
                return p
        names = ", ".join(p.name for p in self.parameters + self.constants)
        raise OptionError(f"{self.title} has no parameter {name!r}; its parameters are: {names}.")

    def fix(self, known: Mapping[str, sp.Expr]) -> Distribution:
        """The family with some parameters known (fixed to values in their domains)."""
        known = dict(known)
        for name, val in known.items():
            p = self.parameter(name)
            if p.domain.contains(val) is not sp.true:
                raise OptionError(
                    f"known {name} = {val} lies outside its domain {sp.pretty(p.domain)}."
                )
            if p.domain.is_subset(sp.Integers) and abs(val) > COUNTABLE:
                raise OptionError(
                    f"known {name} = {float(val):g} is a count beyond 2⁵³, which no float holds "
                    "exactly: the numeric checks could not confirm the result."
                )
        if self.sized is not None and "k" in known:
            return self.sized(int(known.pop("k"))).fix(known)
        if known and set(known) >= {p.name for p in self.parameters}:
            raise OptionError("every parameter is known: nothing is left to estimate.")
        subs = {self.parameter(k).symbol: v for k, v in known.items()}
        return replace(
            self,
            density=self.density.subs(subs),
            support=self.support.subs(subs),
            shown=None if self.shown is None else self.shown.subs(subs),
            pivot=None if self.pivot is None else self.pivot.subs(subs),
            survival=None if self.survival is None else self.survival.subs(subs),
            parameters=tuple(p for p in self.parameters if p.name not in known),
            constants=tuple(p for p in self.constants if p.name not in known),
            known=self.known + tuple(sorted(known.items())),
            example_known=tuple((k, v) for k, v in self.example_known if k not in known),
        )

    def require_constants(self) -> None:
        """Concrete data need every constant known (the support depends on it)."""
        for c in self.constants:
            raise OptionError(
                f"the {self.title} needs {c.meaning} {c.name} to be known: pass "
                f"known={{'{c.name}': …}} (CLI: --known {c.name}=…)."
            )
