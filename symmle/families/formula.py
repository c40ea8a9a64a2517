"""A formula written by a user, parsed without eval: Python's ast checked against a whitelist,
then built into a SymPy expression node by node.

SymPy's ``sympify`` and ``parse_expr`` run Python code, so user text never reaches them. Every
part of a formula without a symbol is first evaluated in floating point (bounded, so
``9**9**9`` or ``exp(exp(exp(100)))`` is refused in microseconds instead of making SymPy
compute for hours), numbers are bounded like data, and the size of the tree is limited.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symmle.data import LARGEST, parse_value, rational, short
from symmle.errors import DataError, FormulaError

MAX_LENGTH = 500
"""Characters in one formula."""
MAX_NODES = 300
MAX_DEPTH = 30
MAX_EXPONENT = 100
"""The largest constant exponent of an expression with symbols: (1 + y)**10**6 would expand
into a million terms."""


@dataclass(frozen=True)
class Function:
    """A function a formula may call: SymPy's, its float twin for constant arguments, arity."""

    sympy: Callable[..., sp.Expr]
    real: Callable[..., float]
    arity: int


def _beta(a: float, b: float) -> float:
    return math.exp(math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))


def _binomial(a: float, b: float) -> float:
    return math.exp(math.lgamma(a + 1) - math.lgamma(b + 1) - math.lgamma(a - b + 1))


FUNCTIONS: dict[str, Function] = {
    "exp": Function(sp.exp, math.exp, 1),
    "log": Function(sp.log, math.log, 1),
    "sqrt": Function(sp.sqrt, math.sqrt, 1),
    "gamma": Function(sp.gamma, math.gamma, 1),
    "beta": Function(sp.beta, _beta, 2),
    "factorial": Function(sp.factorial, lambda x: math.gamma(x + 1), 1),
    "binomial": Function(sp.binomial, _binomial, 2),
    "abs": Function(sp.Abs, abs, 1),
    "erf": Function(sp.erf, math.erf, 1),
    "erfc": Function(sp.erfc, math.erfc, 1),
    "sinh": Function(sp.sinh, math.sinh, 1),
    "cosh": Function(sp.cosh, math.cosh, 1),
    "tanh": Function(sp.tanh, math.tanh, 1),
    "atan": Function(sp.atan, math.atan, 1),
}
"""The only functions a formula may call."""

CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}

OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}

REFUSED = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.IfExp: "if/else",
    ast.NamedExpr: "an assignment",
    ast.JoinedStr: "a string",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.Starred: "unpacking",
    ast.Await: "await",
}


class Refused(Exception):
    """A reason to refuse a formula, before the formula is named in the message."""


@dataclass(frozen=True)
class Built:
    """A node built: its SymPy expression and, when it holds no symbol, its float value."""

    expr: sp.Expr
    real: float | None


def parse_formula(text: str, names: Mapping[str, sp.Symbol], what: str = "formula") -> sp.Expr:
    """The SymPy expression of ``text``, which may use ``names``, the numbers, + - * / ** ^,
    pi, E and FUNCTIONS; FormulaError (one sentence) for anything else."""
    if not isinstance(text, str):
        raise FormulaError(f"the {what} must be a string, e.g. 'lam*exp(-lam*y)'.")
    try:
        return _parse(text, names)
    except Refused as reason:
        raise FormulaError(f"cannot use the {what} {short(text)!r}: {reason}.") from None


def _parse(text: str, names: Mapping[str, sp.Symbol]) -> sp.Expr:
    if len(text) > MAX_LENGTH:
        raise Refused(f"it is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise Refused("it is empty")
    if re.search(r"\blambda\b", text):
        raise Refused("lambda is a Python keyword, not allowed (call the rate lam)")
    written = text.strip().replace("^", "**")  # y^2 as mathematics writes it, with ** precedence
    try:
        tree = ast.parse(written, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise Refused("it is not a formula (check the brackets and operators)") from None
    _check_size(tree)
    return _build(tree.body, written, names).expr


def _check_size(tree: ast.AST) -> None:
    """At most MAX_NODES nodes nested at most MAX_DEPTH deep, measured without recursion."""
    stack, count = [(tree, 0)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise Refused("it is too large or too deeply nested")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _build(node: ast.AST, text: str, names: Mapping[str, sp.Symbol]) -> Built:
    if isinstance(node, ast.Constant):
        return _number(node, text)
    if isinstance(node, ast.Name):
        return _name(node.id, names)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _build(node.operand, text, names)
        sign = -1 if isinstance(node.op, ast.USub) else 1
        return Built(sign * inner.expr, None if inner.real is None else sign * inner.real)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return _binary(node, text, names)
    if isinstance(node, ast.Call):
        return _call(node, text, names)
    shown = REFUSED.get(type(node), f"{type(node).__name__}")
    raise Refused(
        f"{shown} is not allowed (only numbers, names, + - * / ** ^ and the functions "
        f"{', '.join(FUNCTIONS)})"
    )


def _number(node: ast.Constant, text: str) -> Built:
    if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
        raise Refused(f"{short(repr(node.value))} is not a number")
    written = ast.get_source_segment(text, node) or repr(node.value)
    try:
        exact = rational(parse_value(written.replace("_", "")))
    except DataError as error:
        raise Refused(str(error).rstrip(".")) from None
    return Built(exact, float(exact))


def _name(name: str, names: Mapping[str, sp.Symbol]) -> Built:
    if name in names:
        return Built(names[name], None)
    if name in CONSTANTS:
        return Built(CONSTANTS[name], float(CONSTANTS[name]))
    if name in FUNCTIONS:
        raise Refused(f"{name} is a function: call it, e.g. {name}(y)")
    allowed = ", ".join([*names, *CONSTANTS])
    raise Refused(f"{short(name, 20)!r} is not a known name (the formula may use {allowed})")


def _binary(node: ast.BinOp, text: str, names: Mapping[str, sp.Symbol]) -> Built:
    left, right = _build(node.left, text, names), _build(node.right, text, names)
    apply = OPERATORS[type(node.op)]
    power = apply is operator.pow
    if power and right.real is not None and left.real is None and abs(right.real) > MAX_EXPONENT:
        raise Refused(f"the exponent {right.expr} is too large (at most {MAX_EXPONENT})")
    real = None
    if left.real is not None and right.real is not None:
        real = _bounded(lambda: apply(left.real, right.real))
    if power:
        return Built(sp.Pow(left.expr, right.expr), real)
    return Built(apply(left.expr, right.expr), real)


def _call(node: ast.Call, text: str, names: Mapping[str, sp.Symbol]) -> Built:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        called = node.func.id if isinstance(node.func, ast.Name) else "this"
        raise Refused(
            f"{short(called, 20)!r} cannot be called (the functions are {', '.join(FUNCTIONS)})"
        )
    function = FUNCTIONS[node.func.id]
    if node.keywords or len(node.args) != function.arity:
        raise Refused(f"{node.func.id} takes {function.arity} argument(s), without names")
    args = [_build(a, text, names) for a in node.args]
    reals = [a.real for a in args]
    real = None
    if all(r is not None for r in reals):
        real = _bounded(lambda: function.real(*reals))
    return Built(function.sympy(*(a.expr for a in args)), real)


def _bounded(compute: Callable[[], Any]) -> float:
    """A constant part computed in floats: refused when undefined, not real or too large."""
    try:
        found = compute()
    except (OverflowError, ValueError, ZeroDivisionError):
        raise Refused("a constant part of it is undefined or too large") from None
    if isinstance(found, complex) or not math.isfinite(found) or abs(found) > 10.0**LARGEST:
        raise Refused("a constant part of it is not a real number of size at most 1e50")
    return float(found)
