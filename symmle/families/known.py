"""A family with some parameters known: fixed, by name, to exact values in their domains."""

from __future__ import annotations

from collections.abc import Mapping

from symmle.data import rational, to_fraction
from symmle.errors import DataError, OptionError
from symmle.families import Distribution, get


def family_with_known(
    family: str | Distribution, known: Mapping[str, object] | None = None
) -> Distribution:
    """The registered family (or a user-defined one), with the known parameters fixed."""
    dist = family if isinstance(family, Distribution) else get(family)
    if known is None:
        return dist
    if not isinstance(known, Mapping):
        raise OptionError("known parameters must be a mapping of name to value, e.g. {'m': 10}.")
    values = {}
    for name, val in known.items():
        try:
            values[str(name)] = rational(to_fraction(val))
        except DataError as error:
            raise OptionError(f"known {name}: {error}") from None
    return dist.fix(values) if values else dist
