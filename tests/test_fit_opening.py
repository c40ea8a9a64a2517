"""symmle.fit's opening pass: on data in memory, Newton's start comes from subsamples before any
pass over the data, and the first pass both checks the data and is Newton's first evaluation.
One pass fewer; the same estimates, standard errors and errors for bad data as with the first
pass first."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from scipy import stats

import symmle
from symmle.errors import DataError

SIZE = 300_000
SAMPLES = {
    "logistic": stats.logistic(1.0, 2.0),
    "weibull": stats.weibull_min(1.5, scale=2.0),
    "gumbel": stats.gumbel_r(3.0, 0.5),
    "cauchy": stats.cauchy(-1.0, 0.3),
}
estimate = importlib.import_module("symmle.fit.estimate")
blocks = importlib.import_module("symmle.derive.blocks")


def sample(name: str, seed: int = 5, size: int = SIZE) -> Any:
    return SAMPLES[name].rvs(size=size, random_state=np.random.default_rng(seed))


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The sizes of the arrays reduced (a pass over all the data has the sample's size)."""
    sizes: list[int] = []
    reduce = blocks.reduce

    def counted(data: Any, *args: Any, **kwargs: Any) -> Any:
        sizes.append(int(data.size))
        return reduce(data, *args, **kwargs)

    for module in ("symmle.fit.arrays", "symmle.derive.compiled"):
        monkeypatch.setattr(importlib.import_module(module), "reduce", counted)
    yield sizes


def without_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(estimate, "opening", lambda *args: None)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_first_pass_is_newtons_first_evaluation(
    name: str, passes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    x = sample(name)
    found = symmle.fit(name, x)
    opened = passes.count(SIZE)
    passes.clear()
    without_opening(monkeypatch)
    before = symmle.fit(name, x)
    assert opened == passes.count(SIZE) - 1
    assert found == pytest.approx(before, rel=1e-12)


@pytest.mark.parametrize("name", ["logistic", "weibull"])
def test_the_standard_errors_are_those_of_the_first_pass_first(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = sample(name, 6)
    found, errors = symmle.fit(name, x, se=True)
    without_opening(monkeypatch)
    before, errors_before = symmle.fit(name, x, se=True)
    assert found == pytest.approx(before, rel=1e-12)
    assert errors == pytest.approx(errors_before, rel=1e-9)


def test_data_far_from_zero_are_seen_from_their_origin_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    x = sample("logistic", 7) + 1e6
    found = symmle.fit("logistic", x)
    without_opening(monkeypatch)
    assert found == pytest.approx(symmle.fit("logistic", x), rel=1e-12)


def test_without_a_warm_start_the_subsamples_serve_once(
    passes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the subsamples measure no rate, the pass only reads the data and Newton's method
    starts with a full evaluation from their start (found once, not again after the pass)."""
    start = importlib.import_module("symmle.fit.start")
    calls: list[int] = []
    newton_start = start.newton_start

    def counted(*args: Any) -> Any:
        calls.append(1)
        return newton_start(*args)

    x = sample("logistic", 10)
    found = symmle.fit("logistic", x)
    monkeypatch.setattr(start, "warm_start", lambda *args: None)
    monkeypatch.setattr(start, "newton_start", counted)
    monkeypatch.setattr(estimate, "newton_start", counted)
    passes.clear()
    assert symmle.fit("logistic", x) == pytest.approx(found, rel=1e-9)
    assert len(calls) == 1
    assert passes.count(SIZE) >= 2  # the data read, then Newton's full evaluations


BAD = [("weibull", -1.0), ("weibull", np.nan), ("logistic", np.inf), ("gumbel", np.nan)]


@pytest.mark.parametrize(("name", "bad"), BAD)
def test_a_bad_value_outside_the_subsamples_is_reported_as_before(
    name: str, bad: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Index 1 lies in no subsample (their steps are 15 and more): the pass over all the data
    finds it after Newton's start, with the message of the first pass first."""
    x = sample(name)
    x[1] = bad
    with pytest.raises(DataError) as opened:
        symmle.fit(name, x)
    without_opening(monkeypatch)
    with pytest.raises(DataError) as before:
        symmle.fit(name, x)
    assert str(opened.value) == str(before.value)


@pytest.mark.parametrize("bad", [-1.0, np.nan])
def test_a_bad_value_in_the_larger_subsample_is_reported_as_before(
    bad: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 10⁶, index 10 lies in the subsample of every 10th value (Newton's last rung) and
    not in the first one (every 50th)."""
    x = sample("weibull", 9, 10**6)
    x[10] = bad
    with pytest.raises(DataError) as opened:
        symmle.fit("weibull", x)
    without_opening(monkeypatch)
    with pytest.raises(DataError) as before:
        symmle.fit("weibull", x)
    assert str(opened.value) == str(before.value)


def test_a_bad_value_in_the_subsample_leaves_the_first_pass_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No Newton's method on a subsample outside the support: the first pass reports it."""

    def refused(*args: Any) -> None:
        raise AssertionError("Newton's method on a subsample outside the support")

    monkeypatch.setattr(importlib.import_module("symmle.fit.start"), "newton_start", refused)
    x = sample("weibull")
    x[0] = -2.0
    with pytest.raises(DataError, match="-2"):
        symmle.fit("weibull", x)


def test_the_moment_estimates_read_a_quarter_of_the_subsample() -> None:
    """Unless those values are all equal: the subsample then decides whether an estimate
    exists (a sample of equal values has none)."""
    for_moments = importlib.import_module("symmle.fit.start").for_moments
    subsample = sample("logistic", 8, 20_000)
    assert np.array_equal(for_moments(subsample), subsample[::4])
    tied = np.where(np.arange(20_000) % 4 == 0, 3.0, subsample)
    assert for_moments(tied) is tied
    assert for_moments(subsample[:100]).size == 100
