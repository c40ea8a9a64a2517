"""Numeric checks of a derived loss: its lambdified stable form against PyTorch's documented
formula written by hand in NumPy, against scipy's densities, and against the textbook form
wherever that is finite, on random inputs with the extremes included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from symmle.checks import Check
from symmle.losses.functions import compile_numpy

if TYPE_CHECKING:
    from symmle.losses.base import Array, LossResult

TOLERANCE = 1e-10


def elementwise(name: str, got: Any, expected: Any, mask: Any = None) -> Check:
    """The largest |got − expected| / max(1, |expected|) where ``mask``; an infinity or NaN
    on one side only is an infinite error, the same infinity on both sides none."""
    got = np.broadcast_to(np.asarray(got, float), np.shape(expected))
    expected = np.asarray(expected, float)
    if mask is not None:
        got, expected = got[mask], expected[mask]
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    with np.errstate(invalid="ignore"):
        errors = np.where(same, 0.0, np.abs(got - expected) / np.maximum(1.0, np.abs(expected)))
    error = float(np.max(np.where(np.isnan(errors), np.inf, errors), initial=0.0))
    return Check(name, bool(error <= TOLERANCE), error, TOLERANCE)


def check_loss(loss: LossResult) -> tuple[Check, ...]:
    """Every check of one derived loss (at its options)."""
    entry, options = loss.entry, loss.options
    inputs = entry.inputs(np.random.default_rng(5), options)
    ours = np.asarray(loss.fn(*inputs), float)
    checks = [
        elementwise(
            entry.reference_name
            or f"equals PyTorch's documented {entry.pytorch} (hand-written NumPy), extremes "
            "included",
            ours,
            entry.reference(options, *inputs),
        )
    ]
    if entry.scipy is not None:
        theirs = entry.scipy(options, *inputs)
        checks.append(
            elementwise(
                "equals the NLL from scipy (less the dropped terms)",
                ours,
                theirs,
                np.isfinite(theirs),
            )
        )
    if loss.textbook != loss.stable:
        checks.append(textbook_check(loss, inputs, ours))
    return tuple(checks)


def textbook_check(loss: LossResult, inputs: tuple[Array, ...], ours: Array) -> Check:
    """The stable form equals the textbook form wherever the latter is finite."""
    textbook = compile_numpy(list(loss.arguments), loss.textbook)
    with np.errstate(all="ignore"):
        theirs = np.asarray(textbook(*inputs), float)
    finite = np.isfinite(theirs)
    check = elementwise("equals the textbook form where that is finite", ours, theirs, finite)
    if finite.all():  # the point of the stable form: show where the textbook one fails
        return check
    return Check(
        f"{check.name} ({int((~finite).sum())} inputs where it is not)",
        check.passed,
        check.error,
        check.tolerance,
    )
