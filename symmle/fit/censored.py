"""``symmle.fit(family, t, observed=e)``: the censored derivation's estimator on arrays, the
event and censored times reduced apart (closed forms are then numbers; the numeric families
run Newton's method on the derived score and Hessian)."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symmle.data import outside_support
from symmle.derive.censored.numeric import Split
from symmle.derive.censored.optimum import estimate, hessian
from symmle.derive.censored.sample import ALL_CENSORED, censored_general, require_survival
from symmle.derive.mle import no_estimate
from symmle.errors import DataError
from symmle.families import Distribution
from symmle.fit.arrays import as_numpy
from symmle.fit.summary import place
from symmle.numeric.covariance import standard_errors


def flags(observed: Any, size: int) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """The event indicators as a boolean array: booleans, or integers 0 and 1."""
    found = np.asarray(observed)
    if found.ndim != 1 or found.size != size:
        raise DataError(
            f"observed has {found.size} values for {size} observations: give one boolean "
            "(True: the event was seen; False: censored) per observation."
        )
    if found.dtype.kind == "b":
        return found
    if found.dtype.kind in "iu" and np.all((found == 0) | (found == 1)):
        return found.astype(bool)
    raise DataError("observed must hold booleans (True/False, or 1/0), one per observation.")


def censored_times(dist: Distribution, x: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The times as floats, finite and inside the family's support."""
    times = np.asarray(as_numpy(x).data, dtype=float)
    if times.size == 0:
        raise DataError("the data are empty; give at least one value.")
    if not np.all(np.isfinite(times)):
        raise DataError("the times hold NaN or an infinity; every value must be finite.")
    for end in (float(times.min()), float(times.max())):
        if dist.data_support.contains(sp.Float(end)) is not sp.true:
            raise outside_support(f"{end:g}", dist.data_support, dist.title)
    return times


def fit_censored(dist: Distribution, x: Any, observed: Any, se: bool = False) -> Any:
    """Estimates by name from right-censored data; with ``se``, also the standard errors from
    the observed information."""
    require_survival(dist)
    times = censored_times(dist, x)
    split = Split.of(times, flags(observed, times.size))
    if split.events.size == 0:
        raise DataError(ALL_CENSORED)
    g = censored_general(dist)
    found = estimate(g, split)
    values = {p.name: found[p.symbol] for p in dist.parameters}
    for p in dist.parameters:
        if place(values[p.name], p.domain) == "outside":
            raise no_estimate(p, values[p.name])
    if not se:
        return values
    spread = standard_errors(-hessian(g, split, found))
    errors = {p.name: float(spread[k]) for k, p in enumerate(dist.parameters)}
    return values, errors
