"""How each parameter is estimated, decided once per family for a sample of symbolic size n.

In order: parameters that bound the support sit at an order statistic (boundary); a location
inside |y − μ| sits at the median (non-differentiable); the score equations are solved in
closed form where SymPy can; otherwise a parameter that enters its own score equation
algebraically is profiled out, and the rest is left to Newton's method (numeric).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sympy as sp

from symmle.derive.solve import in_domain, region_sweep, sign_on
from symmle.derive.statistics import summands
from symmle.families import Distribution, Parameter
from symmle.printing.notation import OrderStatistic
from symmle.symbols import n

SOLVE_FUNCTIONS = (sp.exp, sp.log)
"""Functions of the parameters that SymPy's solve inverts; any other (Γ, ψ) blocks it."""


@dataclass(frozen=True)
class Plan:
    """Per parameter: the order statistic, closed form, profile, or Newton's method."""

    boundary: dict[sp.Symbol, OrderStatistic] = field(default_factory=dict)
    signs: dict[sp.Symbol, int] = field(default_factory=dict)
    median: dict[sp.Symbol, OrderStatistic] = field(default_factory=dict)
    closed: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    profiled: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    numeric: tuple[sp.Symbol, ...] = ()
    reason: str = ""
    multiplier: sp.Expr | None = None
    """For a constrained maximum: the Lagrange multiplier at the solution."""
    log_likelihood: sp.Expr = sp.S.Zero
    """The log-likelihood with the order statistics and profiles substituted."""

    @property
    def method(self) -> str:
        if self.numeric:
            return "numeric"
        if self.multiplier is not None:
            return "constrained"
        if self.boundary or self.median:
            return "boundary"
        return "closed form"


def algebraic(expr: sp.Expr, symbol: sp.Symbol) -> bool:
    """True when ``symbol`` stands outside every sum over the sample and every function that
    solve cannot invert."""
    for atom in (*summands(expr), *expr.atoms(sp.Function)):
        if symbol in atom.free_symbols and not (
            isinstance(atom, SOLVE_FUNCTIONS) and not summands(atom)
        ):
            return False
    return True


def opaque(exprs: Sequence[sp.Expr]) -> dict[sp.Basic, sp.Symbol]:
    """Each sum over the sample as a plain symbol, so that solve treats it as a number."""
    sums = sorted(set().union(*(summands(e) for e in exprs)), key=sp.default_sort_key)
    return {s: sp.Dummy("Q", positive=True) for s in sums}


def solve_unique(
    equations: Sequence[sp.Expr],
    parameters: Sequence[Parameter],
    at_probe: Callable[[sp.Expr], sp.Expr],
) -> dict[sp.Symbol, sp.Expr] | None:
    """The one root of the equations that lies in the domain for the probe sample, or None."""
    hidden = opaque(equations)
    symbols = [p.symbol for p in parameters]
    try:
        roots = sp.solve([e.xreplace(hidden) for e in equations], symbols, dict=True)
    except NotImplementedError:
        return None
    back = {d: s for s, d in hidden.items()}
    roots = [{k: v.xreplace(back) for k, v in r.items()} for r in roots]
    kept = [r for r in roots if set(r) == set(symbols) and in_domain(r, parameters, at_probe)]
    return kept[0] if len(kept) == 1 else None


def bounding(family: Distribution) -> dict[sp.Symbol, OrderStatistic]:
    """Parameters at an end of the support: a lower end is at most min yᵢ, an upper end at
    least max yᵢ."""
    found: dict[sp.Symbol, OrderStatistic] = {}
    for p in family.parameters:
        if p.symbol in family.support.inf.free_symbols:
            found[p.symbol] = OrderStatistic("min")
        elif p.symbol in family.support.sup.free_symbols:
            found[p.symbol] = OrderStatistic("max")
    return found


def at_median(ell: sp.Expr, parameters: Sequence[Parameter]) -> dict[sp.Symbol, OrderStatistic]:
    """Locations inside Σ|yᵢ − μ|: the log-likelihood is not differentiable there."""
    return {
        p.symbol: OrderStatistic("median")
        for p in parameters
        if any(p.symbol in a.free_symbols for s in summands(ell) for a in s.atoms(sp.Abs))
    }


def why_numeric(score: Sequence[sp.Expr], symbols: Sequence[sp.Symbol]) -> str:
    """Why the score equations have no closed-form solution, in one sentence."""
    special = sorted(
        {
            type(f).__name__
            for e in score
            for f in e.atoms(sp.Function)
            if set(symbols) & f.free_symbols and not isinstance(f, SOLVE_FUNCTIONS)
        }
    )
    names = {"polygamma": "the digamma function ψ", "gamma": "the gamma function Γ"}
    if special:
        shown = ", ".join(names.get(s, s) for s in special)
        return f"The score equations involve {shown}: they have no closed-form solution."
    return (
        "The parameters sit inside a sum over the sample of a nonlinear function of the data "
        "(no sufficient statistic of fixed size): the score equations have no closed-form "
        "solution."
    )


def make_plan(family: Distribution, ell: sp.Expr, at_probe: Callable[[sp.Expr], sp.Expr]) -> Plan:
    """Decide, parameter by parameter, how the log-likelihood ``ell`` is maximised."""
    if family.simplex:
        return lagrange(family, ell)
    bounded = bounding(family)
    signs = {s: sign_on(sp.diff(ell, s), region_sweep(bounded, family.parameters)) for s in bounded}
    ell = ell.subs(bounded)
    rest = [p for p in family.parameters if p.symbol not in bounded]
    medians = at_median(ell, rest)
    ell = ell.subs(medians)
    rest = [p for p in rest if p.symbol not in medians]
    score = [sp.diff(ell, p.symbol) for p in rest]
    plan = {"boundary": bounded, "signs": signs, "median": medians}
    if all(algebraic(e, p.symbol) for e in score for p in rest):
        closed = solve_unique(score, rest, at_probe) if rest else {}
        if closed is not None:
            return Plan(**plan, closed=closed, log_likelihood=ell)  # type: ignore[arg-type]
    profiled: dict[sp.Symbol, sp.Expr] = {}
    for p, equation in zip(rest, score, strict=True):
        equation = equation.subs(profiled)
        if len(profiled) < len(rest) - 1 and algebraic(equation, p.symbol):
            root = solve_unique([equation], [p], at_probe)
            if root is not None:
                profiled[p.symbol] = root[p.symbol]
    numeric = tuple(p.symbol for p in rest if p.symbol not in profiled)
    reason = why_numeric(score, [p.symbol for p in rest])
    return Plan(
        **plan,  # type: ignore[arg-type]
        profiled=profiled,
        numeric=numeric,
        reason=reason,
        log_likelihood=ell.subs(profiled),
    )


MULTIPLIER = sp.Symbol("nu_L", real=True)
"""The Lagrange multiplier of the constraint Σ p_j = 1."""


def lagrangian(family: Distribution, ell: sp.Expr) -> sp.Expr:
    return ell - MULTIPLIER * (sp.Add(*family.symbols) - 1)


def lagrange(family: Distribution, ell: sp.Expr) -> Plan:
    """Maximise ℓ subject to Σ p_j = 1: the gradient of the Lagrangian is zero."""
    lag = lagrangian(family, ell)
    equations = [sp.diff(lag, s) for s in family.symbols] + [sp.diff(lag, MULTIPLIER)]
    (root,) = sp.solve(equations, [*family.symbols, MULTIPLIER], dict=True)
    counts = root[MULTIPLIER]  # Σ_j n_j: every observation falls in one category
    closed = {s: root[s].subs(counts, n) for s in family.symbols}
    return Plan(closed=closed, multiplier=n, log_likelihood=ell)
