"""The sums over the sample of a program as linear combinations of fewer, cheaper sums.

Newton's per-sample terms (ℓ's summand, its derivatives) are written in a few per-sample
quantities: the residual r = y − c about the point c that every polynomial in y is centred on
(x₀ for the Cauchy's (y − x₀)² + γ², μ for the logistic's e^(−(y − μ)/s)), the functions of r
(atoms: exp, log, y^k), and the reciprocal Q of each denominator. Each summand is then a
polynomial in them with coefficients in the parameters, reduced by the relations D·Q = 1
((1 + E)·Q = 1 turns E·Q into 1 − Q): Σ c_k(θ)·m_k. The per-sample work is one product per
monomial m_k; the coefficients multiply the totals once, outside the pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.codegen.cfunctions import log1p

from symmle.derive.elementwise import array_printer, in_order
from symmle.derive.lambdified import FUNCTIONS, MODULES, Lambdified, numeric_form
from symmle.symbols import value

Pairs = list[tuple[sp.Symbol, sp.Expr]]
SHARED_POWERS = 4
"""exp(k·u) for an integer |k| up to this is written as a power of one exp(u)."""


class Unsupported(Exception):
    """A summand outside what the decomposition handles (the terms are then kept as they are)."""


@dataclass(frozen=True)
class Basis:
    """Per-sample monomials (one NumPy function) and each summand as a combination of their
    totals (the Dummies ``totals``)."""

    terms: Lambdified
    totals: tuple[sp.Dummy, ...]
    combinations: tuple[sp.Expr, ...]


def centre(terms: Sequence[sp.Expr]) -> sp.Expr:
    """The point the polynomials of degree 1 or 2 in y (the largest ones in each term) are
    centred on, where all but those centred on 0 agree; 0 otherwise."""
    found: set[sp.Expr] = set()

    def visit(e: sp.Expr) -> None:
        if value not in e.free_symbols:
            return
        if e.is_polynomial(value):
            p = sp.Poly(e, value)
            if p.degree() in (1, 2):
                top, next_ = p.all_coeffs()[:2]
                found.add(sp.cancel(-next_ / (p.degree() * top)))
            return
        for a in e.args:
            visit(a)

    for t in terms:
        visit(t)
    found.discard(sp.Integer(0))
    return found.pop() if len(found) == 1 else sp.Integer(0)


class Atoms:
    """The functions of the residual r met so far, each a Dummy with its definition."""

    def __init__(self, r: sp.Symbol, logs: set[sp.Expr]) -> None:
        self.r = r
        self.logs = logs
        """Arguments of logs: b^k with log(b) among them is computed as exp(k·log b)."""
        self.defined: dict[sp.Expr, sp.Dummy] = {}

    def atom(self, definition: sp.Expr) -> sp.Dummy:
        if definition not in self.defined:
            self.defined[definition] = sp.Dummy("A")
        return self.defined[definition]

    def of(self, e: sp.Expr) -> sp.Expr:
        """``e`` with every function of r an atom."""
        if self.r not in e.free_symbols or e == self.r:
            return e
        if e.is_Add or e.is_Mul:
            return e.func(*(self.of(a) for a in e.args))
        if e.is_Pow and e.exp.is_Integer:
            return self.of(e.base) ** e.exp
        if e.is_Pow and e.base in self.logs:
            return self.of(sp.exp(e.exp * sp.log(e.base)))
        if isinstance(e, sp.exp):
            k, u = sp.factor_terms(sp.together(e.args[0])).as_coeff_Mul()
            if k.is_Integer and 0 < abs(k) <= SHARED_POWERS:
                return self.atom(sp.exp(self.of(sp.sign(k) * u))) ** abs(k)
        if isinstance(e, (sp.Function, sp.Pow)) and not isinstance(e, sp.Piecewise):
            args = [sp.expand(a) if polynomial_in(a, self.r) else a for a in e.args]
            return self.atom(e.func(*(self.of(a) for a in args)))
        raise Unsupported(f"{type(e).__name__} in a per-sample term")


def polynomial_in(e: sp.Expr, r: sp.Symbol) -> bool:
    return r in e.free_symbols and bool(e.is_polynomial(r))


def polynomial(
    term: sp.Expr, gens: list[sp.Symbol], reciprocals: dict[sp.Expr, sp.Dummy]
) -> sp.Expr:
    """``term`` (rational in ``gens``) as a polynomial in them and the reciprocals Q of its
    denominator's factors (added to ``reciprocals``)."""
    top, bottom = sp.fraction(sp.together(term))
    coefficient, factors = sp.factor_list(bottom, *gens)
    result = top / coefficient
    for factor, power in factors:
        key = sp.expand(factor)
        if key not in reciprocals:
            reciprocals[key] = sp.Dummy("Q")
        result *= reciprocals[key] ** power
    return sp.expand(result)


class BlockDot(sp.Function):
    """Σ a·b over a block, printed as ``block_dot``: a product that is only summed needs no
    array of its own."""


DOT_CHUNK = 8192
"""NumPy's dot (BLAS) on rows of this many values: OpenBLAS runs a longer dot on threads of
its own, which fight the reducer's (the logistic's fit at 10⁶ took 2 s)."""


def block_dot(a: Any, b: Any) -> Any:
    """Σ a·b over a block as the dot products of its rows of ``DOT_CHUNK`` values (and the
    rest), which the reducer sums like any term: they read both arrays once and write none,
    in a third of the time of the product and its sum (0.2 against 0.6 ns a value), and
    two thirds of ``einsum``'s."""
    if not (np.ndim(a) and np.ndim(b)):
        return a * b
    whole = a.size - a.size % DOT_CHUNK
    rows = np.vecdot(a[:whole].reshape(-1, DOT_CHUNK), b[:whole].reshape(-1, DOT_CHUNK))
    return np.append(rows, np.dot(a[whole:], b[whole:])) if whole < a.size else rows


def summed(monomials: list[tuple[int, ...]], gens: list[sp.Symbol]) -> tuple[Pairs, list[sp.Expr]]:
    """The total of each monomial (exponents of ``gens``, by degree): a generator as it is, a
    product of two monomials at hand as their dot product; the products made as arrays for
    that (each one smaller monomial times a generator) as assignments."""
    unit = [tuple(int(k == j) for k in range(len(gens))) for j in range(len(gens))]
    made: dict[tuple[int, ...], sp.Expr] = dict(zip(unit, gens, strict=True))
    made[tuple(0 for _ in gens)] = sp.Integer(1)
    pairs: Pairs = []

    def make(m: tuple[int, ...]) -> sp.Expr:
        if m not in made:
            j = max(range(len(m)), key=lambda k: m[k])
            made[m] = sp.Dummy("M")
            pairs.append((made[m], make(less(m, unit[j])) * gens[j]))
        return made[m]

    outputs = []
    for m in monomials:
        if m in made:
            outputs.append(made[m])
            continue
        a = next((a for a in made if any(a) and less(m, a) in made and any(less(m, a))), None)
        if a is None:
            a = less(m, unit[max(range(len(m)), key=lambda k: m[k])])
            make(a)
        outputs.append(BlockDot(made[a], made[less(m, a)]))
    return pairs, outputs


def less(m: tuple[int, ...], a: tuple[int, ...]) -> tuple[int, ...]:
    """m − a (a monomial divided by another); negative exponents where a does not divide m."""
    return tuple(e - f for e, f in zip(m, a, strict=True))


def basis(summands: Sequence[sp.Expr], arguments: Sequence[sp.Symbol]) -> Basis | None:
    """The summands (in the observation ``value`` and ``arguments``) as combinations of the
    totals of per-sample monomials; None where a summand is outside what this handles."""
    try:
        return decomposed([numeric_form(s) for s in summands], arguments)
    except (Unsupported, sp.PolificationFailed, sp.PolynomialError, sp.GeneratorsNeeded):
        return None
    except (AttributeError, TypeError, ValueError, NotImplementedError):  # SymPy gave up
        return None


def decomposed(summands: list[sp.Expr], arguments: Sequence[sp.Symbol]) -> Basis:
    r = sp.Dummy("r", real=True)
    c = centre(summands)
    shifted = [sp.powsimp(s.subs(value, r + c), deep=True, combine="exp") for s in summands]
    logs = {a.args[0] for s in shifted for a in s.atoms(sp.log)}
    atoms = Atoms(r, logs)
    atomized = [atoms.of(s) for s in shifted]
    gens = [*atoms.defined.values(), r]
    reciprocals: dict[sp.Expr, sp.Dummy] = {}
    polys = [polynomial(t, gens, reciprocals) for t in atomized]
    gens += list(reciprocals.values())
    relations = [d * q - 1 for d, q in reciprocals.items()]
    if relations:
        polys = [sp.reduced(p, relations, *gens, order="lex")[1] if p else p for p in polys]
    terms = [sp.Poly(p, *gens).terms() if p else [] for p in polys]
    monomials = sorted({m for t in terms for m, _ in t}, key=lambda m: (sum(m), m))
    totals = tuple(sp.Dummy("B") for _ in monomials)
    total = dict(zip(monomials, totals, strict=True))
    combinations = tuple(sp.Add(*(k * total[m] for m, k in t)) for t in terms)
    definitions: Pairs = [(r, value - c)]
    definitions += [(a, through_reciprocal(d, reciprocals)) for d, a in atoms.defined.items()]
    definitions += [(q, 1 / d) for d, q in reciprocals.items()]
    built, outputs = summed(monomials, gens)
    return Basis(compiled(definitions + built, outputs, arguments), totals, combinations)


def through_reciprocal(definition: sp.Expr, reciprocals: dict[sp.Expr, sp.Dummy]) -> sp.Expr:
    """log1p(u) as log(1 + u) where 1/(1 + u) is a reciprocal too: the two share 1 + u, and
    NumPy's log is vectorised where log1p is not (the logistic's log(1 + e^(−z)) beside its
    1/(1 + e^(−z))). A log is a term of ℓ (its derivatives are rational): summed over the
    sample, the absolute error of log(1 + u), about ε per observation, is far below ℓ's
    rounding."""
    if isinstance(definition, log1p):
        (u,) = definition.args
        if sp.expand(1 + u) in reciprocals:
            return sp.log(1 + u)
    return definition


def compiled(pairs: Pairs, outputs: list[sp.Expr], arguments: Sequence[sp.Symbol]) -> Lambdified:
    """The per-sample monomials as one NumPy function: only the assignments the outputs read
    (common subexpressions of the definitions shared), in order."""
    needed = needed_by(pairs, outputs)
    kept = [(s, d) for s, d in pairs if s in needed]
    shared, reduced = sp.cse([d for _, d in kept])
    pairs = list(shared) + [(s, d) for (s, _), d in zip(kept, reduced, strict=True)]
    elementwise = {value, *(s for s, _ in pairs)}
    scalars: dict[sp.Expr, sp.Symbol] = {}
    pairs = [(s, hoisted(d, elementwise, scalars)) for s, d in pairs]
    pairs = in_order([(c, e) for e, c in scalars.items()] + pairs)

    def given(exprs: Any) -> tuple[Pairs, Any]:
        return pairs, exprs

    functions = {**FUNCTIONS, "BlockDot": block_dot}
    printer = array_printer(functions)
    fn = sp.lambdify(
        [value, *arguments], outputs, [functions, *MODULES], printer=printer, cse=given
    )
    return Lambdified(fn)


def hoisted(e: sp.Expr, elementwise: set[sp.Symbol], scalars: dict[sp.Expr, sp.Symbol]) -> sp.Expr:
    """``e`` with the numbers of each product taken together as one (``scalars``), computed
    once: −r/s is c·r with c = −1/s, one operation on the array instead of two."""
    if not e.args or not (e.free_symbols & elementwise):
        return e
    args = [hoisted(a, elementwise, scalars) for a in e.args]
    if e.is_Mul:
        numbers = [a for a in args if not (a.free_symbols & elementwise)]
        if len(numbers) > 1:
            c = scalars.setdefault(sp.Mul(*numbers), sp.Dummy("c"))
            return sp.Mul(c, *(a for a in args if a.free_symbols & elementwise))
    return e.func(*args)


def needed_by(pairs: Pairs, outputs: list[sp.Expr]) -> set[sp.Symbol]:
    defined = dict(pairs)
    wanted = set().union(*(o.free_symbols for o in outputs)) & defined.keys()
    stack = list(wanted)
    while stack:
        for s in defined[stack.pop()].free_symbols & defined.keys():
            if s not in wanted:
                wanted.add(s)
                stack.append(s)
    return wanted
