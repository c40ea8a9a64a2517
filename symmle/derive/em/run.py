"""EM run on a sample: several seeded starts (the quantile groups and k-means++-like seeds),
each iterated to convergence (accelerated by SQUAREM on a large sample, whose iterations are
not shown), the best kept and its components ordered by their mean; a start
that closes a component in on one point (σ_j → 0, where ℓ has no bound) is set aside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from symmle.derive.compiled import Array
from symmle.derive.em.compiled import Program, Totals, compile_em, in_memory
from symmle.errors import DataError, NoMLEError
from symmle.families.mixtures import Mixture
from symmle.numeric import em

SEEDS = 4
"""k-means++-like starts besides the quantile one."""
SOFT = 0.1
"""A start's responsibilities: 1 − SOFT on the group's own component, the rest spread."""
SUBSAMPLE = 20_000
"""Larger samples choose among the starts on a random subsample of this size."""
LIMIT = 5000
LOOSE = 100.0
"""Large samples stop at tolerances this many times looser (ℓ to about 1e-11 relative)."""
COLLAPSED = 1e-8
"""A collapsing parameter below this times the data's spread is σ_j → 0 on one point."""
EMPTY = 1e-12
"""A component whose share N_j/n falls below this has no observations left."""


@dataclass(frozen=True)
class Fitted:
    """The best run and every start's, in the data's units, each with its components in the
    order of its last iterate's means."""

    theta: Array
    best: em.Run
    runs: tuple[em.Run, ...]


def groups(program: Program, table: Array, labels: Array) -> Array:
    """θ⁰: one M-step from responsibilities 1 − SOFT on each observation's group."""
    k = program.size
    shares = np.full((labels.size, k), SOFT / (k - 1))
    shares[np.arange(labels.size), labels] = 1 - SOFT
    return program.m_step(shares.sum(axis=0), shares.T @ table, labels.size)


def quantile_labels(y: Array, k: int) -> Array:
    """Observation i in group ⌊k·rank(i)/n⌋: the sorted sample cut into k equal parts."""
    ranks = np.argsort(np.argsort(y, kind="stable"), kind="stable")
    return np.minimum(ranks * k // y.size, k - 1)


def kmeans_plus_plus(y: Array, k: int, seed: int) -> Array:
    """Centres drawn one by one with probability ∝ squared distance to the nearest centre
    chosen (the first uniformly), each observation labelled by its nearest centre."""
    rng = np.random.default_rng(seed)
    centres = [y[rng.integers(y.size)]]
    for _ in range(1, k):
        distance = np.min((y[:, None] - np.array(centres)[None, :]) ** 2, axis=1)
        total = distance.sum()
        p = distance / total if total > 0 else None
        centres.append(y[rng.choice(y.size, p=p)])
    order = np.sort(np.array(centres))
    labels: Array = np.argmin(np.abs(y[:, None] - order[None, :]), axis=1)
    return labels


def starts(program: Program, y: Array, table: Array) -> list[tuple[str, Array]]:
    k = program.size
    found = [("quantiles", groups(program, table, quantile_labels(y, k)))]
    for seed in range(SEEDS):
        found.append(
            (f"k-means++ seed {seed}", groups(program, table, kmeans_plus_plus(y, k, seed)))
        )
    return found


def degenerate_check(program: Program, spread: float) -> em.Degenerate:
    family = program.family
    names = [p.name for p in family.base.parameters]
    collapsing = [names.index(c) for c in family.collapse]

    def degenerate(theta: Array) -> bool:
        weights, own = program.split(theta)
        if not np.all(np.isfinite(theta)) or np.any(weights < EMPTY):
            return True
        return bool(np.any(own[:, collapsing] < COLLAPSED * spread)) if collapsing else False

    return degenerate


def shift_of(family: Mixture, y: Array) -> tuple[float, Callable[[Array, float], Array]]:
    """Centre the data at their mean for a location component (EM is equivariant there):
    the statistic terms y, y² then lose no digits to data far from zero."""
    if not family.location:
        return 0.0, lambda theta, c: theta
    names = [p.name for p in family.base.parameters]
    column = names.index(family.location)

    def moved(theta: Array, c: float) -> Array:
        theta = theta.copy()
        theta[family.size + column :: len(names)] += c
        return theta

    return float(np.mean(y)), moved


def require_enough(family: Mixture, y: Array) -> None:
    distinct = np.unique(y).size
    if distinct < family.size:
        raise DataError(
            f"a {family.title} of k = {family.size} components needs at least {family.size} "
            f"different values; these data have {distinct}."
        )


Source = Callable[[Program, float], Totals]
"""Data that live elsewhere (a Dask array): the E-step's sums over them, centred at a point."""


def fit_em(family: Mixture, y: Array, source: Source | None = None, size: int = 0) -> Fitted:
    """EM on the sample ``y``; with ``source``, ``y`` is a subsample of ``size`` observations
    that live elsewhere, which chooses the start, and the last run is on all of them."""
    require_enough(family, y)
    program = compile_em(family)
    centre, moved = shift_of(family, y)
    table = program.table(y - centre)
    degenerate = degenerate_check(program, float(np.std(y)) or 1.0)
    rng = np.random.default_rng(0)
    chosen = rng.choice(y.size, SUBSAMPLE, replace=False) if y.size > SUBSAMPLE else None
    part = table if chosen is None else table[chosen]
    step = program.step(in_memory(part), part.shape[0])
    sample = y if chosen is None else y[chosen]
    iterate = em.run if chosen is None else em.accelerated  # a small sample's steps are shown
    runs = tuple(
        iterate(step, theta, name, degenerate, LIMIT)
        for name, theta in starts(program, sample, part)
    )
    best = em.best(runs)
    if best is None:
        raise no_maximum(family)
    if chosen is not None or source is not None:
        whole = in_memory(table) if source is None else source(program, centre)
        step = program.step(whole, size or y.size)
        best = em.accelerated(step, best.theta, best.start, degenerate, LIMIT, LOOSE)
        if best.degenerate:
            raise no_maximum(family)
    shown = tuple(in_units(program, r, centre, moved) for r in runs)
    kept = next((s for r, s in zip(runs, shown, strict=True) if r is best), None)
    best = kept or in_units(program, best, centre, moved)
    return Fitted(best.theta, best, shown)


def in_units(
    program: Program, run: em.Run, centre: float, moved: Callable[[Array, float], Array]
) -> em.Run:
    """The run in the data's units, each iterate's components in the order of the final
    estimate's means."""
    rank = program.rank(moved(run.theta, centre))
    history = tuple(
        replace(it, theta=tuple(program.permuted(moved(np.asarray(it.theta), centre), rank)))
        for it in run.history
    )
    return replace(run, history=history)


def no_maximum(family: Mixture) -> NoMLEError:
    collapse = ", ".join(f"{c}_j" for c in family.collapse) or "a component's share"
    return NoMLEError(
        f"EM found no maximum of the {family.title}'s likelihood: from every start a component "
        f"closed in on a single value ({collapse} → 0), where the likelihood grows "
        "without bound; give more data or fewer components."
    )


__all__ = ["Fitted", "Source", "fit_em"]
