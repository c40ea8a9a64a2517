"""The multivariate Normal's MLE by matrix calculus: μ̂ = ȳ and Σ̂ = A/n with A the scatter
matrix Σᵢ(yᵢ − ȳ)(yᵢ − ȳ)ᵀ. SymPy differentiates the quadratic forms and the trace; the
derivative of log det (Jacobi's formula), which SymPy's matrix calculus does not give, is named
and checked entrywise at k = 2 by ``jacobi_holds``."""

from __future__ import annotations

import sympy as sp

from symmle.derive.step import Step
from symmle.derive.vector.derivation import Rows, VectorDerivation, matrix_of
from symmle.errors import DataError, NoMLEError
from symmle.families.vector import MULTIVARIATE_NORMAL, VectorFamily
from symmle.printing.notation import Density, Likelihood, LogLikelihood, Quadratic
from symmle.symbols import i, n

k = sp.Symbol("k", integer=True, positive=True)


def equal(left: sp.Basic, right: sp.Basic) -> sp.Eq:
    """An equation shown as written (SymPy would decide one of matrices to False)."""
    return sp.Eq(left, right, evaluate=False)


def symbols(size: sp.Expr) -> dict[str, sp.MatrixSymbol]:
    """μ, Σ, Λ = Σ⁻¹, ȳ, A and one row yᵢ, for rows of ``size`` columns."""
    square = {name: sp.MatrixSymbol(name, size, size) for name in ("Sigma", "Lambda", "A")}
    column = {name: sp.MatrixSymbol(name, size, 1) for name in ("mu", "ybar", "y_i", "y")}
    return {**square, **column}


def density(s: dict[str, sp.MatrixSymbol], size: sp.Expr) -> sp.Expr:
    y, mu, sigma = s["y"], s["mu"], s["Sigma"]
    return (
        (2 * sp.pi) ** (-size / 2)
        * sp.Determinant(sigma) ** sp.Rational(-1, 2)
        * sp.exp(-Quadratic(y - mu, sigma.I) / 2)
    )


def log_likelihood(s: dict[str, sp.MatrixSymbol], size: sp.Expr, count: sp.Expr) -> sp.Expr:
    """ℓ(μ, Σ) in the statistics ȳ and A."""
    sigma, ybar, mu = s["Sigma"], s["ybar"], s["mu"]
    return (
        -count * size / 2 * sp.log(2 * sp.pi)
        - count / 2 * sp.log(sp.Determinant(sigma))
        - sp.Trace(sigma.I * s["A"]) / 2
        - count / 2 * Quadratic(ybar - mu, sigma.I)
    )


def model_step(s: dict[str, sp.MatrixSymbol], size: sp.Expr) -> Step:
    theta = sp.Tuple(s["mu"], s["Sigma"])
    return Step(
        "model",
        "The multivariate Normal model",
        equal(Density(s["y"], theta), density(s, size)),
        "Each observation is a column of k values, y ~ N(μ, Σ), with mean vector μ and "
        "covariance matrix Σ (symmetric, positive definite).",
    )


def opening_steps(s: dict[str, sp.MatrixSymbol], size: sp.Expr) -> list[Step]:
    mu, sigma, y_i = s["mu"], s["Sigma"], s["y_i"]
    theta = sp.Tuple(mu, sigma)
    shown = (
        -n * size / 2 * sp.log(2 * sp.pi)
        - n / 2 * sp.log(sp.Determinant(sigma))
        - sp.Sum(Quadratic(y_i - mu, sigma.I), (i, 1, n)) / 2
    )
    return [
        model_step(s, size),
        Step(
            "likelihood",
            "Likelihood",
            equal(Likelihood(theta), sp.Product(Density(y_i, theta), (i, 1, n))),
            "The n rows are independent: the likelihood is the product of their densities.",
        ),
        Step(
            "log",
            "Log-likelihood",
            equal(LogLikelihood(theta), shown),
            "The logarithm turns the product into a sum of quadratic forms.",
        ),
        Step(
            "log",
            "The log-likelihood in the statistics ȳ and A",
            sp.Tuple(
                equal(LogLikelihood(theta), log_likelihood(s, size, n)),
                equal(s["A"], sp.Sum((y_i - s["ybar"]) * (y_i - s["ybar"]).T, (i, 1, n))),
            ),
            "Write yᵢ − μ = (yᵢ − ȳ) + (ȳ − μ): the cross terms sum to zero because "
            "Σᵢ(yᵢ − ȳ) = 0, and a quadratic form is the trace xᵀMx = tr(M xxᵀ), so the sum "
            "of the forms is tr(Σ⁻¹A) + n(ȳ − μ)ᵀΣ⁻¹(ȳ − μ). The data enter only through ȳ "
            "and the scatter matrix A.",
        ),
    ]


def score_mu(s: dict[str, sp.MatrixSymbol]) -> tuple[sp.MatrixExpr, sp.MatrixExpr]:
    """∂ℓ/∂μ and ∂²ℓ/∂μ∂μᵀ with Λ = Σ⁻¹, by SymPy's matrix calculus (Λ symmetric)."""
    lam, mu = s["Lambda"], s["mu"]
    form = -n / 2 * (s["ybar"] - mu).T * lam * (s["ybar"] - mu)
    gradient = sp.diff(form, mu).subs(lam.T, lam).doit()
    return gradient, sp.diff(gradient, mu).subs(lam.T, lam)


def solve_steps(s: dict[str, sp.MatrixSymbol], size: sp.Expr) -> list[Step]:
    lam, a, ybar, mu = s["Lambda"], s["A"], s["ybar"], s["mu"]
    gradient, hessian = score_mu(s)
    trace_rate = sp.diff(sp.Trace(lam * a), lam).subs(a.T, a)
    profile = n / 2 * sp.log(sp.Determinant(lam)) - sp.Trace(lam * a) / 2
    at_mean = LogLikelihood(sp.Tuple(ybar, lam.I))
    return [
        Step(
            "score",
            "Score for μ",
            sp.Tuple(equal(sp.Derivative(LogLikelihood(mu), mu), gradient), equal(mu, ybar)),
            "With Λ = Σ⁻¹ (symmetric), the derivative of −(n/2)(ȳ − μ)ᵀΛ(ȳ − μ) is nΛ(ȳ − μ). "
            "Λ is invertible, so the score vanishes only at μ = ȳ, whatever Σ is.",
        ),
        Step(
            "profile",
            "Profile in Λ = Σ⁻¹",
            equal(at_mean, -n * size / 2 * sp.log(2 * sp.pi) + profile),
            "At μ = ȳ the quadratic term vanishes; in the precision Λ = Σ⁻¹, log det Σ = "
            "−log det Λ.",
        ),
        Step(
            "score",
            "Score for Λ",
            sp.Tuple(
                equal(sp.Derivative(sp.log(sp.Determinant(lam)), lam), lam.I),
                equal(sp.Derivative(sp.Trace(lam * a), lam), trace_rate),
                equal(sp.Derivative(at_mean, lam), n / 2 * lam.I - trace_rate / 2),
                equal(lam.I, a / n),
            ),
            "Jacobi's formula gives ∂ log det Λ/∂Λ = Λ⁻ᵀ = Λ⁻¹ (Λ symmetric); the trace's "
            "derivative ∂ tr(ΛA)/∂Λ = Aᵀ = A is SymPy's. The score (n/2)Λ⁻¹ − A/2 vanishes "
            "where Σ = Λ⁻¹ = A/n.",
        ),
        Step(
            "second_order",
            "Second-order conditions",
            equal(sp.Derivative(LogLikelihood(mu), mu, 2), hessian),
            "−nΛ is negative definite, and log det Λ is concave on positive definite matrices "
            "while tr(ΛA) is linear: ℓ is concave along both, so the stationary point is the "
            "maximum. It exists when A is positive definite: at least k + 1 rows, not all in "
            "one hyperplane.",
        ),
    ]


def hat_of(estimate: sp.Basic) -> sp.MatrixSymbol:
    """μ̂ or Σ̂, by the estimate's shape."""
    rows, columns = estimate.shape
    return sp.MatrixSymbol("muhat" if columns == 1 else "Sigmahat", rows, columns)


def estimate_step(mu_hat: sp.Basic, sigma_hat: sp.Basic, method_note: str) -> Step:
    shown = sp.Tuple(equal(hat_of(mu_hat), mu_hat), equal(hat_of(sigma_hat), sigma_hat))
    return Step(
        "estimate",
        "Maximum-likelihood estimate",
        shown,
        "The maximum-likelihood estimate (closed form): the sample mean and the sample "
        f"covariance with divisor n. {method_note}",
    )


BIAS = (
    "Σ̂ is biased: E[Σ̂] = (n − 1)/n · Σ, and the unbiased covariance divides by n − 1 "
    "(NumPy's cov with bias=False)."
)


def derive_general() -> VectorDerivation:
    """The derivation for n rows of k columns, k and n symbolic."""
    s = symbols(k)
    ybar, a = s["ybar"], s["A"]
    steps = [*opening_steps(s, k), *solve_steps(s, k)]
    steps.append(estimate_step(ybar, a / n, BIAS))
    steps.append(fisher_step(s["Sigma"]))
    return VectorDerivation(
        MULTIVARIATE_NORMAL,
        None,
        {"mu": ybar, "Sigma": a / n},
        tuple(steps),
        log_likelihood(s, k, n),
        "closed form",
        (s["mu"], s["Sigma"]),
    )


def fisher_step(sigma: sp.Basic) -> Step:
    """I(μ) = Σ⁻¹ per observation (with data: at Σ̂)."""
    mu = sp.MatrixSymbol("mu", sigma.shape[0], 1)
    return Step(
        "fisher",
        "Fisher information of μ",
        equal(sp.Function("I")(mu), sigma.I if isinstance(sigma, sp.MatrixSymbol) else sigma.inv()),
        "Minus the expected Hessian in μ, per observation, is −(−nΣ⁻¹)/n = Σ⁻¹: the "
        "standard error of μ̂ⱼ is √(Σ̂ⱼⱼ/n).",
    )


def scatter(rows: Rows) -> tuple[sp.Matrix, sp.Matrix]:
    """ȳ and A = Σᵢ(yᵢ − ȳ)(yᵢ − ȳ)ᵀ, exactly."""
    X = matrix_of(rows)
    mean = sp.Matrix([sum(X[:, c]) / X.rows for c in range(X.cols)])
    centred = X - sp.ones(X.rows, 1) * mean.T
    return mean, centred.T * centred


def require_rank(count: int, size: int, a: sp.Matrix) -> None:
    """A clear error where Σ̂ = A/n is singular: too few rows, or rows in a hyperplane."""
    if count <= size:
        raise DataError(
            f"the sample covariance of n = {count} rows in k = {size} dimensions is singular: "
            f"give at least k + 1 = {size + 1} rows."
        )
    if a.det() == 0:
        raise NoMLEError(
            "no maximum-likelihood estimate exists for this sample: its rows lie in one "
            f"hyperplane (the scatter matrix has rank {a.rank()} < {size}), so the sample "
            "covariance is singular and the likelihood grows without bound."
        )


def derive_data(family: VectorFamily, rows: Rows) -> VectorDerivation:
    """The derivation from rows: the statistics, then the general solution with them put in."""
    count, size = sp.Integer(len(rows)), sp.Integer(len(rows[0]))
    mean, a = scatter(rows)
    require_rank(count, size, a)
    s = symbols(size)
    shown = log_likelihood(s, size, count)
    ell = shown.subs({s["ybar"]: mean, s["A"]: a})
    sigma_hat = a / count
    maximum = -count / 2 * (size * sp.log(2 * sp.pi) + sp.log(sigma_hat.det()) + size)
    steps = [model_step(s, size)]
    steps += [
        Step(
            "data",
            "The data and their statistics",
            sp.Tuple(
                equal(sp.Symbol("Y"), matrix_of(rows)),
                equal(n, count),
                equal(s["ybar"], mean),
                equal(s["A"], a),
            ),
            f"The {count} rows of Y are the observations. The likelihood depends on them only "
            "through n, the mean ȳ and the scatter matrix A = Σᵢ(yᵢ − ȳ)(yᵢ − ȳ)ᵀ.",
        ),
        Step(
            "log",
            "Log-likelihood",
            equal(LogLikelihood(sp.Tuple(s["mu"], s["Sigma"])), shown),
            "The general log-likelihood with n put in; ȳ and A are the matrices above.",
        ),
        Step(
            "solve",
            "Solution",
            sp.Tuple(
                equal(s["mu"], mean),
                equal(s["Sigma"], sigma_hat),
                equal(LogLikelihood(sp.Tuple(hat_of(mean), hat_of(sigma_hat))), maximum),
            ),
            "The general solution μ̂ = ȳ, Σ̂ = A/n. At the maximum tr(Σ̂⁻¹A) = nk, so "
            "ℓ̂ = −(n/2)(k log 2π + log det Σ̂ + k).",
        ),
        estimate_step(mean, sigma_hat, BIAS),
        fisher_step(sigma_hat),
    ]
    estimate = {"mu": mean, "Sigma": sigma_hat}
    return VectorDerivation(
        family, rows, estimate, tuple(steps), ell, "closed form", (s["mu"], s["Sigma"])
    )


def jacobi_holds() -> bool:
    """Jacobi's formula ∂ log det Λ/∂Λ = Λ⁻ᵀ, entrywise on a general 2×2 matrix."""
    entries = sp.Matrix(2, 2, sp.symbols("l11 l12 l21 l22"))
    gradient = sp.Matrix(2, 2, lambda r, c: sp.diff(sp.log(entries.det()), entries[r, c]))
    return bool(sp.simplify(gradient - entries.inv().T) == sp.zeros(2, 2))
