"""A derivation is an ordered tuple of steps; a step is data, not text."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symmle.display import printed
from symmle.printing.latex import to_latex, to_unicode
from symmle.printing.prose import Prose, say

KINDS = (
    "model",
    "data",
    "likelihood",
    "log",
    "nll",
    "score",
    "solve",
    "second_order",
    "boundary",
    "subgradient",
    "constraint",
    "profile",
    "numeric",
    "estimate",
    "regularity",
    "fisher",
    "expectation",
    "cramer_rao",
    "efficiency",
    "standard_errors",
    "kl",
    "consistency",
    "moments",
    "conditional",
    "drop_constants",
    "loss",
    "option",
    "link",
    "stable",
    "reduction",
)
"""Every kind of step, in the order they appear in a derivation."""


@dataclass(frozen=True)
class Step:
    """One step: a kind from KINDS, a title, the SymPy expression(s) and why (words, or
    ``Prose``: words and expressions, which each format prints its own way)."""

    kind: str
    title: str
    expr: sp.Basic
    text: str
    """Why, as Unicode text (the terminal's rendering of ``prose``)."""
    table: tuple[tuple[str, ...], ...] = ()
    """Rows of a small table (the first is the header), e.g. Newton's iterations."""
    prose: Prose = field(init=False, repr=False)
    """Why, as pieces."""

    def __init__(
        self,
        kind: str,
        title: str,
        expr: sp.Basic,
        text: str | Prose,
        table: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown step kind {kind!r}")
        pieces = say(text)
        for name, given in (("kind", kind), ("title", title), ("expr", expr), ("table", table)):
            object.__setattr__(self, name, given)
        object.__setattr__(self, "prose", pieces)
        object.__setattr__(self, "text", str(pieces))

    @property
    def latex(self) -> str:
        return to_latex(self.expr)

    @property
    def unicode(self) -> str:
        return to_unicode(self.expr)

    def _repr_markdown_(self) -> str:
        return printed("step", self)

    def _repr_latex_(self) -> str | None:
        return f"$${self.latex}$$" if self.latex else None
