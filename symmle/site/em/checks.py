"""The EM page's checks of one example: the derivation's own, then EM's run against the same
iteration recomputed by hand with scipy.stats densities and NumPy weighted sums."""

from __future__ import annotations

import numpy as np

from symmle.checks import Check, compare
from symmle.site.em.example import Array, Example, by_hand, log_likelihood

ROUNDING = 1e-12
"""A fall of ℓ larger than this relative to 1 + |ℓ| is a decrease, not rounding."""
FIXED = 1e-6
"""How far one more iteration may move the estimate (relative to max(|θ|, 1))."""


def scale(theta: Array) -> Array:
    found: Array = np.maximum(np.abs(theta), 1.0)
    return found


def monotone_check(example: Example) -> Check:
    """ℓ by scipy at every iterate of every start never falls (beyond rounding)."""
    falls = [0.0]
    for run in example.fitted.runs:
        ells = np.array([log_likelihood(example, it.theta) for it in run.history])
        falls += list((ells[:-1] - ells[1:]) / (1 + np.abs(ells[1:])))
    count = sum(len(run.history) for run in example.fitted.runs)
    starts = len(example.fitted.runs)
    name = f"ℓ never decreases: scipy's ℓ at all {count} iterates of the {starts} starts"
    fall = max(falls)
    return Check(name, fall <= ROUNDING, max(fall, 0.0), ROUNDING)


def run_checks(example: Example) -> list[Check]:
    """EM's ℓ per iteration, its first step and its fixed point against the hand route."""
    best = example.fitted.best
    thetas = [np.asarray(it.theta, float) for it in best.history]
    ours = [it.log_likelihood for it in best.history]
    theirs = [log_likelihood(example, theta) for theta in thetas]
    at = np.array(list(example.estimate.values()), float)
    return [
        compare(
            "the page's EM run ends at the derivation's estimate",
            example.fitted.theta,
            at,
            1e-12,
            scale(at),
        ),
        compare("ℓ at every iteration equals scipy's Σ log Σ w_j f_j", ours, theirs, 1e-10),
        monotone_check(example),
        compare(
            "one iteration by hand from θ⁽⁰⁾ (scipy densities, NumPy sums) gives EM's θ⁽¹⁾",
            thetas[1],
            by_hand(example, thetas[0]),
            1e-10,
            scale(thetas[1]),
        ),
        compare(
            "θ̂ is a fixed point: one more iteration by hand leaves it in place",
            by_hand(example, at),
            at,
            FIXED,
            scale(at),
        ),
    ]


def example_checks(example: Example) -> list[Check]:
    return [*example.result.checks, *run_checks(example)]
