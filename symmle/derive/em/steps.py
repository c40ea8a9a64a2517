"""EM's steps for a mixture: why the score has no closed form, the latent labels, the E-step
and Q, the two M-steps and the degeneracy; with data, the starts and the iterations."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symmle.derive.em.run import Fitted
from symmle.derive.em.updates import REST, N, Updates, r, w
from symmle.derive.methods.constrained import MULTIPLIER
from symmle.derive.step import Step
from symmle.families.mixtures import Mixture, indexed, j, k
from symmle.numeric.em import Update
from symmle.printing.latex import inline
from symmle.printing.notation import Density, LogLikelihood, hat
from symmle.printing.prose import listed, say
from symmle.symbols import i, n, value, y

z = sp.IndexedBase("z")
l_ = sp.Symbol("l", integer=True, positive=True)
THETA = sp.Symbol("theta")
T = sp.Symbol("t", integer=True, nonnegative=True)
Q = sp.Function("Q")
SHOWN_ROWS = 14


def component(u: Updates, at: sp.Expr, index: sp.Expr = j) -> sp.Expr:
    """f(y; θ_index) as a Density, for display."""
    return Density(at, *(indexed(s, index) for s in u.component.symbols))


def density_at(u: Updates, at: sp.Expr, index: sp.Expr = j) -> sp.Expr:
    own = {s: indexed(s, index) for s in u.component.symbols}
    return u.component.display.xreplace(own).subs(value, at)


def responsibility(u: Updates) -> sp.Expr:
    """rᵢⱼ by Bayes' rule, in the notation f(yᵢ; θ_j)."""
    total = sp.Sum(w[l_] * component(u, y[i], l_), (l_, 1, k))
    return w[j] * component(u, y[i]) / total


def observed_step(u: Updates) -> Step:
    """ℓ is a log of a sum; its score is the component's score weighted by rᵢⱼ."""
    ell = sp.Sum(sp.log(sp.Sum(w[j] * component(u, y[i]), (j, 1, k))), (i, 1, n))
    lines: list[sp.Basic] = [sp.Eq(LogLikelihood(THETA), ell)]
    for s in u.component.symbols:
        own = sp.diff(sp.log(u.component.density), s).subs(value, y[i])
        lines.append(
            sp.Eq(
                sp.Derivative(LogLikelihood(THETA), indexed(s, j)),
                sp.Sum(r[i, j] * u.at(own), (i, 1, n)),
            )
        )
    lines.append(sp.Eq(r[i, j], responsibility(u)))
    factor = u.factor.subs(value, y[i])
    text = say(
        "The density of one observation is a weighted sum of the k component densities, so "
        "the logarithm cannot split it: ℓ is a sum of logs of sums. Differentiating "
        "log(w_j f_j + ",
        REST,
        ") in a parameter of component j multiplies the component's own score by ",
        u.at(factor),
        " (checked by SymPy for each parameter), where ",
        REST,
        " holds the other components: the score equations are the component's weighted by ",
        r[i, j],
        ", and these weights depend on every parameter. The equations are coupled through "
        "the ratio and have no closed-form solution.",
    )
    return Step("score", "Observed log-likelihood: a log of a sum", sp.Tuple(*lines), text)


def latent_step(u: Updates) -> Step:
    indicator = sp.KroneckerDelta(z[i], j)
    complete = sp.Sum(
        sp.Sum(indicator * (sp.log(w[j]) + sp.log(component(u, y[i]))), (j, 1, k)), (i, 1, n)
    )
    lines = (
        sp.Eq(sp.Function("P")(sp.Eq(z[i], j)), w[j]),
        sp.Eq(sp.Symbol("ell_c"), complete),
    )
    text = say(
        "Each observation comes from one component, labelled ",
        z[i],
        " ∈ {1, …, k}, drawn with probabilities ",
        w[j],
        ", and given ",
        sp.Eq(z[i], j),
        " the observation follows the component density. Were the labels seen, the log of the "
        "complete-data likelihood would split into one term per component: each a weighted "
        "log-likelihood of one family, with a closed form.",
    )
    return Step("conditional", "Latent labels: the complete data", sp.Tuple(*lines), text)


def e_step(u: Updates) -> Step:
    q = sp.Sum(N[j] * sp.log(w[j]), (j, 1, k)) + sp.Sum(u.component_q, (j, 1, k))
    lines = (
        sp.Eq(r[i, j], responsibility(u)),
        sp.Eq(N[j], sp.Sum(r[i, j], (i, 1, n))),
        sp.Eq(Q(THETA, sp.Symbol("theta^(t)")), q),
    )
    text = say(
        "E-step. Given the current parameters θ⁽ᵗ⁾, Bayes' rule gives the probability that "
        "observation i came from component j, its responsibility ",
        r[i, j],
        " (the same factor as in the score). The expected complete-data log-likelihood Q "
        "replaces each label's indicator by its expectation ",
        r[i, j],
        "; written with the component family's statistics it needs only ",
        N[j],
        " and the weighted sums of its statistics. Every term of Q depends on one component "
        "only, or on the weights only.",
    )
    return Step("expectation", "E-step: responsibilities and Q(θ | θ⁽ᵗ⁾)", sp.Tuple(*lines), text)


def without_empty_sums(expr: sp.Expr) -> sp.Expr:
    """SymPy's derivative of a sum leaves Σᵢ 0 where a term did not hold the parameter."""
    return expr.replace(lambda e: isinstance(e, sp.Sum) and e.function == 0, lambda e: sp.S.Zero)


def m_step(u: Updates) -> Step:
    q = u.component_q
    lines: list[sp.Basic] = []
    for s in u.component.symbols:
        rate = without_empty_sums(sp.diff(q, indexed(s, j)))
        lines.append(sp.Eq(sp.Derivative(Q(THETA), indexed(s, j)), rate))
    lines += [sp.Eq(indexed(s, j), u.at(e)) for s, e in u.m_step.items()]
    text = say(
        f"M-step, components. For component j, Q is the {u.component.title} log-likelihood "
        "with the sample size n replaced by ",
        N[j],
        " and each statistic by its sum weighted by ",
        r[i, j],
        f". So the {u.component.title}'s own derivation (its score equations solved by symmle) "
        "gives the update with those substitutions: weighted means (and variances) of the data.",
    )
    return Step("solve", "M-step: each component", sp.Tuple(*lines), text)


def weights_step(u: Updates) -> Step:
    lines = (
        sp.Eq(sp.Symbol("Lambda"), u.lagrangian),
        sp.Eq(sp.Derivative(sp.Symbol("Lambda"), w[j]), N[j] / w[j] - MULTIPLIER),
        sp.Eq(sp.Sum(N[j], (j, 1, k)), n),
        sp.Eq(MULTIPLIER, u.multiplier),
        sp.Eq(w[j], u.weight),
    )
    text = say(
        "M-step, weights. The weights enter Q through Σ N_j log w_j only and must sum to one: "
        "with a Lagrange multiplier ",
        MULTIPLIER,
        ", each w_j = N_j/",
        MULTIPLIER,
        "; the responsibilities of each observation sum to one, so Σ_j N_j = n and ",
        MULTIPLIER,
        " = n. Each weight is its component's share of the sample.",
    )
    return Step("constraint", "M-step: the weights (Lagrange multiplier)", sp.Tuple(*lines), text)


def degeneracy_step(family: Mixture, u: Updates) -> Step | None:
    """Where a component may close in on one observation, ℓ has no upper bound."""
    if not family.collapse:
        return None
    collapsing = [s for s in u.component.symbols if s.name in family.collapse]
    point = sp.Symbol("y_1", real=True)
    centre = {s: point for s in u.component.symbols if s.name == family.location}
    at_point = u.component.density.subs(value, point).subs(centre)
    lines = [
        sp.Eq(sp.Limit(at_point, s, 0, "+"), sp.limit(at_point, s, 0, "+")) for s in collapsing
    ]
    text = say(
        "The likelihood of a mixture has no maximum over the whole domain: a component centred "
        "on one observation with ",
        listed(collapsing),
        " → 0 makes that observation's density, and ℓ, grow without bound while the other "
        "components keep the rest finite. The maximum-likelihood estimate is the largest local "
        "maximum away from this degeneracy: a run whose component's ",
        listed(collapsing),
        " falls below 10⁻⁸ times the data's standard deviation (or whose share falls to zero) "
        "is set aside.",
    )
    return Step("boundary", "Degeneracy: a component on a single point", sp.Tuple(*lines), text)


def general_steps(family: Mixture, u: Updates) -> list[Step]:
    found = [observed_step(u), latent_step(u), e_step(u), m_step(u), weights_step(u)]
    degenerate = degeneracy_step(family, u)
    return found + ([degenerate] if degenerate else [])


def shown_rows(history: Sequence[Update]) -> list[Update | None]:
    """Every iteration, or the first and the last ones with None for the gap."""
    if len(history) <= SHOWN_ROWS:
        return list(history)
    return [*history[: SHOWN_ROWS - 4], None, *history[-3:]]


def iterations_step(family: Mixture, fitted: Fitted) -> Step:
    symbols = family.symbols
    header = ("t", "ℓ", *(inline(s) for s in symbols))
    rows = tuple(
        ("…",) * len(header)
        if it is None
        else (str(it.number), f"{it.log_likelihood:.10g}", *(f"{v:.6g}" for v in it.theta))
        for it in shown_rows(fitted.best.history)
    )
    runs = listed(
        f"{run.start} (ℓ = {run.log_likelihood:.8g}{', degenerate' if run.degenerate else ''})"
        for run in fitted.runs
    )
    last = fitted.best.history[-1]
    expr = sp.Tuple(
        *(sp.Eq(hat(s), sp.Float(v, 10)) for s, v in zip(symbols, last.theta, strict=True))
    )
    text = say(
        f"EM from {len(fitted.runs)} starts, each a first M-step from responsibilities that "
        "put 0.9 on one group of the data (the sample cut at its quantiles, or labelled by the "
        "nearest of k centres drawn k-means++-like with a fixed seed): ",
        runs,
        f". The best, from {fitted.best.start}, is shown; ℓ rose at every iteration "
        f"({len(fitted.best.history)} in all) and the components are ordered by their mean.",
    )
    return Step("numeric", "EM iterations", expr, text, table=(header, *rows))
