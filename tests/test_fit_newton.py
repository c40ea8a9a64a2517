"""symmle.fit's Newton's method on large samples: started from subsamples, it still meets the
stopping rule on all the data (the Newton decrement, relative to 1 + |ℓ|), and the last step
taken without a confirming pass is one that quadratic convergence brings below it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import optimize, stats

import symmle
from symmle.derive.compiled import NumpySample, statistic_values
from symmle.fit.estimate import fitted_family
from symmle.fit.estimator import estimator
from symmle.numeric.newton import DECREMENT, finished

SIZE = 100_000
CASES = [("cauchy", stats.cauchy(2.0, 0.5)), ("logistic", stats.logistic(1.0, 2.0))]


def decrement(name: str, x: Any, found: dict[str, float]) -> tuple[float, float]:
    """The Newton decrement gᵀ(−H)⁻¹g on all the data at the estimate, and 1 + |ℓ|."""
    est = estimator(fitted_family(name, None))
    assert est.newton is not None
    values = statistic_values(est.general.form, x, est.newton.statistics)
    d = len(est.numeric)
    out = np.asarray(est.newton([found[p.name] for p in est.numeric], values, NumpySample(x)))
    gradient, hessian = out[1 : d + 1], out[d + 1 :].reshape(d, d)
    return float(gradient @ np.linalg.solve(-hessian, gradient)), 1 + abs(out[0])


@pytest.mark.parametrize(("name", "dist"), CASES)
def test_the_estimate_on_all_the_data_meets_the_stopping_rule(name: str, dist: Any) -> None:
    x = dist.rvs(size=SIZE, random_state=np.random.default_rng(11))
    found = symmle.fit(name, x)
    change, scale = decrement(name, x, found)
    assert change <= 10 * DECREMENT * scale  # the prediction's margin: a factor of ten


@pytest.mark.parametrize(("name", "dist"), CASES)
def test_the_estimate_is_the_optimum_of_all_the_data(name: str, dist: Any) -> None:
    """A subsample's optimum lies about a standard error of 20 000 observations away: far
    beyond 1e-7."""
    x = dist.rvs(size=SIZE, random_state=np.random.default_rng(12))
    found = symmle.fit(name, x)
    family = getattr(stats, name)

    def negative(t: Any) -> float:
        return -float(np.sum(family.logpdf(x, t[0], t[1])))

    start = list(found.values())
    best = optimize.minimize(
        negative, start, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-12}
    )
    assert start == pytest.approx(list(best.x), rel=1e-7)
    assert negative(start) <= best.fun + 1e-12 * abs(best.fun)


def test_a_step_is_final_only_where_quadratic_convergence_is_measured() -> None:
    scale = 1e6
    assert not finished(1e-3, np.inf, scale, DECREMENT)  # no full step measured yet
    assert not finished(1e-3, 1e-3, scale, DECREMENT)  # not converging
    assert finished(1e-7, 1e-2, scale, DECREMENT)  # δ³/δ₀² = 1e-17 ≤ 1e-14
    assert not finished(1e-5, 1e-2, scale, DECREMENT)  # δ³/δ₀² = 1e-11
    assert finished(1e-9, np.inf, scale, DECREMENT)  # tiny on its own (POLISH)
