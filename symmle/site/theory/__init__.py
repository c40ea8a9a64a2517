"""The theory pages: why the MLE is good, each derived by the engine and shown by a seeded
simulation with its figure (KL divergence, consistency, efficiency, asymptotic normality, the
method of moments)."""

from __future__ import annotations

from collections.abc import Callable

from symmle.site.page import Page
from symmle.site.theory import consistency, efficiency, kl, moments, normality


def builders() -> list[Callable[[], Page]]:
    """The theory pages, in the order of the navigation."""
    return [kl.page, consistency.page, efficiency.page, normality.page, moments.page]
