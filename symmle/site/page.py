"""A page of the website as plain data: its Markdown, figures, checks and place in the
navigation (derived in worker processes, turned into MkDocs files by the hooks)."""

from __future__ import annotations

from dataclasses import dataclass

from symmle.checks import Check
from symmle.site.figures import Figure


@dataclass(frozen=True)
class Summary:
    """A row of the cheat sheet: the family, its parameters' symbols, the estimate's formulas
    (or the equations it solves, or EM's updates), the method, and a note in Markdown."""

    title: str
    parameters: str
    formulas: tuple[str, ...]
    method: str
    note: str = ""


@dataclass(frozen=True)
class Page:
    """A generated Markdown page with its figures, the checks it shows and its place in the
    navigation (plain data, so that pages can be derived in worker processes)."""

    path: str
    title: str
    summary: str
    markdown: str
    figures: tuple[Figure, ...] = ()
    checks: tuple[tuple[str, Check], ...] = ()
    section: str = ""
    rows: tuple[Summary, ...] = ()
    """The page's rows of the cheat sheet (under its section)."""


GROUPS = {
    "discrete": "Discrete families",
    "continuous": "Continuous families",
    "boundary": "Boundary and robust",
    "numeric": "No closed form",
}
