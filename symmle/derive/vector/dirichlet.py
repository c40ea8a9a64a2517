"""The Dirichlet's MLE: the score equations ψ(αⱼ) − ψ(Σα) = sⱼ (digamma functions, no closed
form), solved by Newton's method on the derived score and Hessian."""

from __future__ import annotations

import numpy as np
import sympy as sp

from symmle.derive.newton import newton_exprs
from symmle.derive.step import Step
from symmle.derive.vector.derivation import Rows, VectorDerivation, matrix_of
from symmle.families.vector import DIRICHLET, VectorFamily
from symmle.numeric.dirichlet import positive, require_spread, start
from symmle.numeric.newton import Iteration, maximise
from symmle.printing.notation import Density, LogLikelihood, hat
from symmle.symbols import i, n

k = sp.Symbol("k", integer=True, positive=True)
j, q = sp.symbols("j l", integer=True, positive=True)
alpha, logs, x = sp.IndexedBase("alpha"), sp.IndexedBase("S"), sp.IndexedBase("x")


def log_likelihood(size: sp.Expr) -> sp.Expr:
    """ℓ(α) for n rows, with Sⱼ = Σᵢ log xᵢⱼ."""
    total = sp.Sum(alpha[q], (q, 1, size))
    return (
        n * sp.loggamma(total)
        - n * sp.Sum(sp.loggamma(alpha[q]), (q, 1, size))
        + sp.Sum((alpha[q] - 1) * logs[q], (q, 1, size))
    )


def first_branch(expr: sp.Expr) -> sp.Expr:
    """A derivative in αⱼ for j in 1..k: SymPy's Piecewise on j ≤ k, its first branch."""
    folded = sp.piecewise_fold(expr)
    return folded.args[0][0] if isinstance(folded, sp.Piecewise) else folded


def general_steps() -> list[Step]:
    row = sp.Symbol("x")
    total = sp.Sum(alpha[q], (q, 1, k))
    pdf = (
        sp.gamma(total)
        / sp.Product(sp.gamma(alpha[q]), (q, 1, k))
        * sp.Product(x[q] ** (alpha[q] - 1), (q, 1, k))
    )
    ell = log_likelihood(k)
    score = first_branch(sp.diff(ell, alpha[j]).doit())
    theta = sp.Symbol("alpha")
    return [
        Step(
            "model",
            "The Dirichlet model",
            sp.Eq(Density(row, theta), pdf),
            "A row x = (x₁, …, x_k) of proportions, each in (0, 1), summing to one.",
        ),
        Step(
            "log",
            "Log-likelihood",
            sp.Tuple(
                sp.Eq(LogLikelihood(theta), ell), sp.Eq(logs[q], sp.Sum(sp.log(x[i, q]), (i, 1, n)))
            ),
            "The logarithm of the product over the n rows; the data enter through the sums "
            "of logarithms Sⱼ.",
        ),
        Step(
            "score",
            "Score equations",
            sp.Eq(sp.Derivative(LogLikelihood(theta), alpha[j]), score),
            "ψ is the digamma function. Setting each derivative to zero gives "
            "ψ(αⱼ) − ψ(Σα) = Sⱼ/n: k equations coupled through Σα, with no closed-form solution.",
        ),
        Step(
            "second_order",
            "Hessian",
            sp.Eq(
                sp.Derivative(LogLikelihood(theta), alpha[j], alpha[q]),
                n * sp.polygamma(1, total)
                - n * sp.KroneckerDelta(j, q) * sp.polygamma(1, alpha[j]),
            ),
            "ψ' (trigamma) is positive and decreasing: the Hessian is a negative definite "
            "diagonal plus a rank-one term, so ℓ is concave and Newton's method converges to "
            "the one maximum.",
        ),
    ]


def derive_general() -> VectorDerivation:
    steps = general_steps()
    steps.append(
        Step(
            "numeric",
            "Numeric solution",
            sp.Tuple(),
            "With data, Newton's method on the score and Hessian above, from Minka's start.",
        )
    )
    return VectorDerivation(
        DIRICHLET, None, {}, tuple(steps), log_likelihood(k), "numeric", (alpha[j],)
    )


EXACT_UP_TO = 10
"""Up to this many rows the sums of logarithms are shown exactly (log 3 − 3 log 5 …); beyond,
as 15-digit floats: a numeric method gains nothing from a sum of hundreds of logarithms."""


def log_sums(X: sp.Matrix) -> list[sp.Expr]:
    """Sⱼ = Σᵢ log xᵢⱼ for each column."""
    if X.rows <= EXACT_UP_TO:
        return [sp.expand_log(sum(sp.log(v) for v in X[:, c]), force=True) for c in range(X.cols)]
    logs = np.log(np.array(X.tolist(), float)).sum(axis=0)
    return [sp.Float(v, 15) for v in logs]


def derive_data(family: VectorFamily, rows: Rows) -> VectorDerivation:
    """Newton's method on the derived ℓ, score and Hessian in α₁…α_k at the data."""
    X = matrix_of(rows)
    count, size = X.rows, X.cols
    names = family.names(size)
    symbols = [sp.Symbol(name, positive=True) for name in names]
    sums = log_sums(X)
    values = {n: count, **{logs[c + 1]: s for c, s in enumerate(sums)}}
    ell = log_likelihood(sp.Integer(size)).doit().subs(values)
    ell = ell.subs({alpha[c + 1]: s for c, s in enumerate(symbols)})
    exprs = newton_exprs(ell, symbols)  # ℓ, the score, the Hessian row by row
    gradient = exprs[1 : size + 1]
    program = sp.lambdify([symbols], exprs, "scipy")
    mean_logs = np.log(np.array(X.tolist(), float)).mean(axis=0)
    require_spread(mean_logs)
    found, history = maximise(program, start(mean_logs), positive)
    estimate = {name: sp.Float(v, 15) for name, v in zip(names, found, strict=True)}
    steps = [
        *general_steps()[:1],
        Step(
            "data",
            "The data and their statistics",
            sp.Tuple(
                sp.Eq(sp.Symbol("X"), X, evaluate=False),
                sp.Eq(n, count),
                *(sp.Eq(logs[c + 1], s) for c, s in enumerate(sums)),
            ),
            f"{count} rows of {size} proportions; ℓ needs n and the sums of logarithms Sⱼ.",
        ),
        Step(
            "log",
            "Log-likelihood",
            sp.Eq(LogLikelihood(sp.Symbol("alpha")), ell),
            "The statistics put in.",
        ),
        Step(
            "score",
            "Score equations",
            sp.Tuple(*(sp.Eq(g, 0) for g in gradient)),
            "ψ is the digamma function; the k equations have no closed-form solution.",
        ),
        newton_step(history, names),
        Step(
            "estimate",
            "Maximum-likelihood estimate",
            sp.Tuple(*(sp.Eq(hat(s), estimate[s.name], evaluate=False) for s in symbols)),
            "The maximum-likelihood estimate (numeric): ℓ is concave, so Newton's stationary "
            "point is the maximum.",
        ),
    ]
    return VectorDerivation(family, rows, estimate, tuple(steps), ell, "numeric", tuple(symbols))


def newton_step(history: tuple[Iteration, ...], names: tuple[str, ...]) -> Step:
    header = ("iteration", *names, "ℓ", "|score|")
    rows = [
        (
            str(it.number),
            *(f"{t:.10g}" for t in it.theta),
            f"{it.log_likelihood:.12g}",
            f"{it.score_norm:.2e}",
        )
        for it in history
    ]
    return Step(
        "numeric",
        "Newton's method",
        sp.Tuple(),
        "From Minka's start (a precision from Stirling's approximation, then one "
        "fixed-point step), each step solves the Hessian's system for the "
        "score; the table shows ℓ rising and the score vanishing.",
        (header, *rows),
    )
