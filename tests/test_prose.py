"""A step's explanation as pieces: words and SymPy expressions, each format printing them its
own way (Unicode for the terminal, inline math for Markdown and LaTeX)."""

from __future__ import annotations

import pytest
import sympy as sp

import symmle
from symmle.derive.step import Step
from symmle.printing.latex import inline
from symmle.printing.notation import hat
from symmle.printing.prose import Prose, listed, markdown, phrase, say, tex
from symmle.render.formats import document

alpha, beta = sp.symbols("alpha beta", positive=True)
n = sp.Symbol("n", positive=True)


def test_pieces_keep_words_and_expressions_apart() -> None:
    text = phrase("{0} is biased for {1}, by {2}", alpha / n, alpha, -alpha / n**2)
    assert text.pieces == (alpha / n, " is biased for ", alpha, ", by ", -alpha / n**2)
    assert str(text) == "α/n is biased for α, by -α/n²"
    assert (
        markdown(text) == r"$\frac{\alpha}{n}$ is biased for $\alpha$, by $- \frac{\alpha}{n^{2}}$"
    )
    assert tex(text) == markdown(text)


def test_words_are_escaped_for_latex_and_kept_for_markdown() -> None:
    text = say("95% of ", beta, " & #{yᵢ > μ}")
    assert markdown(text) == r"95% of $\beta$ & #{yᵢ > μ}"
    assert tex(text) == r"95\% of $\beta$ \& \#\{$y_{i}$ $>$ $\mu$\}"


def test_listed_and_joined_prose() -> None:
    assert str(listed([alpha, beta])) == "α, β"
    assert say("a", "b", Prose(()), "c").pieces == ("abc",)
    assert str("x " + listed([alpha, beta], "; ") + ".") == "x α; β."
    assert phrase("{0} and {0}", alpha).pieces == (alpha, " and ", alpha)


def test_a_sets_latex_is_a_set() -> None:
    assert markdown(say(sp.Range(0, sp.oo))) == r"$\{0, 1, \dots\}$"
    assert markdown(say(sp.Interval.open(0, 1))) == r"$\left(0, 1\right)$"


def test_a_step_keeps_its_prose_and_its_unicode_text() -> None:
    step = Step("estimate", "Estimate", sp.Eq(alpha, 1), say("so ", alpha, " = 1"))
    assert step.text == "so α = 1" and step.prose.pieces == ("so ", alpha, " = 1")
    assert Step("estimate", "Estimate", sp.Eq(alpha, 1), "plain").prose.pieces == ("plain",)
    with pytest.raises(ValueError, match="unknown step kind"):
        Step("guess", "Guess", alpha, "no")


def test_pages_typeset_the_expressions_in_a_steps_explanation() -> None:
    """The Uniform's boundary step: â in the terminal, $\\hat{a}$ on the page and in LaTeX."""
    result = symmle.mle("uniform", data=[2, 3, 5])
    step = result.step("boundary")
    a = result.family.symbols[0]
    assert f"endpoint {inline(hat(a))} = min yᵢ" in step.text == str(step.prose)
    assert r"endpoint $\hat{a}$ = min yᵢ" in markdown(step.prose)
    assert r"endpoint $\hat{a}$ = min $y_{i}$" in document(result, "latex")
