"""The profile log-likelihood where it is a formula: the other parameters' estimates with one
parameter held at a value are explicit (the normal's μ̂(σ) = ȳ, the Weibull's λ̂(k)), derived
by the planner run on the family with that parameter held as a symbol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy
import sympy as sp

from symmle.checks import Check, compare
from symmle.derive.general import general
from symmle.derive.step import Step
from symmle.derive.textbook import merged_sums
from symmle.families import Distribution
from symmle.printing.notation import EstimateGiven, LogLikelihood, ProfileLogLikelihood
from symmle.printing.prose import say
from symmle.symbols import i, n, y

if TYPE_CHECKING:
    from symmle.derive.derivation import Derivation as Result


def explicit_estimates(family: Distribution, name: str) -> dict[sp.Symbol, sp.Expr] | None:
    """The other parameters' estimates with ``name`` held, in the sufficient statistics; None
    where one is not explicit (the gamma's α̂ given β solves a digamma equation), where there
    is no other parameter, where a parameter sits at an order statistic, or under a
    constraint."""
    p, plan = family.parameter(name), general(family).plan
    if len(family.parameters) < 2 or plan.order_statistics or plan.constraint is not None:
        return None  # the Categorical's p_j: the others share what it leaves (profile.py)
    g = general(family.fix({p.name: p.symbol}))
    if g.plan.numeric or g.plan.constraint is not None:
        return None
    return g.plan.explicit


def explicit_profile(family: Distribution, name: str) -> sp.Expr | None:
    """ℓₚ(θⱼ) for a sample of symbolic size n, in the sufficient statistics, where the other
    parameters' estimates given θⱼ are explicit."""
    estimates = explicit_estimates(family, name)
    if estimates is None:
        return None
    p = family.parameter(name)
    g = general(family.fix({p.name: p.symbol}))
    return g.form.as_sums(g.log_likelihood.subs(estimates))


def explicit_profile_step(family: Distribution) -> Step | None:
    """ℓₚ(θⱼ) = ℓ(θⱼ, θ̂₋ⱼ(θⱼ)) with each θ̂ₖ(θⱼ) written out, for every parameter whose
    profile is explicit; None where none is."""
    lines: list[sp.Basic] = []
    held = []
    for p in family.parameters:
        estimates = explicit_estimates(family, p.name)
        if estimates is None:
            continue
        held.append(p.symbol)
        form = general(family.fix({p.name: p.symbol})).form
        given = {s: EstimateGiven(s, p.symbol) for s in estimates}
        lines.append(
            sp.Eq(ProfileLogLikelihood(p.symbol), LogLikelihood(*family.symbols).subs(given))
        )
        lines += [sp.Eq(given[s], merged_sums(form.as_sums(e))) for s, e in estimates.items()]
    if not lines:
        return None
    text = say(
        "With one parameter held at a value, the others' score equations solve in closed form: "
        "putting their solutions back gives the profile log-likelihood as a formula, the curve "
        "whose cut-off at half the χ²₁ quantile below its maximum makes the profile interval."
    )
    return Step("profile", "The profile likelihood as a formula", sp.Tuple(*lines), text)


def on_sample(expr: sp.Expr, sample: Sequence[float]) -> float:
    """A formula in sums over the sample evaluated on numbers."""
    summed = expr.replace(
        lambda e: isinstance(e, sp.Sum),
        lambda s: sp.Add(*(s.function.subs(y[i], sp.Float(v)) for v in sample)),
    )
    return float(summed.subs(n, len(sample)))


def explicit_profile_check(family: Distribution, example: Result) -> Check | None:
    """Each shown θ̂ₖ(θⱼ), on the worked example with θⱼ held away from its estimate,
    against scipy.optimize's maximum of the scipy.stats log-density sum over the others."""
    sample = [float(v) for v in example.data or ()]
    estimate = {name: float(v) for name, v in example.estimate.items()}
    ours, theirs = [], []
    for p in family.parameters:
        estimates = explicit_estimates(family, p.name)
        if estimates is None or family.scipy is None:
            continue
        held = {p.name: 1.3 * estimate[p.name] + 0.2}  # off the maximum, inside the domain
        form = general(family.fix({p.name: p.symbol})).form
        for q in family.parameters:
            if q.symbol in estimates:
                shown = merged_sums(form.as_sums(estimates[q.symbol]))
                ours.append(on_sample(shown.subs(p.symbol, held[p.name]), sample))
        theirs += list(maximised(family, sample, held, estimate))
    if not ours:
        return None
    name = "each θ̂ₖ(θⱼ) of the profile equals scipy.optimize's maximum with θⱼ held"
    scale = np.abs(theirs) + np.std(sample)  # a location estimated at 0 has no size of its own
    return compare(name, ours, theirs, 1e-5, scale=scale)


def maximised(
    family: Distribution, sample: Sequence[float], held: dict[str, float], start: dict[str, float]
) -> Sequence[float]:
    """The other parameters maximising Σ log f(yᵢ) by scipy.stats' log-density."""
    free = [p.name for p in family.parameters if p.name not in held]
    twin = family.scipy
    assert twin is not None

    def nll(theta: Any) -> float:
        values = held | dict(zip(free, theta, strict=True))
        with np.errstate(all="ignore"):
            total = -float(np.sum(twin(values).logpdf(sample)))
        return total if np.isfinite(total) else 1e300

    found = scipy.optimize.minimize(
        nll,
        [start[k] for k in free],
        method="Nelder-Mead",
        options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000},
    )
    return [float(v) for v in found.x]
