"""The page "Method of moments vs MLE": both estimators derived for a few families, and their
sampling distributions side by side where they differ."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symmle.checks import Check
from symmle.derive.general import general
from symmle.families import Distribution, get
from symmle.inference.moments import MomentEstimate, method_of_moments, population_moments
from symmle.inference.simulate import draws, estimates, row_statistics, sample_mean_estimates
from symmle.printing.latex import inline
from symmle.site.figures import Figure, svg
from symmle.site.theory.common import MARGINS, holds, theory_page, within

SIZE, REPLICATIONS = 50, 2000
DIFFERENT: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("uniform", "b", {"b": 2.5}),
    ("gamma", "alpha", {"alpha": 2.5, "beta": 1.5}),
)
SAME = ("normal", "poisson", "exponential")


def family_of(name: str) -> Distribution:
    family = get(name)
    return family.fix({"a": sp.Integer(0)}) if name == "uniform" else family


def sampling(
    family: Distribution, mom: MomentEstimate, parameter: str, values: dict[str, float], seed: int
) -> dict[str, Any]:
    """Both estimators over the replications."""
    samples = draws(family, values, (REPLICATIONS, SIZE), seed)
    g = general(family)
    return {
        "MLE": estimates(g, row_statistics(g, samples))[parameter],
        "method of moments": sample_mean_estimates(mom.estimator, samples)[parameter],
    }


def figure(found: dict[str, dict[str, Any]]) -> Figure:
    def draw(axes: Any) -> None:
        for ax, (title, estimators), (_, parameter, values) in zip(
            axes, found.items(), DIFFERENT, strict=True
        ):
            truth = values[parameter]
            low, high = (
                np.quantile(np.concatenate(list(estimators.values())), q) for q in (0.001, 0.999)
            )
            for (label, estimate), colour in zip(
                estimators.items(), ("#3f51b5", "#ff9800"), strict=True
            ):
                ax.hist(
                    estimate,
                    bins=60,
                    range=(low, high),
                    density=True,
                    alpha=0.6,
                    color=colour,
                    label=label,
                )
            ax.axvline(truth, color="black", linestyle="--")
            ax.set_title(title, fontsize=10)
            ax.legend(fontsize=8)

    caption = (
        f"The two estimators over {REPLICATIONS} seeded samples of size {SIZE}, the truth dashed: "
        "the largest observation is biased low but far less spread than 2ȳ; the Gamma shape's MLE "
        "is less spread than ȳ²/s²."
    )
    return Figure(
        "theory-moments.svg", svg(draw, (10.0, 3.6), panels=2, margins=MARGINS), caption, caption
    )


def equations_check(family: Distribution, mom: MomentEstimate, values: dict[str, float]) -> Check:
    """On a seeded sample, E[y^k](θ̃) equals the sample's mean of y^k."""
    sample = draws(family, values, (1, 200), seed=77)
    tilde = {k: float(v[0]) for k, v in sample_mean_estimates(mom.estimator, sample).items()}
    at = {p.symbol: tilde[p.name] for p in family.parameters}
    ours = [float(m.subs(at)) for m in population_moments(family)]
    theirs = [float(np.mean(sample ** (k + 1))) for k in range(len(ours))]
    return within(
        "moment equations hold at the estimate",
        float(np.max(np.abs(np.subtract(ours, theirs)))),
        0.0,
        1e-9,
    )


def checks(
    derived: dict[str, MomentEstimate], found: dict[str, dict[str, Any]]
) -> list[tuple[str, Check]]:
    result = []
    for name in SAME:
        same = all(
            sp.simplify(derived[name].estimator[k] - v) == 0
            for k, v in derived[name].mle.items()
            if v is not None
        )
        result.append((get(name).title, holds("the two estimators are the same", same)))
    for (name, parameter, values), estimators in zip(DIFFERENT, found.values(), strict=True):
        mse = {k: float(np.mean((v - values[parameter]) ** 2)) for k, v in estimators.items()}
        title = get(name).title
        result.append((title, equations_check(family_of(name), derived[name], values)))
        result.append(
            (
                title,
                holds(
                    f"MLE has the smaller mean squared error at n = {SIZE}",
                    mse["MLE"] < mse["method of moments"],
                ),
            )
        )
    return result


def page() -> Any:
    derived = {
        name: method_of_moments(family_of(name)) for name in (*SAME, *(d[0] for d in DIFFERENT))
    }
    found = {
        f"{family_of(name).title} {inline(family_of(name).parameter(p).symbol)}": sampling(
            family_of(name), derived[name], p, v, 70 + k
        )
        for k, (name, p, v) in enumerate(DIFFERENT)
    }
    return theory_page(
        "method-of-moments.md",
        "Method of moments vs MLE",
        "the method of moments and the MLE, derived side by side.",
        [figure(found)],
        checks(derived, found),
        steps=[d.step for d in derived.values()],
        size=SIZE,
        replications=REPLICATIONS,
    )
