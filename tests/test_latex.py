"""Table-driven: a step's expression -> LaTeX and Unicode."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from symmle.families.continuous import sigma
from symmle.families.discrete import theta
from symmle.printing.latex import WIDTH, inline, latex, to_latex, to_unicode, width
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


LONG_SUM = sp.Add(*(k * sp.log(theta + k) for k in range(1, 31)))


def test_a_line_too_wide_for_the_page_breaks_before_its_signs() -> None:
    tex = to_latex(sp.Eq(L, LONG_SUM))
    lines = tex.removeprefix(r"\begin{aligned} ").removesuffix(r" \end{aligned}").split(r" \\ ")
    assert len(lines) > 3 and lines[0].startswith(r"\ell\left(\theta\right) &= ")
    assert all(line.startswith(r"&\quad + ") for line in lines[1:])
    assert sum(line.count(r"\log") for line in lines) == 30
    assert all(width_of(line) <= WIDTH for line in lines[1:])


def width_of(line: str) -> int:
    """The pretty width of the terms on one broken line (its LaTeX parsed back by SymPy's
    own rules: k log(θ + k) terms only)."""
    terms = re.findall(r"(\d+) \\log{\\left\(\\theta \+ (\d+) \\right\)}", line)
    return width(sp.Add(*(int(k) * sp.log(theta + int(m)) for k, m in terms)))


def test_a_product_too_wide_breaks_between_its_factors() -> None:
    product = sp.Mul(*(sp.sin(theta + k) for k in range(1, 16)))
    tex = to_latex(sp.Eq(sp.Symbol("L"), product))
    assert r"&\quad \cdot " in tex and tex.count(r"\sin") == 15


def test_a_wide_symmetric_matrix_is_shown_entry_by_entry() -> None:
    entry = LONG_SUM / 10
    hessian = sp.Matrix([[entry, theta], [theta, entry + 1]])
    tex = to_latex(sp.Eq(sp.Symbol("H"), hessian, evaluate=False))
    assert "H_{11}" in tex and "H_{12}" in tex and "H_{22}" in tex
    assert "H_{21}" not in tex and r"\begin{matrix}" not in tex


def test_a_formula_that_cannot_break_is_set_smaller() -> None:
    root = sp.sqrt(1 / LONG_SUM)
    tex = to_latex(sp.Eq(sp.Symbol("S"), root))
    assert re.match(r"S = \{\\(text|script|scriptscript)style \\frac\{1\}\{\\sqrt\{", tex), tex
    short = to_latex(sp.Eq(sp.Symbol("S"), sp.sqrt(1 / (theta + 1))))
    assert "style" not in short


def test_a_long_product_of_sums_is_broken_between_its_factors_not_multiplied_out() -> None:
    """A mixture's likelihood at ten values: Π(w₁f₁ + w₂f₂), 2¹⁰ terms if distributed."""
    w1, w2, a, b = sp.symbols("w_1 w_2 a b", positive=True)
    factors = [w1 * sp.exp(-((k - a) ** 2)) + w2 * sp.exp(-((k - b) ** 2)) for k in range(1, 11)]
    shown = to_latex(sp.Eq(sp.Symbol("L"), sp.Mul(*factors, evaluate=False), evaluate=False))
    assert len(shown) < 3000 and shown.count("w_{1}") == 10


def test_printing_remembers_expressions_by_their_structure_not_by_equality() -> None:
    """SymPy calls ℝ and an unevaluated Interval(-oo, oo) equal (with one hash), but prints
    them differently: a printout remembered for one must not be given for the other."""
    x = sp.Symbol("x")
    interval = sp.Interval.__new__(sp.Interval, -sp.oo, sp.oo, sp.false, sp.false)
    assert interval == sp.S.Reals and hash(interval) == hash(sp.S.Reals)
    for first, second in [(interval, sp.S.Reals), (sp.S.Reals, interval)]:
        assert latex(first) != latex(second)
        assert to_latex(sp.Tuple(x, first)) != to_latex(sp.Tuple(x, second))
    assert latex(interval) == r"\left(-\infty, \infty\right)"
    assert latex(sp.S.Reals) == r"\mathbb{R}"


def test_a_printout_key_is_kept_per_object_never_for_another_under_the_same_id() -> None:
    from symmle.printing import latex as printing

    reals, other = sp.Interval(-sp.oo, sp.oo), sp.Symbol("a")
    printing._KEYS[id(reals)] = (other, sp.srepr(other))  # as if other's id were reused
    assert printing._key(reals) == sp.srepr(reals)
    assert printing._key(reals) is printing._key(reals)  # then kept for the object itself
