"""The theory pages: why the MLE is good, each derived by the engine and shown by a seeded
simulation with its figure (KL divergence, consistency, efficiency, asymptotic normality, the
method of moments)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symmle.site.pages import Page


def builders() -> list[Callable[[], Page]]:
    """The theory pages, in the order of the navigation."""
    from symmle.site.theory import consistency, efficiency, kl, moments, normality

    return [kl.page, consistency.page, efficiency.page, normality.page, moments.page]
