"""Losses of class targets, from the Categorical: cross-entropy on logits (class indices or
probabilities, label smoothing), NLL on log-probabilities, and the KL divergence."""

from __future__ import annotations

import sympy as sp

from symmle.derive.step import Step
from symmle.families.discrete import k
from symmle.losses.base import Derived, LossEntry, Plot
from symmle.losses.categorical_numeric import (
    cross_entropy_inputs,
    cross_entropy_reference,
    cross_entropy_scipy,
    first_class,
    kl_inputs,
    kl_reference,
    kl_scipy,
    nll_inputs,
    nll_reference,
    two_classes,
)
from symmle.losses.class_weights import class_weights, constants, weights_text
from symmle.losses.functions import classes_mean, classes_sum, logsumexp, pick, softmax, xlogy
from symmle.losses.options import Option, Options
from symmle.losses.reduction import omega
from symmle.printing.latex import inline
from symmle.printing.notation import Density, Likelihood, Loss, NegativeLogLikelihood
from symmle.printing.prose import phrase
from symmle.symbols import i, n, value, y

c = sp.Symbol("c", integer=True, positive=True)
z, p, a, t, b = sp.symbols("z p a t b")
"""Vectors over the k classes (last axis in NumPy): logits, probabilities, log-probabilities,
a target distribution and its logarithm."""
w = sp.Symbol("w")
SOFTMAX = sp.exp(sp.Indexed(sp.IndexedBase(z), value)) / sp.Sum(
    sp.exp(sp.Indexed(sp.IndexedBase(z), c)), (c, 1, k)
)


def categorical_steps(link: sp.Expr, said: str) -> list[Step]:
    """Model, likelihood and NLL of class targets whose probabilities are ``link``."""
    p_i = sp.IndexedBase("p")[i]
    f_i = Density(y[i], p_i)
    nll = NegativeLogLikelihood(w)
    return [
        Step(
            "conditional",
            "A network predicts the class probabilities",
            sp.Tuple(sp.Eq(f_i, pick(p_i, y[i])), sp.Eq(p, link)),
            "Given the input xᵢ, the class yᵢ ∈ {1, …, k} follows the Categorical whose "
            f"probabilities p = (p₁, …, p_k) the network outputs: {said}",
        ),
        Step(
            "likelihood",
            "Conditional likelihood",
            sp.Eq(Likelihood(w), sp.Product(f_i, (i, 1, n))),
            "The pairs are independent, so the likelihood of the weights is a product.",
        ),
        Step(
            "nll",
            "Negative log-likelihood",
            sp.Eq(nll, -sp.Sum(sp.log(pick(p_i, y[i])), (i, 1, n))),
            "Training minimises the negative log-likelihood: per sample, −log of the "
            "probability given to the observed class.",
        ),
    ]


def cross_entropy_steps(options: Options) -> tuple[list[Step], sp.Expr, sp.Expr]:
    """Steps to −z_y + logsumexp(z); the textbook −log softmax(z)_y and the stable form."""
    steps = categorical_steps(softmax(z), "p = softmax(z).")
    textbook = -sp.log(SOFTMAX)
    normaliser = sp.log(sp.Sum(sp.exp(sp.IndexedBase(z)[c]), (c, 1, k)))
    expanded = sp.expand_log(textbook, force=True)
    stable = expanded.subs(normaliser, logsumexp(z)).subs(sp.IndexedBase(z)[value], pick(z, value))
    steps.append(
        Step(
            "link",
            "Softmax of the logits",
            sp.Eq(Loss(value, z), textbook),
            "The network's last layer gives k real numbers z (logits); the softmax "
            "p_c = e^(z_c) / Σⱼ e^(z_j) makes them probabilities. Computed as it stands, "
            "e^(z_c) overflows for z_c > 709 and the loss is NaN.",
        )
    )
    steps.append(
        Step(
            "stable",
            "The stable form: logsumexp",
            sp.Tuple(sp.Eq(Loss(value, z), expanded), sp.Eq(Loss(value, z), stable)),
            "The logarithm of the quotient is a difference, and log Σ_c e^(z_c) is computed as "
            "m + log Σ_c e^(z_c − m) with m = max_c z_c: every exponent is at most 0, so "
            "nothing overflows and the largest term is e⁰ = 1, so nothing underflows to log 0.",
        )
    )
    numeric = textbook.subs(normaliser.args[0], classes_sum(sp.exp(z)))
    return steps, numeric.subs(sp.IndexedBase(z)[value], pick(z, value)), stable


def derive_cross_entropy(options: Options) -> Derived:
    steps, textbook, per_class = cross_entropy_steps(options)
    target, arguments = value, (value, z)
    loss = per_class
    if options["target"] == "probabilities":
        loss = -classes_sum(t, z) + logsumexp(z)
        target, arguments = t, (t, z)
        steps.append(
            Step(
                "option",
                "Probability targets",
                sp.Eq(Loss(t, z), loss),
                "With a target distribution t over the classes instead of one class, the loss "
                "is the NLL averaged over classes drawn from t, Σ_c t_c(−log p_c), the "
                "cross-entropy H(t, p); since Σ_c t_c = 1 the logsumexp appears once.",
            )
        )
    smoothing = sp.nsimplify(options["label_smoothing"], rational=True)
    if smoothing:
        uniform = -classes_mean(z) + logsumexp(z)
        loss = sp.collect(sp.expand((1 - smoothing) * loss + smoothing * uniform), logsumexp(z))
        steps.append(
            Step(
                "option",
                f"Label smoothing ε = {inline(smoothing)}",
                sp.Eq(Loss(target, z), loss),
                "The target is mixed with the uniform distribution: (1 − ε)·target + ε/k. "
                "The loss is the same mixture of the loss at the target and the loss at the "
                "uniform distribution, −(1/k)Σ_c z_c + logsumexp(z), which keeps the logits "
                "from growing without bound on separable data.",
            )
        )
    weighted = class_weights(options, target, z, t)
    if weighted is not None:
        steps.append(weighted)
        loss = weighted.expr.rhs
    steps.append(
        Step(
            "loss",
            "The cross-entropy",
            sp.Eq(Loss(target, z), loss),
            "Per sample this is PyTorch's CrossEntropyLoss; averaged over the sample, the mean "
            "cross-entropy. Its NumPy function takes class indices 0, …, k − 1, as PyTorch does.",
        )
    )
    return Derived(
        tuple(steps),
        loss,
        arguments,
        textbook=textbook if loss == per_class else None,
        constants=constants(options),
    )


def derive_nll(options: Options) -> Derived:
    steps = categorical_steps(sp.exp(a), "p = eᵃ, where a = log p are log-probabilities.")
    loss = -pick(a, value)
    if options["weight"] is not None:
        loss = -pick(omega, value) * pick(a, value)
        steps.append(
            Step(
                "option",
                "Class weights ω",
                sp.Eq(Loss(value, a), loss),
                weights_text(options) + "The mean over the batch divides by their total weight.",
            )
        )
    steps.append(
        Step(
            "link",
            "The network outputs log-probabilities",
            sp.Tuple(sp.Eq(a, sp.log(p)), sp.Eq(Loss(value, a), loss)),
            "A last layer log_softmax gives log-probabilities a = log p directly (computed with "
            "logsumexp, so finite); the loss only picks the entry of the observed class.",
        )
    )
    steps.append(
        Step(
            "loss",
            "The negative log-likelihood loss",
            sp.Eq(Loss(value, a), loss),
            "Per sample this is PyTorch's NLLLoss; log_softmax followed by it is the "
            "cross-entropy. Its NumPy function takes class indices 0, …, k − 1, as PyTorch does.",
        )
    )
    return Derived(tuple(steps), loss, (value, a), constants=constants(options))


def derive_kl(options: Options) -> Derived:
    entropy = -classes_sum(t, sp.log(t))
    cross = -classes_sum(t, sp.log(p))
    kl = sp.Function("KL")
    steps = [
        Step(
            "model",
            "Cross-entropy is the expected NLL",
            sp.Eq(sp.Function("H")(t, p), cross),
            "When the target is a distribution t over the classes, the NLL of the model p "
            "averaged over targets drawn from t is the cross-entropy H(t, p).",
        ),
        Step(
            "drop_constants",
            "KL divergence: the cross-entropy less the target's entropy",
            sp.Tuple(
                sp.Eq(kl(t, p), classes_sum(t, sp.log(t / p))), sp.Eq(kl(t, p), cross - entropy)
            ),
            phrase(
                "KL(t ‖ p) = H(t, p) − H(t) with the entropy H(t) = {0}, which does not depend "
                "on the weights: the two losses have the same minimiser and gradient, but the KL "
                "divergence is 0 when p = t, where the cross-entropy is H(t).",
                entropy,
            ),
        ),
    ]
    if options["log_target"]:
        loss, arguments = sp.exp(b) * (b - a), (b, a)
        said = "The target is given as log-probabilities b = log t (log_target): eᵇ(b − a)."
    else:
        loss, arguments = xlogy(t, t) - t * a, (t, a)
        said = (
            "Written with xlogy(t, t) = t·log t, which is 0 at t = 0 (the limit), a class "
            "the target never takes adds nothing instead of 0·log 0 = NaN."
        )
    steps += [
        Step(
            "link",
            "The input is log-probabilities",
            sp.Eq(Loss(t, a), t * (sp.log(t) - a)),
            "PyTorch's KLDivLoss takes a = log p (a log_softmax output) and gives the term of "
            "each class, t_c(log t_c − a_c), summed over the classes by the reduction.",
        ),
        Step("stable", "The stable form", sp.Eq(Loss(arguments[0], a), loss), said),
        Step(
            "loss",
            "The KL divergence loss",
            sp.Eq(Loss(arguments[0], a), loss),
            "Per class this is PyTorch's KLDivLoss; summed over the classes and averaged over "
            "the sample (reduction='batchmean') it is the mean KL divergence.",
        ),
    ]
    textbook = None if options["log_target"] else t * (sp.log(t) - a)
    return Derived(tuple(steps), loss, arguments, textbook=textbook)


CROSS_ENTROPY = LossEntry(
    name="cross-entropy",
    title="Cross-entropy",
    family="categorical",
    link="p = softmax(z)",
    pytorch="torch.nn.CrossEntropyLoss",
    derive=derive_cross_entropy,
    reference=cross_entropy_reference,
    inputs=cross_entropy_inputs,
    plot=Plot(
        "logit z₀ of class 0 (the others 0, k = 3)", -8, 8, (0, 1), first_class, "target class {:g}"
    ),
    options=(
        Option(
            "target", "index", "class indices or probabilities", choices=("index", "probabilities")
        ),
        Option(
            "label_smoothing",
            0.0,
            "the weight of the uniform distribution in the target",
            sp.Interval(0, 1),
        ),
    ),
    scipy=cross_entropy_scipy,
    reduction="classes",
)

NLL = LossEntry(
    name="nll",
    title="Negative log-likelihood loss",
    family="categorical",
    link="a = log p",
    pytorch="torch.nn.NLLLoss",
    derive=derive_nll,
    reference=nll_reference,
    inputs=nll_inputs,
    plot=Plot("log-probability a₀ of class 0", -6, 0, (0,), first_class, "target class {:g}"),
    reduction="classes",
)

KL_DIV = LossEntry(
    name="kl-div",
    title="KL divergence",
    family="categorical",
    link="a = log p",
    pytorch="torch.nn.KLDivLoss",
    derive=derive_kl,
    reference=kl_reference,
    inputs=kl_inputs,
    plot=Plot(
        "predicted probability q₀ of class 0 (k = 2)",
        0.001,
        0.999,
        (0.2, 0.5, 0.9),
        two_classes,
        "target t₀ = {:g}",
    ),
    options=(Option("log_target", False, "the target is given as log-probabilities"),),
    scipy=kl_scipy,
    reduction="kl",
)

LOSSES = (CROSS_ENTROPY, NLL, KL_DIV)
