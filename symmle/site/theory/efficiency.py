"""The page "Efficiency": the Monte Carlo variance of the MLE against n next to the Cramér–Rao
bound, and against the method of moments where they differ (Gamma shape, Uniform end)."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symmle.checks import Check
from symmle.derive.general import general
from symmle.families import Distribution, get
from symmle.inference import information
from symmle.inference.efficiency import bound_step
from symmle.inference.moments import method_of_moments
from symmle.inference.rates import end_against_moments_step, largest_moment
from symmle.inference.simulate import draws, estimates, row_statistics, sample_mean_estimates
from symmle.printing.latex import inline
from symmle.site.figures import Figure, svg
from symmle.site.theory.common import MARGINS, holds, relative_spread, theory_page, within
from symmle.symbols import n

REPLICATIONS = 1000
GRID = {**MARGINS, "bottom": 0.08, "top": 0.95}
SIZES = (10, 30, 100, 300, 1000)
CASES: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("poisson", "lambda", {"lambda": 3.5}),
    ("exponential", "lambda", {"lambda": 1.7}),
    ("gamma", "alpha", {"alpha": 2.5, "beta": 1.5}),
    ("uniform", "b", {"b": 2.5}),
)


def family_of(name: str) -> Distribution:
    """The Uniform is Uniform(0, b) here: one end known, the other estimated."""
    family = get(name)
    return family.fix({"a": sp.Integer(0)}) if name == "uniform" else family


def variances(
    family: Distribution, parameter: str, values: dict[str, float], seed: int
) -> dict[str, Any]:
    """The Monte Carlo variance of the MLE (and of the method of moments) at each n."""
    g = general(family)
    mom = method_of_moments(family).estimator if differs(family) else None
    found: dict[str, list[float]] = {"MLE": [], "method of moments": []}
    for k, size in enumerate(SIZES):
        samples = draws(family, values, (REPLICATIONS, size), seed + k)
        mle = estimates(g, row_statistics(g, samples))[parameter]
        found["MLE"].append(float(np.var(mle, ddof=1)))
        if mom is not None:
            moments = sample_mean_estimates(mom, samples)[parameter]
            found["method of moments"].append(float(np.var(moments, ddof=1)))
    return {key: np.array(v) for key, v in found.items()}


def differs(family: Distribution) -> bool:
    """The families whose method-of-moments estimator is not the MLE."""
    return family.name in ("gamma", "uniform")


def reference(family: Distribution, parameter: str, values: dict[str, float]) -> tuple[str, Any]:
    """The Cramér–Rao bound at each n, or the MLE's exact variance for a support end."""
    at = {p.symbol: values[p.name] for p in family.parameters}
    info = information(family)
    if info.covariance is None:
        mean = largest_moment(family, 1)
        exact = (largest_moment(family, 2) - mean**2).subs(at)
        return "exact Var(y₍ₙ₎)", np.array([float(exact.subs(n, s)) for s in SIZES])
    k = [p.name for p in info.parameters].index(parameter)
    bound = float(info.covariance[k, k].subs(at))
    return "Cramér–Rao bound", bound / np.array(SIZES, dtype=float)


def panel(axes: Any, title: str, found: dict[str, Any], label: str, line: Any, mom: bool) -> None:
    axes.loglog(SIZES, found["MLE"], "o-", color="#3f51b5", label="MLE")
    if mom:
        axes.loglog(
            SIZES, found["method of moments"], "s-", color="#ff9800", label="method of moments"
        )
    axes.loglog(SIZES, line, "k--", label=label)
    axes.set_title(title, fontsize=10)
    axes.set_xlabel("n")
    axes.legend(fontsize=8)


def figure(results: list[tuple[str, dict[str, Any], str, Any, bool]]) -> Figure:
    def draw(axes: Any) -> None:
        for ax, result in zip(axes.ravel(), results, strict=True):
            panel(ax, *result)
        axes[0, 0].set_ylabel("variance over replications")
        axes[1, 0].set_ylabel("variance over replications")

    caption = (
        f"The variance of the MLE over {REPLICATIONS} seeded samples at each n (log–log), next to "
        "the Cramér–Rao bound 1/(n·I(θ)); where the method of moments differs, its variance too. "
        "The Uniform's end has no bound: its MLE's variance falls like 1/n²."
    )
    return Figure(
        "theory-efficiency.svg",
        svg(draw, (9.0, 7.0), panels=2, rows=2, margins=GRID),
        caption,
        caption,
    )


def checks(results: dict[str, tuple[dict[str, Any], Any]]) -> list[tuple[str, Check]]:
    spread = relative_spread(REPLICATIONS)
    poisson, bound = results["poisson"]
    ratio = poisson["MLE"] / bound
    found = [
        (
            "Poisson",
            within(
                "Var(λ̂)/bound at every n is 1 within Monte Carlo error",
                float(np.max(np.abs(ratio - 1))),
                0.0,
                spread,
            ),
        )
    ]
    for name in ("exponential", "gamma", "uniform"):
        simulated, line = results[name]
        last = float(simulated["MLE"][-1] / line[-1])
        found.append(
            (
                get(name).title,
                within(
                    "MLE variance at n = 1000 over the reference is 1 within Monte Carlo error",
                    last,
                    1.0,
                    spread + 5 / SIZES[-1],
                ),
            )
        )
    for name in ("gamma", "uniform"):
        simulated, _ = results[name]
        found.append(
            (
                get(name).title,
                holds(
                    "the method of moments has the larger variance at n = 1000",
                    simulated["method of moments"][-1] > simulated["MLE"][-1],
                ),
            )
        )
    return found


def page() -> Any:
    results: dict[str, tuple[dict[str, Any], Any]] = {}
    panels = []
    for seed, (name, parameter, values) in enumerate(CASES, start=41):
        family = family_of(name)
        found = variances(family, parameter, values, 100 * seed)
        label, line = reference(family, parameter, values)
        results[name] = (found, line)
        symbol = inline(family.parameter(parameter).symbol)
        panels.append((f"{family.title} {symbol}", found, label, line, differs(family)))
    steps = [bound_step(family_of(name), parameter) for name, parameter, _ in CASES[:3]]
    steps.append(end_against_moments_step(family_of("uniform"), "b"))
    return theory_page(
        "efficiency.md",
        "Efficiency",
        "the variance of the MLE against the Cramér–Rao bound and the method of moments.",
        [figure(panels)],
        checks(results),
        steps=steps,
        cases=CASES,
        replications=REPLICATIONS,
    )
