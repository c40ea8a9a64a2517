"""How a result or a step shows itself (documents, notebooks) without importing the formats
that print it: the output package registers its printers when it is imported (the package's
``__init__`` imports it), and results and steps look them up by name. The formats sit above
the results they print; this keeps the imports running one way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from symmle.derive.step import Step

PRINTERS: dict[str, Callable[..., str]] = {}
"""document(result, form), notebook(result) and step(step), registered by symmle.render."""

TEXT_ESCAPES = str.maketrans({c: "\\" + c for c in "{}$&%#_"})


def register(name: str, printer: Callable[..., str]) -> None:
    PRINTERS[name] = printer


def printed(name: str, *arguments: Any) -> str:
    """What the printer ``name`` makes of ``arguments``."""
    return PRINTERS[name](*arguments)


class Displayed:
    """What a derivation result (MLE, loss, regression) shows; ``steps`` and ``checks`` are
    the result's own."""

    steps: tuple[Step, ...]
    checks: Any

    def to_markdown(self) -> str:
        """The document `symmle … --format markdown` prints (MkDocs Markdown)."""
        return printed("document", self, "markdown")

    def to_latex(self) -> str:
        """A LaTeX fragment (a section per derivation, a subsection per step; needs amsmath
        and amssymb), ASCII only: pdflatex reads it in any preamble."""
        return printed("document", self, "latex")

    def to_json(self) -> str:
        """The JSON document `symmle … --format json` prints."""
        return printed("document", self, "json")

    def to_text(self) -> str:
        """The terminal text `symmle …` prints."""
        return printed("document", self, "text")

    def _repr_markdown_(self) -> str:
        return printed("notebook", self)

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
