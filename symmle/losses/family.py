"""Losses of machine learning derived from negative log-likelihoods.

A network predicts one parameter of the family, y_hat_i = NN(xᵢ | w); the conditional NLL
of the targets, with the terms and factors that do not change the minimiser in w dropped,
is the loss."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sympy as sp

from symmle.checks import Check, check_loss
from symmle.derive.step import Step
from symmle.errors import OptionError
from symmle.families import Distribution, get
from symmle.render.latex import inline
from symmle.render.notation import Density, Likelihood, Loss, NegativeLogLikelihood
from symmle.symbols import i, n, value, y, y_hat

predictions = sp.IndexedBase("yhat")
weights = sp.Symbol("w")


@dataclass(frozen=True)
class LossResult:
    """A loss derived from a family's NLL: per-sample ``expr`` in y and y_hat, and steps."""

    family: Distribution
    name: str
    expr: sp.Expr
    fn: Callable[..., Any]
    steps: tuple[Step, ...]
    constant: sp.Expr
    scale: sp.Expr

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        return check_loss(self.family, self.fn, self.constant, self.scale)


def split(nll: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Per-sample NLL = constant + scale * core, with constant and scale free of y and y_hat."""
    constant, dependent = nll.as_independent(value, y_hat, as_Add=True)
    scale, core = sp.factor_terms(dependent).as_independent(value, y_hat, as_Add=False)
    if not scale.is_positive:
        scale, core = sp.Integer(1), dependent
    return constant, scale, core


def per_sample(e: sp.Expr) -> sp.Expr:
    return e.subs({value: y[i], y_hat: predictions[i]})


def summed(term: sp.Expr) -> sp.Expr:
    """The sum of a per-sample term over the sample, a common sign written outside."""
    sign, rest = sp.factor_terms(per_sample(term)).as_coeff_Mul()
    return sign * sp.Sum(rest, (i, 1, n))


def loss_steps(
    family: Distribution, constant: sp.Expr, scale: sp.Expr, core: sp.Expr
) -> tuple[Step, ...]:
    spec = family.loss
    assert spec is not None
    others = [p.symbol for p in family.parameters if p.name != spec.parameter]
    target = family.parameter(spec.parameter).symbol
    f_i = Density(y[i], predictions[i], *others)
    density = family.display.subs(target, y_hat)
    shown_constant = n * sp.logcombine(2 * constant, force=True) / 2  # one log where it combines
    total = shown_constant + scale * summed(core)
    nll = NegativeLogLikelihood(weights)
    what = f"{inline(target)} ({family.parameter(spec.parameter).meaning})"
    kept = "".join(f", with {inline(o)} constant" for o in others)
    steps = [
        Step(
            "conditional",
            "A network predicts the parameter",
            sp.Eq(f_i, per_sample(density)),
            f"Given the input xᵢ, the target yᵢ follows the {family.title} whose parameter "
            f"{what} is the network's output ŷᵢ = NN(xᵢ | w){kept}.",
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
            sp.Tuple(sp.Eq(nll, -sp.Sum(sp.log(f_i), (i, 1, n))), sp.Eq(nll, total)),
            "Training maximises the likelihood, that is, minimises the negative log-likelihood.",
        ),
    ]
    reduced = summed(core)
    if constant != 0 or scale != 1:
        steps.append(
            Step(
                "drop_constants",
                "Terms that do not change the minimiser",
                sp.Eq(Loss(weights), reduced),
                f"The term {inline(shown_constant)} does not depend on w, and the positive "
                f"factor {inline(scale)} does not move the minimum: what is left is the "
                f"{spec.sum_name}."
                if constant != 0
                else f"The positive factor {inline(scale)} does not move the minimum.",
            )
        )
    steps.append(
        Step(
            "loss",
            f"The {spec.name}",
            sp.Tuple(sp.Eq(Loss(value, y_hat), core), sp.Eq(Loss(weights), reduced / n)),
            f"Per sample this is the {spec.name}; averaged over the sample, the "
            f"{spec.mean_name} (dividing by n does not move the minimum either).",
        )
    )
    return tuple(steps)


def loss(family: str) -> LossResult:
    """The loss that ``family``'s negative log-likelihood gives, with y_hat = NN(x | w)."""
    dist = get(family)
    if dist.loss is None:
        raise OptionError(f"the {dist.title} has no loss derivation yet.")
    density = dist.density.subs(dist.parameter(dist.loss.parameter).symbol, y_hat)
    constant, scale, core = split(-sp.expand_log(sp.log(density), force=True))
    fn = sp.lambdify([value, y_hat], core, "numpy")
    return LossResult(
        dist, dist.loss.name, core, fn, loss_steps(dist, constant, scale, core), constant, scale
    )
