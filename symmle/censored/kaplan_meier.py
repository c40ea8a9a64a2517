"""The Kaplan–Meier estimate of the survival function from right-censored times: at each
distinct event time tⱼ, with nⱼ still at risk and dⱼ events there, Ŝ(t) = Π_{tⱼ ≤ t} (1 − dⱼ/nⱼ)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from symmle.derive.compiled import Array


@dataclass(frozen=True)
class KaplanMeier:
    """The distinct event times tⱼ, the numbers at risk nⱼ (times ≥ tⱼ) and of events dⱼ
    there, and Ŝ just after each tⱼ."""

    times: Array
    at_risk: Array
    events: Array
    survival: Array

    def __call__(self, t: Any) -> Array:
        """Ŝ(t), a step function: 1 before the first event, Ŝ(tⱼ) from tⱼ on."""
        steps = np.searchsorted(self.times, np.asarray(t, float), side="right")
        return np.concatenate(([1.0], self.survival))[steps]


def kaplan_meier(times: Any, observed: Any) -> KaplanMeier:
    """The product-limit estimate; a time censored at an event time counts as at risk there."""
    t = np.asarray(times, float)
    seen = np.asarray(observed, bool)
    distinct, index = np.unique(t, return_inverse=True)
    events = np.bincount(index, weights=seen, minlength=distinct.size)
    leaving = np.bincount(index, minlength=distinct.size)
    at_risk = t.size - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    keep = events > 0
    survival = np.cumprod(1 - events[keep] / at_risk[keep])
    return KaplanMeier(
        distinct[keep], at_risk[keep].astype(float), events[keep].astype(float), survival
    )
