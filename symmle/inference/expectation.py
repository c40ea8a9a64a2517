"""Expectations E[h(y)] of one observation under a family, found symbolically by one of three
routes, in order:

- a finite support: the sum Σ h(y)·f(y) over it;
- a pivot: y written through W ~ Gamma(a, 1) or Beta(a, b) (Weibull, Gumbel, logistic, Cauchy,
  Student's t, Laplace), whose moments E[W^p (1 − W)^q log^r W log^s (1 − W)] are derivatives of
  Γ(a + p)/Γ(a) or of B(a + p, b + q)/B(a, b);
- the score identities: the score has mean zero, E[∂ log f/∂θⱼ] = 0, which is a linear
  equation in the means of the statistics (E[y] = θ for the Bernoulli, E[log y] = ψ(α) − log β
  for the Gamma); a term they do not give, on a bounded support, is integrated (the Uniform).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from symmle.families import Distribution
from symmle.families.base import SIGN, Pivot, W
from symmle.symbols import value

Y = sp.Symbol("y", real=True)
"""One observation, real (so that |y − μ| has the derivative sign(y − μ))."""

_P, _Q = sp.Dummy("p"), sp.Dummy("q")
_LOG_W, _LOG_V = sp.Dummy("log_w"), sp.Dummy("log_v")


class Unresolved(Exception):
    """No route gives this expectation (internal: the information is then not derived)."""


@lru_cache(maxsize=64)
def log_density(family: Distribution) -> sp.Expr:
    """log f(y; θ) of one real observation, the logarithm of each factor taken apart."""
    return sp.expand_log(sp.log(family.density.subs(value, Y)), force=True)


def finite_support(family: Distribution) -> tuple[sp.Expr, ...] | None:
    """The points of a finite numeric support, else None."""
    support = family.support
    if not family.discrete or support.free_symbols or not support.is_finite_set:
        return None
    return tuple(sp.sympify(v) for v in support)


def terms(expr: sp.Expr) -> list[tuple[sp.Expr, sp.Expr]]:
    """``expr`` as Σ coefficient·data part, the coefficients free of y."""
    split = (t.as_independent(Y, as_Add=False) for t in sp.Add.make_args(sp.expand(expr)))
    return [(c, d) for c, d in split]


@lru_cache(maxsize=512)
def law_moment(pivot: Pivot, p: sp.Expr, q: sp.Expr, r: int, s: int) -> sp.Expr:
    """E[W^p (1 − W)^q log^r W log^s (1 − W)] under the pivot's law."""
    if pivot.law == "gamma":
        if q != 0 or s != 0:
            raise Unresolved("a Gamma variable has no moments in 1 − W")
        (a,) = pivot.shape
        mellin = sp.gamma(a + _P) / sp.gamma(a)
    else:
        a, b = pivot.shape
        mellin = (
            sp.gamma(a + _P)
            * sp.gamma(b + _Q)
            / sp.gamma(a + b + _P + _Q)
            / (sp.gamma(a) * sp.gamma(b) / sp.gamma(a + b))
        )
    return sp.diff(mellin, _P, r, _Q, s).subs({_P: p, _Q: q})


def fair_sign(expr: sp.Expr) -> sp.Expr:
    """The mean over a fair sign ς = ±1: ς² = 1 and odd powers average to zero."""
    expr = sp.expand(expr.xreplace({sp.Abs(SIGN): 1, sp.sign(SIGN): SIGN}))
    expr = expr.replace(lambda e: e.is_Pow and e.base == SIGN, lambda e: SIGN ** (e.exp % 2))
    return sp.expand(expr).subs(SIGN, 0)


def monomials(expr: sp.Expr) -> list[tuple[sp.Expr, sp.Expr, sp.Expr, int, int]]:
    """``expr`` in W as Σ c·W^p (1 − W)^q log^r W log^s (1 − W): (c, p, q, r, s) per term."""
    expr = sp.expand_log(sp.powsimp(expr, force=True), force=True)
    expr = expr.xreplace({sp.log(W): _LOG_W, sp.log(1 - W): _LOG_V})
    numerator, denominator = sp.fraction(sp.factor(sp.together(expr)))
    p0, q0, scale = sp.S.Zero, sp.S.Zero, sp.S.One
    for factor in sp.Mul.make_args(denominator):
        base, exponent = factor.as_base_exp()
        if base == W:
            p0 -= exponent
        elif base in (1 - W, W - 1):
            q0 -= exponent
            scale *= (base / (1 - W)) ** exponent
        elif W in factor.free_symbols:
            raise Unresolved(f"{factor} is not a power of W or 1 − W")
        else:
            scale *= factor
    found = []
    for term in sp.Add.make_args(sp.expand(numerator)):
        powers = term.as_powers_dict()
        p, r, s = powers.pop(W, 0), powers.pop(_LOG_W, 0), powers.pop(_LOG_V, 0)
        coefficient = sp.Mul(*(b**e for b, e in powers.items())) / scale
        if {W, _LOG_W, _LOG_V} & coefficient.free_symbols:
            raise Unresolved(f"{term} is not a monomial in W")
        found.append((coefficient, p0 + p, q0, int(r), int(s)))
    return found


def pivot_expectation(expr: sp.Expr, pivot: Pivot) -> sp.Expr:
    """E[expr(y)] with y written through the pivot."""
    through = fair_sign(expr.subs(Y, pivot.observation))
    total = sum(
        (c * law_moment(pivot, p, q, r, s) for c, p, q, r, s in monomials(through)), sp.S.Zero
    )
    return sp.factor(sp.gammasimp(sp.expand_func(total)))


def score_identities(
    family: Distribution, parameters: Sequence[sp.Symbol]
) -> dict[sp.Expr, sp.Expr]:
    """The means of the data terms of the score that E[score] = 0 determines."""
    ell = log_density(family)
    unknown: dict[sp.Expr, sp.Symbol] = {}
    equations = []
    for theta in parameters:
        total = sp.S.Zero
        for coefficient, data in terms(sp.diff(ell, theta)):
            if data != 1:
                data = unknown.setdefault(data, sp.Dummy("E"))
            total += coefficient * data
        equations.append(total)
    if not unknown:
        return {}
    solutions = sp.linsolve(equations, list(unknown.values()))
    if not isinstance(solutions, sp.FiniteSet) or len(solutions) != 1:
        return {}
    (solution,) = solutions
    mystery = set(unknown.values())
    return {
        d: sp.factor(m)
        for d, m in zip(unknown, solution, strict=True)
        if not m.free_symbols & mystery
    }


@dataclass
class Expectations:
    """E[·] under one family; ``used`` records each data term's mean and its route."""

    family: Distribution
    identities: dict[sp.Expr, sp.Expr]
    used: dict[sp.Expr, tuple[sp.Expr, str]] = field(default_factory=dict)

    def __call__(self, expr: sp.Expr) -> sp.Expr:
        """E[expr], by the first route that applies."""
        points = finite_support(self.family)
        if points is not None:
            density = self.family.density.subs(value, Y)
            return sp.factor(sum((expr.subs(Y, v) * density.subs(Y, v) for v in points), 0))
        if self.family.pivot is not None:
            return pivot_expectation(expr, self.family.pivot)
        total = sp.S.Zero
        for coefficient, data in terms(expr):
            total += coefficient * (data if data == 1 else self.mean(data))
        return total

    def mean(self, data: sp.Expr) -> sp.Expr:
        """E[data] for a data term of the score, or by integration over a bounded support."""
        if data in self.identities:
            self.used[data] = (self.identities[data], "score")
            return self.identities[data]
        low, high = self.family.support.inf, self.family.support.sup
        if self.family.discrete or not (low.is_finite and high.is_finite):
            raise Unresolved(f"no route gives E[{data}]")
        density = self.family.density.subs(value, Y)
        found = sp.factor(sp.integrate(data * density, (Y, low, high)))
        self.used[data] = (found, "integral")
        return found


def expectations(family: Distribution, parameters: Sequence[sp.Symbol]) -> Expectations:
    """The expectation operator of a family; ``parameters`` have a score with mean zero."""
    return Expectations(family, score_identities(family, parameters))
