"""A family defined by a user's formula: ``define(pdf="lam*exp(-lam*y)", parameters={"lam":
"(0, oo)"}, support="[0, oo)")`` builds a Distribution like the catalogue's, so that every
method of the derivation applies. SymPy checks that the density is non-negative and
integrates (sums) to one where it can decide, and the model step says what it found."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import sympy as sp

from symmle.errors import FormulaError
from symmle.families.base import Distribution, Parameter
from symmle.families.formula import CONSTANTS, parse_formula
from symmle.families.sets import integers, interval
from symmle.families.twin import Twin, log_formula
from symmle.families.validity import verdict
from symmle.printing.latex import inline
from symmle.symbols import value

NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)?")
RESERVED = {"y", "n", "i", "lambda", *CONSTANTS}
SHOWN = {"lam": "lambda"}
"""Parameter names written for Python but shown as the Greek letter they spell."""


def symbol_for(name: object, domain: sp.Set) -> sp.Symbol:
    """The parameter's symbol, with the sign its domain gives it."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or len(name) > 20:
        raise FormulaError(f"{name!r} is not a parameter name: use letters, digits and one _.")
    if name in RESERVED or name.startswith(("S_", "y_")):
        hint = " (call it lam)" if name == "lambda" else ""
        raise FormulaError(f"{name!r} cannot name a parameter: it is reserved{hint}.")
    low = domain.inf
    if low.is_number and (low > 0 or (low == 0 and domain.left_open)):
        assumptions = {"positive": True}
    elif low.is_number and low >= 0:
        assumptions = {"nonnegative": True}
    else:
        assumptions = {"real": True}
    return sp.Symbol(SHOWN.get(name, name), **assumptions)


def domains(parameters: object) -> dict[str, sp.Set]:
    if not isinstance(parameters, Mapping) or not parameters:
        raise FormulaError(
            "give the parameters as a mapping of name to domain, e.g. {'lam': '(0, oo)'}."
        )
    return {name: interval(text, where=f"domain of {name}") for name, text in parameters.items()}


def pick(pdf: object, pmf: object) -> tuple[str, bool]:
    """The formula and whether it is a pmf: exactly one of the two."""
    if (pdf is None) == (pmf is None):
        raise FormulaError("give exactly one formula: pdf= for a density, pmf= for counts.")
    return (str(pdf), False) if pmf is None else (str(pmf), True)


def define(
    pdf: str | None = None,
    pmf: str | None = None,
    parameters: Mapping[str, object] | None = None,
    support: object = None,
    title: str = "user-defined distribution",
) -> Distribution:
    """The family of a user's pdf (or pmf) in y, its parameters' domains and its support."""
    formula, discrete = pick(pdf, pmf)
    found = domains(parameters)
    symbols = {name: symbol_for(name, d) for name, d in found.items()}
    if support is None:
        raise FormulaError("give the support of y, e.g. support='[0, oo)' or '{0, 1, 2, ...}'.")
    where = integers(support) if discrete else interval(support, symbols, "support")
    density = parse_formula(formula, {"y": value, **symbols}, "pmf" if discrete else "pdf")
    used = density.free_symbols | where.free_symbols
    for name, symbol in symbols.items():
        if symbol not in used:
            raise FormulaError(f"the parameter {name} does not appear in the formula.")
    params = tuple(
        Parameter(name, symbols[name], d, f"a parameter in {inline(d)}")
        for name, d in found.items()
    )
    family = Distribution(
        name="user-defined",
        title=title,
        density=density,
        support=where,
        parameters=params,
        discrete=discrete,
        example=(),
        formula=formula,
    )
    family = replace(family, example=example(family.data_support), probe=probe(params, where))
    return replace(
        family,
        note=verdict(family),
        scipy=Twin(density, where, discrete, dict(symbols)),
        start=GridStart(family),
    )


def example(support: sp.Set) -> tuple[str, ...]:
    """A few points of the support: the sample the general derivation picks its roots with."""
    if isinstance(support, sp.FiniteSet):
        return tuple(str(v) for v in support)
    if isinstance(support, sp.Range):
        start = support.inf
        return tuple(str(start + k) for k in (0, 1, 1, 2, 4) if start + k in support)
    low, high = support.inf, support.sup
    if low.is_finite and high.is_finite:
        return tuple(str(low + (high - low) * sp.Rational(k, 8)) for k in (1, 3, 4, 6))
    if low.is_finite:
        return tuple(str(low + k) for k in (1, 2, 3, 6))
    if high.is_finite:
        return tuple(str(high - k) for k in (1, 2, 3, 6))
    return ("-2", "-1", "0", "1", "4")


def probe(parameters: tuple[Parameter, ...], support: sp.Set) -> tuple[tuple[str, float], ...]:
    """A point inside each domain, where the checks of the general derivation sample (the
    ends of the support apart)."""
    found = []
    for p in parameters:
        low, high = p.domain.inf, p.domain.sup
        if low.is_finite and high.is_finite:
            point = (low + high) / 2
        elif low.is_finite:
            point = low + 1 + (p.symbol == support.sup)
        elif high.is_finite:
            point = high - 1 - (p.symbol == support.inf)
        else:
            point = sp.Integer((p.symbol == support.sup) - (p.symbol == support.inf))
        found.append((p.name, float(point)))
    return tuple(found)


def candidates(p: Parameter, sample: Any) -> Any:
    """Rough values of a parameter to start Newton's method from, on the data's scale."""
    scale = float(np.std(sample)) or float(np.max(np.abs(sample))) or 1.0
    spread = np.unique(
        np.concatenate([np.geomspace(1e-3, 1e3, 13) * f for f in (scale, 1 / scale)])
    )
    low, high = float(p.domain.inf), float(p.domain.sup)
    if np.isfinite(low) and np.isfinite(high):
        return low + (high - low) * np.linspace(0.05, 0.95, 10)
    if np.isfinite(low):
        return low + spread
    if np.isfinite(high):
        return high - spread
    return float(np.median(sample)) + scale * np.linspace(-3, 3, 13)


@dataclass(frozen=True)
class GridStart:
    """Starting values for Newton's method: the best point of a grid over the domains (a
    parameter at an end of the support starts at the sample's minimum or maximum). A plain
    record (compiled when called), so that a derivation can come back from a worker process."""

    family: Distribution

    def __call__(self, sample: Any) -> dict[str, float]:
        family = self.family
        symbols = [p.symbol for p in family.parameters]
        log_f = sp.lambdify([value, *symbols], log_formula(family.density), ["scipy", "numpy"])
        ends = {family.support.inf: np.min, family.support.sup: np.max}
        grids = [
            [float(ends[p.symbol](sample))] if p.symbol in ends else candidates(p, sample)
            for p in family.parameters
        ]
        while np.prod([len(g) for g in grids]) > 4000:
            grids = [g[::2] if len(g) > 2 else g for g in grids]
        best, found = -np.inf, [float(g[len(g) // 2]) for g in grids]
        with np.errstate(all="ignore"):
            for point in itertools.product(*grids):
                ell = float(np.sum(log_f(sample, *point) * np.ones_like(sample)))
                if np.isfinite(ell) and ell > best:
                    best, found = ell, list(point)
        return {p.name: float(v) for p, v in zip(family.parameters, found, strict=True)}
