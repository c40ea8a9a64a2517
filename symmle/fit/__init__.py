"""Compiled estimators on NumPy and Dask arrays: ``symmle.fit(family, x)``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symmle.families import Distribution
from symmle.fit.estimate import as_data
from symmle.fit.estimate import fit as fit_family
from symmle.fit.mixture import fit_mixture, mixture_of


def fit(
    family: str | Distribution,
    x: Any,
    known: Mapping[str, object] | None = None,
    se: bool = False,
    observed: Any = None,
) -> Any:
    """The maximum-likelihood estimate of ``family`` on the sample ``x`` as floats by name;
    with ``se=True``, also the standard errors; ``observed`` (a boolean per value, False:
    right-censored) fits censored data. A mixture is fitted by EM."""
    mixture = mixture_of(family, known) if observed is None else None
    if mixture is not None:
        return fit_mixture(mixture, as_data(x), se)
    return fit_family(family, x, known, se, observed)


__all__ = ["fit"]
