"""Derivations in notebooks and as documents: to_markdown/to_latex/to_json print what the CLI
prints; Jupyter's rich display shows the steps as math that KaTeX can typeset."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import symmle
from symmle.cli import main
from symmle.site.katex import render_tex

KATEX = Path(__file__).resolve().parent.parent / "node_modules" / "katex" / "dist"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("form", ["markdown", "latex", "json", "text"])
def test_documents_match_the_cli(capsys: pytest.CaptureFixture[str], form: str) -> None:
    result = symmle.mle("poisson", data=[2, 3, 1])
    method = getattr(result, f"to_{form}")
    assert method() == cli(capsys, "derive", "poisson", "--data", "2,3,1", "--format", form)
    loss = symmle.loss("bernoulli")
    assert getattr(loss, f"to_{form}")() == cli(capsys, "loss", "bernoulli", "--format", form)


def test_json_is_the_documented_document() -> None:
    document = json.loads(symmle.mle("bernoulli", data=[0, 0, 0, 1, 0]).to_json())
    assert document["estimate"]["theta"]["value"] == 0.2
    assert {"family", "method", "estimate", "steps", "checks"} <= set(document)


def typesets(latex: str) -> None:
    """The display math of a _repr_latex_ is accepted by KaTeX."""
    assert latex.startswith("$$") and latex.endswith("$$")
    render_tex(latex[2:-2], True, KATEX)


def results() -> list[object]:
    return [
        symmle.mle("normal", data=[-1, 0, 1]),
        symmle.mle("gamma", data=[1, 2, 3, 6]),  # Newton's table
        symmle.mle(pdf="lam*exp(-lam*y)", parameters={"lam": "(0, oo)"}, support="[0, oo)"),
        symmle.loss("bce-with-logits"),
        symmle.regression("linear", X=[[1.0], [2.0], [3.0], [4.0]], y=[1.0, 2.5, 2.9, 4.2]),
    ]


@pytest.mark.parametrize("result", results(), ids=["normal", "gamma", "formula", "loss", "model"])
def test_jupyter_shows_the_steps_as_math(result: symmle.Result) -> None:
    markdown = result._repr_markdown_()
    assert markdown.startswith("### ") and "**1. " in markdown and "$$\n" in markdown
    assert "!!!" not in markdown  # no MkDocs admonition: Jupyter would show it as code
    assert not re.search(r"^    \S", markdown, re.MULTILINE)  # nor an indented code block
    assert "**Numeric checks**" in markdown and "| FAIL |" not in markdown
    typesets(result._repr_latex_())
    for step in result.steps:
        assert f"**{step.title}.**" in step._repr_markdown_()
        shown = step._repr_latex_()
        if step.latex:
            assert shown is not None
            typesets(shown)
        else:
            assert step._repr_latex_() is None
