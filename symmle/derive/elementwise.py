"""Per-sample terms as NumPy code that is fast on arrays: each elementwise operation is a pass
over a block, so the code computes as few as it can. A small integer power is printed as a
product (``x**4`` is ``pow`` per element in NumPy, ten times a product and slower still on
large values), a reciprocal as a division; exponentials of integer multiples of one argument
(exp(u), exp(2u)) share one ``exp`` (exp(2u) = exp(u)·exp(u)), after exponentials of a sum are
combined (exp(a)·exp(b) = exp(a + b)); then common subexpressions are computed once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from graphlib import TopologicalSorter

import sympy as sp
from sympy.printing.numpy import SciPyPrinter
from sympy.printing.precedence import PRECEDENCE

PRODUCT_UP_TO = 4
"""Integer powers up to this (in absolute value) are printed as products."""

Pairs = list[tuple[sp.Symbol, sp.Expr]]


class ArrayPrinter(SciPyPrinter):
    """SciPy's printer (what lambdify chooses for the modules symmle uses), with small
    integer powers of a symbol as products and reciprocals as divisions."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        power = expr.exp
        small = power.is_Integer and 0 < abs(power) <= PRODUCT_UP_TO
        if not small or (not expr.base.is_Atom and power != -1):  # NumPy squares fast
            return str(super()._print_Pow(expr, rational))
        base = self.parenthesize(expr.base, PRECEDENCE["Mul"], strict=True)
        product = "*".join([base] * abs(int(power)))
        return f"({product})" if power > 0 else f"(1/({product}))"


def array_printer(functions: Mapping[str, object]) -> ArrayPrinter:
    """The printer with lambdify's settings, ``functions`` named as they are."""
    return ArrayPrinter(
        {
            "fully_qualified_modules": False,
            "inline": True,
            "allow_unknown_functions": True,
            "user_functions": {k: k for k in functions},
        }
    )


def combined(term: sp.Expr) -> sp.Expr:
    """The term over one denominator (fewer divisions), exp(a)·exp(b) as exp(a + b), each
    exponential's argument over one denominator, so that the same exponential is written the
    same way in every term."""
    term = sp.powsimp(sp.together(term), deep=True, combine="exp")
    return term.replace(lambda e: isinstance(e, sp.exp), lambda e: sp.exp(canonical(e.args[0])))


def canonical(argument: sp.Expr) -> sp.Expr:
    return sp.factor_terms(sp.together(argument))


def shared_exponentials(terms: Sequence[sp.Expr]) -> tuple[list[sp.Expr], Pairs]:
    """The terms with exp(k·u) as E**k, where exp(u) (E) has another small multiple among
    them of the same sign; and each E with its exponential."""
    multiples: dict[sp.Expr, set[sp.Integer]] = defaultdict(set)
    for e in set().union(*(t.atoms(sp.exp) for t in terms)):
        k, u = e.args[0].as_coeff_Mul()
        if k.is_Integer and 0 < abs(k) <= PRODUCT_UP_TO:
            multiples[u * sp.sign(k)].add(abs(k))
    shared = {u: sp.Dummy("E") for u, ks in multiples.items() if len(ks) > 1}
    replace = {sp.exp(k * u): shared[u] ** k for u in shared for k in multiples[u]}
    return [t.xreplace(replace) for t in terms], [(d, sp.exp(u)) for u, d in shared.items()]


def elementwise_cse(exprs: Sequence[sp.Expr]) -> tuple[Pairs, list[sp.Expr]]:
    """Common subexpressions of the terms (lambdify's ``cse``), exponentials shared first."""
    terms, exponentials = shared_exponentials([combined(e) for e in exprs])
    pairs, reduced = sp.cse([*(e for _, e in exponentials), *terms])
    pairs += [(d, e) for (d, _), e in zip(exponentials, reduced, strict=False)]
    return in_order(pairs), reduced[len(exponentials) :]


def in_order(pairs: Pairs) -> Pairs:
    """The assignments ordered so that each comes after those it reads."""
    defined = dict(pairs)
    graph = {s: e.free_symbols & defined.keys() for s, e in pairs}
    return [(s, defined[s]) for s in TopologicalSorter(graph).static_order()]
