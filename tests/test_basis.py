"""Newton's sums over the sample rewritten as combinations of fewer per-sample monomials: the
same ℓ, gradient and Hessian as the summands computed as they are, and ℓ equal to SciPy's
log-density sum, on samples near 0 and far from it (the residual about the centre keeps every
digit)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

import symmle
from symmle.checks import frozen, log_density, random_sample
from symmle.derive.basis import DOT_CHUNK, BlockDot, basis, block_dot, centre, summed
from symmle.derive.compiled import NumpySample, Program, statistic_symbols, statistic_values
from symmle.derive.newton import newton_exprs
from symmle.families import get
from symmle.fit.estimator import estimator
from symmle.symbols import value

FAMILIES = ["cauchy", "logistic", "student_t", "weibull", "gumbel"]
SHIFTS = {"cauchy": "x0", "logistic": "mu", "student_t": "mu"}


def programs(name: str) -> tuple[Program, Program, list[str]]:
    dist = symmle.family_with_known(name, dict(get(name).example_known))
    plan = estimator(dist).general.plan
    exprs = newton_exprs(plan.log_likelihood, plan.numeric)
    symbols = statistic_symbols(estimator(dist).general.form)
    plain = Program(exprs, plan.numeric, symbols)
    rewritten = Program(exprs, plan.numeric, symbols, decompose=True)
    return plain, rewritten, [str(p) for p in plan.numeric]


CASES = [(name, 0.0) for name in FAMILIES] + [(name, 1e6) for name in SHIFTS]


@pytest.mark.parametrize(("name", "offset"), CASES)
def test_the_rewritten_sums_are_the_summands_sums(name: str, offset: float) -> None:
    dist = symmle.family_with_known(name, dict(get(name).example_known))
    x = random_sample(dist, 50_000, 3) + offset
    found = symmle.fit(name, x, known=dict(dist.known))
    plain, rewritten, names = programs(name)
    est = estimator(dist)
    assert est.profiled is not None
    values = statistic_values(est.general.form, x, (*plain.statistics, *est.profiled.statistics))
    sample = NumpySample(x)
    for step in (0.0, 0.01, -0.03):
        theta = [found[p] + step * (1 if p in SHIFTS.values() else found[p]) for p in names]
        a = np.asarray(plain(theta, values, sample))
        b = np.asarray(rewritten(theta, values, sample))
        scale = np.abs(a[1:]) + math.sqrt(np.sum(a[1:] ** 2))
        assert np.all(np.abs(a[1:] - b[1:]) <= 1e-10 * scale), (a, b)
        profiled = est.profiled(theta, values, sample)
        point = dict(zip(names, theta, strict=True))
        point |= {str(p): v for p, v in zip(est.general.plan.profiled, profiled, strict=True)}
        ell = math.fsum(log_density(frozen(dist, point), x))
        # ℓ written with Σy/s − nμ/s: a few n·|y|·ε/s of cancellation far from 0
        assert b[0] == pytest.approx(ell, rel=1e-12, abs=x.size * offset * 1e-15)


def test_the_centre_is_the_point_of_each_polynomial() -> None:
    x0, g = sp.symbols("x0 gamma", positive=True)
    terms = [sp.log((value - x0) ** 2 + g**2), (x0 - value) / ((value - x0) ** 2 + g**2)]
    assert sp.simplify(centre(terms) - x0) == 0
    assert centre([sp.log(value), value**g]) == 0


def test_the_reciprocal_relations_leave_fewer_monomials() -> None:
    """(r² + γ²)·Q = 1: r²Q² and r⁴Q² are written in Q and Q², one sum each."""
    x0, g = sp.symbols("x0 gamma", positive=True)
    d = (value - x0) ** 2 + g**2
    found = basis([(value - x0) ** 2 / d**2, (value - x0) ** 4 / d**2, 1 / d**2], [x0, g])
    assert found is not None
    assert len(found.totals) == 3  # 1, Q, Q²


def test_a_term_outside_the_rewriting_keeps_its_sums() -> None:
    """A piecewise term (the Categorical's) is left to the summands as they are."""
    p = sp.Symbol("p", positive=True)
    term = sp.Piecewise((sp.log(p), sp.Eq(value, 1)), (sp.log(1 - p), True))
    assert basis([term], [p]) is None


def test_products_only_summed_are_dot_products() -> None:
    """The logistic's Hessian monomials Q², rQ, rQ², r²Q, r²Q² from one array (rQ): each
    total is the dot product of two monomials at hand, whose product is the monomial."""
    q, r = sp.symbols("Q r")
    monomials: list[tuple[int, ...]] = [(1, 0), (0, 1), (2, 0), (1, 1), (2, 1), (1, 2), (2, 2)]
    pairs, outputs = summed(monomials, [q, r])
    assert len(pairs) == 1 and sp.simplify(pairs[0][1] - q * r) == 0
    assert outputs[:2] == [q, r]
    for (i, j), out in zip(monomials[2:], outputs[2:], strict=True):
        assert isinstance(out, BlockDot)
        assert sp.simplify(sp.Mul(*out.args).xreplace(dict(pairs)) - q**i * r**j) == 0


@pytest.mark.parametrize("size", [0, 1000, 3 * DOT_CHUNK + 5])
def test_a_block_dot_is_the_sum_of_the_product(size: int) -> None:
    a, b = np.random.default_rng(1).normal(size=(2, size))
    assert np.sum(block_dot(a, b)) == pytest.approx(math.fsum(a * b), rel=1e-13, abs=1e-13)
    assert block_dot(2.0, 3.0) == 6.0
