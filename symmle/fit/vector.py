"""``symmle.fit`` for families of vector observations: an (n, k) NumPy array, or a Dask array
chunked by rows. One pass checks the rows and sums each family's sufficient statistics (for
Dask, every chunk in one ``dask.compute``); the estimates are then closed forms of the sums,
or Newton's method on them (the Dirichlet's), and the standard errors come from the Fisher
information."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from symmle.errors import DataError, NoMLEError, OptionError
from symmle.families.vector import VectorFamily
from symmle.fit.summary import real_dtype
from symmle.numeric import vector_errors
from symmle.numeric.dirichlet import dirichlet_fit
from symmle.numeric.newton import Array

FIRST_ROWS = 1024
"""The multivariate Normal's sums are taken about the mean of the first rows (at most this
many): near the sample mean, so that Σ(y − c)(y − c)ᵀ/n − d dᵀ, with d = ȳ − c small, loses
no digits to cancellation (E[yyᵀ] − ȳȳᵀ would lose all of them for data far from 0)."""

BLOCK = 1 << 14
"""Rows per block of a NumPy array: small enough for the cache."""

Estimate = dict[str, Any]


def fit_vector(family: VectorFamily, X: Any, se: bool = False, observed: Any = None) -> Any:
    """The estimate by parameter name (the Normal's ``mu`` a k-vector and ``Sigma`` a k × k
    array; the others' floats), and with ``se=True`` also the standard errors in the same
    shapes. ``observed`` (censoring) is refused: it is for families of one variable."""
    if observed is not None:
        raise OptionError(
            f"observed (right-censoring) is for families of one variable, not the {family.title}."
        )
    rows = as_rows(X)
    n = int(rows.shape[0])
    first = first_rows(rows)
    family, fitter, centre = fixed_total(family, first), FITTERS[family.name], centre_of(first)
    reduce = numpy_totals if isinstance(rows, np.ndarray) else dask_totals
    totals = reduce(family, fitter, rows, centre)
    estimate = fitter.estimate(family, n, totals, centre)
    if not se:
        return estimate
    return estimate, fitter.errors(family, n, estimate)


def as_rows(X: Any) -> Any:
    """A float64 (n, k) NumPy array, or a Dask array in float64 chunks of whole rows."""
    if type(X).__module__.split(".")[0] == "dask":
        shape = tuple(X.shape)
        if any(np.isnan(c) for c in shape):
            X = X.compute_chunk_sizes()
            shape = tuple(X.shape)
        check_table(shape)
        return X.rechunk({1: -1}).astype(real_dtype(X.dtype))
    try:
        array = np.asarray(X)
    except (TypeError, ValueError):
        raise DataError(
            "the data must be an (n, k) table of real numbers, every row of the same length."
        ) from None
    check_table(array.shape)
    return array.astype(real_dtype(array.dtype), copy=False)


def first_rows(rows: Any) -> Array:
    """The first rows of the data (of a Dask array's first chunk: one chunk read)."""
    head = rows if isinstance(rows, np.ndarray) or rows.chunks[0][0] == 0 else rows.blocks[0]
    return np.asarray(head[:FIRST_ROWS], dtype=np.float64)


def check_table(shape: tuple[int, ...]) -> None:
    if len(shape) != 2:
        raise DataError(f"the data must be an (n, k) table of rows; got shape {shape}.")
    if shape[0] == 0:
        raise DataError("the data are empty; give at least one row.")
    if shape[1] == 0:
        raise DataError("the rows are empty; give at least one value in each.")


def check_rows(family: VectorFamily, block: Array, offset: int = 0) -> None:
    """DataError unless every value is finite and every row lies in the family's support;
    rows are numbered from ``offset`` + 1."""
    bad = ~np.isfinite(block)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise DataError(
            f"row {offset + row + 1} holds {block[row, column]}; every value must be a finite "
            "number."
        )
    family.check(block, offset)


@dataclass(frozen=True)
class Fitter:
    """How a family fits: the sums over a block of rows (given a centre, the mean of the
    first rows), the estimate from their totals, and the standard errors at the estimate."""

    sums: Callable[[Array, Array], Array]
    estimate: Callable[[VectorFamily, int, Array, Array], Estimate]
    errors: Callable[[VectorFamily, int, Estimate], Estimate]


def numpy_totals(family: VectorFamily, fitter: Fitter, X: Array, centre: Array) -> Array:
    """The checks and sums block by block (each block stays in the cache for both)."""
    parts = []
    for offset in range(0, X.shape[0], BLOCK):
        block = X[offset : offset + BLOCK]
        check_rows(family, block, offset)
        parts.append(fitter.sums(block, centre))
    return np.asarray(np.sum(parts, axis=0), dtype=np.float64)


def centre_of(first: Array) -> Array:
    """The mean of the first rows; 0 where they hold NaN or ±∞ (the data are then refused)."""
    with np.errstate(all="ignore"):
        centre = first.mean(axis=0)
    return np.asarray(np.where(np.isfinite(centre), centre, 0.0), dtype=np.float64)


def fixed_total(family: VectorFamily, first: Array) -> VectorFamily:
    """A Multinomial with m unknown, with the first row's total as m (each chunk of a Dask
    array is then checked against the data's first row, not its own); unchanged where that
    total is not a count of trials, which the support check then refuses."""
    if "m" not in family.constants or family.constant("m") is not None:
        return family
    total = float(first[0].sum())
    if not (np.isfinite(total) and total.is_integer() and total >= 1):
        return family
    if total >= 2**53:
        raise DataError(
            f"row 1 counts {total:g} trials: counts beyond 2^53 are not exact as floats."
        )
    return family.fix({"m": int(total)})


def block_row(
    block: Array, family: VectorFamily, fitter: Fitter, centre: Array, width: int
) -> Array:
    """One chunk's [1, its sums], or [0, zeros] where a row fails its checks."""
    try:
        check_rows(family, block)
    except DataError:
        return np.zeros((1, width))
    return np.concatenate(([1.0], fitter.sums(block, centre)))[None, :]


def dask_totals(family: VectorFamily, fitter: Fitter, X: Any, centre: Array) -> Array:
    """The checks and sums of every chunk in one pass (one ``dask.compute``); where a chunk
    fails, the first such chunk again, for its message with the row numbered in the data."""
    width = 1 + fitter.sums(np.full((1, X.shape[1]), 0.5), centre).size  # a row of any support
    parts = X.map_blocks(
        partial(block_row, family=family, fitter=fitter, centre=centre, width=width),
        chunks=((1,) * X.numblocks[0], (width,)),
        dtype=np.float64,
        meta=np.empty((0, width)),
    )
    table = np.asarray(parts.compute(), dtype=np.float64)
    failed = np.flatnonzero(table[:, 0] == 0)
    if failed.size:
        chunk = int(failed[0])
        offset = int(sum(X.chunks[0][:chunk]))
        check_rows(family, np.asarray(X.blocks[chunk].compute()), offset)
    return np.asarray(table[:, 1:].sum(axis=0), dtype=np.float64)


# The multivariate Normal: Σ(y − c) and Σ(y − c)(y − c)ᵀ about the first rows' mean c.


def normal_sums(block: Array, centre: Array) -> Array:
    d = block - centre
    return np.concatenate((d.sum(axis=0), (d.T @ d).ravel()))


def normal_estimate(family: VectorFamily, n: int, totals: Array, centre: Array) -> Estimate:
    k = centre.size
    if n <= k:
        raise DataError(
            f"the covariance of {n} row{'s' * (n != 1)} in {k} dimensions is singular: the "
            f"{family.title} needs at least k + 1 = {k + 1} rows."
        )
    shift = totals[:k] / n
    sigma = totals[k:].reshape(k, k) / n - np.outer(shift, shift)
    sigma = (sigma + sigma.T) / 2
    if np.linalg.matrix_rank(sigma, hermitian=True) < k:
        raise NoMLEError(
            f"the sample covariance is singular: the {n} rows lie in a hyperplane of fewer "
            f"than {k} dimensions, where the {family.title}'s likelihood has no maximum."
        )
    return {"mu": centre + shift, "Sigma": sigma}


def normal_errors(family: VectorFamily, n: int, estimate: Estimate) -> Estimate:
    mu, sigma = vector_errors.normal_errors(estimate["Sigma"], n)
    return {"mu": mu, "Sigma": sigma}


# The Multinomial: the counts per category.


def count_sums(block: Array, centre: Array) -> Array:
    return np.asarray(block.sum(axis=0), dtype=np.float64)


def multinomial_estimate(family: VectorFamily, n: int, totals: Array, centre: Array) -> Estimate:
    """p̂ⱼ = Σᵢ xᵢⱼ/(n·m), with m known or the rows' common total."""
    m = trials(family)
    names = family.names(totals.size)
    return {name: float(t / (n * m)) for name, t in zip(names, totals, strict=True)}


def multinomial_errors(family: VectorFamily, n: int, estimate: Estimate) -> Estimate:
    p = np.array(list(estimate.values()), dtype=np.float64)
    errors = vector_errors.multinomial_errors(p, n, trials(family))
    return dict(zip(estimate, (float(e) for e in errors), strict=True))


def trials(family: VectorFamily) -> float:
    m = family.constant("m")
    assert m is not None, "known, or fixed by fixed_total to the first row's total, checked"
    return float(m)


# The Dirichlet: Σ log yᵢⱼ, then Newton's method.


def log_sums(block: Array, centre: Array) -> Array:
    return np.asarray(np.log(block).sum(axis=0), dtype=np.float64)


def dirichlet_estimate(family: VectorFamily, n: int, totals: Array, centre: Array) -> Estimate:
    alpha, _ = dirichlet_fit(n, totals / n)
    return dict(zip(family.names(alpha.size), (float(a) for a in alpha), strict=True))


def dirichlet_errors(family: VectorFamily, n: int, estimate: Estimate) -> Estimate:
    alpha = np.array(list(estimate.values()), dtype=np.float64)
    errors = vector_errors.dirichlet_errors(alpha, n)
    return dict(zip(estimate, (float(e) for e in errors), strict=True))


FITTERS = {
    "multivariate_normal": Fitter(normal_sums, normal_estimate, normal_errors),
    "multinomial": Fitter(count_sums, multinomial_estimate, multinomial_errors),
    "dirichlet": Fitter(log_sums, dirichlet_estimate, dirichlet_errors),
}
