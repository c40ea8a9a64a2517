"""Sums about a point of the sample, for estimates that do not move with the data.

n·S₂ − S₁² (the Normal's variance, from S₁ = Σy and S₂ = Σy²) loses every digit in floating
point when the mean is large against the spread (y ≈ 10⁶ ± 1). Where every statistic of an
estimate is a polynomial in one base b(y) (y, or log y for the Log-normal), the estimate is
rewritten in the centred sums P_j = Σ (b(yᵢ) − c)^j: S_k = Σ_j C(k, j)·c^(k−j)·P_j. When the
rewritten estimate no longer holds c (it is translation invariant, like a variance) it is the
one compiled (with the family's other estimates, μ̂ = c + P₁/n), and c (the first
observation's b) makes the sums small: no cancellation left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symmle.derive.statistics import Statistic
from symmle.symbols import n, value

CENTRE = sp.Symbol("c", real=True)
"""The point the sums are taken about (b of the first observation)."""
BASES = (value, sp.log(value))


@dataclass(frozen=True)
class Centred:
    """Estimates rewritten in centred sums, and those sums."""

    base: sp.Expr
    exprs: tuple[sp.Expr, ...]
    statistics: tuple[Statistic, ...]


def as_polynomial(term: sp.Expr, base: sp.Expr) -> sp.Poly | None:
    u = sp.Dummy("u")
    inner = term.subs(base, u)
    if value in inner.free_symbols or not inner.is_polynomial(u):
        return None
    return sp.Poly(inner, u)


def centred_sums(
    used: Sequence[Statistic], base: sp.Expr
) -> tuple[dict[sp.Symbol, sp.Expr], tuple[Statistic, ...]] | None:
    """Each S_k in centred sums P_j, and the P_j; None unless every S_k is a polynomial in
    ``base``."""
    polys = [as_polynomial(s.term, base) for s in used]
    if not used or any(p is None for p in polys):
        return None
    degree = max(p.degree() for p in polys if p is not None)
    sums = [n, *(sp.Symbol(f"P_{j}", real=True) for j in range(1, degree + 1))]
    rewritten = {}
    for s, poly in zip(used, polys, strict=True):
        assert poly is not None
        rewritten[s.symbol] = sum(
            (
                c * sp.binomial(k, j) * CENTRE ** (k - j) * sums[j]
                for (k,), c in poly.terms()
                for j in range(k + 1)
            ),
            sp.Integer(0),
        )
    centred = tuple(Statistic(p, (base - CENTRE) ** j) for j, p in enumerate(sums) if j)
    return rewritten, centred


def centre(exprs: Sequence[sp.Expr], statistics: Sequence[Statistic]) -> Centred | None:
    """The estimates in centred sums where that removes c from some of them; None if none."""
    free = set().union(*(sp.sympify(e).free_symbols for e in exprs))
    used = [s for s in statistics if s.symbol in free]
    for base in BASES:
        found = centred_sums(used, base)
        if found is None:
            continue
        rewritten, sums = found
        shifted = [sp.expand(sp.sympify(e).subs(rewritten)) for e in exprs]
        invariant = [
            CENTRE not in s.free_symbols and s != e for s, e in zip(shifted, exprs, strict=True)
        ]
        if any(invariant):  # then all in centred sums: one set of sums to compute
            return Centred(base, tuple(shifted), sums)
    return None
