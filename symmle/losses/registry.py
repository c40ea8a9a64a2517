"""The registry of losses, keyed by name and alias: one module per group of losses."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from symmle.errors import DataError, UnknownLossError
from symmle.families import get
from symmle.losses import binary, categorical, counts, real
from symmle.losses.base import LossEntry, LossResult
from symmle.losses.functions import compile_numpy
from symmle.losses.reduction import reduction_step

REGISTRY: dict[str, LossEntry] = {
    e.name: e for group in (binary, categorical, real, counts) for e in group.LOSSES
}
ALIASES: dict[str, str] = {a: e.name for e in REGISTRY.values() for a in e.aliases}


def losses() -> list[str]:
    """Names of every registered loss (aliases excluded), in the registry's order."""
    return list(REGISTRY)


def entry(name: str) -> LossEntry:
    """The loss called ``name`` or one of its aliases (case-insensitive)."""
    key = name.strip().lower() if isinstance(name, str) else ""
    found = REGISTRY.get(ALIASES.get(key, key))
    if found is None:
        names = ", ".join(
            f"{e.name} ({', '.join(e.aliases)})" if e.aliases else e.name for e in REGISTRY.values()
        )
        raise UnknownLossError(f"unknown loss {name!r}; choose one of: {names}.")
    return found


def loss(name: str, **options: object) -> LossResult:
    """The loss ``name`` derived from its family's negative log-likelihood, step by step;
    options as keywords, e.g. ``loss("poisson-nll", log_input=False, full=True)``."""
    found = entry(name)
    values = found.parse(options)
    derived = found.derive(values)
    stable = derived.expr if derived.stable is None else derived.stable
    constants = [symbol for symbol, _ in derived.constants]
    numbers = tuple(number for _, number in derived.constants)
    return LossResult(
        entry=found,
        options=values,
        family=get(found.family),
        expr=derived.expr,
        stable=stable,
        textbook=derived.expr if derived.textbook is None else derived.textbook,
        arguments=derived.arguments,
        fn=lined_up(
            bind(compile_numpy([*constants, *derived.arguments], stable), numbers),
            [str(a) for a in derived.arguments],
        ),
        steps=(*derived.steps, reduction_step(found.reduction, values)),
    )


def lined_up(fn: Callable[..., Any], names: list[str]) -> Callable[..., Any]:
    """``fn`` on array-likes (lists too), with inputs whose shapes do not line up (3 targets,
    2 predictions) refused by a DataError that names the shapes, not a NumPy broadcast error."""

    def checked(*inputs: Any) -> Any:
        arrays = [np.asarray(x, dtype=np.float64) for x in inputs]
        try:
            return fn(*arrays)
        except (ValueError, IndexError):
            shapes = ", ".join(
                f"{n} of shape {a.shape}" for n, a in zip(names, arrays, strict=False)
            )
            raise DataError(
                f"the inputs do not line up ({shapes}): give one prediction per target."
            ) from None

    return checked


def bind(fn: Callable[..., Any], values: tuple[tuple[float, ...], ...]) -> Callable[..., Any]:
    """``fn`` with its leading constants (class weights) given as arrays."""
    if not values:
        return fn
    return partial(fn, *(np.asarray(v, dtype=np.float64) for v in values))
