"""The data sets shipped with symmle: the values are the ones statsmodels ships (where they were
copied from) and von Bortkiewicz's table; each names its source and licence."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.datasets import nile, strikes

import symmle
from symmle.datasets import datasets, load


def test_the_values_are_statsmodels() -> None:
    assert np.array_equal(load("strikes").values, strikes.load_pandas().data["duration"])
    assert np.array_equal(load("nile").values, nile.load_pandas().data["volume"])
    assert strikes.COPYRIGHT.strip() == nile.COPYRIGHT.strip() == "This is public domain."


def test_the_horse_kicks_are_bortkiewiczs_table() -> None:
    kicks = load("horse_kicks").values
    values, counts = np.unique(kicks, return_counts=True)
    assert list(values) == [0, 1, 2, 3, 4] and list(counts) == [109, 65, 22, 3, 1]
    assert kicks.mean() == pytest.approx(0.61)


@pytest.mark.parametrize("name", ["horse_kicks", "nile", "strikes"])
def test_each_names_its_source_and_licence(name: str) -> None:
    data = load(name)
    assert data.name == name and data.title and data.source and data.copied_from
    assert data.licence.startswith("public domain")


def test_an_unknown_data_set_is_one_clear_error() -> None:
    assert datasets() == ["horse_kicks", "nile", "strikes"]
    with pytest.raises(symmle.OptionError, match="unknown data set 'iris'; the data sets are"):
        load("iris")
