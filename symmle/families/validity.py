"""Is a user's formula a density? SymPy decides, where it can, that f ≥ 0 on the support and
that it integrates (sums) to one for every parameter in its domain; a density that SymPy shows
to be negative or to have another total is refused, and the model step says what was found."""

from __future__ import annotations

import sympy as sp

from symmle.budget import within
from symmle.errors import FormulaError
from symmle.families.base import Distribution
from symmle.printing.latex import inline
from symmle.symbols import value

DECIDE_WITHIN = 10
"""Seconds SymPy may spend deciding whether the density integrates to one."""


def total(family: Distribution) -> sp.Expr | None:
    """∫ f over the support (Σ for a pmf) where SymPy finds it in time, else None."""
    try:
        found = within(DECIDE_WITHIN, mass, family.density, family.support, family.discrete)
    except (TimeoutError, NotImplementedError, ValueError, TypeError):
        return None
    return None if found.has(sp.Integral, sp.Sum, sp.nan) else found


def mass(f: sp.Expr, where: sp.Set, discrete: bool) -> sp.Expr:
    """∫ f over ``where`` (Σ for a pmf), simplified (in a worker: SymPy may take forever)."""
    if isinstance(where, sp.FiniteSet):
        found = sp.Add(*(f.subs(value, v) for v in where))
    elif discrete:
        found = sp.summation(f, (value, where.inf, where.sup))
    else:
        found = sp.integrate(f, (value, where.inf, where.sup), conds="none")
    return sp.simplify(found)


def sign(family: Distribution) -> bool | None:
    """True when SymPy shows f ≥ 0 on the support, False when it shows f < 0, else None."""
    where = family.support
    u = sp.Dummy("u", positive=True)
    low, high = where.inf, where.sup
    if low.is_finite and high.is_finite:
        point = low + (high - low) * u / (1 + u)
    elif low.is_finite:
        point = low + u
    elif high.is_finite:
        point = high - u
    else:
        point = sp.Dummy("r", real=True)
    swept = family.density.subs(value, point)
    if swept.is_nonnegative:
        return True
    return False if swept.is_negative else None


def negative_point(family: Distribution) -> str | None:
    """A point of the worked sample where f < 0 at the probe parameters, written out."""
    values = {
        p.symbol: sp.Float(v) for p in family.parameters for k, v in family.probe if k == p.name
    }
    where = family.support.subs(values)
    f = family.density.subs(values)
    for point in family.example:
        y = sp.Rational(point)
        at = f.subs(value, y).evalf(15)
        if where.contains(y) == sp.true and at.is_real and (at < 0) == sp.true:
            shown = ", ".join(f"{k} = {v:g}" for k, v in family.probe)
            return f"y = {point} ({shown})"
    return None


def verdict(family: Distribution) -> str:
    """What SymPy decided about f, for the model step; FormulaError when f is not a density."""
    name, over = family.density_name, inline(family.support)
    sums = "sums" if family.discrete else "integrates"
    negative = negative_point(family)
    if sign(family) is False or negative:
        at = f" at {negative}" if negative else ""
        raise FormulaError(f"the {name} is negative{at}: it is not a density.")
    found = total(family)
    if found is None or found.has(sp.Piecewise):
        return (
            f" SymPy could not decide whether it {sums} to 1 over {over}; the numeric checks "
            "below do, at the estimate."
        )
    if sp.simplify(found - 1) != 0:
        raise FormulaError(
            f"the {name} {sums} to {inline(found)} over {over}, not to 1: it is not a density."
        )
    sign_text = "is non-negative and " if sign(family) else ""
    return (
        f" SymPy shows that it {sign_text}{sums} to 1 over {over} for every value of the "
        "parameters in their domains."
    )
