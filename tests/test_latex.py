"""Table-driven: a step's expression -> LaTeX and Unicode."""

from __future__ import annotations

import pytest
import sympy as sp

from symmle.families.continuous import sigma
from symmle.families.discrete import theta
from symmle.printing.latex import inline, to_latex, to_unicode
from symmle.printing.notation import Density, LogLikelihood, hat
from symmle.symbols import i, n, y

L = LogLikelihood(theta)

CASES = [
    (sp.Eq(theta, sp.Rational(1, 5)), r"\theta = \frac{1}{5}"),
    (sp.Eq(hat(sigma), sp.sqrt(6) / 3, evaluate=False), r"\hat{\sigma} = \frac{\sqrt{6}}{3}"),
    (Density(y[i], theta), r"f\left({y}_{i}; \theta\right)"),
    (
        sp.Tuple(sp.Eq(L, sp.log(theta)), sp.Eq(L, 0)),
        r"\begin{aligned} \ell\left(\theta\right) &= \log{\left(\theta \right)} \\ "
        r"&= 0 \end{aligned}",
    ),
    (sp.Sum(y[i], (i, 1, n)) / n, r"\frac{\sum_{i=1}^{n} {y}_{i}}{n}"),
]


@pytest.mark.parametrize(("expr", "expected"), CASES)
def test_latex(expr: sp.Basic, expected: str) -> None:
    assert to_latex(expr) == expected


def test_unicode_uses_subscripts_and_greek() -> None:
    text = to_unicode(sp.Eq(Density(y[i], theta), theta))
    assert "f(yᵢ; θ) = θ" in text


@pytest.mark.parametrize(
    ("expr", "expected"),
    [(1 / (2 * sigma**2), "1/(2·σ²)"), (sp.Interval.open(0, sp.oo), "(0, ∞)"), (sp.pi, "π")],
)
def test_inline(expr: sp.Basic, expected: str) -> None:
    assert inline(expr) == expected
