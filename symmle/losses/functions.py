"""The functions that stable losses are written in, as SymPy functions with their textbook
rewrite (for the symbolic checks), their LaTeX, and the NumPy that ``lambdify`` compiles them to
(stable where the textbook form overflows)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy
import sympy as sp


class _Named(sp.Function):
    """A function printed upright in LaTeX, e.g. softplus(z)."""

    latex_name = ""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        inside = ", ".join(printer._print(a) for a in self.args)
        shown = rf"\operatorname{{{self.latex_name}}}\left({inside}\right)"
        return shown if exp is None else f"{shown}^{{{exp}}}"


class sigmoid(_Named):
    """σ(z) = 1/(1 + e^(−z))."""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        shown = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return shown if exp is None else f"{shown}^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        return f"σ({printer._print(self.args[0])})"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, z: sp.Expr, **hints: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-z))


class softplus(_Named):
    """softplus(z) = log(1 + e^z), computed as logaddexp(0, z)."""

    latex_name = "softplus"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])

    def _eval_rewrite_as_log(self, z: sp.Expr, **hints: Any) -> sp.Expr:
        return sp.log(1 + sp.exp(z))


class xlogy(_Named):
    """x·log(y), defined as 0 where x = 0 (the limit), even at y = 0."""

    latex_name = "xlogy"

    def _eval_rewrite_as_log(self, x: sp.Expr, y: sp.Expr, **hints: Any) -> sp.Expr:
        return x * sp.log(y)


class logsumexp(_Named):
    """log Σ_c e^(z_c), computed as m + log Σ_c e^(z_c − m), m = max z: over a vector's last
    axis (one argument, the classes) or over the arguments (a mixture's components)."""

    latex_name = "logsumexp"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if len(self.args) == 1:
            return super().fdiff(argindex)
        return sp.exp(self.args[argindex - 1] - self)  # the softmax of the arguments

    def _eval_rewrite_as_log(self, *terms: sp.Expr, **hints: Any) -> sp.Expr:
        return sp.log(sp.Add(*(sp.exp(t) for t in terms)))


class softmax(_Named):
    """softmax(z)_c = e^(z_c) / Σ_j e^(z_j) (for display; the losses use logsumexp)."""

    latex_name = "softmax"


class pick(sp.Function):
    """z_y: the entry of the vector z at the class y."""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        vector, at = self.args
        index = printer._print(at)
        if isinstance(vector, sp.Indexed):  # p_i picked at y_i: p_{i, y_i}
            index = f"{printer._print(vector.indices[0])}, {index}"
            vector = vector.base
        shown = f"{printer._print(vector)}_{{{index}}}"
        return shown if exp is None else f"{shown}^{{{exp}}}"


class entry(pick):
    """z_y for a class y counted from 1 (a Categorical's support 1, …, k)."""


class classes_sum(sp.Function):
    """Σ_c a_c (or Σ_c a_c b_c with two arguments) over the classes."""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        terms = " ".join(printer._print(of_class(a)) for a in self.args)
        shown = rf"\sum_{{c=1}}^{{k}} {terms}"
        return shown if exp is None else rf"\left({shown}\right)^{{{exp}}}"


class classes_mean(sp.Function):
    """(1/k)·Σ_c a_c: the mean over the k classes."""

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        shown = rf"\frac{{1}}{{k}}\sum_{{c=1}}^{{k}} {printer._print(of_class(self.args[0]))}"
        return shown if exp is None else rf"\left({shown}\right)^{{{exp}}}"


def of_class(e: sp.Expr) -> sp.Expr:
    """A vector expression's entry c, for display: log(t/p) -> log(t_c/p_c)."""
    return e.subs({s: sp.Symbol(f"{s.name}_c") for s in e.free_symbols})


def _pick(z: Any, index: Any) -> Any:
    if np.ndim(z) == 1:  # one vector for every sample: the class weights ω
        return np.asarray(z, dtype=np.float64)[np.asarray(index).astype(np.intp)]
    rows = np.asarray(index).astype(np.intp)[..., None]
    return np.take_along_axis(np.asarray(z, dtype=np.float64), rows, axis=-1)[..., 0]


def _classes_sum(*vectors: Any) -> Any:
    return np.sum(np.prod(np.broadcast_arrays(*vectors), axis=0), axis=-1)


NUMPY: dict[str, Any] = {  # SciPy's functions looked up when first called, not with symmle
    "sigmoid": lambda z: scipy.special.expit(z),
    "softplus": lambda z: np.logaddexp(0.0, z),
    "xlogy": lambda x, y: scipy.special.xlogy(x, y),
    "loggamma": lambda z: scipy.special.gammaln(z),
    "logsumexp": lambda *z: (
        scipy.special.logsumexp(z[0], axis=-1)
        if len(z) == 1
        else scipy.special.logsumexp(np.stack(np.broadcast_arrays(*z)), axis=0)
    ),
    "softmax": lambda z: scipy.special.softmax(z, axis=-1),
    "pick": _pick,
    "entry": lambda z, index: _pick(z, np.asarray(index) - 1),
    "classes_sum": _classes_sum,
    "classes_mean": lambda v: np.mean(v, axis=-1),
}
"""The NumPy twin of each function above, for ``lambdify``."""


def compile_numpy(arguments: list[sp.Symbol], expr: sp.Expr) -> Any:
    """An elementwise NumPy function of ``arguments`` (class vectors on the last axis)."""
    fn = sp.lambdify(arguments, expr, modules=[NUMPY, "numpy"])
    if not expr.has(sp.Piecewise):
        return fn

    def quiet(*values: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):  # branches that are not taken
            return fn(*values)

    return quiet
