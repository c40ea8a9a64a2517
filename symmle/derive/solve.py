"""Solving the score equations and classifying the solution against the parameter domain."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import sympy as sp

from symmle.budget import within
from symmle.derive.statistics import summands
from symmle.families import Parameter
from symmle.printing.notation import OrderStatistic

SOLVE_WITHIN = 20.0
"""Seconds one ``sp.solve`` of the planner may take (in a worker process); past it the method
does not apply and the next one is tried (in the end, Newton's method)."""
SOLVE_FUNCTIONS = (sp.exp, sp.log)
"""Functions of the parameters that SymPy's solve inverts; any other (Γ, ψ) blocks it."""


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


def roots(
    equations: Sequence[sp.Expr], symbols: Sequence[sp.Symbol]
) -> list[dict[sp.Symbol, sp.Expr]]:
    """``sp.solve``'s roots, as dicts; none where SymPy cannot solve the equations, or does not
    within SOLVE_WITHIN seconds."""
    try:
        return within(SOLVE_WITHIN, solve_all, list(equations), list(symbols))
    except (NotImplementedError, TimeoutError):
        return []


def solve_all(equations: list[sp.Expr], symbols: list[sp.Symbol]) -> list[dict[sp.Symbol, sp.Expr]]:
    return sp.solve(equations, symbols, dict=True)  # type: ignore[no-any-return]


def solve_unique(
    equations: Sequence[sp.Expr],
    parameters: Sequence[Parameter],
    at_probe: Callable[[sp.Expr], sp.Expr],
) -> dict[sp.Symbol, sp.Expr] | None:
    """The one root of the equations that lies in the domain for the probe sample, or None."""
    hidden = opaque(equations)
    symbols = [p.symbol for p in parameters]
    back = {d: s for s, d in hidden.items()}
    found = roots([e.xreplace(hidden) for e in equations], symbols)
    found = [{k: v.xreplace(back) for k, v in r.items()} for r in found]
    kept = [r for r in found if set(r) == set(symbols) and in_domain(r, parameters, at_probe)]
    return kept[0] if len(kept) == 1 else None


def interior(parameters: Sequence[Parameter]) -> dict[sp.Symbol, sp.Expr]:
    """Each parameter written through a positive (or real) dummy that sweeps its domain's
    interior, so that SymPy's assumptions can decide signs on the whole domain."""
    sweep: dict[sp.Symbol, sp.Expr] = {}
    for p in parameters:
        low, high = p.domain.inf, p.domain.sup
        u = sp.Dummy("u", positive=True)
        if low.is_finite and high.is_finite:
            sweep[p.symbol] = low + (high - low) * u / (1 + u)
        elif low.is_finite:
            sweep[p.symbol] = low + u
        elif high.is_finite:
            sweep[p.symbol] = high - u
        else:
            sweep[p.symbol] = sp.Dummy("r", real=True)
    return sweep


def numeric_sign(number: sp.Expr) -> int | None:
    """The sign of an expression free of symbols, from its value to 30 digits (SymPy raises
    the working precision until they are right); None for zero or an undecided sign."""
    try:
        value = sp.N(number, 30, strict=True)
    except (sp.core.evalf.PrecisionExhausted, ValueError):
        return None
    if value.is_comparable and value != 0:
        return 1 if value > 0 else -1
    return None


def sign_on(expr: sp.Expr, sweep: Mapping[sp.Symbol, sp.Expr]) -> int | None:
    """+1 or -1 when ``expr`` has that sign for every value of the sweep, else None."""
    if not sp.sympify(expr).free_symbols:  # concrete data: a number, evaluated
        return numeric_sign(expr)
    swept = sp.factor(sp.simplify(expr.subs(sweep)))
    if swept.is_positive:
        return 1
    if swept.is_negative:
        return -1
    return None


def sign_on_interior(expr: sp.Expr, parameters: Sequence[Parameter]) -> int | None:
    """+1 or -1 when ``expr`` has that sign everywhere inside the domain, else None."""
    return sign_on(expr, interior(parameters))


def region_sweep(
    bounded: Mapping[sp.Symbol, OrderStatistic], parameters: Sequence[Parameter]
) -> dict[sp.Symbol, sp.Expr]:
    """The parameters written through positive dummies that sweep the region the data allow:
    a lower end of the support up to min yᵢ, an upper end from max yᵢ (min yᵢ ≤ max yᵢ)."""
    sweep = interior([p for p in parameters if p.symbol not in bounded])
    low, high = OrderStatistic("min"), OrderStatistic("max")
    sweep[high] = low + sp.Dummy("w", positive=True)
    for p in parameters:
        if p.symbol not in bounded:
            continue
        u = sp.Dummy("u", positive=True)
        inf, sup = p.domain.inf, p.domain.sup
        if bounded[p.symbol] == low:
            finite = inf.is_finite
            sweep[low] = inf + sp.Dummy("v", positive=True) if finite else low
            sweep[p.symbol] = inf + (sweep[low] - inf) * u / (1 + u) if finite else low - u
        else:
            sweep[p.symbol] = sweep[high] + u if not sup.is_finite else sup - u
    return {k: sp.sympify(v).subs(sweep) for k, v in sweep.items()}


def in_domain(
    root: Mapping[sp.Symbol, sp.Expr],
    parameters: Sequence[Parameter],
    at_probe: Callable[[sp.Expr], sp.Expr],
) -> bool:
    """True when every coordinate of ``root`` lies in its domain for the probe sample."""
    for p in parameters:
        value = at_probe(root[p.symbol])
        if not (value.is_number and p.domain.contains(value) == sp.true):
            return False
    return True


def leading_minors(matrix: sp.Matrix) -> list[sp.Expr]:
    """The leading principal minors, simplified (evaluated, for a matrix of numbers)."""
    if not matrix.free_symbols:
        matrix = matrix.evalf(40)
    return [sp.factor(sp.simplify(matrix[:k, :k].det())) for k in range(1, matrix.rows + 1)]


def negative_definite(matrix: sp.Matrix, parameters: Sequence[Parameter]) -> bool | None:
    """Sylvester's criterion: the k-th leading minor has the sign (-1)^k (None: undecided)."""
    signs = [sign_on_interior(m, parameters) for m in leading_minors(matrix)]
    if None in signs:
        return None
    return all(sign == (-1) ** k for k, sign in enumerate(signs, start=1))


def place(val: sp.Expr, parameter: Parameter) -> str:
    """Where a concrete estimate lies: 'interior', 'boundary' or 'outside' the domain."""
    if not (val.is_real and val.is_finite):
        return "outside"
    domain = parameter.domain
    if domain.interior.contains(val) == sp.true:
        return "interior"
    return "boundary" if domain.contains(val) == sp.true else "outside"
