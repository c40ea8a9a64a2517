"""The page "Consistency": the estimate against n (10 … 10⁵) along one seeded sample per family,
converging to the truth, with the limit derived for the closed forms."""

from __future__ import annotations

from typing import Any

import numpy as np

from symmle.checks import Check
from symmle.derive.general import general
from symmle.families import get
from symmle.inference import information
from symmle.inference.consistency import consistency_step
from symmle.inference.simulate import draws, estimates, prefix_statistics, wald_errors
from symmle.printing.latex import inline
from symmle.site.figures import Figure, svg
from symmle.site.theory.common import SINGLE, theory_page, within

LARGEST = 100_000
SIZES = np.unique(np.logspace(1, 5, 41).astype(int))
PATHS: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("bernoulli", "theta", {"theta": 0.3}),
    ("exponential", "lambda", {"lambda": 1.7}),
    ("normal", "sigma", {"mu": 0.7, "sigma": 1.6}),
    ("gamma", "alpha", {"alpha": 2.5, "beta": 1.5}),
    ("uniform", "b", {"a": -1.0, "b": 2.5}),
)


def path_estimates(name: str, parameter: str, values: dict[str, float], seed: int) -> Any:
    """The estimate from the first m observations of one sample, for every m in SIZES."""
    family = get(name)
    g = general(family)
    path = draws(family, values, LARGEST, seed)
    return estimates(g, prefix_statistics(g, path, SIZES))[parameter]


def final_check(name: str, parameter: str, values: dict[str, float], last: float) -> Check:
    """At n = 10⁵ the estimate is within 5 standard errors of the truth (10 (b − a)/n for a
    support end, which converges at the rate 1/n)."""
    family = get(name)
    info = information(family)
    truth = values[parameter]
    if info.covariance is None:
        tolerance = 10 * (values["b"] - values["a"]) / LARGEST
    else:
        k = [p.name for p in info.parameters].index(parameter)
        found = {p: np.array([v]) for p, v in values.items()}
        tolerance = 5 * float(wald_errors(info.covariance, general(family), found, LARGEST, k)[0])
    return within(
        f"{parameter} at n = 10⁵ within 5 standard errors of the truth", last, truth, tolerance
    )


def figure(paths: dict[str, Any]) -> Figure:
    def draw(axes: Any) -> None:
        for (name, parameter, values), found in zip(PATHS, paths.values(), strict=True):
            error = np.abs(found - values[parameter]) / abs(values[parameter])
            symbol = inline(get(name).parameter(parameter).symbol)
            axes.loglog(SIZES, np.maximum(error, 1e-7), label=f"{get(name).title} {symbol}")
        axes.loglog(SIZES, 1 / np.sqrt(SIZES), "k--", linewidth=1, label="1/√n")
        axes.loglog(SIZES, 1 / SIZES, "k:", linewidth=1, label="1/n")
        axes.set_xlabel("n (observations used)")
        axes.set_ylabel("|θ̂ − θ| / θ")
        axes.legend(fontsize=8, ncol=2)

    caption = (
        "The relative error of the MLE from the first n observations of one sample per family: "
        "it falls like 1/√n for the regular parameters and like 1/n for the Uniform's end."
    )
    return Figure("theory-consistency.svg", svg(draw, (7.0, 4.2), margins=SINGLE), caption, caption)


def page() -> Any:
    paths = {
        f"{name} {parameter}": path_estimates(name, parameter, values, seed)
        for seed, (name, parameter, values) in enumerate(PATHS, start=31)
    }
    checks = [
        (get(name).title, final_check(name, parameter, values, float(found[-1])))
        for (name, parameter, values), found in zip(PATHS, paths.values(), strict=True)
    ]
    steps = [
        consistency_step(get(name), parameter) for name, parameter, _ in PATHS if name != "gamma"
    ]
    return theory_page(
        "consistency.md",
        "Consistency",
        "the MLE converges to the truth as the sample grows.",
        [figure(paths)],
        checks,
        steps=steps,
        truths=PATHS,
    )
