"""The profiled parameters at Newton's estimate without another pass over the data.

Newton's last evaluation also gives each profiled parameter (λ̂(k) = (Σyᵏ/n)^(1/k) for the
Weibull) with its derivatives in the numeric ones: their sums are the monomials Newton's terms
already hold (Σyᵏ, Σyᵏ·log y, Σyᵏ·log²y). The estimate is then the Taylor polynomial at the
step Newton took after that evaluation, where the terms left out are below rounding; else the
profiled program makes its pass."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

LEFT_OUT = {1: 1e-8, 2: 1e-5, 3: 1e-4}
"""The Taylor polynomial of this order stands for the parameter where the first-order change,
relative to the parameter, is below this: the first term left out is then about its
(order + 1)-th power, below 1e-15."""


def expansion(exprs: Sequence[sp.Expr], symbols: Sequence[sp.Symbol], order: int) -> list[sp.Expr]:
    """Each expression, then (order ≥ 1) its gradient and (order 2) its Hessian row by row."""
    found: list[sp.Expr] = []
    for e in exprs:
        gradient = [sp.diff(e, s) for s in symbols]
        found += [e, *(gradient if order >= 1 else [])]
        found += [sp.diff(g, s) for g in gradient for s in symbols] if order >= 2 else []
    return found


@dataclass
class Last:
    """The point of the last evaluation, each profiled parameter's value and gradient there,
    and its Hessian from the last evaluation that had it (it changes little over the last
    steps)."""

    point: Any = None
    values: list[Any] = field(default_factory=list)
    hessians: list[Any] = field(default_factory=list)
    before: tuple[Any, list[Any]] | None = None
    """The point and the values of the evaluation before."""


def recording(
    fn: Callable[[Any], list[float]], kept: int, order: int, count: int, last: Last
) -> Callable[[Any], list[float]]:
    """``fn`` returning its first ``kept`` values; the rest, the expansions of ``order`` of
    ``count`` profiled parameters, kept in ``last``."""

    def evaluate(theta: Any) -> list[float]:
        out = fn(theta)
        point = np.array(theta, dtype=float)
        parts = np.split(np.asarray(out[kept:], dtype=float), count) if count else []
        if last.point is not None:
            last.before = last.point, last.values
        last.point, last.values = point, [v[: 1 + point.size] for v in parts]
        if order == 2:
            last.hessians = [v[1 + point.size :] for v in parts]
        return out[:kept]

    return evaluate


def extrapolated(last: Last, theta: Any) -> list[float] | None:
    """The profiled parameters at ``theta`` from the last evaluation's expansion (in one
    dimension, with the third derivative from the secant of the gradients of the evaluation
    before); None where the terms left out may not be below rounding."""
    if last.point is None:
        return None
    h = np.asarray(theta, dtype=float) - last.point
    d, order = h.size, 2 if last.hessians else 1
    found = []
    for i, v in enumerate(last.values):
        hessian = last.hessians[i].reshape(d, d) if last.hessians else None
        third = secant_third(last, i, hessian)
        first = float(v[1:] @ h)
        if abs(first) > LEFT_OUT[order + (third is not None)] * abs(v[0]) and h.any():
            return None
        second = 0.5 * float(h @ hessian @ h) if hessian is not None else 0.0
        cubic = third * float(h[0]) ** 3 / 6 if third is not None else 0.0
        found.append(float(v[0]) + first + second + cubic)
    return found if found and all(np.isfinite(found)) else None


def secant_third(last: Last, i: int, hessian: Any) -> float | None:
    """The third derivative of the i-th profiled parameter in one numeric parameter, from the
    secant of its gradient p' to the evaluation before: p'(θ + Δ) = p' + p''·Δ + p'''·Δ²/2."""
    if hessian is None or last.before is None or last.point.size != 1:
        return None
    point, values = last.before
    delta = float(point[0] - last.point[0])
    if delta == 0:
        return None
    now = last.values[i]
    return 2 * (float(values[i][1]) - float(now[1]) - float(hessian[0, 0]) * delta) / delta**2
