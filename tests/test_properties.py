"""Property tests: the closed form equals the numeric optimum on random data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symmle

settings.register_profile("symmle", deadline=None, max_examples=25)
settings.load_profile("symmle")

normal_values = st.lists(
    st.integers(min_value=-50, max_value=50).map(lambda k: k / 4), min_size=2, max_size=30
).filter(lambda v: len(set(v)) > 1)
bits = st.lists(st.integers(0, 1), min_size=1, max_size=40)


@given(normal_values)
def test_normal_closed_form_is_the_numeric_optimum(data: list[float]) -> None:
    r = symmle.mle("normal", data=data)
    assert all(c.passed for c in r.checks), r.checks
    assert float(r.estimate["mu"]) == pytest.approx(np.mean(data), abs=1e-12)
    assert float(r.estimate["sigma"]) == pytest.approx(np.std(data), rel=1e-12)


@given(bits)
def test_bernoulli_closed_form_is_the_numeric_optimum(data: list[int]) -> None:
    r = symmle.mle("bernoulli", data=data)
    assert all(c.passed for c in r.checks), r.checks
    assert float(r.estimate["theta"]) == pytest.approx(np.mean(data), abs=1e-15)
    assert r.method == ("boundary" if len(set(data)) == 1 else "closed form")
