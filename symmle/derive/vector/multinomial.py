"""The Multinomial's MLE by a Lagrange multiplier: p̂ⱼ = Tⱼ/(n·m), with Tⱼ the total count of
category j over the n rows of m trials each."""

from __future__ import annotations

import sympy as sp

from symmle.derive.methods.constrained import MULTIPLIER
from symmle.derive.step import Step
from symmle.derive.vector.derivation import Rows, VectorDerivation, matrix_of
from symmle.families.vector import MULTINOMIAL, VectorFamily
from symmle.printing.notation import Likelihood, LogLikelihood, hat
from symmle.symbols import i, n

k = sp.Symbol("k", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
p, x, total = sp.IndexedBase("p"), sp.IndexedBase("x"), sp.IndexedBase("T")


def model_step(size: sp.Expr) -> Step:
    row = sp.Symbol("x")
    pmf = sp.factorial(m) * sp.Product(p[j] ** x[j] / sp.factorial(x[j]), (j, 1, size))
    return Step(
        "model",
        "The Multinomial model",
        sp.Eq(sp.Function("f")(row), pmf),
        "A row x = (x₁, …, x_k) counts the outcomes of m independent trials, each falling in "
        "category j with probability pⱼ; the k probabilities sum to one.",
    )


def general_steps(size: sp.Expr, trials: sp.Expr) -> tuple[list[Step], sp.Expr, sp.Expr]:
    """Likelihood to estimate for ``size`` categories (symbolic or not): the steps, ℓ and p̂ⱼ."""
    constant = sp.Symbol("C")
    ell = constant + sp.Sum(total[j] * sp.log(p[j]), (j, 1, size))
    lagrangian = ell - MULTIPLIER * (sp.Sum(p[j], (j, 1, size)) - 1)
    derivative = sp.diff(total[j] * sp.log(p[j]), p[j]) - MULTIPLIER
    (root,) = sp.solve(derivative, p[j])
    (multiplier,) = sp.solve(sp.factor_terms(sp.Sum(root, (j, 1, size))) - 1, MULTIPLIER)
    estimate = root.subs(MULTIPLIER, n * trials)
    theta = sp.Symbol("p")
    steps = [
        Step(
            "likelihood",
            "Likelihood",
            sp.Tuple(
                sp.Eq(Likelihood(theta), sp.Product(sp.Function("f")(x[i]), (i, 1, n))),
                sp.Eq(total[j], sp.Sum(x[i, j], (i, 1, n))),
            ),
            "The rows are independent; each contributes pⱼ to the power of its count xᵢⱼ, so "
            "the likelihood depends on the data through the totals Tⱼ.",
        ),
        Step(
            "log",
            "Log-likelihood",
            sp.Tuple(
                sp.Eq(LogLikelihood(theta), ell),
                sp.Eq(
                    constant,
                    sp.Sum(sp.log(sp.factorial(m)), (i, 1, n))
                    - sp.Sum(sp.log(sp.factorial(x[i, j])), (i, 1, n), (j, 1, size)),
                ),
            ),
            "The multinomial coefficients do not depend on p: they form a constant C.",
        ),
        Step(
            "constraint",
            "Constrained maximum (Lagrange multiplier)",
            sp.Tuple(
                sp.Eq(sp.Symbol("Lambda"), lagrangian),
                sp.Eq(sp.Derivative(sp.Symbol("Lambda"), p[j]), derivative),
                sp.Eq(p[j], root),
                sp.Eq(sp.Sum(root, (j, 1, size)), 1),
                sp.Eq(MULTIPLIER, multiplier),
                sp.Eq(MULTIPLIER, n * trials),
            ),
            "On Σ pⱼ = 1 the Lagrangian is stationary where Tⱼ/pⱼ equals the multiplier; the "
            "constraint makes it Σ Tⱼ = n·m, every row holding m trials. ℓ is concave and the "
            "constraint linear, so this is the maximum.",
        ),
    ]
    return steps, ell, estimate


def estimate_step(estimate: sp.Expr) -> Step:
    return Step(
        "estimate",
        "Maximum-likelihood estimate",
        sp.Tuple(sp.Eq(hat(sp.Symbol("p_j")), estimate, evaluate=False)),
        "The maximum-likelihood estimate (constrained): each category's share of all n·m "
        "trials. The Fisher information per row is m(diag(1/pⱼ) + 11ᵀ/p_k) over p₁…p_{k−1}, "
        "so SE(p̂ⱼ) = √(p̂ⱼ(1 − p̂ⱼ)/(n·m)).",
    )


def derive_general() -> VectorDerivation:
    steps, ell, estimate = general_steps(k, m)
    all_steps = (model_step(k), *steps, estimate_step(estimate))
    return VectorDerivation(
        MULTINOMIAL, None, {"p_j": estimate}, all_steps, ell, "constrained", (p[j],)
    )


def derive_data(family: VectorFamily, rows: Rows) -> VectorDerivation:
    """The derivation from rows of counts: the totals, the Lagrangian over the categories seen
    (an unseen category's p̂ⱼ is 0, on the boundary)."""
    X = matrix_of(rows)
    count, size = X.rows, X.cols
    trials = family.constant("m") or int(sum(X[0, :]))
    totals = [sum(X[:, c]) for c in range(size)]
    names = family.names(size)
    symbols = [sp.Symbol(name, positive=True) for name in names]
    ell = sum(
        (t * sp.log(s) for t, s in zip(totals, symbols, strict=True)),
        start=count * sp.log(sp.factorial(trials)) - sum(sp.log(sp.factorial(v)) for v in X),
    )
    seen = [s for s, t in zip(symbols, totals, strict=True) if t]
    lagrangian = ell - MULTIPLIER * (sum(seen) - 1)
    equations = [sp.diff(lagrangian, s) for s in seen] + [sum(seen) - 1]
    (solution,) = sp.solve(equations, [*seen, MULTIPLIER], dict=True)
    estimate = {name: solution.get(s, sp.S.Zero) for name, s in zip(names, symbols, strict=True)}
    _, _, general = general_steps(k, m)
    steps = [
        model_step(size),
        Step(
            "data",
            "The data and their totals",
            sp.Tuple(
                sp.Eq(sp.Symbol("X"), X, evaluate=False),
                sp.Eq(n, count),
                sp.Eq(m, trials),
                *(sp.Eq(total[c + 1], t) for c, t in enumerate(totals)),
            ),
            f"{count} rows of m = {trials} trials; the likelihood needs only the totals Tⱼ.",
        ),
        Step(
            "log",
            "Log-likelihood",
            sp.Eq(LogLikelihood(sp.Symbol("p")), ell),
            "The totals and the multinomial coefficients of the rows put in.",
        ),
        Step(
            "constraint",
            "Constrained maximum (Lagrange multiplier)",
            sp.Tuple(
                sp.Eq(sp.Symbol("Lambda"), lagrangian),
                *(sp.Eq(e, 0) for e in equations),
                *(sp.Eq(s, v) for s, v in solution.items()),
            ),
            "The Lagrangian's derivatives and the constraint, solved together"
            + ("; a category never seen has p̂ⱼ = 0, on the boundary." if len(seen) < size else "."),
        ),
        Step(
            "estimate",
            "Maximum-likelihood estimate",
            sp.Tuple(*(sp.Eq(hat(s), estimate[s.name], evaluate=False) for s in symbols)),
            f"Each Tⱼ/(n·m) with n·m = {count * trials}, as the general solution "
            f"p̂ⱼ = {general} says.",
        ),
    ]
    method = "constrained" if len(seen) == size else "boundary"
    return VectorDerivation(family, rows, estimate, tuple(steps), ell, method, tuple(symbols))
