"""Guards for four places where a planted bug once passed every test: Newton's gradient
fallback, a keyword argument in a formula, the Laplace median of a large even sample, and the
check against SciPy's own fit."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.checks import fit_check
from symmle.derive.general import general
from symmle.derive.newton import newton
from symmle.families import Parameter, get
from symmle.numeric.newton import direction


def double_well(theta: object) -> list[float]:
    """ℓ(x) = −x⁴/4 + x²/2: maxima at ±1, and ℓ'' = 1 − 3x² > 0 near 0 (no Newton step)."""
    (x,) = np.asarray(theta, dtype=float)
    return [-(x**4) / 4 + x**2 / 2, -(x**3) + x, 1 - 3 * x**2]


def test_newton_climbs_by_the_gradient_where_the_hessian_is_not_negative() -> None:
    x = Parameter("x", sp.Symbol("x", real=True), sp.Reals, "a location")
    gradient, hessian = np.array([0.099]), np.array([[0.97]])
    step, decrement = direction(gradient, hessian)
    assert decrement == np.inf and step[0] > 0  # uphill: the fallback branch is taken
    theta, history = newton(double_well, [x], [0.1])
    assert theta[0] == pytest.approx(1.0, abs=1e-10)
    assert np.all(np.diff([h.log_likelihood for h in history]) >= 0)


def test_a_keyword_argument_in_a_formula_is_refused() -> None:
    """log(y, base=10) has log's one argument: only the keyword check stops it being ln y."""
    with pytest.raises(symmle.FormulaError, match="without names"):
        symmle.mle(
            pdf="lam*exp(-lam*y)*log(y, base=10)/log(y)",
            parameters={"lam": "(0, oo)"},
            support="(1, oo)",
        )


def test_the_laplace_median_of_a_large_even_sample_is_the_midpoint() -> None:
    x = np.random.default_rng(7).standard_normal(2000)
    middle = np.sort(x)[999:1001]
    assert middle[0] != middle[1]
    estimate = symmle.mle("laplace", data=x).estimate["mu"]
    expected = (Fraction(repr(float(middle[0]))) + Fraction(repr(float(middle[1])))) / 2
    assert sp.Rational(expected.numerator, expected.denominator) == estimate


def test_the_check_against_scipys_fit_fails_a_worse_estimate() -> None:
    x = np.random.default_rng(3).gamma(2.5, 0.4, 500)
    g = general(get("gamma"))
    best = symmle.fit("gamma", x)
    theta = [best[p.name] for p in g.family.parameters]
    best_check = fit_check(g, x, theta)
    assert best_check is not None and best_check.passed
    worse = fit_check(g, x, [theta[0] * 1.05, theta[1]])
    assert worse is not None and not worse.passed and worse.error > 0


def test_a_failing_scipy_fit_leaves_the_check_out_and_raises_nothing() -> None:
    """SciPy's beta.fit raises FitSolverError on values near 0: the oracle is silent there."""
    r = symmle.mle("beta", data=[1e-10, 2e-10, 3e-10])
    names = [c.name for c in r.checks]
    assert names and not any("scipy.stats' fit" in name for name in names)
