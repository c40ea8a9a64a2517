"""``symmle.fit``: the compiled estimator of a family evaluated on an array. One pass computes
the statistics and checks the data; closed forms are then numbers, numeric families run
Newton's method (first on subsamples, then on every observation: on data in memory, the
subsamples come first, and the first pass is also Newton's first evaluation)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import sympy as sp

from symmle.budget import FORMULA_WITHIN, within
from symmle.derive.mle import no_estimate, require_a_support
from symmle.derive.newton import newton
from symmle.errors import DataError, OptionError
from symmle.families import Distribution, get
from symmle.families.known import family_with_known
from symmle.families.location import location
from symmle.families.vector import vector_family
from symmle.fit.arrays import as_numpy
from symmle.fit.censored import fit_censored
from symmle.fit.estimator import Estimator, estimator
from symmle.fit.information import standard_errors
from symmle.fit.mixture import fit_mixture, mixture_of
from symmle.fit.profiled import Last, extrapolated, recording
from symmle.fit.relocated import Relocated
from symmle.fit.shift import CENTRE
from symmle.fit.start import Opening, newton_start, opening, served
from symmle.fit.summary import (
    Data,
    FirstPass,
    Summary,
    check_support,
    needed_ends,
    place,
)
from symmle.fit.vector import fit_vector
from symmle.numeric.location import origin
from symmle.numeric.newton import Warm
from symmle.printing.notation import OrderStatistic
from symmle.symbols import n

Values = dict[sp.Symbol, float]


def fitted_family(family: str | Distribution, known: Mapping[str, object] | None) -> Distribution:
    """The family with its known parameters fixed, ready for data; the same object again for
    the same known values (fixing them asks SymPy whether each lies in its domain: 0.5 ms)."""
    try:
        key = None if known is None else tuple((k, type(v), v) for k, v in known.items())
        return cached_family(family, key)
    except (TypeError, AttributeError):  # values that cannot be hashed, or not a mapping
        probe(family, known)
        return fixed_family(family, known)


@lru_cache(maxsize=256)
def cached_family(
    family: str | Distribution, key: tuple[tuple[str, type, object], ...] | None
) -> Distribution:
    known = None if key is None else {k: v for k, _, v in key}
    probe(family, known)
    return fixed_family(family, known)


def prepare(family: str | Distribution, known: Mapping[str, object] | None) -> None:
    estimator(fixed_family(family, known))


def probe(family: str | Distribution, known: Mapping[str, object] | None) -> None:
    """With known values, fixing them and compiling the estimator (SymPy would work forever on
    Γ((ν + 1)/2) at ν = 10⁵⁰) first run in a worker process under FORMULA_WITHIN, the budget of
    a derivation with known values, once per family and known values:
    an OptionError in one line where SymPy does not finish, not a hang."""
    if not known:
        return
    try:
        within(FORMULA_WITHIN, prepare, family, known)
    except TimeoutError:
        name = (family if isinstance(family, Distribution) else get(family)).title
        raise OptionError(
            f"SymPy did not finish preparing the {name} with {', '.join(known)} known within "
            f"{FORMULA_WITHIN:g} s; give smaller known values."
        ) from None


def fixed_family(family: str | Distribution, known: Mapping[str, object] | None) -> Distribution:
    dist = family_with_known(family, known)
    dist.require_constants()
    if not dist.parameters:
        raise OptionError(f"the {dist.title} needs its constants known to have parameters.")
    return dist


def as_data(x: Any) -> Data:
    """A Dask array stays lazy (``symmle[dask]``); anything else becomes a NumPy array."""
    if type(x).__module__.split(".")[0] == "dask":
        from symmle.fit.dask import as_dask

        return as_dask(x)
    return as_numpy(x)


def statistics(est: Estimator, summary: Summary, data: Data, hessian: bool) -> Values:
    """n, the sufficient statistics and the order statistics the estimator needs."""
    found: Values = {n: float(summary.size)}
    if not all(math.isfinite(t) for t in summary.totals):  # the values themselves are finite
        raise DataError(
            "the sums over these values overflow 64-bit floats (values near 1e308, or squares "
            "of values beyond 1e154): rescale the data, e.g. divide by a power of ten."
        )
    chosen = est.statistics(hessian)
    found.update(zip((s.symbol for s in chosen), summary.totals, strict=True))
    for kind, end in (("min", summary.low), ("max", summary.high)):
        if end is not None:
            found[OrderStatistic(kind)] = end
    if est.needs("median", hessian):
        found[OrderStatistic("median")] = data.median()
    return found


def solve(
    est: Estimator, values: Values, data: Data, summary: Summary, early: Opening | None
) -> Values:
    """Every parameter's estimate: explicit ones, then Newton's method (its last evaluation
    without the Hessian where a chord step finishes; its first one the opening pass's) and
    the profiled parameters (from the last evaluation where its expansion suffices, else by
    one more pass)."""
    g = est.general
    found = dict(zip(g.solution, est.explicit([], values, data), strict=True))
    if est.expanded is not None and est.profiled is not None and est.slope is not None:
        expanded, d = est.expanded, len(est.numeric)
        last, count = Last(), len(g.plan.profiled)
        start, warm, gradient = begun(est, values, data, summary, early)
        theta, _ = newton(
            recording(lambda t: expanded(t, values, data), 1 + d + d * d, 2, count, last),
            est.numeric,
            start,
            True,
            slope=recording(gradient, 1 + d, 1, count, last),
            warm=warm,
        )
        found.update(zip(g.plan.numeric, (float(t) for t in theta), strict=True))
        profiled = extrapolated(last, theta)
        if profiled is None:
            profiled = est.profiled(list(theta), values, data)
        found.update(zip(g.plan.profiled, profiled, strict=True))
    return found


def begun(
    est: Estimator, values: Values, data: Data, summary: Summary, early: Opening | None
) -> tuple[list[float], Warm | None, Callable[[Any], list[float]]]:
    """Newton's start, what the subsamples know of the problem, and the slope program (ℓ,
    the gradient, the profiled expansions) on the data: from the opening pass, which has
    evaluated it at the start, or from the subsample of the first pass."""
    assert est.slope is not None
    slope = est.slope

    def gradient(t: Any) -> list[float]:
        return slope(t, values, data)

    if early is not None and early.first is not None:
        return early.theta, early.warm, served(early.first, early.theta, gradient)
    if early is not None:
        return early.theta, early.warm, gradient
    assert summary.subsample is not None
    start, warm = newton_start(est, summary.subsample, summary.size, data)
    return start, warm, gradient


def fit(
    family: str | Distribution,
    x: Any,
    known: Mapping[str, object] | None = None,
    se: bool = False,
    observed: Any = None,
) -> Any:
    """The maximum-likelihood estimate of ``family`` on the sample ``x`` as floats by name;
    with ``se=True``, also the standard errors from the observed information; ``observed``
    (a boolean per value, False: right-censored) fits censored data. A mixture is fitted by
    EM; a family of vector observations takes an (n, k) array."""
    if (vector := vector_family(family, known)) is not None:
        return fit_vector(vector, x, se, observed)
    mixture = mixture_of(family, known) if observed is None else None
    if mixture is not None:
        return fit_mixture(mixture, as_data(x), se)
    dist = fitted_family(family, known)
    if observed is not None:
        return fit_censored(dist, x, observed, se)
    est = estimator(dist)
    data, moved = as_data(x), location(dist)
    c = 0.0 if moved is None else origin(data.points())
    data = Relocated(data, c) if c else data  # fitted on y − c: μ̂ − c, the others as they are
    numeric = bool(est.general.plan.numeric)
    centre = est.centre_at(data.first())
    uses = est.needs("min", se), est.needs("max", se)
    ends = needed_ends(dist.data_support, uses)
    wanted = FirstPass(est.first_pass(se), [centre], dist.discrete, numeric, ends)
    early = opening(est, data, dist, wanted, se)
    summary = data.summary(wanted) if early is None else early.summary
    check_support(summary, dist.data_support, dist.title, data)
    values = statistics(est, summary, data, se)
    values[CENTRE] = centre
    found = solve(est, values, data, summary, early)
    estimate = {p.name: found[p.symbol] + c * (p == moved) for p in dist.parameters}
    for p in dist.parameters:
        if place(estimate[p.name], p.domain) == "outside":
            raise no_estimate(p, estimate[p.name])
    if dist.support.free_symbols & {p.symbol for p in dist.parameters}:
        require_a_support(dist, estimate)  # SymPy's subs: 0.5 ms, only where it can fail
    if not se:
        return estimate
    return estimate, standard_errors(est, values, data, found)
