"""A regression's derivation with a design matrix X (n × d) and weights w: the model, the NLL
(a loss of symmle.losses summed), its gradient and Hessian by the chain rule through
ηᵢ = xᵢᵀw, and how it is solved (normal equations, or Newton / IRLS)."""

from __future__ import annotations

import sympy as sp

from symmle.derive.step import Step
from symmle.losses.family import nll_of
from symmle.losses.stable import log_sigmoid, softplus_of_negative
from symmle.models.model import Model, eta
from symmle.printing.latex import inline
from symmle.printing.notation import Density, NegativeLogLikelihood
from symmle.symbols import i, n, value, y

d = sp.Symbol("d", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
X = sp.MatrixSymbol("X", n, d)
w = sp.MatrixSymbol("w", d, 1)
Y = sp.MatrixSymbol("y", n, 1)
MU = sp.MatrixSymbol("mu", n, 1)
S = sp.MatrixSymbol("S", n, n)
G = sp.MatrixSymbol("g", d, 1)
H = sp.MatrixSymbol("H", d, d)
W_HAT = sp.MatrixSymbol("what", d, 1)
Z = sp.MatrixSymbol("zeta", n, 1)
W_NEXT = sp.MatrixSymbol("w'", d, 1)
RSS = sp.Symbol("RSS", positive=True)


def per_observation(model: Model) -> sp.Expr:
    """−log f(y | η) with the family's parameter at mean(η), in its stable form."""
    nll = nll_of(model.family, {model.parameter: model.mean})
    return softplus_of_negative(log_sigmoid(nll))


def matrix_form(model: Model, h: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """The gradient and Hessian of the summed NLL as matrices, and the scale c with
    ∂ℓ/∂η = c·(μ(η) − y): identity mean gives μ = Xw and S = I."""
    scale = sp.simplify(1 / sp.diff(model.mean, eta) * h)
    if model.mean == eta:
        return scale * X.T * (X * w - Y), scale * X.T * X, scale
    return scale * X.T * (MU - Y), scale * X.T * S * X, scale


def model_step(model: Model) -> Step:
    eta_i = sp.IndexedBase("eta")[i]
    x = sp.IndexedBase("X")
    shown = model.family.display.subs(model.parameter, model.mean.subs(eta, eta_i))
    others = [p.symbol for p in model.family.parameters if p.symbol != model.parameter]
    return Step(
        "model",
        f"{model.title}: the model",
        sp.Tuple(
            sp.Eq(eta_i, sp.Sum(x[i, j] * sp.IndexedBase("w")[j], (j, 1, d))),
            sp.Eq(Density(y[i], eta_i, *others), shown.subs(value, y[i])),
        ),
        f"Each target yᵢ follows the {model.family.title} with {inline(model.parameter)}ᵢ = "
        f"{inline(model.mean.subs(eta, sp.Symbol('ηᵢ')))}, a function of the linear predictor "
        f"ηᵢ = xᵢᵀw, where xᵢ is row i of the design matrix X (n × d) ({model.link} link).",
    )


def nll_step(model: Model, nll: sp.Expr) -> Step:
    per_i = nll.subs({value: y[i], eta: sp.IndexedBase("eta")[i]})
    return Step(
        "nll",
        "Negative log-likelihood",
        sp.Eq(NegativeLogLikelihood(sp.Symbol("w")), sp.Sum(per_i, (i, 1, n))),
        f"Summed over the observations; the weights enter through ηᵢ only. Per observation "
        f'this is symmle.loss("{model.loss}") of the target and ηᵢ, up to a positive factor '
        "and terms free of w.",
    )


def derivative_steps(model: Model, nll: sp.Expr) -> list[Step]:
    """∂ℓ/∂η and ∂²ℓ/∂η² by SymPy; the chain rule ∂ηᵢ/∂w = xᵢ gives the matrix forms."""
    first = sp.simplify(sp.diff(nll, eta))
    mean_i = inline(model.mean.subs(eta, sp.Symbol("ηᵢ")))
    second = sp.simplify(sp.diff(first, eta))
    gradient, hessian, _ = matrix_form(model, second)
    positive = sp.simplify(second.rewrite(sp.exp)).is_positive
    sign = "positive for every η" if positive else "not always positive"
    weights = (
        "" if model.mean == eta else f" with S = diag({inline(second.subs(eta, sp.Symbol('ηᵢ')))})"
    )
    return [
        Step(
            "score",
            "Gradient",
            sp.Tuple(
                sp.Eq(sp.Derivative(sp.Function("ell")(eta), eta), first),
                sp.Eq(G, gradient, evaluate=False),
            ),
            "The derivative of one observation's NLL in ηᵢ, times ∂ηᵢ/∂w = xᵢ, summed: "
            + (
                "the residuals weighted by the columns of X."
                if model.mean == eta
                else f"with μᵢ = {mean_i} the fitted mean, g = Xᵀ(μ − y)."
            ),
        ),
        Step(
            "second_order",
            "Hessian",
            sp.Tuple(
                sp.Eq(sp.Derivative(sp.Function("ell")(eta), (eta, 2)), second),
                sp.Eq(H, hessian, evaluate=False),
            ),
            f"The second derivative is {sign}{weights}, so H = XᵀSX is positive definite when "
            "X has full column rank: the NLL is strictly convex and a stationary point is the "
            "unique minimum.",
        ),
    ]


def sigma_hat() -> sp.Expr:
    """σ̂² = RSS/n: the NLL in σ at the least-squares weights, n·log σ + RSS/(2σ²), minimised."""
    sigma = sp.Symbol("sigma", positive=True)
    (root,) = sp.solve(sp.diff(n * sp.log(sigma) + RSS / (2 * sigma**2), sigma), sigma)
    return sp.simplify(root**2)


def solve_steps(model: Model) -> list[Step]:
    if model.mean == eta:
        return [
            Step(
                "solve",
                "Normal equations",
                sp.Tuple(
                    sp.Eq(X.T * X * w, X.T * Y, evaluate=False),
                    sp.Eq(W_HAT, (X.T * X).inv() * X.T * Y, evaluate=False),
                    sp.Eq(sp.Symbol("sigmahat") ** 2, sigma_hat()),
                ),
                "Setting the gradient to zero gives linear equations in w: least squares. Then "
                "the NLL in σ, n·log σ + RSS/(2σ²) with RSS = ‖y − Xŵ‖², is smallest at σ̂² = "
                "RSS/n (not RSS/(n − d): the MLE is biased).",
            )
        ]
    update = sp.Eq(W_NEXT, (X.T * S * X).inv() * X.T * S * Z, evaluate=False)
    working = sp.Eq(Z, X * w + S.inv() * (Y - MU), evaluate=False)
    return [
        Step(
            "numeric",
            "No closed form: Newton's method is IRLS",
            sp.Tuple(sp.Eq(W_NEXT, w - H.inv() * G, evaluate=False), update, working),
            "g = 0 is not linear in w (μ depends on w through the link), so there is no closed "
            "form. Newton's step to the next iterate w′ = w − H⁻¹g, written out, is a "
            "weighted least-squares fit with weights S and the working response ζ: "
            "iteratively reweighted least squares."
            + (
                " On separable data (a hyperplane splits the 0s from the 1s) the NLL keeps "
                "decreasing as w grows along it: there is no MLE, and symmle says so "
                "(NoMLEError) rather than return a huge w."
                if model.targets == "binary"
                else ""
            ),
        )
    ]


def derive_steps(model: Model) -> tuple[sp.Expr, list[Step]]:
    """The per-observation NLL and the general steps (no data)."""
    nll = per_observation(model)
    steps = [
        model_step(model),
        nll_step(model, nll),
        *derivative_steps(model, nll),
        *solve_steps(model),
    ]
    return nll, steps
