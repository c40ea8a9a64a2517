"""SymPy expressions to LaTeX (for pages) and to Unicode (for the terminal).

A step's expression is a relation or a Tuple of relations; consecutive relations with the
same left side form a chain, a = b = c, written once on aligned lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy as sp
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from symmle.symbols import y

_RELATION_LATEX = {"==": "=", "<": "<", ">": ">", "<=": r"\le", ">=": r"\ge", "!=": r"\ne"}
_RELATION_TEXT = {"==": "=", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "!=": "≠"}

_LATEX_SETTINGS = {"ln_notation": False, "mul_symbol": None}


def latex(expr: sp.Basic) -> str:
    """One expression in LaTeX."""
    return sp.latex(expr, **_LATEX_SETTINGS)


def _lines(expr: sp.Basic) -> list[sp.Basic]:
    return list(expr.args) if isinstance(expr, sp.Tuple) else [expr]


def _chain(
    expr: sp.Basic, show: Callable[[sp.Basic], str], symbols: dict[str, str]
) -> list[tuple[str, str, str]]:
    """(left side, relation, right side) per line; a repeated left side is left blank."""
    rows: list[tuple[str, str, str]] = []
    previous = None
    for line in _lines(expr):
        if not isinstance(line, sp.core.relational.Relational):
            rows.append(("", "", show(line)))
            previous = None
            continue
        left = "" if line.lhs == previous else show(line.lhs)
        rows.append((left, symbols[line.rel_op], show(line.rhs)))
        previous = line.lhs
    return rows


def to_latex(expr: sp.Basic) -> str:
    """A step's expression as LaTeX, aligned when it has several lines."""
    rows = _chain(expr, latex, _RELATION_LATEX)
    if len(rows) == 1:
        left, rel, right = rows[0]
        return " ".join(part for part in (left, rel, right) if part)
    body = r" \\ ".join(f"{left} &{rel} {right}" if rel else f"& {right}" for left, rel, right in rows)
    return r"\begin{aligned} " + body + r" \end{aligned}"


def _subscripts(expr: sp.Basic) -> sp.Basic:
    """y[i] -> the symbol y_i, which the pretty printer writes with a subscript."""
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == y,
        lambda e: sp.Symbol(f"y_{e.indices[0]}"),
    )


def pretty(expr: sp.Basic) -> str:
    """One expression as Unicode text (several lines for fractions and sums)."""
    return sp.pretty(_subscripts(expr), use_unicode=True, wrap_line=False)


def to_unicode(expr: sp.Basic) -> str:
    """A step's expression as Unicode text, one relation per block."""
    blocks = []
    for left, rel, right in _chain(expr, pretty, _RELATION_TEXT):
        blocks.append(_side_by_side([left, rel, right] if rel else [right]))
    return "\n".join(blocks)


def _side_by_side(parts: list[str]) -> str:
    """Join multi-line texts horizontally, vertically centred."""
    columns = [part.split("\n") for part in parts if part]
    height = max(len(c) for c in columns)
    lines = [""] * height
    for column in columns:
        width = max(len(line) for line in column)
        top = (height - len(column)) // 2
        for row in range(height):
            k = row - top
            text = column[k] if 0 <= k < len(column) else ""
            lines[row] += text.ljust(width) + " "
    return "\n".join(line.rstrip() for line in lines)


class _InlinePrinter(StrPrinter):
    """Short one-line Unicode: Greek letters, superscript powers, implicit products."""

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return str(pretty_symbol(expr.name))

    def _print_Pi(self, expr: sp.Basic) -> str:
        return "π"


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def inline(expr: sp.Basic) -> str:
    """An expression or set as one line of Unicode, for explanations and messages."""
    if isinstance(expr, sp.Set):
        return sp.pretty(expr, use_unicode=True)
    text = _InlinePrinter().doprint(expr)
    text = re.sub(r"\*\*(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    return text.replace("*", "·").replace("oo", "∞")
