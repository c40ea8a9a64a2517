"""Losses of binary targets, from the Bernoulli: binary cross-entropy on probabilities, and on
logits in its stable form."""

from __future__ import annotations

import numpy as np
import scipy
import sympy as sp

from symmle.derive.step import Step
from symmle.families.discrete import BERNOULLI, theta
from symmle.losses.base import Array, Derived, LossEntry, Plot, against_prediction
from symmle.losses.family import conditional_steps, drop_step, loss_step
from symmle.losses.functions import sigmoid
from symmle.losses.options import Option, Options, real
from symmle.losses.stable import log_sigmoid, softplus_of_negative, to_xlogy
from symmle.printing.latex import inline
from symmle.printing.notation import Loss
from symmle.printing.prose import phrase
from symmle.symbols import value, y_hat

z = sp.Symbol("z", real=True)
PREDICTED = "parameter θ (the probability of a 1) is the network's output ŷᵢ = NN(xᵢ | w)"
NAME = "binary cross-entropy"


def bce_steps() -> tuple[list[Step], sp.Expr]:
    steps, nll = conditional_steps(BERNOULLI, {theta: y_hat}, PREDICTED)
    dropped, core = drop_step(nll, (y_hat,), NAME)
    steps += [dropped] if dropped else []
    core = sp.collect(core, [sp.log(y_hat), sp.log(1 - y_hat)])
    steps.append(loss_step(core, (y_hat,), NAME, "mean " + NAME))
    return steps, core


def derive_bce(options: Options) -> Derived:
    steps, core = bce_steps()
    stable = to_xlogy(core)
    steps.append(
        Step(
            "stable",
            "Finite where the prediction is certain",
            sp.Eq(Loss(value, y_hat), stable),
            "The textbook form is 0·log 0 = NaN at ŷ = 0 with y = 0 (and at ŷ = 1 with y = 1). "
            "Written with xlogy(a, b) = a·log b, which is 0 where a = 0 (the limit of a·log a), "
            "the loss is 0 there, as it should be; it is +∞ only where a target is given "
            "probability 0.",
        )
    )
    return Derived(tuple(steps), core, (value, y_hat), stable=stable)


def derive_logits(options: Options) -> Derived:
    steps, core = bce_steps()
    weight = sp.nsimplify(options["pos_weight"], rational=True)
    if weight != 1:
        positives = core.coeff(sp.log(y_hat)) * sp.log(y_hat)
        core = sp.collect(core + (weight - 1) * positives, [sp.log(y_hat), sp.log(1 - y_hat)])
        steps.append(
            Step(
                "option",
                f"Positives weighted by pos_weight = {inline(weight)}",
                sp.Eq(Loss(value, y_hat), core),
                phrase(
                    "Each positive target counts {0} times: its likelihood θ is raised to the "
                    "power {0}, and its term of the NLL is multiplied by it (PyTorch's "
                    "pos_weight, to balance rare positives).",
                    weight,
                ),
            )
        )
    textbook = core.subs(y_hat, sigmoid(z))
    steps.append(
        Step(
            "link",
            "The network outputs a logit",
            sp.Tuple(
                sp.Eq(y_hat, sigmoid(z)),
                sp.Eq(sigmoid(z), 1 / (1 + sp.exp(-z))),
                sp.Eq(Loss(value, z), textbook),
            ),
            "The network's last layer gives any real number z (a logit); the sigmoid σ maps "
            "it to a probability. Substituted as it stands, σ(z) rounds to 1 for z > 37 and "
            "log(1 − σ(z)) is log 0 = −∞: a lambdified loss is inf at z = 40 with y = 0.",
        )
    )
    softplus_form = log_sigmoid(textbook)
    stable = softplus_of_negative(softplus_form)
    steps.append(
        Step(
            "stable",
            "The stable form: softplus",
            sp.Tuple(sp.Eq(Loss(value, z), softplus_form), sp.Eq(Loss(value, z), stable)),
            "With softplus(z) = log(1 + eᶻ): log σ(z) = −softplus(−z) and log(1 − σ(z)) = "
            "−softplus(z); then softplus(−z) = softplus(z) − z leaves one softplus. It is "
            "computed as max(z, 0) + log(1 + e^(−|z|)), which never overflows: the loss is "
            "finite for every finite logit.",
        )
    )
    steps.append(
        Step(
            "loss",
            "The binary cross-entropy with logits",
            sp.Tuple(
                sp.Eq(Loss(value, z), stable),
                sp.Eq(sp.Derivative(Loss(value, z), z), sp.expand(sp.diff(stable, z))),
            ),
            "Per sample this is PyTorch's BCEWithLogitsLoss, the Bernoulli NLL of the logit; "
            "its derivative in z, where backpropagation starts, needs no logarithm either.",
        )
    )
    return Derived(tuple(steps), stable, (value, z), textbook=textbook)


def bce_reference(options: Options, y: Array, p: Array) -> Array:
    """torch.nn.BCELoss: −(y·log x + (1−y)·log(1−x)), each log clamped at −100."""
    with np.errstate(divide="ignore"):
        first, second = np.maximum(np.log(p), -100.0), np.maximum(np.log(1 - p), -100.0)
    return np.asarray(-(y * first + (1 - y) * second))


def logits_reference(options: Options, y: Array, x: Array) -> Array:
    """torch.nn.BCEWithLogitsLoss: −(p·y·log σ(x) + (1−y)·log(1−σ(x))), evaluated as PyTorch
    does, with m = max(−x, 0): (1−y)·x + (1 + (p−1)·y)·(m + log(e^(−m) + e^(−x−m)))."""
    weight = real(options["pos_weight"])
    m = np.maximum(-x, 0.0)
    return np.asarray(
        (1 - y) * x + (1 + (weight - 1) * y) * (m + np.log(np.exp(-m) + np.exp(-x - m)))
    )


def targets(rng: np.random.Generator, size: int) -> Array:
    """Half hard labels 0/1, half soft labels in [0, 1]."""
    hard = rng.integers(0, 2, size // 2).astype(float)
    return np.concatenate([hard, rng.uniform(0, 1, size - hard.size)])


def bce_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array]:
    y = targets(rng, 200)
    p = rng.uniform(1e-6, 1 - 1e-6, y.size)
    edges_y = np.array([0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    edges_p = np.array([0.0, 1.0, 1e-40, 1e-300, 1 - 1e-16, 1 - 1e-16])
    return np.concatenate([y, edges_y]), np.concatenate([p, edges_p])


def logits_inputs(rng: np.random.Generator, options: Options) -> tuple[Array, Array]:
    y = targets(rng, 200)
    x = rng.uniform(-10, 10, y.size)
    edges = np.array([-1e4, -100.0, -40.0, 0.0, 40.0, 100.0, 1e4])
    edge_y = np.concatenate([np.zeros(7), np.ones(7), np.full(7, 0.3)])
    return np.concatenate([y, edge_y]), np.concatenate([x, np.tile(edges, 3)])


def bernoulli_nll(options: Options, y: Array, p: Array) -> Array:
    """−log of scipy.stats.bernoulli's pmf (hard targets; NaN for soft ones)."""
    hard = np.isin(y, (0.0, 1.0))
    with np.errstate(divide="ignore"):
        nll = -scipy.stats.bernoulli(p).logpmf(np.where(hard, y, 0.0))
    return np.asarray(np.where(hard, nll, np.nan))


def logits_bernoulli_nll(options: Options, y: Array, x: Array) -> Array:
    """scipy.stats.bernoulli at p = 1/(1 + e^(−x)), positives weighted, for |x| ≤ 10 (beyond,
    1 − p loses its digits: the reason for the stable form)."""
    weight = np.where(y == 1.0, real(options["pos_weight"]), 1.0)
    nll = bernoulli_nll(options, y, 1 / (1 + np.exp(-np.clip(x, -10, 10))))
    return np.asarray(np.where(np.abs(x) <= 10, weight * nll, np.nan))


BCE = LossEntry(
    name="binary-cross-entropy",
    title="Binary cross-entropy",
    family="bernoulli",
    link="θ = ŷ",
    pytorch="torch.nn.BCELoss",
    derive=derive_bce,
    reference=bce_reference,
    inputs=bce_inputs,
    plot=Plot("predicted probability ŷ", 0.001, 0.999, (0.0, 1.0), against_prediction),
    aliases=("bernoulli", "bce"),
    scipy=bernoulli_nll,
)

BCE_WITH_LOGITS = LossEntry(
    name="bce-with-logits",
    title="Binary cross-entropy with logits",
    family="bernoulli",
    link="θ = σ(z)",
    pytorch="torch.nn.BCEWithLogitsLoss",
    derive=derive_logits,
    reference=logits_reference,
    inputs=logits_inputs,
    plot=Plot("logit z", -8.0, 8.0, (0.0, 1.0), against_prediction),
    options=(
        Option("pos_weight", 1.0, "the weight of positive targets", sp.Interval.open(0, sp.oo)),
    ),
    scipy=logits_bernoulli_nll,
)

LOSSES = (BCE, BCE_WITH_LOGITS)
