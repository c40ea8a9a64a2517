"""The vector pages' larger samples: seeded draws from a known law, written as rows that
``symmle.mle`` reads exactly (decimals with few digits, so that exact arithmetic stays small)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SEED = 16
ROWS = 30
"""Rows of each larger sample: enough for a figure, few enough to read."""


@dataclass(frozen=True)
class Sample:
    """Rows drawn from a law the page names."""

    rows: tuple[tuple[float | int | str, ...], ...]
    law: str
    """The law in words, for the prose and the captions."""
    truth: tuple[float, ...]
    """The parameters drawn from (the Multinomial's p, the Dirichlet's α, the Normal's μ)."""


def normal_sample() -> Sample:
    """Two correlated columns rounded to one decimal."""
    mean, cov = [1.0, 2.0], [[1.0, 0.6], [0.6, 2.0]]
    drawn = np.round(np.random.default_rng(SEED).multivariate_normal(mean, cov, ROWS), 1)
    law = "N(μ, Σ) with μ = (1, 2)ᵀ, Σ = [[1, 0.6], [0.6, 2]]"
    return Sample(tuple(tuple(float(v) for v in row) for row in drawn), law, tuple(mean))


def multinomial_sample() -> Sample:
    """Rows of m = 10 trials in three categories."""
    p = (0.5, 0.3, 0.2)
    drawn = np.random.default_rng(SEED).multinomial(10, p, size=ROWS)
    law = "a Multinomial of m = 10 trials with p = (0.5, 0.3, 0.2)"
    return Sample(tuple(tuple(int(v) for v in row) for row in drawn), law, p)


def dirichlet_sample() -> Sample:
    """Rows of three percentages (each at least 1%, summing to exactly 100%)."""
    alpha = (4.0, 2.0, 3.0)
    drawn = np.random.default_rng(SEED).dirichlet(alpha, ROWS)
    first = np.maximum(np.round(100 * drawn[:, :2]), 1).astype(int)
    last = 100 - first.sum(axis=1)
    assert (last >= 1).all(), "a seed whose rounding leaves a share of 0"
    rows = tuple(
        tuple(f"{v / 100:g}" for v in (*head, tail)) for head, tail in zip(first, last, strict=True)
    )
    return Sample(rows, "a Dirichlet with α = (4, 2, 3), in whole percentages", alpha)


SAMPLES: dict[str, Callable[[], Sample]] = {
    "multivariate_normal": normal_sample,
    "multinomial": multinomial_sample,
    "dirichlet": dirichlet_sample,
}
