"""symmle.fit on Dask arrays (a local cluster): the same estimates as on NumPy arrays, the
same errors, and an exact median."""

from __future__ import annotations

from collections.abc import Iterator

import dask.array as da
import distributed
import numpy as np
import pytest

import symmle
from symmle.checks import random_sample
from symmle.errors import DataError
from symmle.families import get
from symmle.fit.dask import as_dask


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    )
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


@pytest.mark.parametrize(
    "name", ["normal", "poisson", "categorical", "gamma", "cauchy", "laplace", "uniform", "weibull"]
)
def test_dask_equals_numpy(client: object, name: str) -> None:
    known = dict(get(name).example_known)
    x = random_sample(symmle.family_with_known(name, known), 3001, seed=8)
    on_numpy = symmle.fit(name, x, known=known, se=True)
    on_dask = symmle.fit(name, da.from_array(x, chunks=400), known=known, se=True)
    for ours, theirs in zip(on_dask, on_numpy, strict=True):
        assert ours == pytest.approx(theirs, rel=1e-10, nan_ok=True)


@pytest.mark.parametrize("size", [1, 2, 999, 1000])
def test_exact_median_of_a_dask_array(client: object, size: int) -> None:
    x = np.random.default_rng(size).standard_cauchy(size)
    assert as_dask(da.from_array(x, chunks=97)).median() == np.median(x)


def test_dask_data_errors(client: object) -> None:
    x = np.arange(1.0, 1001.0)
    x[777] = np.nan
    with pytest.raises(DataError, match="nan"):
        symmle.fit("normal", da.from_array(x, chunks=100))
    with pytest.raises(DataError, match=r"0\.5 lies outside the support of the Poisson"):
        symmle.fit("poisson", da.from_array(np.array([1.0, 2.0, 0.5, 3.0]), chunks=2))
    with pytest.raises(DataError, match="one-dimensional"):
        symmle.fit("normal", da.ones((4, 4), chunks=2))
