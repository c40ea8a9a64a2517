"""Derivations in notebooks and as documents: the printers that ``symmle.display`` looks up
(``to_markdown()`` and friends print what the CLI prints; Jupyter shows the steps as math
through ``_repr_markdown_``, plain Markdown without MkDocs extensions), registered here."""

from __future__ import annotations

from typing import Any

from symmle.derive.step import Step
from symmle.display import register
from symmle.render.formats import document, title
from symmle.render.templates import render


def notebook_markdown(result: Any) -> str:
    """A result for a notebook: its title, its steps, its checks."""
    return render(
        "notebook.md.jinja", title=title(result), steps=result.steps, checks=result.checks
    )


def step_markdown(step: Step) -> str:
    """One step for a notebook: its title, why, and its equations."""
    return render("notebook_step.md.jinja", step=step)


register("document", document)
register("notebook", notebook_markdown)
register("step", step_markdown)
