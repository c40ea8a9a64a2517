"""SQUAREM-accelerated EM (numeric/em.accelerated): the same maximum as plain EM in fewer EM
steps, ℓ never decreasing, and the plain step kept where an extrapolation would lower ℓ."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import sympy as sp

from symmle.derive.em.compiled import compile_em, in_memory
from symmle.derive.em.run import LIMIT, LOOSE, degenerate_check
from symmle.families import get
from symmle.families.mixtures import Mixture
from symmle.numeric import em

Array = np.ndarray


def counted(step: em.Step) -> tuple[em.Step, list[int]]:
    calls = [0]

    def wrapped(theta: Array) -> tuple[float, Array]:
        calls[0] += 1
        return step(theta)

    return wrapped, calls


@pytest.fixture(scope="module")
def problem() -> tuple[em.Step, Array, em.Degenerate]:
    """Two overlapping Normals, 10⁵ values, EM compiled from the derivation."""
    family = get("normal_mixture").fix({"k": sp.Integer(2)})
    assert isinstance(family, Mixture)
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(0, 1, 30_000), rng.normal(2.5, 1.5, 70_000)])
    program = compile_em(family)
    step = program.step(in_memory(program.table(x)), x.size)
    start = np.array([0.5, 0.5, -1.0, 1.0, 3.0, 1.0])
    return step, start, degenerate_check(program, float(np.std(x)))


def test_squarem_reaches_plain_em_s_maximum_in_fewer_steps(
    problem: tuple[em.Step, Array, em.Degenerate],
) -> None:
    step, start, degenerate = problem
    plain_step, plain_calls = counted(step)
    fast_step, fast_calls = counted(step)
    plain = em.run(plain_step, start, "plain", degenerate, LIMIT, LOOSE)
    fast = em.accelerated(fast_step, start, "fast", degenerate, LIMIT, LOOSE)
    assert plain.converged and fast.converged and fast.monotone
    assert fast.log_likelihood >= plain.log_likelihood - 1e-9 * abs(plain.log_likelihood)
    assert np.allclose(fast.theta, plain.theta, rtol=1e-4, atol=1e-4)
    assert fast_calls[0] < plain_calls[0] / 2


def test_an_extrapolation_that_lowers_l_is_refused(
    problem: tuple[em.Step, Array, em.Degenerate], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every extrapolated point thrown far off (weights outside [0, 1], ℓ lower or NaN): the
    safeguard keeps the plain EM step each time, and the run is plain EM's."""
    step, start, degenerate = problem
    original: Callable[[Array, Array, Array], Array | None] = em.extrapolated

    def thrown(theta: Array, first: Array, second: Array) -> Array | None:
        moved = original(theta, first, second)
        if moved is None:
            return None
        off: Array = moved + np.array([0.3, -0.3, 2.0, 0.0, -2.0, 0.0])
        return off

    monkeypatch.setattr(em, "extrapolated", thrown)
    fast = em.accelerated(step, start, "fast", degenerate, LIMIT, LOOSE)
    plain = em.run(step, start, "plain", degenerate, LIMIT, LOOSE)
    assert fast.monotone and not fast.degenerate
    assert fast.log_likelihood == pytest.approx(plain.log_likelihood, rel=1e-10)
