"""The registry of distribution families, keyed by name."""

from __future__ import annotations

from symmle.errors import UnknownFamilyError
from symmle.families.base import Distribution, LossModel, Parameter
from symmle.families.continuous import NORMAL
from symmle.families.discrete import BERNOULLI

__all__ = ["REGISTRY", "Distribution", "LossModel", "Parameter", "families", "get"]

REGISTRY: dict[str, Distribution] = {d.name: d for d in (BERNOULLI, NORMAL)}


def families() -> list[str]:
    """Names of every registered family."""
    return sorted(REGISTRY)


def get(name: str) -> Distribution:
    """The family called ``name`` (case-insensitive)."""
    family = REGISTRY.get(name.strip().lower())
    if family is None:
        raise UnknownFamilyError(
            f"unknown family {name!r}; choose one of: {', '.join(families())}."
        )
    return family
