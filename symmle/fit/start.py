"""Newton's start for ``symmle.fit``: moment estimates on a subsample, refined by Newton's method
on it and on larger ones (data in memory), so that few passes over all the data remain.

Where the subsamples come before any pass (``opening``), the first pass over the data both
checks them and sums the statistics, and evaluates ℓ and its gradient at the start: one pass
instead of two."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from symmle.derive.compiled import Array, NumpySample, statistic_values
from symmle.derive.methods.newton import starting_values
from symmle.derive.newton import newton
from symmle.errors import ConvergenceError, SymmleError
from symmle.families import Distribution
from symmle.fit.arrays import non_integer
from symmle.fit.estimator import Estimator
from symmle.fit.summary import SUBSAMPLE, Data, FirstPass, Summary, beyond, ends, ladder, stride
from symmle.numeric.newton import Warm, warm_start
from symmle.symbols import n

ROUGH = 1e-12
"""Newton's method on a subsample stops at this decrement (relative to 1 + |ℓ|): the
subsample's optimum lies about 1e-6 from the data's in these units."""
MOMENTS = 4


def newton_start(
    est: Estimator, subsample: Array, size: int, data: Data
) -> tuple[list[float], Warm | None]:
    """Moment estimates from the subsample of a sample of ``size``; where ℓ holds sums over
    the sample, refined by Newton's method on the subsample, then on larger ones of data in
    memory; with what the last one knows of the whole sample's problem (None where it did
    not converge or measured no rate)."""
    assert est.newton is not None
    if not est.newton.sums or size <= 2 * SUBSAMPLE:
        start = starting_values(est.family, subsample)
        return [start[p.name] for p in est.numeric], None
    start = starting_values(est.family, for_moments(subsample))
    theta = [start[p.name] for p in est.numeric]
    samples = [subsample]
    for step in ladder(size):  # copies: each Newton iteration then reads them in order
        sample = data.strided(step)
        if sample is not None:
            samples.append(sample)
    warm = None
    for sample in samples:
        theta, warm = refined(est, sample, theta, size)
    return theta, warm


def for_moments(subsample: Array) -> Array:
    """Every ``MOMENTS``-th value of a large subsample, for the moment estimates: Newton's method
    on the subsample makes up for the start (its quantiles cost 0.4 ms on 20 000 values); the
    subsample itself where those values are all equal (so that the subsample decides whether
    an estimate exists)."""
    fewer = subsample[::MOMENTS]
    return fewer if fewer.size >= SUBSAMPLE // MOMENTS and np.ptp(fewer) > 0 else subsample


def refined(
    est: Estimator, sample: Array, theta: list[float], size: int
) -> tuple[list[float], Warm | None]:
    """Newton's method on a subsample, to a tolerance far below the distance between its
    optimum and the data's; ``theta`` again where it does not converge (all the data
    decide). With it, the Hessian at its last evaluation and its last rate of convergence,
    scaled to ``size`` observations (ℓ and its derivatives grow as n, the rate as 1/n)."""
    assert est.newton is not None
    program, values = est.newton, statistic_values(est.general.form, sample, est.newton.statistics)
    part = NumpySample(sample)
    seen: list[list[float]] = []

    def objective(t: Any) -> list[float]:
        seen.append(program(t, values, part))
        return seen[-1]

    try:
        found, _ = newton(objective, est.numeric, theta, True, ROUGH)
    except ConvergenceError:
        return theta, None
    return [float(t) for t in found], warm_start(seen, len(theta), size / sample.size)


@dataclass(frozen=True)
class Opening:
    """The first pass over the data with Newton's start found before it: what the pass found
    (its totals the statistics), the start, what the subsamples know of the problem, and ℓ,
    its gradient and the profiled expansions at the start."""

    summary: Summary
    theta: list[float]
    warm: Warm | None
    first: list[float] | None
    """None without a warm start: the pass then only reads the data."""


def opening(
    est: Estimator, data: Data, dist: Distribution, wanted: FirstPass, hessian: bool
) -> Opening | None:
    """The start from subsamples, then one pass over the data for ``wanted`` and Newton's first
    evaluation; None where that cannot come first (data not in memory, a sample too small for
    the ladder, no opening program, a value outside the support in the first subsample, no
    start): the first pass then comes first."""
    program = est.opening(hessian)
    if program is None or est.newton is None or not est.newton.sums:
        return None
    size = data.size
    found = data.strided(stride(size)) if size > 2 * SUBSAMPLE else None
    if found is None:
        return None
    subsample = np.asarray(found, dtype=np.float64)
    if not inside(subsample, dist):
        return None
    try:
        theta, warm = newton_start(est, subsample, size, data)
    except SymmleError:  # the whole data's first pass decides what to report
        return None
    if warm is None:  # Newton's method starts with a full evaluation: the first pass alone
        summary = data.summary(replace(wanted, subsample=False))
        return Opening(replace(summary, subsample=subsample), theta, None, None)
    known = {n: float(size)}
    args = program.arguments(theta, known)
    summary = data.summary(replace(wanted, terms=program.terms, args=args, subsample=False))
    values = program.at(theta, known, summary.totals)
    k = len(values) - len(est.statistics(hessian))
    summary = replace(summary, totals=values[k:], subsample=subsample)
    return Opening(summary, theta, warm, values[:k])


def inside(sample: Array, dist: Distribution) -> bool:
    """Whether every value of a subsample is finite and in the family's support (an interval or
    a range of integers; False for any other support)."""
    found = ends(dist.data_support)
    if found is None:
        return False
    low, high = float(np.min(sample)), float(np.max(sample))
    if not (np.isfinite(low) and np.isfinite(high)):
        return False
    fraction = non_integer(sample) if found[4] else None
    return beyond(Summary(sample.size, low, high, [], fraction, None), found) is None


def served(first: list[float], theta: list[float], fn: Callable[[Any], list[float]]) -> Any:
    """``fn``, answered at ``theta`` (its first call, Newton's start) by ``first``."""
    waiting = [first]

    def evaluate(t: Any) -> list[float]:
        if waiting and np.array_equal(np.asarray(t, dtype=float), theta):
            return waiting.pop()
        return fn(t)

    return evaluate
