"""Derivations as documents and in notebooks: ``to_markdown()``, ``to_latex()``, ``to_json()``
and ``to_text()`` print what the CLI prints; Jupyter shows the steps as math through
``_repr_markdown_`` (plain Markdown, no MkDocs extensions) and ``_repr_latex_`` (math only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from symmle.derive.step import Step

TEXT_ESCAPES = str.maketrans({c: "\\" + c for c in "{}$&%#_"})


class Displayed:
    """What a derivation result (MLE, loss, regression) shows; ``steps`` and ``checks`` are
    the result's own."""

    steps: tuple[Step, ...]
    checks: Any

    def _document(self, form: str) -> str:
        from symmle.render.formats import document

        return document(self, form)  # type: ignore[arg-type]

    def to_markdown(self) -> str:
        """The document `symmle … --format markdown` prints (MkDocs Markdown)."""
        return self._document("markdown")

    def to_latex(self) -> str:
        """A LaTeX fragment (a section per derivation, a subsection per step; needs amsmath)."""
        return self._document("latex")

    def to_json(self) -> str:
        """The JSON document `symmle … --format json` prints."""
        return self._document("json")

    def to_text(self) -> str:
        """The terminal text `symmle …` prints."""
        return self._document("text")

    def _repr_markdown_(self) -> str:
        from symmle.render.formats import title
        from symmle.render.templates import render

        return render("notebook.md.jinja", title=title(self), steps=self.steps, checks=self.checks)  # type: ignore[arg-type]

    def _repr_latex_(self) -> str:
        return steps_math(self.steps)


def steps_math(steps: Sequence[Step]) -> str:
    """Every step's title and equations as one display formula."""
    rows = []
    for number, step in enumerate(steps, start=1):
        rows.append(rf"\text{{{number}. {step.title.translate(TEXT_ESCAPES)}}}")
        if step.latex:
            rows.append(step.latex)
    return r"$$\begin{gathered} " + r" \\ ".join(rows) + r" \end{gathered}$$"


def step_markdown(step: Step) -> str:
    """One step for a notebook: its title, why, and its equations."""
    from symmle.render.templates import render

    return render("notebook_step.md.jinja", step=step)
