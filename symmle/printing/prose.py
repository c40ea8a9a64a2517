"""A step's explanation as pieces (words and SymPy expressions) printed per format, and
Unicode prose as LaTeX that pdflatex reads in any preamble: TeX's special
characters escaped, each mathematical character written as the command it stands for (α as
\\alpha, ℝ as \\mathbb{R}, θ̂ⱼ as \\hat{\\theta}_{j}), runs of them in one $…$."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

import sympy as sp

from symmle.printing.latex import inline, latex

ESCAPED = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
"""TeX's special characters in text."""

_SMALL = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma"
_SMALL += " tau upsilon phi chi psi omega"
_CAPITAL = "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
_GREEK = {
    **dict(zip("αβγδεζηθικλμνξπρστυφχψω", (f"\\{n}" for n in _SMALL.split()), strict=True)),
    **dict(zip("ΓΔΘΛΞΠΣΥΦΨΩ", (f"\\{n}" for n in _CAPITAL.split()), strict=True)),
}
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ₊₋", "0123456789aeoxhklmnpstij+-", strict=True))
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹ⁱⁿᵀᵃᶻ⁺⁻", "0123456789inTaz+-", strict=True))

MATH = {
    **_GREEK,
    **{c: f"_{{{s}}}" for c, s in _SUBSCRIPTS.items()},
    **{c: f"^{{{s}}}" for c, s in _SUPERSCRIPTS.items()},
    "ℓ": r"\ell",
    "∂": r"\partial",
    "∑": r"\sum",
    "∏": r"\prod",
    "√": r"\surd",
    "∞": r"\infty",
    "∈": r"\in",
    "∉": r"\notin",
    "ℝ": r"\mathbb{R}",
    "ℕ": r"\mathbb{N}",
    "ℤ": r"\mathbb{Z}",
    "−": "-",
    "±": r"\pm",
    "×": r"\times",
    "·": r"\cdot",
    "≤": r"\le",
    "≥": r"\ge",
    "≠": r"\ne",
    "≈": r"\approx",
    "→": r"\to",
    "⇒": r"\Rightarrow",
    "‖": r"\|",
    "′": "'",
    "½": r"\tfrac{1}{2}",
    "<": "<",
    ">": ">",
    "|": "|",
}
"""Characters written in math mode (OT1 text has no <, > or |)."""

TEXT = {"…": r"\dots{}", "–": "--", "—": "---", "’": "'", "“": "``", "”": "''", "\u00a0": "~"}

_ACCENTS = {"\u0302": r"\hat", "\u0304": r"\bar", "\u0303": r"\tilde", "\u0307": r"\dot"}
"""Combining accents, put on the character before them."""


def _math(latex: str, pieces: list[tuple[bool, str]]) -> tuple[bool, str]:
    """A math piece; a sub- or superscript joins the one before it (H⁻¹ as H^{-1}) or takes
    the letter before it into math (yᵢ as y_{i})."""
    if latex[0] in "_^" and pieces:
        math, before = pieces[-1]
        if math and re.search(rf"\{latex[0]}{{[^{{}}]*}}$", before):
            pieces.pop()
            return True, before[:-1] + latex[2:]
        if not math and before.isalnum():
            pieces.pop()
            return True, before + latex
    return True, latex


def _ascii(char: str) -> str:
    """A character with no LaTeX of its own: its nearest ASCII (é as e), else ?."""
    return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"


def _pieces(text: str) -> list[tuple[bool, str]]:
    """(is math, LaTeX) for each character, accents joined to the character they sit on."""
    pieces: list[tuple[bool, str]] = []
    for char in unicodedata.normalize("NFD", text):
        if char in _ACCENTS and pieces:
            pieces.append((True, f"{_ACCENTS[char]}{{{pieces.pop()[1]}}}"))
        elif char in MATH:
            pieces.append(_math(MATH[char], pieces))
        elif char == "'" and pieces and pieces[-1][0]:  # ℓ'' : primes on math
            pieces.append((True, "'"))
        elif char in ESCAPED or char in TEXT:
            pieces.append((False, ESCAPED.get(char) or TEXT[char]))
        else:
            pieces.append((False, char if char.isascii() else _ascii(char)))
    return pieces


def _joined(commands: list[str]) -> str:
    """Math commands in a row: \\alpha \\beta, not \\alphabeta."""
    joined = ""
    for command in commands:
        if re.search(r"\\[A-Za-z]+$", joined) and command[0].isalpha():
            joined += " "
        joined += command
    return joined


def prose(text: str) -> str:
    """Unicode prose as LaTeX text."""
    runs = itertools.groupby(_pieces(text), key=lambda piece: piece[0])
    written = ((math, [latex for _, latex in run]) for math, run in runs)
    return "".join(f"${_joined(run)}$" if math else "".join(run) for math, run in written)


Piece: TypeAlias = str | sp.Basic
"""Words, or an expression each format typesets its own way."""


@dataclass(frozen=True)
class Prose:
    """A step's explanation: words and SymPy expressions, printed per format (Unicode for
    the terminal, inline math for Markdown and LaTeX)."""

    pieces: tuple[Piece, ...]

    def __str__(self) -> str:
        return "".join(p if isinstance(p, str) else inline(p) for p in self.pieces)

    def __add__(self, other: str | Prose) -> Prose:
        return say(self, other)

    def __radd__(self, other: str) -> Prose:
        return say(other, self)


def say(*parts: str | Prose | sp.Basic) -> Prose:
    """Prose from words, expressions and other prose, in order."""
    pieces: list[Piece] = []
    for part in parts:
        for piece in part.pieces if isinstance(part, Prose) else (part,):
            last = pieces[-1] if pieces else None
            if isinstance(piece, str) and isinstance(last, str):
                pieces[-1] = last + piece
            elif not (isinstance(piece, str) and not piece):
                pieces.append(piece)
    return Prose(tuple(pieces))


def listed(parts: Iterable[str | Prose | sp.Basic], between: str = ", ") -> Prose:
    """The parts with words between them, like ``str.join``: α, β."""
    found: list[str | Prose | sp.Basic] = []
    for part in parts:
        found += [between, part] if found else [part]
    return say(*found)


def _math_latex(expr: sp.Basic) -> str:
    if isinstance(expr, sp.Range) and expr.sup is sp.oo:
        return rf"\{{{latex(expr.inf)}, {latex(expr.inf + 1)}, \dots\}}"
    return latex(expr)


def markdown(text: Prose) -> str:
    """Prose for a Markdown page: words as written, expressions as inline math ($…$)."""
    return "".join(p if isinstance(p, str) else f"${_math_latex(p)}$" for p in text.pieces)


def tex(text: Prose) -> str:
    """Prose for a LaTeX document: words escaped (see ``prose``), expressions as $…$."""
    return "".join(prose(p) if isinstance(p, str) else f"${_math_latex(p)}$" for p in text.pieces)


_SLOT = re.compile(r"\{(\d+)\}")


def phrase(template: str, *exprs: sp.Basic | Prose | str) -> Prose:
    """Prose from words with numbered slots for expressions: phrase("{0} is {1}", θ, e)."""
    words = _SLOT.split(template)
    parts: list[str | Prose | sp.Basic] = []
    for k, word in enumerate(words):
        parts.append(exprs[int(word)] if k % 2 else word)
    return say(*parts)
