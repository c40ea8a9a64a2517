"""Fitting a regression from its derivation: the lambdified per-observation NLL and its η
derivatives give the NLL, gradient Xᵀℓ′(η) and Hessian XᵀSX; Newton's method (IRLS) or the
normal equations find ŵ, the inverse Hessian gives the standard errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symmle.errors import DataError, NoMLEError
from symmle.losses.functions import compile_numpy
from symmle.models.model import Array, Fit, Model, eta
from symmle.numeric.covariance import standard_errors
from symmle.numeric.newton import Iteration, maximise
from symmle.symbols import value


@dataclass(frozen=True)
class Compiled:
    """The per-observation NLL and its first two η derivatives as NumPy functions of (y, η)."""

    nll: Callable[..., Any]
    first: Callable[..., Any]
    second: Callable[..., Any]

    def value(self, X: Array, y: Array, w: Array) -> float:
        return float(np.sum(self.nll(y, X @ w)))

    def derivatives(self, X: Array, y: Array, w: Array) -> tuple[float, Array, Array]:
        """The NLL, its gradient Xᵀℓ′(η) and its Hessian XᵀSX, S = diag(ℓ″(η))."""
        e = X @ w
        weights = np.broadcast_to(self.second(y, e), e.shape)
        return float(np.sum(self.nll(y, e))), X.T @ self.first(y, e), X.T @ (weights[:, None] * X)


def numeric_form(nll: sp.Expr) -> sp.Expr:
    """log y! as log Γ(y + 1): finite for large counts."""
    return nll.replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.factorial),
        lambda e: sp.loggamma(e.args[0].args[0] + 1),
    )


def compile_model(nll: sp.Expr, fixed: dict[sp.Symbol, float] | None = None) -> Compiled:
    """The NLL and its η derivatives compiled, the nuisance parameters fixed."""
    nll = numeric_form(nll.subs(fixed or {}))
    first = sp.diff(nll, eta)
    return Compiled(*(compile_numpy([value, eta], e) for e in (nll, first, sp.diff(first, eta))))


def as_table(X: object, y: object) -> tuple[Array, Array]:
    """X as an n × d float array and y as n floats, finite; DataError otherwise."""
    try:
        table, targets = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        raise DataError("X and y must be numbers (X a table n × d, y a list of n).") from None
    table = table[:, None] if table.ndim == 1 else table
    if table.ndim != 2 or targets.ndim != 1:
        raise DataError("X must be a table (n × d) and y a list of n targets.")
    if table.shape[0] != targets.size:
        raise DataError(f"X has {table.shape[0]} rows but y has {targets.size} targets.")
    if targets.size == 0:
        raise DataError("the data are empty.")
    if not (np.isfinite(table).all() and np.isfinite(targets).all()):
        raise DataError("X and y must be finite (no NaN or infinity).")
    return table, targets


def check_names(model: Model, labels: tuple[str, ...], columns: int) -> None:
    """One name per column, each once, none a nuisance parameter's (the linear model's σ)."""
    if len(labels) != columns:
        raise DataError(f"{len(labels)} names for {columns} columns of X.")
    if len(set(labels)) != len(labels):
        raise DataError("name each column of X once: two columns have the same name.")
    taken = {s.name for s in model.nuisance} & set(labels)
    if taken:
        raise DataError(f"a column of X is named {taken.pop()!r}, a parameter of the model.")


def validate(model: Model, table: Array, targets: Array) -> None:
    n, d = table.shape
    if n <= d:
        raise DataError(f"{n} observations for {d} weights: the fit needs more observations.")
    rank = int(np.linalg.matrix_rank(table))
    if rank < d:
        raise DataError(
            f"the columns of X are linearly dependent (rank {rank} < {d}): the weights are "
            "not identifiable."
        )
    if model.targets == "binary" and not np.isin(targets, (0.0, 1.0)).all():
        raise DataError("the targets of a logistic regression must be 0 or 1.")
    if model.targets == "counts" and not ((targets >= 0).all() and (targets % 1 == 0).all()):
        raise DataError("the targets of a Poisson regression must be counts 0, 1, 2, ….")


def newton(compiled: Compiled, X: Array, y: Array) -> tuple[Array, tuple[Iteration, ...]]:
    """Minimise the NLL from w = 0: the numeric core's Newton's method on ℓ = −NLL."""

    def objective(w: Array) -> Array:
        f, g, hessian = compiled.derivatives(X, y, w)
        return np.concatenate([[-f], -g, -hessian.ravel()])

    return maximise(objective, np.zeros(X.shape[1]))


def normal_equations(X: Array, y: Array) -> tuple[Array, float]:
    """ŵ from the normal equations (by a QR-based solver), σ̂ = √(RSS/n)."""
    w = np.asarray(np.linalg.lstsq(X, y, rcond=None)[0], dtype=np.float64)
    rss = float(np.sum((y - X @ w) ** 2))
    if rss <= 1e-24 * max(1.0, float(np.sum(y**2))):
        raise NoMLEError("the data are fitted exactly (RSS = 0): σ̂ = 0 has no likelihood.")
    return w, float(np.sqrt(rss / len(y)))


def least_squares(nll: sp.Expr, X: Array, y: Array) -> tuple[Array, float, Compiled]:
    """ŵ and σ̂ from the normal equations, and the NLL compiled at σ̂."""
    w, sigma = normal_equations(X, y)
    return w, sigma, compile_model(nll, {sp.Symbol("sigma", positive=True): sigma})


def fit_model(model: Model, nll: sp.Expr, X: object, y: object, names: Sequence[str] | None) -> Fit:
    table, targets = as_table(X, y)
    labels = (
        tuple(names) if names is not None else tuple(f"x{k}" for k in range(1, table.shape[1] + 1))
    )
    check_names(model, labels, table.shape[1])
    validate(model, table, targets)
    if model.existence is not None:
        model.existence(table, targets)
    nuisance: dict[str, float] = {}
    history: tuple[Iteration, ...] = ()
    if model.nuisance:
        w, sigma, compiled = least_squares(nll, table, targets)
        nuisance["sigma"] = sigma
    else:
        compiled = compile_model(nll)
        w, history = newton(compiled, table, targets)
    f, _, hessian = compiled.derivatives(table, targets, w)
    errors = standard_errors(hessian)  # the NLL's Hessian is the information
    return Fit(table, targets, labels, w, errors, -f, history, nuisance)
