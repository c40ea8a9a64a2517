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


def _log_of_one_plus(e: sp.Basic) -> sp.Expr | None:
    """u for log(1 + u), else None."""
    if not isinstance(e, sp.log):
        return None
    constant, rest = e.args[0].as_coeff_Add()
    return rest if constant == 1 and rest != 0 else None


def special_logs(expr: sp.Expr) -> sp.Expr:
    """log Γ(a) -> loggamma(a), log y! -> loggamma(y + 1), and a binomial coefficient's log as
    three loggammas: logarithms of numbers that overflow long before their logarithms do."""
    expr = expr.replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.binomial),
        lambda e: (
            sp.loggamma(e.args[0].args[0] + 1)
            - sp.loggamma(e.args[0].args[1] + 1)
            - sp.loggamma(e.args[0].args[0] - e.args[0].args[1] + 1)
        ),
    )
    expr = expr.replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.factorial),
        lambda e: sp.loggamma(e.args[0].args[0] + 1),
    )
    return expr.replace(
        lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.gamma),
        lambda e: sp.loggamma(e.args[0].args[0]),
    )


def log_one_plus(expr: sp.Expr) -> sp.Expr:
    """log(1 + eᵘ) -> softplus(u) (never overflows) and log(1 + u) -> log1p(u) (exact where u
    is small, as a far tail or a tiny scale makes it)."""
    from sympy.codegen.cfunctions import log1p

    def turned(e: sp.Basic) -> sp.Expr:
        u = _log_of_one_plus(e)
        assert u is not None
        return softplus(u.args[0]) if isinstance(u, sp.exp) else log1p(u)

    return expr.replace(lambda e: _log_of_one_plus(e) is not None, turned)
