"""The steps every loss starts with: a network predicts a family's parameter(s), and the
conditional negative log-likelihood of the targets, with the terms that do not depend on the
weights dropped, is the loss."""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from symmle.derive.step import Step
from symmle.families import Distribution
from symmle.printing.notation import Density, Likelihood, Loss, NegativeLogLikelihood
from symmle.printing.prose import phrase, say
from symmle.symbols import i, n, value, y, y_hat

weights = sp.Symbol("w")


def indexed(symbol: sp.Symbol) -> sp.Indexed:
    """The i-th observation's copy of a per-sample symbol: y -> y_i, y_hat -> ŷ_i."""
    return (
        y[i] if symbol == value else sp.IndexedBase("yhat" if symbol == y_hat else symbol.name)[i]
    )


def per_sample(e: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> sp.Expr:
    return e.subs({s: indexed(s) for s in (value, *symbols)})


def summed(term: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> sp.Expr:
    """The sum of a per-sample term over the sample, a common sign written outside."""
    if not term.has(value, *symbols):
        return n * term
    sign, rest = sp.factor_terms(per_sample(term, symbols)).as_coeff_Mul()
    return sign * sp.Sum(rest, (i, 1, n))


def nll_of(family: Distribution, predicted: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """−log f(y; the predicted parameters), logarithms expanded."""
    return -sp.expand_log(sp.log(family.density.subs(predicted)), force=True)


def split(nll: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Per-sample NLL = constant + scale·core: the constant free of the predictions, the
    positive scale free of the data too."""
    constant, dependent = nll.as_independent(*symbols, as_Add=True)
    scale, core = sp.factor_terms(dependent).as_independent(value, *symbols, as_Add=False)
    if not scale.is_positive:
        scale, core = sp.Integer(1), dependent
    return constant, scale, core


def conditional_steps(
    family: Distribution, predicted: Mapping[sp.Symbol, sp.Expr], what: str
) -> tuple[list[Step], sp.Expr]:
    """Model, likelihood and NLL of targets whose ``predicted`` parameters a network outputs;
    the steps and the per-sample NLL."""
    symbols = tuple(sorted(set().union(*(e.free_symbols for e in predicted.values())), key=str))
    others = [p.symbol for p in family.parameters if p.symbol not in predicted]
    shown = [per_sample(e, symbols) for e in predicted.values()]
    f_i = Density(y[i], *shown, *others)
    nll = nll_of(family, predicted)
    constant, scale, core = split(nll, symbols)
    shown_constant = summed(sp.logcombine(constant, force=True), symbols)
    total = NegativeLogLikelihood(weights)
    kept = say(*(phrase(", with {0} constant", o) for o in others))
    steps = [
        Step(
            "conditional",
            "A network predicts the parameter",
            sp.Eq(f_i, per_sample(family.display.subs(predicted), symbols)),
            say(
                f"Given the input xᵢ, the target yᵢ follows the {family.title} whose {what}",
                kept,
                ".",
            ),
        ),
        Step(
            "likelihood",
            "Conditional likelihood",
            sp.Eq(Likelihood(weights), sp.Product(f_i, (i, 1, n))),
            "The pairs are independent, so the likelihood of the weights is a product.",
        ),
        Step(
            "nll",
            "Negative log-likelihood",
            sp.Tuple(
                sp.Eq(total, -sp.Sum(sp.log(f_i), (i, 1, n))),
                sp.Eq(total, shown_constant + scale * summed(core, symbols)),
            ),
            "Training maximises the likelihood, that is, minimises the negative log-likelihood.",
        ),
    ]
    return steps, nll


def drop_step(
    nll: sp.Expr, symbols: tuple[sp.Symbol, ...], name: str
) -> tuple[Step | None, sp.Expr]:
    """Drop the terms free of the predictions and a positive factor; the step (None when there
    is nothing to drop) and the per-sample loss left."""
    constant, scale, core = split(nll, symbols)
    if constant == 0 and scale == 1:
        return None, core
    shown_constant = summed(sp.logcombine(constant, force=True), symbols)
    dropped = (
        phrase(
            "The term {0} does not depend on w, and the positive factor {1} does not move the "
            f"minimum: what is left is the {name}.",
            shown_constant,
            scale,
        )
        if constant != 0
        else phrase("The positive factor {0} does not move the minimum.", scale)
    )
    if scale == 1:
        dropped = phrase(
            f"The term {{0}} does not depend on w: what is left is the {name}.", shown_constant
        )
    step = Step(
        "drop_constants",
        "Terms that do not change the minimiser",
        sp.Eq(Loss(weights), summed(core, symbols)),
        dropped,
    )
    return step, core


def loss_step(core: sp.Expr, symbols: tuple[sp.Symbol, ...], name: str, mean_name: str) -> Step:
    """The per-sample loss and its mean over the sample."""
    return Step(
        "loss",
        f"The {name}",
        sp.Tuple(
            sp.Eq(Loss(value, *symbols), core), sp.Eq(Loss(weights), summed(core, symbols) / n)
        ),
        f"Per sample this is the {name}; averaged over the sample, the {mean_name} "
        "(dividing by n does not move the minimum either).",
    )
