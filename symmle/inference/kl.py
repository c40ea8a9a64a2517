"""The Kullback–Leibler view of maximum likelihood, derived for one family:

KL(f_θ₀ ‖ f_θ) = E_θ₀[log f(y; θ₀)] − E_θ₀[log f(y; θ)] in closed form (the expectation routes of
the Fisher information, with the truth θ₀), zero and minimised at θ = θ₀, with the Fisher
information as its curvature there; with the empirical distribution in place of the truth,
E[log f(y; θ)] is ℓ(θ)/n, so the MLE minimises the divergence from the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.inference.expectation import Y, expectations, log_density
from symmle.inference.fisher import information, tidy
from symmle.printing.notation import Density, Expectation, FisherInformation, KLDivergence
from symmle.printing.prose import listed, say
from symmle.symbols import i, n, y

THETA0, THETA = sp.Symbol("theta_0"), sp.Symbol("theta")
"""The truth and the model, standing for all parameters in the displayed KL(f_θ₀ ‖ f_θ)."""


@dataclass(frozen=True)
class Divergence:
    """KL(f_θ₀ ‖ f_θ) in the truth's parameters (symbols with the subscript 0) and the model's
    (the family's symbols), with the steps that derive it."""

    family: Distribution
    expr: sp.Expr
    truth: dict[sp.Symbol, sp.Symbol]
    steps: tuple[Step, ...]
    curvature_is_information: bool


def truth_symbols(family: Distribution) -> dict[sp.Symbol, sp.Symbol]:
    return {s: sp.Symbol(f"{s.name}_0", **s.assumptions0) for s in family.symbols}


def closed_form(family: Distribution) -> tuple[sp.Expr, dict[sp.Symbol, sp.Symbol]]:
    """E_θ₀[log f(y; θ₀) − log f(y; θ)], the expectation taken under the truth."""
    truth = truth_symbols(family)
    model = {s: sp.Dummy(s.name, **s.assumptions0) for s in family.symbols}
    ell = log_density(family)
    e = expectations(family, list(family.symbols))
    divergence = e(sp.expand(ell - ell.xreplace(model)))
    swapped = divergence.xreplace(truth).xreplace({d: s for s, d in model.items()})
    return shown(swapped, truth), truth


def squares(expr: sp.Expr, truth: dict[sp.Symbol, sp.Symbol]) -> sp.Expr:
    """Terms in θ − θ₀ where that is shorter: μ² − 2μμ₀ + μ₀² + σ₀² is (μ − μ₀)² + σ₀²."""
    gap = sp.Dummy("gap")
    for model, true in truth.items():
        shifted = sp.expand(expr.subs(model, true + gap))
        if sp.count_ops(shifted) < sp.count_ops(expr):
            expr = shifted.subs(gap, model - true)
    return expr


def shown(kl: sp.Expr, truth: dict[sp.Symbol, sp.Symbol]) -> sp.Expr:
    """The logarithms with one coefficient combined, c·log(a/b), the rest over one denominator:
    θ₀·log(θ₀/θ) + (1 − θ₀)·log((1 − θ₀)/(1 − θ))."""
    expanded = sp.expand(sp.expand_log(kl, force=True))
    groups: dict[sp.Expr, sp.Expr] = {}
    rest = expanded
    for log in sorted(expanded.atoms(sp.log), key=sp.default_sort_key):
        c = sp.factor(expanded.coeff(log))
        rest -= c * log
        if -c in groups:
            groups[-c] -= log
        else:
            groups[c] = groups.get(c, sp.S.Zero) + log
    rest = sp.expand(rest)
    constant, varying = rest.as_independent(*kl.free_symbols, as_Add=True)
    combined = sp.S.Zero
    for c, logs in groups.items():
        if c.could_extract_minus_sign() or (c.is_Add and c.as_coeff_Add()[0] < 0):
            c, logs = -c, -logs
        combined += c * sp.logcombine(logs, force=True)
    numerator, denominator = sp.fraction(sp.factor(sp.together(varying)))
    return combined + squares(numerator, truth) / denominator + constant


def divergence_step(family: Distribution, kl: sp.Expr) -> Step:
    f0, f = Density(sp.Symbol("y"), THETA0), Density(sp.Symbol("y"), THETA)
    difference = Expectation(sp.log(f0) - sp.log(f))
    lines = [
        sp.Eq(KLDivergence(THETA0, THETA), difference, evaluate=False),
        sp.Eq(KLDivergence(THETA0, THETA), kl, evaluate=False),
    ]
    text = (
        f"The divergence of the {family.title} model at θ from the truth at θ₀, the expectation "
        "taken under the truth (as for the Fisher information). Its first part, "
        "E[log f(y; θ₀)], does not depend on θ: minimising the divergence over θ is maximising "
        "E[log f(y; θ)]."
    )
    return Step(
        "kl", f"KL divergence between two {family.title} distributions", sp.Tuple(*lines), text
    )


def minimum_step(
    family: Distribution, kl: sp.Expr, truth: dict[sp.Symbol, sp.Symbol]
) -> tuple[Step, bool]:
    """The gradient vanishes at θ = θ₀ and the Hessian there is I(θ₀)."""
    symbols = list(family.symbols)
    roots = sp.solve([sp.diff(kl, s) for s in symbols], symbols, dict=True)
    at_truth = [r for r in roots if all(sp.simplify(r[s] - truth[s]) == 0 for s in symbols)]
    hessian = sp.hessian(kl, symbols).xreplace({s: truth[s] for s in symbols}).applyfunc(tidy)
    info = information(family).matrix
    assert info is not None
    equal = (hessian - info.xreplace(truth)).applyfunc(sp.simplify) == sp.zeros(*hessian.shape)
    shown = hessian[0, 0] if hessian.shape == (1, 1) else hessian
    lines: list[sp.Basic] = [sp.Eq(s, truth[s]) for s in symbols if at_truth]
    curvature = sp.Subs(sp.Derivative(KLDivergence(THETA0, THETA), THETA, 2), THETA, THETA0)
    lines.append(sp.Eq(curvature, shown, evaluate=False))
    lines.append(sp.Eq(FisherInformation(*truth.values()), shown, evaluate=False))
    text = say(
        "The gradient in ",
        listed(symbols),
        " is zero only at the truth "
        f"({'the one root' if len(roots) == 1 else 'one of the roots'}), where the divergence is "
        "zero; elsewhere it is positive. Its Hessian there "
        + (
            "is the Fisher information I(θ₀): the information is the curvature of the divergence."
            if equal
            else "differs from the Fisher information."
        ),
    )
    return Step("kl", "Minimised at the truth", sp.Tuple(*lines), text), bool(equal)


def empirical_step(family: Distribution) -> Step:
    f = Density(y[i], THETA)
    lines = [
        sp.Eq(
            Expectation(sp.log(Density(sp.Symbol("y"), THETA))),
            sp.Sum(sp.log(f), (i, 1, n)) / n,
            evaluate=False,
        ),
    ]
    text = (
        "The truth is unknown; the data are its sample. With the empirical distribution P̂ₙ (mass "
        "1/n at each observation) in place of the truth, E[log f(y; θ)] becomes the average "
        "log-likelihood ℓ(θ)/n, so the θ that minimises the divergence from the data is the one "
        "that maximises the likelihood: the MLE. By the law of large numbers ℓ(θ)/n → "
        "E_θ₀[log f(y; θ)], whose maximum is the truth, which is why the MLE is consistent."
    )
    return Step("kl", "From the truth to the data", sp.Tuple(*lines), text)


def divergence(family: Distribution) -> Divergence:
    """Derive the KL divergence between two members of ``family``."""
    kl, truth = closed_form(family)
    minimum, equal = minimum_step(family, kl, truth)
    steps = (divergence_step(family, kl), minimum, empirical_step(family))
    return Divergence(family, kl, truth, steps, equal)


__all__ = ["Divergence", "Y", "divergence"]
