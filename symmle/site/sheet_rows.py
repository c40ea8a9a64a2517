"""Rows of the cheat sheet beside the families' own: each family with a survival function from
right-censored data, and each mixture by EM, built from their derivations for general n (the
pages that hold the rows carry these derivations' checks)."""

from __future__ import annotations

import sympy as sp

from symmle.censored import CensoredResult
from symmle.derive.censored.optimum import compilable
from symmle.derive.censored.sample import d, e
from symmle.derive.em.steps import responsibility
from symmle.derive.em.updates import N, r, updates, w
from symmle.families.mixtures import Mixture, indexed, j
from symmle.printing.latex import latex, to_latex
from symmle.printing.notation import hat
from symmle.printing.prose import listed, markdown, phrase
from symmle.results import Result
from symmle.site.page import Summary
from symmle.symbols import i, n


def cell(equation: sp.Basic) -> str:
    """An equation in a Markdown table cell (a | would end the cell: |x| is written \\vert)."""
    return to_latex(equation).replace("|", r"\vert ")


EVENTS = {sp.Sum(e[i], (i, 1, n)): d}
"""Σeᵢ written d, the number of events."""


def censored_estimates(result: CensoredResult) -> list[sp.Eq]:
    """The estimates in closed form: every one where there is one (the exponential's
    λ̂ = d/Σyᵢ), else those profiled out (the Weibull's λ̂ in k̂: the estimate itself for k
    known)."""
    g = result.general
    if result.method != "numeric":
        (estimate,) = (s for s in result.steps if s.kind == "estimate")
        return [eq.xreplace(EVENTS) for eq in estimate.expr.args]
    hats = {s: hat(s) for s in g.family.symbols}
    return [sp.Eq(hat(s), v.xreplace(hats).xreplace(EVENTS)) for s, v in g.plan.profiled.items()]


def censored_row(result: CensoredResult) -> Summary:
    """The estimates in closed form, and the method that finds the rest (Newton's, or
    Nelder–Mead's where NumPy cannot evaluate the Hessian)."""
    g = result.general
    parameters = ", ".join(latex(s) for s in g.family.symbols)
    formulas = tuple(cell(eq) for eq in censored_estimates(result))
    if result.method != "numeric":
        return Summary(g.family.title, parameters, formulas, result.method)
    rest = [s for s in g.family.symbols if s not in g.plan.profiled]
    hats = listed(hat(s) for s in rest)
    if g.plan.profiled:
        closed = "{0} numerically (for {1} known, put {1} for {0}: a closed form)"
        note = phrase(closed, hats, listed(rest))
    else:
        note = phrase("no closed form: {0} maximise ℓ numerically", hats)
    method = f"numeric ({'Newton' if compilable(g) else 'Nelder–Mead'})"
    return Summary(g.family.title, parameters, formulas, method, markdown(note))


def mixture_updates(result: Result) -> list[sp.Eq]:
    """EM's updates as the derivation makes them: each weight by a Lagrange multiplier, each
    component by its family's own estimate with n → Nⱼ and the sums weighted by rᵢⱼ."""
    family = result.family
    assert isinstance(family, Mixture)
    u = updates(family)
    return [sp.Eq(hat(sp.Symbol("w_j")), u.weight)] + [
        sp.Eq(hat(sp.Symbol(f"{s.name}_j", **s.assumptions0)), u.at(v)) for s, v in u.m_step.items()
    ]


def mixture_row(result: Result) -> Summary:
    """The updates, with the responsibilities rᵢⱼ and Nⱼ they are written in."""
    family = result.family
    assert isinstance(family, Mixture)
    own = [indexed(s, j) for s in family.base.symbols]
    parameters = ", ".join(latex(s) for s in (w[j], *own)) + r", \; j = 1, \dots, k"
    shares = sp.Eq(r[i, j], responsibility(updates(family)))
    note = phrase("with {0} and {1}", shares, sp.Eq(N[j], sp.Sum(r[i, j], (i, 1, n))))
    formulas = tuple(cell(eq) for eq in mixture_updates(result))
    return Summary(family.title, parameters, formulas, result.method, markdown(note))
