"""Losses of count targets, from the Poisson: rate predicted through the log link (log_input)
or directly, with Stirling's term for log y! (full)."""

from __future__ import annotations

import numpy as np
import scipy
import sympy as sp

from symmle.derive.step import Step
from symmle.families.discrete import POISSON, lam
from symmle.losses.base import Array, Derived, LossEntry, Plot, against_prediction
from symmle.losses.family import conditional_steps, loss_step
from symmle.losses.functions import xlogy
from symmle.losses.options import Option, Options, real
from symmle.printing.notation import Loss
from symmle.printing.prose import phrase
from symmle.symbols import value, y_hat

z = sp.Symbol("z", real=True)
RATE = "parameter λ (the mean count) is the network's output ŷᵢ = NN(xᵢ | w)"
STIRLING = sp.Piecewise(
    (xlogy(value, value) - value + sp.log(2 * sp.pi * value) / 2, value > 1), (0, True)
)


def link_step(nll: sp.Expr, options: Options) -> tuple[Step, sp.Expr, sp.Symbol]:
    """λ = e^z (log_input) or λ = ŷ with eps inside the logarithm."""
    if options["log_input"]:
        linked = sp.expand(sp.expand_log(nll.subs(y_hat, sp.exp(z)), force=True))
        text = (
            "The network outputs z = log λ, any real number; λ = e^z is positive. The "
            "logarithm of the rate is then z itself: no log is taken of a prediction."
        )
        return (
            Step(
                "link",
                "The log link",
                sp.Tuple(sp.Eq(y_hat, sp.exp(z)), sp.Eq(Loss(value, z), linked)),
                text,
            ),
            linked,
            z,
        )
    eps = sp.nsimplify(options["eps"], rational=True)
    linked = nll.subs(sp.log(y_hat), sp.log(y_hat + eps))
    said = phrase(
        "The network outputs the rate ŷ ≥ 0 itself; PyTorch adds eps = {0} inside the "
        "logarithm so that ŷ = 0 gives a finite loss.",
        sp.Float(eps, 3),
    )
    return (
        Step("option", "The rate predicted directly", sp.Eq(Loss(value, y_hat), linked), said),
        linked,
        y_hat,
    )


def derive_poisson(options: Options) -> Derived:
    steps, nll = conditional_steps(POISSON, {lam: y_hat}, RATE)
    step, linked, prediction = link_step(nll, options)
    steps.append(step)
    factorial = sp.log(sp.factorial(value))
    loss = linked - factorial
    if options["full"]:
        loss = loss + STIRLING
        steps.append(
            Step(
                "option",
                "Stirling's approximation of log y!",
                sp.Eq(Loss(value, prediction), loss),
                "With full=True the term log y! is kept, approximated as PyTorch does by "
                "Stirling's formula y log y − y + ½ log(2πy) where y > 1 (and 0 for y ≤ 1, "
                "where log y! = 0).",
            )
        )
    else:
        steps.append(
            Step(
                "drop_constants",
                "Terms that do not change the minimiser",
                sp.Eq(Loss(value, prediction), loss),
                phrase(
                    "The term {0} does not depend on w and is left out (full=False, PyTorch's "
                    "default).",
                    factorial,
                ),
            )
        )
    steps.append(
        loss_step(loss, (prediction,), "Poisson negative log-likelihood", "mean Poisson NLL")
    )
    return Derived(tuple(steps), loss, (value, prediction))


def poisson_reference(options: Options, y: Array, x: Array) -> Array:
    """torch.nn.PoissonNLLLoss: exp(x) − y·x (log_input) or x − y·log(x + eps); with full,
    + y·log y − y + ½·log(2πy) where y > 1."""
    eps = real(options["eps"])
    loss = np.exp(x) - y * x if options["log_input"] else x - y * np.log(x + eps)
    if options["full"]:
        big = y > 1
        loss[big] += y[big] * np.log(y[big]) - y[big] + 0.5 * np.log(2 * np.pi * y[big])
    return np.asarray(loss)


def poisson_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array]:
    y = rng.poisson(3.0, 200).astype(float)
    if options["log_input"]:
        x = np.concatenate([rng.normal(1, 1.5, y.size), [-100.0, -40.0, 0.0, 40.0, 100.0]])
    else:
        x = np.concatenate([rng.gamma(2.0, 1.5, y.size), [0.0, 1e-12, 1e-3, 1e3, 1e8]])
    return np.concatenate([y, [0.0, 1.0, 2.0, 7.0, 30.0]]), x


def poisson_nll(options: Options, y: Array, x: Array) -> Array:
    """−scipy.stats.poisson(λ).logpmf(y) − log y! at λ = eˣ or x + eps (less eps); NaN with
    full (Stirling's formula is an approximation of log y!)."""
    eps = 0.0 if options["log_input"] else real(options["eps"])
    rate = np.exp(x) if options["log_input"] else x + eps
    nll = -scipy.stats.poisson(rate).logpmf(y) - scipy.special.gammaln(y + 1) - eps
    return np.asarray(np.full_like(nll, np.nan) if options["full"] else nll)


POISSON_NLL = LossEntry(
    name="poisson-nll",
    title="Poisson negative log-likelihood",
    family="poisson",
    link="λ = e^z, or λ = ŷ",
    pytorch="torch.nn.PoissonNLLLoss",
    derive=derive_poisson,
    reference=poisson_reference,
    inputs=poisson_inputs,
    plot=Plot("log-rate z", -3.0, 3.0, (0.0, 1.0, 3.0), against_prediction),
    options=(
        Option("log_input", True, "the input is the log of the rate"),
        Option("full", False, "add Stirling's approximation of log y!"),
        Option(
            "eps",
            1e-8,
            "added to the rate inside the log when log_input is false",
            sp.Interval.open(0, sp.oo),
        ),
    ),
    scipy=poisson_nll,
)

LOSSES = (POISSON_NLL,)
