"""assert_is_nll: a user's loss function is a family's negative log-likelihood in one
parameter, up to a constant (anything free of the prediction) and a positive factor.

On random targets (drawn from the family) and pairs of random predictions, the change of the
loss between the two predictions must be a·(the change of the NLL), with one a > 0 for all.
Elementwise losses are compared sample by sample; a reduced (mean or sum) loss batch by batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy as sp

import symmle
from symmle.checks import frozen
from symmle.families import Distribution, Parameter
from symmle.families.twin import log_formula
from symmle.printing.latex import inline
from symmle.symbols import value

Array = Any
BATCH = 5


def predictions(p: Parameter, center: float, rng: np.random.Generator, size: int) -> Array:
    """Random values inside the parameter's domain, around ``center``."""
    low, high = float(p.domain.inf), float(p.domain.sup)
    if np.isfinite(low) and np.isfinite(high):
        return low + (high - low) * rng.uniform(0.02, 0.98, size)
    if np.isfinite(low):
        return low + (max(center - low, 0.1)) * np.exp(rng.normal(0, 0.7, size))
    if np.isfinite(high):
        return high - (max(high - center, 0.1)) * np.exp(rng.normal(0, 0.7, size))
    return center + 2 * rng.normal(0, 1, size)


def called(loss_fn: Callable[..., Any], y: Array, t: Array, prediction_first: bool) -> Array:
    """The loss on NumPy inputs, as a NumPy array (a PyTorch tensor is detached)."""
    out = loss_fn(t, y) if prediction_first else loss_fn(y, t)
    if hasattr(out, "detach"):
        out = out.detach().cpu().numpy()
    return np.asarray(out, dtype=float)


def nll_function(family: Distribution, p: Parameter) -> tuple[sp.Expr, Callable[..., Array]]:
    """−log f(y; θ) with the other parameters at the family's probe values."""
    probe = family.probe_values
    rest = (*family.parameters, *family.constants)
    others = {q.symbol: sp.Float(probe[q.name]) for q in rest if q is not p and q.name in probe}
    nll = -log_formula(family.density.subs(others))
    return nll, sp.lambdify([value, p.symbol], nll, ["scipy", "numpy"])


def assert_is_nll(
    loss_fn: Callable[..., Any],
    family: str | Distribution,
    parameter: str | None = None,
    *,
    known: Mapping[str, object] | None = None,
    link: Callable[[Array], Array] | None = None,
    prediction_first: bool = False,
    samples: int = 40,
    seed: int = 0,
    rel: float = 1e-6,
) -> None:
    """``loss_fn(y, prediction)`` (or ``(prediction, y)``) is the NLL of ``family`` in
    ``parameter`` = prediction (or ``link(prediction)``), up to a constant and a factor > 0."""
    dist = symmle.family_with_known(family, known)
    p = choose(dist, parameter)
    y, raw, theta = inputs(dist, p, link, samples * BATCH, np.random.default_rng(seed))
    nll, compiled = nll_function(dist, p)
    with np.errstate(all="ignore"):
        change = [called(loss_fn, y, z, prediction_first) for z in raw]
        expected = compiled(y, theta[0]) - compiled(y, theta[1])
    got = change[0] - change[1]
    if got.shape != y.shape:  # a reduced loss: compare batches
        got = batched(loss_fn, y, raw, prediction_first)
        expected = expected.reshape(-1, BATCH).sum(axis=1)
    verdict = proportional(got, expected, rel)
    if verdict is not None:
        raise AssertionError(nll_message(dist, p, nll, verdict, y, theta, got, expected))


def inputs(
    family: Distribution,
    p: Parameter,
    link: Callable[[Array], Array] | None,
    size: int,
    rng: np.random.Generator,
) -> tuple[Array, list[Array], list[Array]]:
    """Targets drawn from the family, two predictions per target, and the parameter values
    those predictions stand for."""
    y = np.asarray(frozen(family, {}).rvs(size=size, random_state=rng), float)
    if link is None:
        raw = [predictions(p, family.probe_values[p.name], rng, size) for _ in range(2)]
        return y, raw, raw
    raw = [rng.normal(0, 2, size) for _ in range(2)]
    return y, raw, [np.asarray(link(z), float) for z in raw]


def choose(family: Distribution, parameter: str | None) -> Parameter:
    if parameter is None:
        if len(family.parameters) != 1:
            names = ", ".join(q.name for q in family.parameters)
            raise TypeError(f"name the parameter the prediction stands for: one of {names}.")
        return family.parameters[0]
    return family.parameter(parameter)


def batched(loss_fn: Callable[..., Any], y: Array, raw: list[Array], first: bool) -> Array:
    """The change of a reduced loss, batch by batch of BATCH samples."""
    batches = [np.split(a, a.size // BATCH) for a in (y, *raw)]
    found = []
    for yb, t0, t1 in zip(*batches, strict=True):
        out = [called(loss_fn, yb, t, first) for t in (t0, t1)]
        if out[0].size != 1:
            raise AssertionError(f"the loss returned shape {out[0].shape} for {BATCH} samples.")
        found.append(float(out[0].reshape(())) - float(out[1].reshape(())))
    return np.array(found)


def proportional(got: Array, expected: Array, rel: float) -> tuple[float, float] | None:
    """None when got = a·expected with a > 0; else (a, the largest relative misfit)."""
    if not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected))):
        return (float("nan"), float("inf"))
    scale = float(expected @ expected)
    a = float(got @ expected) / scale if scale else 0.0
    misfit = float(np.max(np.abs(got - a * expected))) / max(float(np.max(np.abs(got))), 1e-300)
    return None if a > 0 and misfit <= rel else (a, misfit)


def nll_message(
    family: Distribution,
    p: Parameter,
    nll: sp.Expr,
    verdict: tuple[float, float],
    y: Array,
    theta: list[Array],
    got: Array,
    expected: Array,
) -> str:
    a, misfit = verdict
    head = (
        f"the loss is not the {family.title} NLL in {p.name} up to a constant and a positive "
        f"factor: the best factor a = {a:.4g}"
    )
    head += (
        " is not positive (is the sign flipped?)"
        if a <= 0
        else f" leaves a relative misfit of {misfit:.3g}"
    )
    rows = [f"  {'y':>10} {p.name:>10} {p.name + chr(39):>10} {'Δloss':>12} {'a·ΔNLL':>12}"]
    worst = np.argsort(-np.abs(got - a * expected))[:5] if got.size == y.size else range(0)
    for k in worst:
        rows.append(
            f"  {y[k]:10.4g} {theta[0][k]:10.4g} {theta[1][k]:10.4g} "
            f"{got[k]:12.6g} {a * expected[k]:12.6g}"
        )
    shown = "\n".join(rows) if len(rows) > 1 else "  (a reduced loss: compared batch by batch)"
    return f"{head}.\nThe NLL: {inline(nll)}\nWorst inputs:\n{shown}"
