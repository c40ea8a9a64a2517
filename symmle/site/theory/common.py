"""What the theory pages share: their navigation section, the page record, and checks of a
simulated quantity against its target within Monte Carlo error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from symmle.checks import Check
from symmle.render.templates import render
from symmle.site.figures import Figure
from symmle.site.page import Page

SECTION = "Theory"

MARGINS = {"left": 0.08, "right": 0.98, "bottom": 0.14, "top": 0.9, "wspace": 0.22, "hspace": 0.32}
"""Fixed figure margins: tight_layout would draw every figure twice."""

SINGLE = {**MARGINS, "left": 0.13}
"""Margins of a figure with one panel (room for the y label)."""


def within(name: str, got: float, expected: float, tolerance: float) -> Check:
    """|got − expected| against a tolerance (a Monte Carlo error bound)."""
    error = abs(got - expected)
    return Check(name, bool(error <= tolerance), float(error), float(tolerance))


def holds(name: str, passed: bool) -> Check:
    """A yes-or-no fact: error 0 when it holds, 1 when it does not."""
    return Check(name, bool(passed), 0.0 if passed else 1.0, 0.0)


def relative_spread(replications: int) -> float:
    """Four Monte Carlo standard errors of a variance estimated from ``replications`` draws,
    relative to the variance: 4·√(2/(R − 1))."""
    return float(4 * np.sqrt(2 / (replications - 1)))


def theory_page(
    path: str,
    title: str,
    summary: str,
    figures: Sequence[Figure],
    checks: Sequence[tuple[str, Check]],
    **context: Any,
) -> Page:
    """A theory page rendered from templates/pages/theory/<path>.jinja."""
    template = f"pages/theory/{path}.jinja"
    markdown = render(template, figures=figures, checks=checks, **context)
    return Page(path, title, summary, markdown, tuple(figures), tuple(checks), SECTION)
