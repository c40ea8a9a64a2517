"""Losses of real targets: squared error (Normal, σ fixed), the Gaussian NLL (mean and variance
predicted) and the absolute error (Laplace, b fixed: the median regression)."""

from __future__ import annotations

import numpy as np
import scipy
import sympy as sp

from symmle.derive.step import Step
from symmle.families.continuous import NORMAL, mu, sigma
from symmle.families.robust import LAPLACE
from symmle.losses.base import Array, Derived, LossEntry, Plot, against_prediction
from symmle.losses.family import conditional_steps, drop_step, loss_step
from symmle.losses.options import Option, Options, real
from symmle.printing.latex import inline
from symmle.printing.notation import Loss
from symmle.symbols import value, y_hat

v = sp.Symbol("v", positive=True)
MEAN = "parameter μ (the mean) is the network's output ŷᵢ = NN(xᵢ | w)"


def simple_loss(entry_family: str, name: str, mean_name: str) -> Derived:
    """A loss from one predicted location parameter, the others fixed."""
    family, parameter = (NORMAL, mu) if entry_family == "normal" else (LAPLACE, mu)
    what = MEAN if family is NORMAL else MEAN.replace("the mean", "the location, the median")
    steps, nll = conditional_steps(family, {parameter: y_hat}, what)
    dropped, core = drop_step(nll, (y_hat,), name)
    steps += [dropped] if dropped else []
    steps.append(loss_step(core, (y_hat,), name, mean_name))
    return Derived(tuple(steps), core, (value, y_hat))


def derive_squared(options: Options) -> Derived:
    return simple_loss("normal", "squared error", "mean squared error")


def derive_l1(options: Options) -> Derived:
    derived = simple_loss("laplace", "absolute error", "mean absolute error")
    why = Step(
        "loss",
        "The median regression",
        sp.Eq(sp.Derivative(Loss(value, y_hat), y_hat), sp.sign(y_hat - value)),
        "The derivative is the sign of the residual: the mean absolute error is smallest "
        "where as many targets lie above the prediction as below, at a median, and a far "
        "outlier pulls it no more than a near one.",
    )
    return Derived((*derived.steps, why), derived.expr, derived.arguments)


def derive_gaussian(options: Options) -> Derived:
    what = "mean μ and variance σ² are both outputs of the network: ŷᵢ and vᵢ"
    steps, nll = conditional_steps(NORMAL, {mu: y_hat, sigma: sp.sqrt(v)}, what)
    loss = nll
    if not options["full"]:
        loss = nll.as_independent(value, y_hat, v, as_Add=True)[1]
        steps.append(
            Step(
                "drop_constants",
                "The constant ½ log 2π",
                sp.Eq(Loss(value, y_hat, v), loss),
                "The term ½ log 2π does not depend on w and is left out (full=False, PyTorch's "
                "default); the factor ½ is kept, as PyTorch keeps it.",
            )
        )
    eps = sp.nsimplify(options["eps"], rational=True)
    clamped = loss.subs(v, sp.Max(v, eps))
    steps.append(
        Step(
            "option",
            f"The variance clamped at eps = {inline(sp.Float(eps, 3))}",
            sp.Eq(Loss(value, y_hat, v), clamped),
            "Where the predicted variance reaches 0 the loss is −∞ at a perfect prediction: "
            "PyTorch clamps v from below at eps (for stability; the clamp passes no gradient).",
        )
    )
    steps.append(
        loss_step(clamped, (y_hat, v), "Gaussian negative log-likelihood", "mean Gaussian NLL")
    )
    return Derived(tuple(steps), clamped, (value, y_hat, v))


def squared_reference(options: Options, y: Array, x: Array) -> Array:
    """torch.nn.MSELoss: (x − y)²."""
    return np.asarray((x - y) ** 2)


def l1_reference(options: Options, y: Array, x: Array) -> Array:
    """torch.nn.L1Loss: |x − y|."""
    return np.asarray(np.abs(x - y))


def gaussian_reference(options: Options, y: Array, x: Array, var: Array) -> Array:
    """torch.nn.GaussianNLLLoss: ½(log max(var, eps) + (x − y)²/max(var, eps)) (+ ½ log 2π)."""
    var = np.maximum(var, real(options["eps"]))
    loss = 0.5 * (np.log(var) + (x - y) ** 2 / var)
    return np.asarray(loss + 0.5 * np.log(2 * np.pi) if options["full"] else loss)


def real_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array]:
    y, x = rng.normal(0, 3, (2, 200))
    edges = np.array([-1e4, -100.0, 0.0, 100.0, 1e4])
    return np.concatenate([y, edges, edges[::-1]]), np.concatenate([x, edges, edges])


def gaussian_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array, Array]:
    y, x = real_inputs(rng, options)
    var = rng.lognormal(0, 2, y.size)
    var[:6] = [0.0, 1e-12, 1e-6, 1e-3, 1e4, 1e8]
    return y, x, var


def normal_nll(options: Options, y: Array, x: Array) -> Array:
    """2·(−scipy.stats.norm(x, 1).logpdf(y)) − log 2π."""
    return np.asarray(-2 * scipy.stats.norm(x, 1).logpdf(y) - np.log(2 * np.pi))


def laplace_nll(options: Options, y: Array, x: Array) -> Array:
    """−scipy.stats.laplace(x, 1).logpdf(y) − log 2."""
    return np.asarray(-scipy.stats.laplace(x, 1).logpdf(y) - np.log(2))


def gaussian_nll(options: Options, y: Array, x: Array, var: Array) -> Array:
    """−scipy.stats.norm(x, √max(var, eps)).logpdf(y), less ½ log 2π unless full."""
    scale = np.sqrt(np.maximum(var, real(options["eps"])))
    nll = -scipy.stats.norm(x, scale).logpdf(y)
    return np.asarray(nll if options["full"] else nll - 0.5 * np.log(2 * np.pi))


def variance(grid: Array, target: float) -> tuple[Array, Array, Array]:
    """Residual y − ŷ = ``target``, the variance v on the grid."""
    return np.full_like(grid, target), np.zeros_like(grid), grid


SQUARED_ERROR = LossEntry(
    name="squared-error",
    title="Mean squared error",
    family="normal",
    link="μ = ŷ, σ fixed",
    pytorch="torch.nn.MSELoss",
    derive=derive_squared,
    reference=squared_reference,
    inputs=real_inputs,
    plot=Plot("prediction ŷ", -3.0, 3.0, (0.0, 1.0), against_prediction),
    aliases=("normal", "mse"),
    scipy=normal_nll,
)

GAUSSIAN_NLL = LossEntry(
    name="gaussian-nll",
    title="Gaussian negative log-likelihood",
    family="normal",
    link="μ = ŷ, σ² = v",
    pytorch="torch.nn.GaussianNLLLoss",
    derive=derive_gaussian,
    reference=gaussian_reference,
    inputs=gaussian_inputs,
    plot=Plot("predicted variance v", 0.2, 6.0, (0.5, 1.0, 2.0), variance, "residual y − ŷ = {:g}"),
    options=(
        Option("full", False, "keep the constant ½ log 2π"),
        Option("eps", 1e-6, "the smallest variance", sp.Interval.open(0, sp.oo)),
    ),
    scipy=gaussian_nll,
)

L1 = LossEntry(
    name="l1",
    title="Mean absolute error",
    family="laplace",
    link="μ = ŷ, b fixed",
    pytorch="torch.nn.L1Loss",
    derive=derive_l1,
    reference=l1_reference,
    inputs=real_inputs,
    plot=Plot("prediction ŷ", -3.0, 3.0, (0.0, 1.0), against_prediction),
    aliases=("laplace", "mae"),
    scipy=laplace_nll,
)

LOSSES = (SQUARED_ERROR, GAUSSIAN_NLL, L1)
