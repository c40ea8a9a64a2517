"""Class weights ω (PyTorch's ``weight`` of CrossEntropyLoss and NLLLoss): each class's term of
the NLL multiplied by its weight, derived as an option step, and bound as numbers in ``fn``."""

from __future__ import annotations

import sympy as sp

from symmle.derive.step import Step
from symmle.losses.functions import classes_mean, classes_sum, logsumexp, pick
from symmle.losses.options import Options
from symmle.losses.reduction import omega
from symmle.printing.notation import Loss
from symmle.symbols import value


def constants(options: Options) -> tuple[tuple[sp.Symbol, tuple[float, ...]], ...]:
    """The class weights ω bound in ``fn``, when they are given."""
    chosen = options["weight"]
    return () if chosen is None else ((omega, tuple(map(float, chosen))),)  # type: ignore[arg-type]


def weights_text(options: Options) -> str:
    shown = ", ".join(f"{float(v):g}" for v in options["weight"])  # type: ignore[union-attr]
    return (
        f"Class c counts ω_c times (PyTorch's weight, here ω = ({shown})): its probability in "
        "the likelihood is raised to the power ω_c, so its term of the NLL, −log p_c, is "
        "multiplied by ω_c. "
    )


def class_weights(options: Options, target: sp.Symbol, z: sp.Symbol, t: sp.Symbol) -> Step | None:
    """The cross-entropy with class weights: −Σ_c ω_c T_c log p_c for the logits z and the
    target distribution T (one-hot at ``target``, or t; mixed with the uniform by label
    smoothing)."""
    if options["weight"] is None:
        return None
    if target == value:
        given = pick(omega, value) * (-pick(z, value) + logsumexp(z))
    else:
        given = -classes_sum(omega, t, z) + classes_sum(omega, t) * logsumexp(z)
    smoothing = sp.nsimplify(options["label_smoothing"], rational=True)
    uniform = -classes_mean(omega * z) + classes_mean(omega) * logsumexp(z)
    weighted = sp.collect(sp.expand((1 - smoothing) * given + smoothing * uniform), logsumexp(z))
    return Step(
        "option",
        "Class weights ω",
        sp.Eq(Loss(target, z), weighted),
        weights_text(options) + "The per-sample loss is −Σ_c ω_c T_c log p_c for the target "
        "distribution T; the mean over the batch divides by the total weight of the targets "
        "(class indices) or by n (probabilities).",
    )
