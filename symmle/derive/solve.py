"""Solving the score equations and classifying the solution against the parameter domain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from symmle.families import Parameter


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


def sign_on_interior(expr: sp.Expr, parameters: Sequence[Parameter]) -> int | None:
    """+1 or -1 when ``expr`` has that sign everywhere inside the domain, else None."""
    swept = sp.factor(sp.simplify(expr.subs(interior(parameters))))
    if swept.is_positive:
        return 1
    if swept.is_negative:
        return -1
    return None


def leading_minors(matrix: sp.Matrix) -> list[sp.Expr]:
    """The leading principal minors, simplified."""
    return [sp.factor(sp.simplify(matrix[:k, :k].det())) for k in range(1, matrix.rows + 1)]


def negative_definite(matrix: sp.Matrix, parameters: Sequence[Parameter]) -> bool | None:
    """Sylvester's criterion: the k-th leading minor has the sign (-1)^k (None: undecided)."""
    signs = [sign_on_interior(m, parameters) for m in leading_minors(matrix)]
    if None in signs:
        return None
    return all(sign == (-1) ** k for k, sign in enumerate(signs, start=1))


def stationary_point(
    score: Sequence[sp.Expr],
    parameters: Sequence[Parameter],
    probe: Mapping[sp.Symbol, sp.Expr],
) -> dict[sp.Symbol, sp.Expr]:
    """The zero of the score that lies in the parameter domain.

    SymPy keeps roots whose sign it cannot decide (e.g. both +-sqrt(...) of a sum), so a root
    is kept only if it lies in the domain for the statistics of a probe sample as well.
    """
    symbols = [p.symbol for p in parameters]
    solutions = sp.solve(list(score), symbols, dict=True)
    kept = [
        s
        for s in solutions
        if set(s) == set(symbols)
        and all(p.domain.contains(s[p.symbol].subs(probe)) == sp.true for p in parameters)
    ]
    if len(kept) != 1:
        raise NotImplementedError(f"expected one stationary point in the domain, found {kept}")
    return {p.symbol: kept[0][p.symbol] for p in parameters}


def place(val: sp.Expr, parameter: Parameter) -> str:
    """Where a concrete estimate lies: 'interior', 'boundary' or 'outside' the domain."""
    if not (val.is_real and val.is_finite):
        return "outside"
    domain = parameter.domain
    if domain.interior.contains(val) == sp.true:
        return "interior"
    return "boundary" if domain.contains(val) == sp.true else "outside"
