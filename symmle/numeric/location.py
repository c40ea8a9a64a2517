"""Where to see a sample from: the origin c of a fit of a location family on y − c.

Sums over data far from 0 against their spread lose their digits (Σ(yᵢ − μ)² from Σyᵢ² and
Σyᵢ) or leave floating point (the Gumbel's Σ exp(−yᵢ/β) is 0 for y ≈ 10⁴, β ≈ 3); about c,
near the data, neither happens.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, np.dtype[np.float64]]

POINTS = 64
"""Evenly spaced observations that locate the sample."""
FAR = 16.0
"""Data whose median lies within FAR times the points' range of 0 are fitted as they are
(the sums then keep all but about one digit, and exp(±y/scale) stays in floating point)."""


def spaced(values: Array, count: int = POINTS) -> Array:
    """About ``count`` evenly spaced observations (every one of a small sample)."""
    return values[:: max(1, values.size // count)]


def origin(points: Array) -> float:
    """c: the median of the points where it lies far from 0 against their range, else 0 (so
    that data near 0 are fitted exactly as they are); 0 without two finite points."""
    finite = np.asarray(points, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size < 2:
        return 0.0
    centre = float(np.median(finite))
    return centre if abs(centre) > FAR * float(np.ptp(finite)) else 0.0
