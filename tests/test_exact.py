"""The exact path on large samples: floats read as their shortest decimals without a loop per
value, exact sums of powers, and the same derivation as reading the values one by one."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symmle
from symmle.derive.exact import EXACT_DISTINCT, DecimalSample, integer_power_sum
from symmle.errors import DataError

finite = st.floats(-1e40, 1e40, width=64).filter(lambda v: v == 0 or abs(v) > 1e-40)
"""Within symmle's bounds on input (see symmle.data), beyond which values are refused."""
short = st.tuples(st.integers(-(10**9), 10**9), st.integers(0, 12)).map(
    lambda t: round(t[0] / 10 ** t[1], t[1])
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(finite, short), min_size=1, max_size=60))
def test_decimals_are_the_shortest_repr(values: list[float]) -> None:
    sample = DecimalSample(np.array(values))
    assert list(sample) == [Fraction(repr(v)) for v in values]
    for k in (1, 2, 3):
        assert sample.power_sum(k) == sum(Fraction(repr(v)) ** k for v in values)


@pytest.mark.parametrize("scale", [1e-4, 1.0, 3e5])
def test_full_precision_floats_are_read_vectorised(scale: float) -> None:
    x = np.random.default_rng(8).normal(0, scale, 20_000)  # 16 and 17 significant digits
    sample = DecimalSample(x)
    assert not sample.rest, "every value settled without a Python loop"
    assert list(sample) == [Fraction(repr(v)) for v in x.tolist()]


def test_powers_of_two_and_edges_are_their_shortest_decimal() -> None:
    x = np.array([*(2.0 ** np.arange(-70, 70)), 0.1, 1 / 3, 2**53 - 1.0, 2**53 + 2.0])
    x = np.concatenate([x, -x, np.nextafter(x, 0), np.nextafter(x, np.inf), [0.0, -0.0]])
    assert list(DecimalSample(x)) == [Fraction(repr(v)) for v in x.tolist()]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-(2**62) + 1, 2**62 - 1), min_size=1, max_size=40), st.integers(1, 4))
def test_integer_power_sums_are_exact(values: list[int], k: int) -> None:
    assert integer_power_sum(np.array(values, dtype=np.int64), k) == sum(v**k for v in values)


def same(a: dict[str, sp.Expr], b: dict[str, sp.Expr]) -> bool:
    return set(a) == set(b) and all(sp.simplify(a[k] - b[k]) == 0 for k in a)


@pytest.mark.parametrize(
    ("name", "size"), [("normal", 1500), ("poisson", 1500), ("uniform", 1001), ("bernoulli", 1200)]
)
def test_large_arrays_derive_as_values_read_one_by_one(name: str, size: int) -> None:
    rng = np.random.default_rng(size)
    makers: dict[str, Callable[[], np.ndarray[Any, Any]]] = {
        "normal": lambda: np.round(rng.normal(3, 2, size), 3),
        "poisson": lambda: rng.poisson(4, size),
        "uniform": lambda: np.round(rng.uniform(-1, 2, size), 5),
        "bernoulli": lambda: rng.integers(0, 2, size),
    }
    x = makers[name]()
    fast = symmle.mle(name, data=x)
    slow = symmle.mle(name, data=[repr(v) for v in x.tolist()])  # text: one Fraction each
    assert isinstance(fast.data, DecimalSample) and not isinstance(slow.data, DecimalSample)
    assert same(fast.estimate, slow.estimate)
    assert all(c.passed for c in fast.checks)


def test_many_distinct_logarithms_are_summed_in_floating_point() -> None:
    x = np.round(np.random.default_rng(5).lognormal(0.5, 0.7, 3000), 4)
    assert np.unique(x).size > EXACT_DISTINCT
    r = symmle.mle("lognormal", data=x)
    mu = r.estimate["mu"]
    assert isinstance(mu, sp.Float)
    assert float(mu) == pytest.approx(math.fsum(np.log(x)) / x.size, rel=1e-14)
    assert float(r.estimate["sigma"]) == pytest.approx(np.std(np.log(x)), rel=1e-10)
    assert all(c.passed for c in r.checks)


def test_few_distinct_values_stay_exact() -> None:
    x = np.array([1.0, 2.0, 4.0] * 400)
    mu = symmle.mle("lognormal", data=x).estimate["mu"]
    assert sp.simplify(mu - sp.log(2)) == 0


def test_large_sample_errors() -> None:
    x = np.round(np.random.default_rng(6).exponential(1, 2000), 3)
    x[1234] = np.nan
    with pytest.raises(DataError, match="nan"):
        symmle.mle("exponential", data=x)
    x[1234] = -0.5
    with pytest.raises(DataError, match=r"-0\.5 lies outside the support"):
        symmle.mle("exponential", data=x)


def test_large_samples_keep_the_input_bounds() -> None:
    x = np.round(np.random.default_rng(7).normal(0, 1, 2000), 3)
    x[10] = 1e60
    with pytest.raises(DataError, match="symmle accepts numbers of size at most"):
        symmle.mle("normal", data=x)


@pytest.mark.parametrize("name", ["normal", "laplace"])
def test_a_large_sample_renders_without_huge_numbers(name: str) -> None:
    """(2π)^(-n/2) and 2^-n stay exponentials: 2^30000 has more digits than Python prints."""
    x = np.round(np.random.default_rng(9).normal(0, 1, 30_000), 3)
    text = symmle.mle(name, data=x).to_text()
    assert "Standard errors" in text and len(text) < 100_000
