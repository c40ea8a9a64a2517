"""The registry of distribution families, keyed by name: one module per group of families."""

from __future__ import annotations

import copyreg
from typing import Any

from symmle.errors import OptionError, UnknownFamilyError
from symmle.families import continuous, discrete, mixtures, numeric, robust, vector
from symmle.families.base import Distribution, Parameter

__all__ = ["REGISTRY", "Distribution", "Parameter", "families", "get"]

REGISTRY: dict[str, Distribution] = {
    d.name: d for group in (discrete, continuous, robust, numeric, mixtures) for d in group.FAMILIES
}


OBSERVATIONS = ("scalar", "vector")


def families(observation: str | None = None) -> list[str]:
    """Names of every registered family; ``observation="scalar"`` only those of one value per
    observation, ``"vector"`` only those of rows (the multivariate Normal, Multinomial and
    Dirichlet)."""
    if observation not in (None, *OBSERVATIONS):
        raise OptionError(f"observation is 'scalar' or 'vector', not {observation!r}.")
    scalar = [] if observation == "vector" else list(REGISTRY)
    rows = [] if observation == "scalar" else list(vector.VECTOR)
    return sorted(scalar + rows)


def get(name: str) -> Distribution:
    """The family called ``name`` (case-insensitive)."""
    family = REGISTRY.get(name.strip().lower()) if isinstance(name, str) else None
    if family is None and isinstance(name, str) and name.strip().lower() in vector.VECTOR:
        raise UnknownFamilyError(
            f"the {vector.VECTOR[name.strip().lower()].title} takes rows (vector observations): "
            "symmle.mle and symmle.fit take it, but this needs one value per observation."
        )
    if family is None:
        raise UnknownFamilyError(
            f"unknown family {name!r}; choose one of: {', '.join(families())}."
        )
    return family


def registered(name: str, known: tuple[tuple[str, object], ...]) -> Distribution:
    """A registered family with its known values fixed again (what a pickle holds of it)."""
    family = get(name)
    return family.fix(dict(known)) if known else family


def by_name(family: Distribution) -> Any:
    """Pickle a registered family by its name and known values: its SciPy twin and starting
    values are lambdas, and a derivation comes back from a worker process as a pickle."""
    if family.formula is None and family.name in REGISTRY:
        return registered, (family.name, family.known)
    return family.__reduce_ex__(4)


copyreg.pickle(Distribution, by_name)
copyreg.pickle(mixtures.Mixture, by_name)
