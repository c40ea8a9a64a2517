"""symmle.fit on arrays large enough to be reduced in blocks on several threads: the same sums
and extremes as one NumPy pass, the same errors for NaN, ±∞ and values outside the support
wherever they lie, and integer arrays (any width, bool, values beyond 2^53) read exactly."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import symmle
from symmle.checks import random_sample
from symmle.derive import blocks
from symmle.derive.blocks import BLOCK, SERIAL, proofs, reduce
from symmle.derive.compiled import NumpySample
from symmle.errors import DataError, OptionError
from symmle.families import get
from symmle.families.user import define
from symmle.fit.arrays import as_numpy
from symmle.fit.estimate import fitted_family
from symmle.fit.estimator import estimator
from symmle.fit.summary import FirstPass, needed_ends

LARGE = SERIAL + 3 * BLOCK + 12_345
"""Above the serial threshold, and not a whole number of blocks."""


def sample(name: str, size: int = LARGE, seed: int = 1) -> tuple[dict[str, Any], Any]:
    known = dict(get(name).example_known)
    return known, random_sample(symmle.family_with_known(name, known), size, seed)


def first_pass_and_newton(name: str, x: Any) -> list[tuple[Any, list[float]]]:
    """The terms of the family's first pass, and of its Newton sums where it has them."""
    est = estimator(fitted_family(name, dict(get(name).example_known)))
    cases = [(est.first_pass(True), [float(x[0])])]
    if est.newton is not None and est.newton.sums:
        args = [1.2] * len(est.numeric) + [1.5] * len(est.newton.statistics)
        cases.append((est.newton._terms, args))
    return cases


@pytest.mark.parametrize("name", ["normal", "lognormal", "gamma", "cauchy", "poisson"])
def test_threads_equal_one_thread_and_one_numpy_pass(name: str) -> None:
    _, x = sample(name)
    for terms, args in first_pass_and_newton(name, x):
        threaded = reduce(x, terms, args, low=True, high=True, workers=3)
        serial = reduce(x, terms, args, low=True, high=True, workers=1)
        assert threaded == serial  # the same blocks, summed exactly: the same bits
        whole = NumpySample(x).totals(terms, args)
        assert threaded.totals == pytest.approx(whole, rel=1e-12)
        assert (threaded.low, threaded.high) == (np.min(x), np.max(x))


def test_every_block_counts() -> None:
    """Each observation is summed once; a term free of the observation counts n times."""
    x = np.arange(LARGE, dtype=np.float64)

    def terms(y: Any) -> list[Any]:
        return [y, y * 0 + 1, 2.0]

    found = reduce(x, terms, [], low=True, high=True, workers=2)
    assert found.totals == [LARGE * (LARGE - 1) / 2, LARGE, 2.0 * LARGE]
    assert (found.low, found.high) == (0, LARGE - 1)


@pytest.mark.parametrize("name", ["normal", "exponential", "gamma", "weibull", "cauchy"])
def test_fit_on_threads_equals_fit_in_one_block(name: str, monkeypatch: Any) -> None:
    """The first pass, Newton's sums and the Hessian for the standard errors."""
    known, x = sample(name, seed=2)
    threaded = symmle.fit(name, x, known=known, se=True)
    monkeypatch.setattr(blocks, "SERIAL", 2 * LARGE)
    serial = symmle.fit(name, x, known=known, se=True)
    for ours, theirs in zip(threaded, serial, strict=True):
        assert ours == pytest.approx(theirs, rel=1e-10)


def test_finite_totals_prove_the_data_finite_only_for_terms_that_see_it() -> None:
    def sees_all(y: Any) -> list[Any]:
        return [y, y**2]

    def blind_to_infinity(y: Any) -> list[Any]:
        return [np.exp(-np.abs(y)), np.nan_to_num(y, posinf=0.0, neginf=0.0)]

    def sees_minus_infinity(y: Any) -> list[Any]:
        return [np.exp(-y)]

    def blind_to_nan(y: Any) -> list[Any]:
        return [np.where(np.isnan(y), 0.0, y)]

    assert proofs(sees_all, []) == (True, True)
    assert proofs(blind_to_infinity, []) == (False, False)
    assert proofs(sees_minus_infinity, []) == (True, False)
    assert proofs(blind_to_nan, []) == (False, False)
    assert proofs(lambda y: [3.0], []) == (False, False)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [0, LARGE // 2, LARGE - 1])
@pytest.mark.parametrize("name", ["normal", "exponential", "beta", "lognormal"])
def test_nan_and_infinities_anywhere_raise_as_before(name: str, where: int, bad: float) -> None:
    """Support ℝ, [0, ∞), (0, 1) and (0, ∞); at the start (the centre of the sums), the
    middle and the end."""
    known, x = sample(name, seed=3)
    x[where] = bad
    message = f"the data contain {bad}; every value must be a finite number."
    with pytest.raises(DataError, match=re.escape(message)):
        symmle.fit(name, x, known=known)


@pytest.mark.parametrize(
    ("name", "wrong", "title"),
    [
        ("exponential", -1.0, "Exponential"),
        ("lognormal", -1.0, "Log-normal"),
        ("gamma", 0.0, "Gamma"),
        ("beta", 1.0, "Beta"),
        ("poisson", -1, "Poisson"),
        ("poisson", 2.5, "Poisson"),
    ],
)
@pytest.mark.parametrize("where", [0, LARGE // 2, LARGE - 1])
def test_a_value_outside_the_support_anywhere(
    name: str, wrong: float, title: str, where: int
) -> None:
    known, x = sample(name, seed=4)
    x = x.astype(type(wrong))
    x[where] = wrong
    with pytest.raises(DataError, match=rf"{re.escape(f'{wrong:g}')} lies outside .* {title}"):
        symmle.fit(name, x, known=known)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.int16])
def test_integer_arrays_of_any_width(dtype: Any) -> None:
    x = np.random.default_rng(5).poisson(3.5, LARGE)
    assert symmle.fit("poisson", x.astype(dtype)) == {
        "lambda": pytest.approx(np.mean(x), rel=1e-14)
    }
    as_floats = symmle.fit("negative_binomial", x.astype(np.float64), known={"r": 3})
    assert symmle.fit("negative_binomial", x.astype(dtype), known={"r": 3}) == as_floats


def test_bool_arrays() -> None:
    x = np.random.default_rng(6).random(LARGE) < 0.3
    assert symmle.fit("bernoulli", x) == {"theta": pytest.approx(np.mean(x), rel=1e-14)}
    assert symmle.fit("poisson", x) == {"lambda": pytest.approx(np.mean(x), rel=1e-14)}


def test_integers_beyond_float_precision() -> None:
    """Their sum overflows int64 and is beyond 2^53: each is read as the nearest float64."""
    x = np.random.default_rng(7).integers(2**61, 2**62, LARGE, dtype=np.int64)
    mean = sum(map(float, x)) / LARGE  # every value rounded to float64 first, as fit does
    assert symmle.fit("poisson", x)["lambda"] == pytest.approx(mean, rel=1e-12)
    assert symmle.fit("poisson", x)["lambda"] == pytest.approx(sum(map(int, x)) / LARGE, rel=1e-12)


def test_integers_for_numeric_families() -> None:
    """The subsample of an integer array is read as floats too (Newton's first steps)."""
    x = np.random.default_rng(8).geometric(0.05, 3 * SERIAL)
    for name in ("gamma", "weibull", "lognormal"):
        assert symmle.fit(name, x) == pytest.approx(symmle.fit(name, x.astype(float)), rel=1e-12)


def test_an_estimator_at_the_minimum_of_data_on_the_whole_line() -> None:
    """The support does not need the min here (ℝ), the estimator does (â = y₍₁₎)."""
    shifted = define(
        pdf="lam*exp(-lam*(y-a))",
        parameters={"lam": "(0, oo)", "a": "(-oo, oo)"},
        support="[a, oo)",
    )
    x = 3 + np.random.default_rng(9).exponential(2.0, LARGE)
    found = symmle.fit(shifted, x)
    assert found == {"lam": pytest.approx(1 / (np.mean(x) - np.min(x)), rel=1e-10), "a": np.min(x)}


@pytest.mark.parametrize(
    ("name", "dtype", "computed"),
    [
        ("normal", float, (False, False)),
        ("exponential", float, (True, False)),
        ("poisson", np.int64, (True, False)),
        ("beta", float, (True, True)),
        ("uniform", float, (True, True)),
        ("cauchy", float, (True, True)),  # no sum in its first pass proves the data finite
    ],
)
def test_only_the_extremes_needed_are_computed(
    name: str, dtype: Any, computed: tuple[bool, bool]
) -> None:
    known, x = sample(name, size=1000, seed=10)
    dist = fitted_family(name, known)
    est = estimator(dist)
    ends = needed_ends(dist.data_support, (est.needs("min", False), est.needs("max", False)))
    wanted = FirstPass(est.first_pass(False), [float(x[0])], dist.discrete, False, ends)
    summary = as_numpy(x.astype(dtype)).summary(wanted)
    assert (summary.low is not None, summary.high is not None) == computed
    assert summary.low in (None, np.min(x)) and summary.high in (None, np.max(x))


def test_known_values_are_fixed_once() -> None:
    """Fixing a known value asks SymPy (0.5 ms): done once per value, errors every time."""
    assert fitted_family("gamma", {"alpha": 2}) is fitted_family("gamma", {"alpha": 2})
    assert dict(fitted_family("gamma", {"alpha": 3}).known) != dict(
        fitted_family("gamma", {"alpha": 2}).known
    )
    for _ in range(2):
        with pytest.raises(OptionError, match="outside its domain"):
            symmle.fit("gamma", [1.0, 2.0], known={"alpha": -1})
    with pytest.raises(OptionError, match="not a number"):
        symmle.fit("gamma", [1.0, 2.0], known={"alpha": [1]})
