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

LEFT_OUT = {1: 1e-8, 2: 1e-5}
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


def recording(
    fn: Callable[[Any], list[float]], kept: int, order: int, count: int, last: Last
) -> Callable[[Any], list[float]]:
    """``fn`` returning its first ``kept`` values; the rest, the expansions of ``order`` of
    ``count`` profiled parameters, kept in ``last``."""

    def evaluate(theta: Any) -> list[float]:
        out = fn(theta)
        point = np.array(theta, dtype=float)
        parts = np.split(np.asarray(out[kept:], dtype=float), count) if count else []
        last.point, last.values = point, [v[: 1 + point.size] for v in parts]
        if order == 2:
            last.hessians = [v[1 + point.size :] for v in parts]
        return out[:kept]

    return evaluate


def extrapolated(last: Last, theta: Any) -> list[float] | None:
    """The profiled parameters at ``theta`` from the last evaluation's expansion; None where
    the terms left out may not be below rounding."""
    if last.point is None:
        return None
    h = np.asarray(theta, dtype=float) - last.point
    d, order = h.size, 2 if last.hessians else 1
    found = []
    for i, v in enumerate(last.values):
        first = float(v[1:] @ h)
        if abs(first) > LEFT_OUT[order] * abs(v[0]) and h.any():
            return None
        second = 0.5 * float(h @ last.hessians[i].reshape(d, d) @ h) if last.hessians else 0.0
        found.append(float(v[0]) + first + second)
    return found if found and all(np.isfinite(found)) else None
