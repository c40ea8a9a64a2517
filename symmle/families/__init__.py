"""The registry of distribution families, keyed by name: one module per group of families."""

from __future__ import annotations

from symmle.errors import UnknownFamilyError
from symmle.families import continuous, discrete, numeric, robust
from symmle.families.base import Distribution, Parameter

__all__ = ["REGISTRY", "Distribution", "Parameter", "families", "get"]

REGISTRY: dict[str, Distribution] = {
    d.name: d for group in (discrete, continuous, robust, numeric) for d in group.FAMILIES
}


def families() -> list[str]:
    """Names of every registered family."""
    return sorted(REGISTRY)


def get(name: str) -> Distribution:
    """The family called ``name`` (case-insensitive)."""
    family = REGISTRY.get(name.strip().lower()) if isinstance(name, str) else None
    if family is None:
        raise UnknownFamilyError(
            f"unknown family {name!r}; choose one of: {', '.join(families())}."
        )
    return family
