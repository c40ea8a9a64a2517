"""Expressions compiled to NumPy with lambdify: log k!, log C(a, b), log Γ(x) through SciPy's
log Γ, log(1 − p) as log1p(−p), terms in one observation as one function of an array."""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator, Sequence
from types import CodeType, ModuleType
from typing import Any

import numpy as np
import scipy
import sympy as sp
from sympy.codegen.rewriting import log1p_opt, optimize

from symmle.derive.blocks import Terms
from symmle.derive.elementwise import array_printer, elementwise_cse
from symmle.symbols import value


class LogBeta(sp.Function):
    """log B(a, b), compiled to SciPy's betaln: exact where log Γ(a) − log Γ(a + b) would
    cancel (log C(10¹⁵, 3) is about 102, a difference of two numbers near 3·10¹⁶)."""


class LogSumExp(sp.Function):
    """log(e^a + e^b + …), compiled to NumPy's logaddexp: a mixture's log(Σ wⱼ fⱼ(y)) is
    −∞ in floats where every fⱼ(y) underflows (y far from every component)."""


def log_sum_exp(*terms: Any) -> Any:
    """NumPy's log(Σ e^t) without overflow or underflow, over arrays or numbers."""
    return np.logaddexp.reduce(np.broadcast_arrays(*terms), axis=0)


def log_beta(a: Any, b: Any) -> Any:
    """SciPy's betaln, named here so that SciPy is imported on the first call, not with symmle."""
    return scipy.special.betaln(a, b)


FUNCTIONS: dict[str, object] = {
    "LogBeta": log_beta,
    "LogSumExp": log_sum_exp,
    **{name: getattr(np, name) for name in ("log1p", "expm1", "exp2", "cbrt")},
}
"""Functions named before SciPy's: log B, and NumPy's vectorised ufuncs where lambdify's SciPy
namespace (a star import of scipy.special) would shadow them with SciPy's, 3× slower."""
MODULES: list[str | dict[str, object]] = [FUNCTIONS, "scipy", "numpy"]


def log_gamma(term: sp.Expr) -> sp.Expr:
    """log k! and log Γ(x) through log Γ, log C(a, b) through log B, which SciPy evaluates on
    arrays."""

    def lgamma(x: sp.Expr) -> sp.Expr:  # a number through mpmath: loggamma(10⁵⁰ + 1) would be
        return sp.loggamma(sp.Float(x, 30) if x.is_number else x)  # log((10⁵⁰)!) exactly

    def through_loggamma(e: sp.log) -> sp.Expr:
        (inner,) = e.args
        if isinstance(inner, sp.factorial):
            return lgamma(inner.args[0] + 1)
        if isinstance(inner, sp.gamma):
            return lgamma(inner.args[0])
        a, b = inner.args
        if a.is_number and b.is_number:  # a constant, to 30 digits
            return lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1)
        return -sp.log(a + 1) - LogBeta(a - b + 1, b + 1)

    return term.replace(
        lambda e: (
            isinstance(e, sp.log) and isinstance(e.args[0], (sp.factorial, sp.binomial, sp.gamma))
        ),
        through_loggamma,
    ).replace(
        lambda e: isinstance(e, sp.KroneckerDelta),
        lambda e: sp.Piecewise((1, sp.Eq(*e.args)), (0, True)),
    )


EXACT_INTEGERS = 2**53
"""Beyond this an integer has no exact float, and NumPy holds a Python int as an object."""


def big_numbers_as_floats(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every rational whose numerator or denominator exceeds 2⁵³ as a float:
    lambdify prints 30! or 10⁴⁰ as a Python int, on which NumPy's log fails."""
    big = [r for r in expr.atoms(sp.Rational) if max(abs(r.p), r.q) > EXACT_INTEGERS]
    return expr.xreplace({r: sp.Float(r, 17) for r in big})


def numeric_form(expr: sp.Expr) -> sp.Expr:
    """``expr`` ready for floats: log k! and friends through log Γ, log(1 − p) as log1p(−p)
    (exact to the last bit for a tiny p, where log(1 − p) loses every digit), the log of a
    sum of exponentials through log-sum-exp, numbers beyond 2⁵³ as floats."""
    exact = log_sums_of_exponentials(log_gamma(sp.sympify(expr)))
    return big_numbers_as_floats(optimize(exact, [log1p_opt]))


def log_sums_of_exponentials(expr: sp.Expr) -> sp.Expr:
    """log(Σⱼ cⱼ·e^(aⱼ)) as LogSumExp(log cⱼ + aⱼ, …): a mixture's log-density, finite in
    floats wherever it is finite in exact arithmetic."""

    def exponential_terms(e: sp.Basic) -> bool:
        return (
            isinstance(e, sp.log)
            and e.args[0].is_Add
            and all(t.has(sp.exp) for t in e.args[0].args)
        )

    def through_logsumexp(e: sp.log) -> sp.Expr:
        return LogSumExp(*(sp.expand_log(sp.log(t), force=True) for t in e.args[0].args))

    return expr.replace(exponential_terms, through_logsumexp)


def per_sample(terms: Sequence[sp.Expr], arguments: Sequence[sp.Symbol]) -> Terms:
    """Terms in one observation ``value`` (and ``arguments``) as one NumPy function."""
    shown = [numeric_form(t) for t in terms]
    printer = array_printer(FUNCTIONS)
    fn = sp.lambdify([value, *arguments], shown, MODULES, printer=printer, cse=elementwise_cse)
    return Lambdified(fn)


class Lambdified:
    """A function made by lambdify that pickles (for symmle's on-disk cache): as its source and
    where each library function it calls lives, compiled again on loading without SymPy."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.source = inspect.getsource(fn)
        """Kept: a function compiled again from it has no file to read it back from."""

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def __getstate__(self) -> State:
        names = set(global_names(self.fn.__code__))
        used = {k: v for k, v in self.fn.__globals__.items() if k in names}
        found = {k: reference(v) for k, v in used.items()}
        values = {k: v for k, v in used.items() if found[k] is None}
        places = {k: place for k, place in found.items() if place is not None}
        return self.fn.__name__, self.source, places, values

    def __setstate__(self, state: State) -> None:
        name, source, places, values = state
        namespace = values | {k: located(*place) for k, place in places.items()}
        exec(compile(source, "<lambdified>", "exec"), namespace)
        self.fn, self.source = namespace[name], source


State = tuple[str, str, dict[str, tuple[str, str]], dict[str, Any]]
"""A lambdified function's name, its source, the module and name of each library object it
reads, and the plain values (numbers) it reads."""


def reference(v: object) -> tuple[str, str] | None:
    """Where a module, a NumPy or SciPy function lives (SciPy's ufuncs name no module), or None
    for a plain value."""
    if isinstance(v, ModuleType):
        return v.__name__, ""
    name = getattr(v, "__name__", None)
    for module in (getattr(v, "__module__", None), "numpy", "scipy.special"):
        if module and name and getattr(sys.modules.get(module), name, None) is v:
            return module, name
    return None


def located(module: str, name: str) -> Any:
    found = importlib.import_module(module)
    return getattr(found, name) if name else found


def global_names(code: CodeType) -> Iterator[str]:
    """The global names a function's code (and the code nested in it) may read."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from global_names(constant)
