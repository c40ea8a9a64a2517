"""The registry of losses, keyed by name and alias: one module per group of losses."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from symmle.errors import DataError, OptionError, UnknownFamilyError, UnknownLossError
from symmle.families import REGISTRY as REGISTRY_OF_FAMILIES
from symmle.families import Distribution, get
from symmle.families.known import family_with_known
from symmle.families.mixtures import Mixture
from symmle.families.user import define
from symmle.losses import binary, categorical, counts, real
from symmle.losses.base import LossEntry, LossResult
from symmle.losses.functions import compile_numpy
from symmle.losses.options import Value
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


NETWORK = ("predict", "link", "known", "pdf", "pmf", "parameters", "support")
"""The keywords of a family's NLL as a network's loss (symmle.losses.predicted)."""


def loss(name: str | None = None, **options: object) -> LossResult:
    """The loss ``name`` derived from its family's negative log-likelihood, step by step;
    options as keywords, e.g. ``loss("poisson-nll", log_input=False, full=True)``.

    A family's name (or a formula, ``pdf=``/``pmf=`` with ``parameters`` and ``support``)
    gives that family's whole NLL as a network's loss: ``predict`` names the parameters the
    network outputs (all by default), ``link`` maps each output into its domain ("identity",
    "exp", "softplus", "sigmoid"; "softmax" for the Categorical), ``known`` fixes the others,
    e.g. ``loss("student_t", predict=("mu", "sigma"), link={"sigma": "softplus"},
    known={"nu": 4})``."""
    if name is None or set(options) & set(NETWORK) or is_family(name):
        return network_loss(name, options)
    found = entry(name)
    return derived_loss(found, found.parse(options), get(found.family))


def is_family(name: str) -> bool:
    """A catalogue family that no named loss answers to (bernoulli, normal and laplace are
    aliases of BCE, MSE and L1: with predict=, link= or known= they are families)."""
    key = name.strip().lower().replace("-", "_") if isinstance(name, str) else ""
    named = name.strip().lower() if isinstance(name, str) else ""
    return key in REGISTRY_OF_FAMILIES and named not in REGISTRY and named not in ALIASES


def network_loss(name: str | None, options: dict[str, object]) -> LossResult:
    """A family's (or a formula's) NLL with predicted parameters, through links."""
    from symmle.losses.mixture_entry import mixture_entry
    from symmle.losses.network import require_plain
    from symmle.losses.predicted import network_entry

    family_options = {key: options.pop(key) for key in NETWORK if key in options}
    formula = {
        k: family_options.pop(k)
        for k in ("pdf", "pmf", "parameters", "support")
        if k in family_options
    }
    if formula:
        if name is not None:
            raise OptionError("give a family's name or a formula (pdf= or pmf=), not both.")
        family = define(**formula)  # type: ignore[arg-type]
    elif name is None:
        raise UnknownFamilyError("give a family's name, or a formula: pdf= or pmf=.")
    else:
        family = get(str(name).strip().lower().replace("-", "_"))
    if not isinstance(family, Mixture):
        require_plain(family)
    family = family_with_known(family, family_options.get("known"))  # type: ignore[arg-type]
    make = mixture_entry if isinstance(family, Mixture) else network_entry
    found = make(family, family_options.get("predict"), family_options.get("link"))  # type: ignore[arg-type]
    return derived_loss(found, found.parse(options), family)


def derived_loss(found: LossEntry, values: dict[str, Value], family: Distribution) -> LossResult:
    """The loss of ``found`` at its options: derived, compiled to NumPy, its reduction."""
    derived = found.derive(values)
    stable = derived.expr if derived.stable is None else derived.stable
    constants = [symbol for symbol, _ in derived.constants]
    numbers = tuple(number for _, number in derived.constants)
    return LossResult(
        entry=found,
        options=values,
        family=family,
        expr=derived.expr,
        stable=stable,
        textbook=derived.expr if derived.textbook is None else derived.textbook,
        arguments=derived.arguments,
        fn=lined_up(
            bind(compile_numpy([*constants, *derived.arguments], stable), numbers),
            [str(a) for a in derived.arguments],
        ),
        steps=(*derived.steps, reduction_step(found.reduction, values)),
        constants=derived.constants,
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
