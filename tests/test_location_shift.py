"""Location families fitted far from 0 (10⁴, 10⁶ ± a few units): the fit is made on y − c, c
near the data, and gives the same estimates as SciPy (the Gumbel's Σ exp(−yᵢ/β) was 0 there,
Student's t's Newton steps lost their digits); data near 0 are fitted exactly as before."""

from __future__ import annotations

import math
from typing import Any

import dask.array as da
import numpy as np
import pytest
from scipy import optimize, stats

import symmle
from symmle.checks import random_sample
from symmle.families import get
from symmle.printing.notation import hat

NU = 4.0
SCIPY: dict[str, tuple[Any, tuple[str, str]]] = {
    "gumbel": (stats.gumbel_r, ("mu", "beta")),
    "logistic": (stats.logistic, ("mu", "s")),
    "cauchy": (stats.cauchy, ("x0", "gamma")),
    "student_t": (stats.t(NU), ("mu", "sigma")),
    "laplace": (stats.laplace, ("mu", "b")),
}
KNOWN = {"student_t": {"nu": NU}}
FAR = [1e4, 1e6]


def law(name: str) -> Any:
    """scipy.stats' distribution with (loc, scale) left free."""
    dist = SCIPY[name][0]
    return stats.t if name == "student_t" else dist


def frozen(name: str, loc: float, scale: float) -> Any:
    return stats.t(NU, loc, scale) if name == "student_t" else law(name)(loc, scale)


def sample(name: str, loc: float, size: int, seed: int = 1) -> Any:
    return frozen(name, loc, 3.0).rvs(size=size, random_state=np.random.default_rng(seed))


def log_likelihood(name: str, x: Any, loc: float, scale: float) -> float:
    return math.fsum(frozen(name, loc, scale).logpdf(x))


def scipy_fit(name: str, x: Any) -> tuple[float, float]:
    if name == "student_t":
        _, loc, scale = stats.t.fit(x, f0=NU)
        return float(loc), float(scale)
    loc, scale = law(name).fit(x)
    return float(loc), float(scale)


def polished(name: str, x: Any, start: tuple[float, float]) -> tuple[float, float]:
    """SciPy's fit taken to the maximum of SciPy's log-likelihood by Nelder–Mead (SciPy's own
    fit of the Cauchy and of Student's t stops about 1e-5 from it), in units of the scale."""
    loc, scale = start

    def nll(u: Any) -> float:
        return -log_likelihood(name, x, loc + u[0] * scale, scale * math.exp(u[1]))

    found = optimize.minimize(
        nll, [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-11, "fatol": 1e-11}
    )
    return loc + found.x[0] * scale, scale * math.exp(found.x[1])


def agrees(name: str, x: Any, ours: dict[str, float]) -> None:
    """Estimates within 1e-6 of SciPy's maximum (the location in units of the scale), and ℓ
    no lower than at SciPy's own fit."""
    where, spread = SCIPY[name][1]
    fitted = scipy_fit(name, x)
    loc, scale = polished(name, x, fitted)
    assert abs(ours[where] - loc) <= 1e-6 * scale
    assert abs(ours[spread] - scale) <= 1e-6 * scale
    ell, theirs = (
        log_likelihood(name, x, ours[where], ours[spread]),
        log_likelihood(name, x, *fitted),
    )
    assert ell >= theirs - 1e-9 * abs(theirs)


@pytest.mark.parametrize("loc", FAR)
@pytest.mark.parametrize("name", list(SCIPY))
def test_fit_far_from_zero_agrees_with_scipy(name: str, loc: float) -> None:
    x = sample(name, loc, 1000)
    agrees(name, x, symmle.fit(name, x, known=KNOWN.get(name)))


@pytest.mark.parametrize("loc", FAR)
@pytest.mark.parametrize("name", list(SCIPY))
def test_mle_far_from_zero_agrees_with_scipy_and_shows_the_data_units(
    name: str, loc: float
) -> None:
    x = sample(name, loc, 50)
    r = symmle.mle(name, data=x, known=KNOWN.get(name))
    found = {k: float(v) for k, v in r.estimate.items()}
    agrees(name, x, found)
    assert all(c.passed for c in r.checks), [c for c in r.checks if not c.passed]
    where = SCIPY[name][1][0]
    located = hat(get(name).parameter(where).symbol)
    for step in (s for s in r.steps if s.title == "Newton's method"):
        _, *rows = step.table
        for j, shown in enumerate(step.expr):  # the location's iterates, in the data's units
            if shown.lhs == located:
                assert float(shown.rhs) == pytest.approx(found[where], rel=1e-10)
                assert all(abs(float(row[1 + j]) - loc) < 100 for row in rows)


@pytest.mark.parametrize("name", ["gumbel", "logistic"])
def test_a_large_sample_far_from_zero_through_the_subsample_ladder(name: str) -> None:
    x = sample(name, 1e6, 10**6, seed=2)
    ours = symmle.fit(name, x)
    where, spread = SCIPY[name][1]
    loc, scale = scipy_fit(name, x)
    assert abs(ours[spread] - scale) <= 1e-6 * scale
    assert abs(ours[where] - loc) <= 1e-5 * scale
    ell, theirs = (
        log_likelihood(name, x, ours[where], ours[spread]),
        log_likelihood(name, x, loc, scale),
    )
    assert ell >= theirs - 1e-9 * abs(theirs)


@pytest.mark.parametrize("name", list(SCIPY))
def test_equivariance_of_the_fit_and_its_standard_errors(name: str) -> None:
    """Fitting y + c moves the location by c and leaves the scale and the errors alone."""
    x = sample(name, 0.0, 5000)
    known = KNOWN.get(name)
    near, errors = symmle.fit(name, x, known=known, se=True)
    far, far_errors = symmle.fit(name, x + 1e6, known=known, se=True)
    where, spread = SCIPY[name][1]
    assert far[where] - 1e6 == pytest.approx(near[where], abs=1e-6 * near[spread])
    assert far[spread] == pytest.approx(near[spread], rel=1e-8)
    for p in (where, spread):
        if math.isfinite(errors[p]):
            assert far_errors[p] == pytest.approx(errors[p], rel=1e-5)


def test_a_dask_array_far_from_zero() -> None:
    x = sample("gumbel", 1e4, 20_000)
    ours = symmle.fit("gumbel", da.from_array(x, chunks=5000))
    assert ours == pytest.approx(symmle.fit("gumbel", x), rel=1e-12)
    agrees("gumbel", x, ours)


BEFORE = {  # symmle 6d9426b on the benchmark data (benchmarks/bench_passes.py's seeds)
    "cauchy": (
        1,
        (0.49900146486866026, 1.2003960770945326),
        (0.46053841814941054, 1.107724745132067),
    ),
    "gumbel": (
        3,
        (0.5014585221825716, 1.1998884818085849),
        (0.5436583188229118, 1.137545793382847),
    ),
    "logistic": (
        4,
        (0.5031811859405219, 1.1999483464391891),
        (0.8235152195629339, 1.1527660147330798),
    ),
    "student_t": (
        5,
        (0.5010287360130301, 1.1994121279649224),
        (0.3520969241206655, 1.0762447131828945),
    ),
}


@pytest.mark.parametrize("name", list(BEFORE))
def test_data_near_zero_are_fitted_as_before(name: str) -> None:
    seed, fitted, derived = BEFORE[name]
    known = dict(get(name).example_known)
    x = random_sample(symmle.family_with_known(name, known), 10**6, seed)
    names = SCIPY[name][1]
    ours = symmle.fit(name, x, known=known)
    assert [ours[p] for p in names] == pytest.approx(fitted, rel=1e-12)
    found = symmle.mle(name, data=x[:200], known=known).estimate
    assert [float(found[p]) for p in names] == pytest.approx(derived, rel=1e-12)


@pytest.mark.parametrize("name", ["gumbel", "logistic", "cauchy", "laplace"])
def test_profile_and_wald_intervals_move_with_the_data(name: str) -> None:
    """The same sample at 0 and moved to 10⁶: the location's intervals move by 10⁶ to 1e-8 (the
    step search and ℓ̂ lost about 1e-6 and 1e-4 there), the scale's stay to 1e-9."""
    base = [float(v) for v in np.random.default_rng(5).logistic(0, 2, 40)]
    near = symmle.mle(name, base, KNOWN.get(name))
    far = symmle.mle(name, [v + 1e6 for v in base], KNOWN.get(name))
    location, scale = SCIPY[name][1]
    for method in ("profile", "wald"):
        low, high = near.interval(method=method), far.interval(method=method)
        assert np.allclose(np.subtract(high[location], 1e6), low[location], rtol=0, atol=1e-8)
        assert np.allclose(high[scale], low[scale], rtol=1e-9, atol=0)
