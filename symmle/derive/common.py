"""The steps every derivation shares: model, data, likelihood, log-likelihood, NLL, score,
solution, second-order check and estimate. Deriving never formats text beyond the reasons."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import sympy as sp

from symmle.derive.solve import negative_definite
from symmle.derive.statistics import collect_logs
from symmle.derive.step import Step
from symmle.errors import NoMLEError
from symmle.families import Distribution, Parameter
from symmle.printing.notation import (
    Density,
    Likelihood,
    LogLikelihood,
    NegativeLogLikelihood,
    OrderStatistic,
    hat,
)
from symmle.printing.prose import listed, say
from symmle.symbols import i, n, y

if TYPE_CHECKING:
    from symmle.derive.general import General


def model_step(family: Distribution) -> Step:
    names = listed(family.symbols)
    known = "".join(f"; {k} = {v} is known" for k, v in family.known)
    constants = "".join(f"; {c.name} ({c.meaning}) is a known constant" for c in family.constants)
    expr = sp.Eq(Density(sp.Symbol("y"), *family.symbols), family.display)
    text = say(
        f"The {family.title} {family.density_name} of one observation y in ",
        family.support,
        ", with parameters ",
        names,
        f"{known}{constants}.{family.note}",
    )
    return Step("model", f"The {family.title} model", expr, text)


def likelihood_step(family: Distribution, product: sp.Expr) -> Step:
    L = Likelihood(*family.symbols)
    general = sp.Product(Density(y[i], *family.symbols), (i, 1, n))
    expr = sp.Tuple(sp.Eq(L, general), sp.Eq(L, product, evaluate=False))
    text = (
        "The observations are independent, so the likelihood of the parameters is the product "
        f"of the {family.density_name} at each observation: a function of the parameters with "
        "the data fixed, not a probability of the parameters."
    )
    return Step("likelihood", "Likelihood", expr, text)


def region(g: General) -> sp.Basic:
    """Where the likelihood is not zero: each support end beyond the data."""
    conditions = [
        sp.Le(s, o) if o == OrderStatistic("min") else sp.Ge(s, o) for s, o in g.plan.region.items()
    ]
    return sp.And(*conditions)


def log_step(family: Distribution, ell: sp.Expr) -> Step:
    lhs = LogLikelihood(*family.symbols)
    first = sp.Sum(sp.log(Density(y[i], *family.symbols)), (i, 1, n))
    expr = sp.Tuple(sp.Eq(lhs, first), sp.Eq(lhs, ell))
    text = (
        "The logarithm turns the product into a sum and, being increasing, "
        "has its maximum at the same parameters."
    )
    return Step("log", "Log-likelihood", expr, text)


def nll_step(family: Distribution, ell: sp.Expr) -> Step:
    negated = sp.Add(*(-term for term in sp.Add.make_args(ell)))
    expr = sp.Eq(NegativeLogLikelihood(*family.symbols), negated)
    text = "Maximising the log-likelihood is minimising the negative log-likelihood (NLL)."
    return Step("nll", "Negative log-likelihood", expr, text)


def score_step(
    family: Distribution, symbols: Sequence[sp.Symbol], score: Sequence[sp.Expr]
) -> Step:
    lhs = LogLikelihood(*family.symbols)
    lines: list[sp.Basic] = []
    for symbol, derivative in zip(symbols, score, strict=True):
        d = sp.Derivative(lhs, symbol)
        lines += [sp.Eq(d, derivative), sp.Eq(d, 0)]
    text = (
        "Inside the domain a maximum is a stationary point: "
        "each partial derivative of the log-likelihood (the score) is zero."
    )
    return Step("score", "Score equations", sp.Tuple(*lines), text)


def solve_step(
    family: Distribution,
    solution: dict[sp.Symbol, sp.Expr],
    parameters: Sequence[Parameter],
    extra: Sequence[sp.Basic] = (),
) -> Step:
    expr = sp.Tuple(*(sp.Eq(p.symbol, solution[p.symbol]) for p in parameters), *extra)
    domains = listed(say(p.symbol, " ∈ ", p.domain) for p in parameters)
    text = say("Solving the score equations, keeping the root in the domain ", domains, ".")
    return Step("solve", "Solution", expr, text)


def second_order_step(
    family: Distribution, symbols: Sequence[sp.Symbol], hessian: sp.Matrix, verdict: bool | None
) -> Step:
    """The Hessian at the solution; ``verdict`` says whether it is negative definite."""
    lhs = LogLikelihood(*(hat(s) for s in family.symbols))
    at = hessian.subs({s: hat(s) for s in family.symbols})
    if at.shape == (1, 1):
        d2 = sp.Derivative(lhs, hat(symbols[0]), 2)
        relation = sp.Lt(d2, 0, evaluate=False) if verdict else sp.Eq(d2, d2)
        expr: sp.Basic = sp.Tuple(sp.Eq(d2, at[0, 0]), *([relation] if verdict else []))
        what = "the second derivative is negative"
    else:
        expr = sp.Eq(sp.Symbol("H"), at, evaluate=False)
        what = "the Hessian is negative definite (its leading minors alternate in sign, from −)"
    if verdict is None:
        text = (
            "The sign of the second derivative could not be decided symbolically over the whole "
            "domain, so this step does not show that the solution is a maximum; the numeric "
            "checks below compare it with a numerical optimiser."
        )
    elif not verdict:
        raise NoMLEError("the stationary point of the likelihood is not a maximum.")
    else:
        text = f"At the solution {what}, so it is a maximum of the log-likelihood."
    return Step("second_order", "Second-order check", expr, text)


def hessian_step(family: Distribution, g: General, hessian: sp.Matrix | None) -> list[Step]:
    """The second-order step; when the Hessian cannot be written in the estimates, say so."""
    if hessian is None:
        text = (
            "The Hessian at the solution could not be written in terms of the estimates, so "
            "the second-order condition is not shown symbolically here; the numeric checks "
            "compare the solution with a numerical optimiser."
        )
        return [Step("second_order", "Second-order check", sp.Tuple(), text)]
    smooth = [p for p in family.parameters if p.symbol in g.smooth]
    verdict = negative_definite(hessian, smooth)
    return [second_order_step(family, g.smooth, hessian, verdict)]


def estimate_step(estimate: dict[str, sp.Expr], family: Distribution, method: str) -> Step:
    expr = sp.Tuple(
        *(sp.Eq(hat(p.symbol), estimate[p.name], evaluate=False) for p in family.parameters)
    )
    meanings = listed((say(p.symbol, f" is {p.meaning}") for p in family.parameters), "; ")
    text = say(f"The maximum-likelihood estimate ({method}); ", meanings, ".")
    return Step("estimate", "Maximum-likelihood estimate", expr, text)


def data_step(data: Sequence[Fraction], values: dict[sp.Symbol, sp.Expr], g: General) -> Step:
    shown = ", ".join(str(v) for v in data[:20]) + (", …" if len(data) > 20 else "")
    lines = [sp.Eq(n, values[n])] + [sp.Eq(s.sum, values[s.symbol]) for s in g.form.statistics]
    order = set(g.plan.order_statistics.values())
    lines += [sp.Eq(o, values[o]) for o in sorted(order, key=sp.default_sort_key)]
    text = (
        f"The sample y = ({shown}). The likelihood depends on it only through n and these "
        "statistics, which are all the general derivation needs."
    )
    return Step("data", "The data", sp.Tuple(*lines), text)


def tidy(ell: sp.Expr, family: Distribution) -> sp.Expr:
    return collect_logs(ell, family.symbols)
