"""``symmle.fit`` for a mixture: one checking pass over the data (NaN, ±∞, the support), then
EM compiled from its derivation: the starts chosen on a subsample, the last run on every
observation (a NumPy array in memory, or a Dask array with one pass per iteration)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import numpy as np

from symmle.derive.compiled import Array
from symmle.derive.em.compiled import Program, Totals, e_step
from symmle.derive.em.run import fit_em
from symmle.errors import RegularityError
from symmle.families import REGISTRY, Distribution
from symmle.families.known import family_with_known
from symmle.families.mixtures import Mixture
from symmle.fit.arrays import NumpyData
from symmle.fit.summary import Data, FirstPass, check_support

NO_STANDARD_ERRORS = (
    "no standard errors for a mixture fitted by EM: its information has no closed form."
)


def no_terms(block: Array) -> list[Any]:
    return []


def fit_mixture(family: Mixture, data: Data, se: bool = False) -> dict[str, float]:
    """The estimate by name, components ordered by their mean."""
    if se:
        raise RegularityError(NO_STANDARD_ERRORS)
    wanted = FirstPass(no_terms, [], family.discrete, not isinstance(data, NumpyData))
    summary = data.summary(wanted)
    check_support(summary, family.data_support, family.title, data)
    if isinstance(data, NumpyData):
        fitted = fit_em(family, np.asarray(data.data, np.float64))
    else:
        assert summary.subsample is not None
        sample = np.asarray(summary.subsample, np.float64)
        fitted = fit_em(family, sample, partial(dask_totals, data), summary.size)
    return {p.name: float(v) for p, v in zip(family.parameters, fitted.theta, strict=True)}


def dask_totals(data: Any, program: Program, centre: float) -> Totals:
    """The E-step's sums over a Dask array: each chunk's row [ℓ, N_j, rᵀT], summed."""
    array = data.array

    def totals(matrix: Array) -> tuple[float, Array, Array]:
        k, m = program.size, matrix.shape[0] - 1
        width = 1 + k + k * m
        rows = array.map_blocks(
            partial(chunk_row, program=program, centre=centre, matrix=matrix),
            chunks=((1,) * array.numblocks[0], (width,)),
            new_axis=1,
            dtype=np.float64,
            meta=np.empty((0, width)),
        )
        row = np.asarray(rows.sum(axis=0).compute())
        return float(row[0]), row[1 : 1 + k], row[1 + k :].reshape(k, m)

    return totals


def chunk_row(block: Array, program: Program, centre: float, matrix: Array) -> Array:
    ell, count, weighted = e_step(program.table(np.asarray(block, float) - centre), matrix)
    return np.concatenate([[ell], count, weighted.ravel()])[None, :]


def mixture_of(family: str | Distribution, known: Mapping[str, object] | None) -> Mixture | None:
    """The mixture with k known, or None for any other family."""
    if not isinstance(family, Mixture) and not isinstance(get_or_none(family), Mixture):
        return None
    dist = family_with_known(family, known)
    dist.require_constants()
    assert isinstance(dist, Mixture)
    return dist


def get_or_none(family: str | Distribution) -> Distribution | None:
    return REGISTRY.get(family.strip().lower()) if isinstance(family, str) else None
