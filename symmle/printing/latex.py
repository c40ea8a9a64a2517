"""SymPy expressions to LaTeX (for pages) and to Unicode (for the terminal).

A step's expression is a relation or a Tuple of relations; consecutive relations with the
same left side form a chain, a = b = c, written once on aligned lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from symmle.symbols import y_hat

T = TypeVar("T")

_RELATION_LATEX = {"==": "=", "<": "<", ">": ">", "<=": r"\le", ">=": r"\ge", "!=": r"\ne"}


def shown(expr: sp.Basic) -> sp.Basic:
    """The prediction symbol y_hat printed as a hatted y."""
    return expr.xreplace({y_hat: sp.Symbol("yhat")})


def _positive_first(terms: list[sp.Basic]) -> list[sp.Basic]:
    """y − μ rather than −μ + y: terms with a leading minus after the others."""
    return [t for t in terms if not t.could_extract_minus_sign()] + [
        t for t in terms if t.could_extract_minus_sign()
    ]


def _remembered(function: Callable[[sp.Basic], T]) -> Callable[[sp.Basic], T]:
    """``function`` computed once per SymPy expression (breaking a line measures the same
    terms again and again, and pages print the same steps). Keyed by srepr, not by equality:
    S.Reals equals Interval(-oo, oo) but prints as ℝ; a Python value is computed each time."""
    found: dict[str, T] = {}

    def call(expr: sp.Basic) -> T:
        if not isinstance(expr, sp.Basic):
            return function(expr)
        key = _key(expr)
        if key not in found:
            if len(found) >= REMEMBERED:
                found.clear()
            found[key] = function(expr)
        return found[key]

    call.__doc__ = function.__doc__
    return call


REMEMBERED = 4096
"""Expressions remembered per function (then forgotten all at once)."""
_KEYS: dict[int, tuple[sp.Basic, str]] = {}


def _key(expr: sp.Basic) -> str:
    """srepr(expr), computed once per expression object (a line break asks the width and the
    LaTeX of the same terms: srepr was a third of printing). The object is held with its key,
    so that its id is not reused while the key is kept."""
    held = _KEYS.get(id(expr))
    if held is not None and held[0] is expr:
        return held[1]
    if len(_KEYS) >= REMEMBERED:
        _KEYS.clear()
    key: str = sp.srepr(expr)
    _KEYS[id(expr)] = (expr, key)
    return key


class _LatexPrinter(LatexPrinter):
    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        return _positive_first(super()._as_ordered_terms(expr, order))

    def _print_polygamma(self, expr: sp.Basic, exp: str | None = None) -> str:
        """ψ(x) for the digamma function, ψ⁽ᵏ⁾(x) for its derivatives (ψ⁽¹⁾ the trigamma)."""
        order, x = expr.args
        name = r"\psi" if order == 0 else rf"\psi^{{({self._print(order)})}}"
        shown = rf"{name}\left({self._print(x)}\right)"
        return shown if exp is None else rf"\left({shown}\right)^{{{exp}}}"


class _PrettyPrinter(PrettyPrinter):
    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        return _positive_first(super()._as_ordered_terms(expr, order))


@_remembered
def latex(expr: sp.Basic) -> str:
    """One expression in LaTeX."""
    return str(_LatexPrinter().doprint(shown(expr)))


def _rows(expr: sp.Basic) -> list[tuple[sp.Basic | None, str, sp.Basic]]:
    """(left side or None when it repeats the line above, relation, right side) per line."""
    rows: list[tuple[sp.Basic | None, str, sp.Basic]] = []
    previous = None
    for line in expr.args if isinstance(expr, sp.Tuple) else (expr,):
        if isinstance(line, sp.core.relational.Relational):
            rows.append((None if line.lhs == previous else line.lhs, line.rel_op, line.rhs))
            previous = line.lhs
        else:
            rows.append((None, "", line))
            previous = None
    return rows


WIDTH = 56
"""The widest line that fits the site's column, in characters of SymPy's pretty printing (a
typeset line is about 9 px per character; the column is 688 px at a 1280-px window)."""


@_remembered
def width(expr: sp.Basic) -> int:
    """The width of an expression laid out in two dimensions (a fraction as wide as its
    widest part), in characters."""
    typeset = expr.replace(sp.polygamma, lambda order, x: _PSI(x))  # ψ⁽¹⁾(x), not polygamma
    return max(len(line) for line in pretty(typeset).split("\n"))


_PSI = sp.Function("ψ1")


def _signed(term: sp.Basic, first: bool, room: int) -> str:
    if term.could_extract_minus_sign():
        return f"- {_fitting(-term, room)}"
    return _fitting(term, room) if first else f"+ {_fitting(term, room)}"


def _packed(
    items: list[sp.Basic], room: int, joined: type[sp.Add | sp.Mul]
) -> list[list[sp.Basic]]:
    """The items in order, as few to a line as the room allows."""
    lines: list[list[sp.Basic]] = [[]]
    for item in items:
        if lines[-1] and width(joined(*lines[-1], item)) > room:
            lines.append([])
        lines[-1].append(item)
    return lines


def _broken(right: sp.Basic, room: int) -> list[str]:
    """The right side as lines that fit in ``room`` characters: broken before a + or − of its
    sum (a product c·(a + b) distributed first; a product of several sums, a mixture's
    likelihood, is not: 2ⁿ terms), else between the factors of a product, else set smaller."""
    if width(right) <= room:
        return [latex(right)]
    sums = sum(1 for f in sp.Mul.make_args(right) if f.is_Add)
    total = sp.expand_mul(right, deep=False) if right.is_Mul and sums == 1 else right
    if total.is_Add:
        lines = _packed(_LatexPrinter()._as_ordered_terms(total), room, sp.Add)
        return [
            " ".join(_signed(t, k == 0 and j == 0, room) for j, t in enumerate(line))
            for k, line in enumerate(lines)
        ]
    if right.is_Mul and all(width(f) <= room for f in right.args):
        lines = _packed(list(right.as_ordered_factors()), room, sp.Mul)
        return [
            ("" if k == 0 else r"\cdot ") + latex(sp.Mul(*line)) for k, line in enumerate(lines)
        ]
    return [_fitting(right, room)]


_SIZES = ((0.85, r"\textstyle"), (0.65, r"\scriptstyle"), (0.0, r"\scriptscriptstyle"))
"""Smaller math styles (of KaTeX and LaTeX alike), by the width they leave."""


def _fitting(expr: sp.Basic, room: int) -> str:
    """An expression that is not broken, in the largest math style that fits the room (as a
    textbook sets one wide formula smaller)."""
    scale = room / width(expr)
    if scale >= 1:
        return latex(expr)
    style = next(name for factor, name in _SIZES if factor <= scale)
    return f"{{{style} {latex(expr)}}}"


def _entries(left: sp.Basic, matrix: sp.MatrixBase) -> list[tuple[sp.Basic, str, sp.Basic]]:
    """A matrix too wide for a line, entry by entry (the upper triangle when symmetric)."""
    symmetric = matrix.is_square and matrix.is_symmetric()
    return [
        (sp.Symbol(f"{left}_{i + 1}{j + 1}"), "==", matrix[i, j])
        for i in range(matrix.rows)
        for j in range(matrix.cols)
        if not (symmetric and j < i)
    ]


def _fitted(expr: sp.Basic) -> list[tuple[sp.Basic | None, str, sp.Basic]]:
    rows = []
    for left, rel, right in _rows(expr):
        if (
            isinstance(right, sp.MatrixBase)
            and isinstance(left, sp.Symbol)
            and width(right) > WIDTH
        ):
            rows += _entries(left, right)
        else:
            rows.append((left, rel, right))
    return rows


@_remembered
def to_latex(expr: sp.Basic) -> str:
    """A step's expression as LaTeX, aligned when it has several lines; a line too wide for
    the page is broken before a + or − and goes on, indented, on the next."""
    rows = _fitted(expr)
    lefts = [width(left) + 3 for left, _, _ in rows if left is not None]
    room = max(WIDTH - max(lefts, default=0), WIDTH // 2)  # right of the widest left side
    lines = []
    for left, rel, right in rows:
        shown_left = "" if left is None else latex(left) + " "
        relation = f"{_RELATION_LATEX[rel]} " if rel else ""
        first, *more = _broken(right, room)
        lines.append((shown_left, relation, first))
        lines += [("", r"\quad ", line) for line in more]
    if not lines:  # a step with a table and no equation
        return ""
    if len(lines) == 1:
        return "".join(lines[0])
    body = r" \\ ".join(f"{left}&{rel}{right}" for left, rel, right in lines)
    return r"\begin{aligned} " + body + r" \end{aligned}"


def _subscripts(expr: sp.Basic) -> sp.Basic:
    """y[i] -> the symbol y_i, alpha[j] -> alpha_j, r[i, j] -> r_ij: symbols the pretty
    printer writes as yᵢ, αⱼ, rᵢⱼ (it prints an Indexed as alpha[j])."""
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and all(_plain(i) for i in e.indices),
        lambda e: sp.Symbol(f"{e.base.label}_{''.join(str(i) for i in e.indices)}"),
    )


def _plain(index: sp.Basic) -> bool:
    """An index a subscript can show: a symbol or a small whole number."""
    return isinstance(index, sp.Symbol) or (isinstance(index, sp.Integer) and 0 <= index < 10)


def pretty(expr: sp.Basic) -> str:
    """One expression as Unicode text (several lines for fractions and sums)."""
    printer = _PrettyPrinter({"use_unicode": True, "wrap_line": False})
    return str(printer.doprint(_subscripts(shown(expr))))


_BLANK = sp.Symbol(" ")


def to_unicode(expr: sp.Basic) -> str:
    """A step's expression as Unicode text, one relation per block."""
    blocks = []
    for left, rel, right in _rows(expr):
        if not rel:
            blocks.append(pretty(right))
            continue
        relation = sp.Rel(_BLANK if left is None else left, right, rel, evaluate=False)
        blocks.append(pretty(relation))
    return "\n".join(line.rstrip() for block in blocks for line in block.split("\n"))


class _InlinePrinter(StrPrinter):
    """Short one-line Unicode: Greek letters, superscript powers, implicit products."""

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return str(pretty_symbol(expr.name))

    def _print_Pi(self, expr: sp.Basic) -> str:
        return "π"

    def _print_polygamma(self, expr: sp.Basic) -> str:
        order, x = expr.args
        mark = "" if order == 0 else f"⁽{str(order).translate(_SUPERSCRIPTS)}⁾"
        return f"ψ{mark}({self._print(x)})"

    def _print_Infinity(self, expr: sp.Basic) -> str:
        return "∞"

    def _print_NegativeInfinity(self, expr: sp.Basic) -> str:
        return "-∞"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        """x², x⁻³ with superscript digits; x^(1/k) otherwise (√ and 1/x as SymPy's)."""
        base, exp = expr.as_base_exp()
        if exp in (sp.S.Half, -sp.S.Half, -1):
            return str(super()._print_Pow(expr, rational))
        shown_base = str(self.parenthesize(base, PRECEDENCE["Pow"], strict=True))
        if exp.is_Integer:
            return shown_base + _superscript(exp)
        shown = str(self._print(exp))
        return f"{shown_base}^{shown if exp.is_Atom else f'({shown})'}"

    def _print_Mul(self, expr: sp.Mul) -> str:
        """Factors joined by a middle dot, the denominator after a slash."""
        if expr.could_extract_minus_sign():
            return "-" + str(self._print(-expr))
        numerator, denominator = [], []
        for factor in expr.as_ordered_factors():
            base, exp = factor.as_base_exp()
            if factor.is_Rational and factor.q != 1:
                numerator += [sp.Integer(factor.p)] if factor.p != 1 else []
                denominator.append(sp.Integer(factor.q))
            elif exp.is_Rational and exp.is_negative:
                denominator.append(sp.Pow(base, -exp))
            else:
                numerator.append(factor)
        top = "·".join(self.parenthesize(f, PRECEDENCE["Mul"], strict=False) for f in numerator)
        if not denominator:
            return top
        bottom = "·".join(
            self.parenthesize(f, PRECEDENCE["Mul"], strict=False) for f in denominator
        )
        return f"{top or 1}/{bottom if len(denominator) == 1 else f'({bottom})'}"


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _superscript(exp: sp.Integer) -> str:
    return str(exp).translate(_SUPERSCRIPTS)


def inline(expr: sp.Basic) -> str:
    """An expression or set as one line of Unicode, for explanations and messages."""
    if isinstance(expr, sp.Range):
        start, last = expr.inf, expr.sup
        end = "" if last is sp.oo else f", {inline(last)}"
        return f"{{{start}, {start + 1}, …{end}}}"
    if isinstance(expr, sp.Set):
        return str(sp.pretty(expr, use_unicode=True))
    return str(_InlinePrinter().doprint(expr))
