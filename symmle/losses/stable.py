"""Rewrite rules that turn a textbook loss into its numerically stable form. Each is an
identity (log σ(z) = −softplus(−z), 0·log 0 = 0, ...); the checks confirm them numerically."""

from __future__ import annotations

import sympy as sp

from symmle.losses.functions import sigmoid, softplus, xlogy


def _is_log_of(e: sp.Basic, inner: type) -> bool:
    return isinstance(e, sp.log) and isinstance(e.args[0], inner)


def log_sigmoid(expr: sp.Expr) -> sp.Expr:
    """log σ(u) = −softplus(−u) and log(1 − σ(u)) = log σ(−u) = −softplus(u)."""
    expr = expr.replace(lambda e: _is_log_of(e, sigmoid), lambda e: -softplus(-e.args[0].args[0]))
    return expr.replace(
        lambda e: isinstance(e, sp.log) and (1 - e.args[0]).func is sigmoid,
        lambda e: -softplus((1 - e.args[0]).args[0]),
    )


def softplus_of_negative(expr: sp.Expr) -> sp.Expr:
    """softplus(−u) = softplus(u) − u, so that one softplus is left; terms collected."""
    if not expr.has(softplus):
        return expr
    turned = expr.replace(
        lambda e: isinstance(e, softplus) and e.args[0].could_extract_minus_sign(),
        lambda e: softplus(-e.args[0]) + e.args[0],
    )
    found = sorted(turned.atoms(softplus), key=str)
    return sp.collect(sp.expand(turned), found, sp.factor)


def to_xlogy(expr: sp.Expr) -> sp.Expr:
    """c·log(b) -> xlogy(c, b) for each coefficient c of a logarithm (0·log 0 = 0)."""
    logs = sorted(expr.atoms(sp.log), key=str)
    collected = sp.collect(sp.expand(expr), logs, evaluate=False)
    total = sp.Integer(0)
    for factor, coefficient in collected.items():
        if not isinstance(factor, sp.log):
            total += factor * coefficient
            continue
        coefficient = sp.factor(coefficient)
        sign = -1 if coefficient.could_extract_minus_sign() else 1
        total += sign * xlogy(sign * coefficient, factor.args[0])
    return total
