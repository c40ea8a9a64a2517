"""The quantiles taken from scipy.special equal scipy.stats's, at many levels and degrees."""

from __future__ import annotations

import pytest
import scipy.stats

from symmle.numeric.quantiles import chi2_quantile, chi2_tail, normal_quantile

LEVELS = (1e-9, 0.025, 0.5, 0.9, 0.95, 0.975, 0.999)


@pytest.mark.parametrize("p", LEVELS)
def test_normal_quantile_is_scipy_stats(p: float) -> None:
    assert normal_quantile(p) == pytest.approx(scipy.stats.norm.ppf(p), rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("df", (1, 2, 5))
@pytest.mark.parametrize("p", LEVELS)
def test_chi2_quantile_is_scipy_stats(p: float, df: int) -> None:
    assert chi2_quantile(p, df) == pytest.approx(scipy.stats.chi2.ppf(p, df), rel=1e-13)


@pytest.mark.parametrize("df", (1, 3, 10))
@pytest.mark.parametrize("x", (0.01, 1.0, 3.84, 50.0, 300.0))
def test_chi2_tail_is_scipy_stats(x: float, df: int) -> None:
    assert chi2_tail(x, df) == pytest.approx(scipy.stats.chi2.sf(x, df), rel=1e-13, abs=1e-300)
