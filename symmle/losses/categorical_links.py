"""The Categorical's NLL as a network's loss: k logits z through the softmax, and the loss
logsumexp(z) − z_y (the cross-entropy of one class y in 1, …, k), which never overflows."""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from symmle.derive.step import Step
from symmle.errors import OptionError
from symmle.families import Distribution
from symmle.losses.base import Derived
from symmle.losses.functions import entry, logsumexp, softmax
from symmle.printing.notation import Loss
from symmle.symbols import value

z = sp.Symbol("z", real=True)
"""The network's k outputs, one logit per class (a vector on the last axis)."""
p = sp.IndexedBase("p")
c = sp.Symbol("c", integer=True, positive=True)


def softmax_network(link: str | Mapping[str, str] | None) -> None:
    """The Categorical's probabilities take the softmax (the only link onto the simplex)."""
    names = set(link.values()) if isinstance(link, Mapping) else {link}
    if names - {None, "softmax"}:
        raise OptionError(
            "the Categorical's probabilities p_1, …, p_k are predicted through the softmax of "
            "k logits: link='softmax' (the default)."
        )


def derive_categorical(family: Distribution) -> Derived:
    textbook = -sp.log(entry(softmax(z), value))
    stable = logsumexp(z) - entry(z, value)
    steps = (
        Step(
            "conditional",
            "A network predicts the probabilities",
            sp.Eq(sp.Indexed(p, value), entry(softmax(z), value)),
            "Given the input xᵢ, the class yᵢ ∈ {1, …, k} follows the Categorical whose "
            "probabilities are the softmax of the network's k outputs (logits) z: "
            "softmax(z)_c = e^(z_c)/Σⱼ e^(z_j), positive and summing to one.",
        ),
        Step(
            "nll",
            "Negative log-likelihood of one target",
            sp.Eq(Loss(value, z), textbook),
            "The probability of the observed class is p_y, so its negative log-likelihood "
            "is −log p_y.",
        ),
        Step(
            "stable",
            "The stable form: log-sum-exp",
            sp.Eq(Loss(value, z), stable),
            "log softmax(z)_y = z_y − log Σⱼ e^(z_j). The log-sum-exp is computed as "
            "m + log Σⱼ e^(z_j − m) with m = max z, which never overflows: the loss is finite "
            "for logits of ±1000, where e^(z) is not.",
        ),
        Step(
            "loss",
            "The per-sample NLL",
            sp.Eq(
                sp.Derivative(Loss(value, z), sp.Symbol("z_c")),
                entry(softmax(z), c) - sp.KroneckerDelta(c, value),
            ),
            "Its gradient in the logits is the predicted probability less the one-hot target: "
            "PyTorch's CrossEntropyLoss, with classes counted from 1.",
        ),
    )
    return Derived(steps, stable, (value, z), textbook=textbook)
