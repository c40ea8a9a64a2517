"""PyTorch's reduction of the per-sample losses of a batch: derived as a step (the NLL of the
sample is their sum; the mean divides it by a positive constant free of the weights, so the
minimiser stays) and computed in NumPy exactly as PyTorch documents it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from symmle.derive.step import Step
from symmle.errors import DataError, OptionError
from symmle.families.discrete import k
from symmle.losses.family import weights
from symmle.losses.functions import pick
from symmle.losses.options import Options
from symmle.printing.notation import Loss, NegativeLogLikelihood, SampleLoss
from symmle.symbols import i, n, y

if TYPE_CHECKING:
    from symmle.losses.base import LossResult

omega = sp.Symbol("omega")
"""The class weights ω = (ω₁, …, ω_k), a vector over the classes as the logits are."""
kept = sp.IndexedBase("m")
"""m_i = 1 where the target y_i is not ignore_index, else 0."""


def class_targets(options: Options) -> bool:
    """Whether the targets are class indices (with weights ω_y and ignore_index)."""
    return "ignore_index" in options and options.get("target", "index") == "index"


def denominator(style: str, options: Options) -> tuple[sp.Expr, str]:
    """What 'mean' (or 'batchmean') divides the sum by, and in words."""
    how = options["reduction"]
    if how == "batchmean":
        return n, "the batch size n"
    if style == "kl":
        return n * k, "the number of terms n·k (every class of every sample; PyTorch warns)"
    if not class_targets(options):
        return n, "the sample size n"
    if options["weight"] is None:
        return sp.Sum(kept[i], (i, 1, n)), "the number of targets not ignored"
    counted = sp.Sum(pick(omega, y[i]) * kept[i], (i, 1, n))
    return counted, "the total weight of the targets not ignored"


TITLES = {
    "sum": "the NLL of the sample",
    "mean": "the mean over the batch",
    "batchmean": "the sum over the batch size",
}


def reduction_step(style: str, options: Options) -> Step:
    """The NLL of the sample is the sum of the per-sample losses; the reduction divides it by
    a positive constant D free of the weights w, so ∂L/∂w = (1/D)·∂NLL/∂w (derived here)."""
    how = str(options["reduction"])
    total = sp.Sum(SampleLoss(i, weights), (i, 1, n))
    nll = sp.Eq(NegativeLogLikelihood(weights), total)
    said = (
        "The observations are independent, so the negative log-likelihood of the sample is "
        "the sum of the per-sample losses (less what the steps above dropped: terms free of w "
        "and a positive factor)"
    )
    if how == "none":
        return Step(
            "reduction",
            "reduction='none': the per-sample losses",
            nll,
            f"{said}. With reduction='none' the n per-sample losses 𝓛₁, …, 𝓛ₙ are returned as "
            "they are (PyTorch's 'none'); summing or averaging them is left to the caller.",
        )
    scale, words = (sp.Integer(1), "") if how == "sum" else denominator(style, options)
    reduced = total / scale
    gradient = sp.diff(reduced, weights)
    difference = sp.simplify(gradient - sp.diff(total, weights) / scale)
    if sp.diff(scale, weights) != 0 or difference != 0:
        raise ArithmeticError(f"the {how} reduction is not a constant multiple of the NLL")
    shown = sp.Tuple(
        nll, sp.Eq(Loss(weights), reduced), sp.Eq(sp.Derivative(Loss(weights), weights), gradient)
    )
    if how == "sum":
        text = f"{said}: reduction='sum' is the NLL itself, and its gradient the sum of theirs."
    else:
        text = (
            f"{said}. reduction='{how}' divides it by {words}, which depends on the targets "
            "but not on the weights w, and is positive: the gradient is the NLL's divided by "
            "it, so both vanish at the same weights and the minimiser does not move. Only the "
            "step size of gradient descent changes with the batch."
        )
    if class_targets(options):
        text += (
            f" A target equal to ignore_index = {options['ignore_index']} has m_i = 0: its "
            "loss counts 0 and it leaves the denominator; if every target is ignored the mean "
            "is 0/0, NaN, as in PyTorch."
        )
    return Step("reduction", f"reduction='{how}': {TITLES[how]}", shown, text)


def reduce(result: LossResult, inputs: tuple[Any, ...], weight: Any) -> Any:
    """PyTorch's reduction of ``result.fn`` on a batch (see ``LossResult.reduced``)."""
    how = result.options["reduction"]
    arrays = tuple(np.asarray(x, dtype=np.float64) for x in inputs)
    if result.entry.reduction == "classes":
        if weight is not None:
            raise OptionError(
                f"{result.name} takes class weights as the option weight=…, not as an array."
            )
        values, count = class_losses(result, arrays)
    else:
        values = np.asarray(result.fn(*arrays), dtype=np.float64)
        if weight is not None:
            values = rescaled(result, values, weight)
        count = np.float64(len(values) if how == "batchmean" else values.size)
    if how == "none":
        return values
    total = np.sum(values)
    if how == "sum":
        return total
    with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: 0/0 = NaN, as PyTorch
        return np.float64(total) / count


def rescaled(result: LossResult, values: Any, weight: Any) -> Any:
    """Each element's loss times its weight (BCELoss's ``weight``, broadcast as PyTorch)."""
    if result.entry.family != "bernoulli":
        raise OptionError(f"{result.entry.pytorch} takes no weight.")
    try:
        return values * np.broadcast_to(np.asarray(weight, dtype=np.float64), values.shape)
    except ValueError:
        raise DataError(
            f"weight of shape {np.shape(weight)} does not match the losses' {values.shape}."
        ) from None


def class_losses(result: LossResult, arrays: tuple[Any, ...]) -> tuple[Any, Any]:
    """Per-sample losses with ignored targets set to 0, and what 'mean' divides their sum by:
    Σ ω_{y_i} over the targets kept (class indices), or the batch size (probabilities)."""
    options, target, scores = result.options, arrays[0], arrays[-1]
    if not class_targets(options):
        return np.asarray(result.fn(*arrays), dtype=np.float64), np.float64(len(target))
    classes = scores.shape[-1]
    mask = target != options["ignore_index"]
    indices = np.where(mask, target, 0)
    if np.any((indices != np.round(indices)) | (indices < 0) | (indices >= classes)):
        raise DataError(
            f"targets must be class indices 0, …, {classes - 1} or ignore_index "
            f"= {options['ignore_index']}."
        )
    chosen = options["weight"]
    omegas = np.ones(classes) if chosen is None else np.asarray(chosen, dtype=np.float64)
    if omegas.size != classes:
        raise DataError(f"weight has {omegas.size} classes; the inputs have {classes}.")
    values = np.where(mask, result.fn(indices, *arrays[1:]), 0.0)
    return values, np.sum(omegas[indices.astype(np.intp)] * mask)
