"""The page "Asymptotic normality": histograms of √n(θ̂ − θ) with the N(0, I(θ)⁻¹) density over
them, and the coverage of 95% Wald intervals against n."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from symmle.checks import Check
from symmle.derive.general import general
from symmle.families import get
from symmle.inference import information
from symmle.inference.efficiency import bound_step
from symmle.inference.simulate import Z95, draws, estimates, row_statistics, wald_errors
from symmle.printing.latex import inline
from symmle.site.figures import Figure, svg
from symmle.site.theory.common import MARGINS, SINGLE, relative_spread, theory_page, within

HISTOGRAM = ("exponential", "lambda", {"lambda": 1.7})
HISTOGRAM_SIZES = (5, 30, 300)
HISTOGRAM_REPLICATIONS = 3000
COVERAGE: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("bernoulli", "theta", {"theta": 0.3}),
    ("poisson", "lambda", {"lambda": 3.5}),
    ("exponential", "lambda", {"lambda": 1.7}),
    ("gamma", "alpha", {"alpha": 2.5, "beta": 1.5}),
)
COVERAGE_SIZES = (10, 30, 100, 300, 1000)
COVERAGE_REPLICATIONS = 1000


def asymptotic_sd(name: str, parameter: str, values: dict[str, float]) -> float:
    """√Σⱼⱼ(θ): the standard deviation of the normal limit of √n(θ̂ − θ)."""
    info = information(get(name))
    assert info.covariance is not None
    k = [p.name for p in info.parameters].index(parameter)
    at = {p.symbol: values[p.name] for p in get(name).parameters}
    return float(np.sqrt(float(info.covariance[k, k].subs(at))))


def scaled_errors(seed: int) -> list[Any]:
    """√n(θ̂ − θ) over the replications, at each histogram size."""
    name, parameter, values = HISTOGRAM
    g = general(get(name))
    found = []
    for k, size in enumerate(HISTOGRAM_SIZES):
        samples = draws(get(name), values, (HISTOGRAM_REPLICATIONS, size), seed + k)
        estimate = estimates(g, row_statistics(g, samples))[parameter]
        found.append(np.sqrt(size) * (estimate - values[parameter]))
    return found


def coverages(name: str, parameter: str, values: dict[str, float], seed: int) -> Any:
    """The share of 95% Wald intervals (expected information) that cover the truth, by n."""
    family = get(name)
    g = general(family)
    info = information(family)
    assert info.covariance is not None
    k = [p.name for p in info.parameters].index(parameter)
    shares = []
    for j, size in enumerate(COVERAGE_SIZES):
        samples = draws(family, values, (COVERAGE_REPLICATIONS, size), seed + j)
        found = estimates(g, row_statistics(g, samples))
        with np.errstate(all="ignore"):  # an estimate on the edge (all zeros) has no interval
            se = wald_errors(info.covariance, g, found, size, k)
            inside = np.abs(found[parameter] - values[parameter]) <= Z95 * se
        shares.append(float(np.mean(inside)))
    return np.array(shares)


def histogram_panels(axes: Any, errors: list[Any], sd: float) -> None:
    grid = np.linspace(-4 * sd, 4 * sd, 200)
    for ax, size, found in zip(axes, HISTOGRAM_SIZES, errors, strict=True):
        ax.hist(found, bins=60, range=(-4 * sd, 4 * sd), density=True, color="#90caf9")
        ax.plot(grid, stats.norm(0, sd).pdf(grid), color="#e91e63")
        ax.set_title(f"n = {size}", fontsize=10)
        ax.set_xlabel("√n(λ̂ − λ)")


def histogram_figure(errors: list[Any], sd: float) -> Figure:
    caption = (
        f"√n(λ̂ − λ) for the Exponential rate λ = {HISTOGRAM[2]['lambda']} over "
        f"{HISTOGRAM_REPLICATIONS} seeded samples at each n, with the density of N(0, λ²) = "
        "N(0, I(λ)⁻¹) over it: skewed for small n, normal for large n."
    )
    return Figure(
        "theory-normality.svg",
        svg(
            lambda axes: histogram_panels(axes, errors, sd), (10.0, 3.4), panels=3, margins=MARGINS
        ),
        caption,
        caption,
    )


def coverage_figure(shares: dict[str, Any]) -> Figure:
    band = 2 * np.sqrt(0.95 * 0.05 / COVERAGE_REPLICATIONS)

    def draw(axes: Any) -> None:
        axes.axhspan(0.95 - band, 0.95 + band, color="#eeeeee", label="0.95 ± 2 Monte Carlo errors")
        axes.axhline(0.95, color="black", linewidth=1)
        for label, found in shares.items():
            axes.semilogx(COVERAGE_SIZES, found, "o-", label=label)
        axes.set_xlabel("n")
        axes.set_ylabel("coverage of the 95% Wald interval")
        axes.legend(fontsize=8)

    caption = (
        f"The share of {COVERAGE_REPLICATIONS} seeded 95% Wald intervals θ̂ ± 1.96·SE (SE from "
        "n·I(θ̂)) that contain the truth: below 95% for small n, 95% within Monte Carlo error for "
        "large n."
    )
    return Figure("theory-coverage.svg", svg(draw, (7.0, 4.0), margins=SINGLE), caption, caption)


def checks(errors: list[Any], sd: float, shares: dict[str, Any]) -> list[tuple[str, Check]]:
    largest = HISTOGRAM_SIZES[-1]
    ratio = float(np.var(errors[-1], ddof=1)) / sd**2
    tolerance = relative_spread(HISTOGRAM_REPLICATIONS) + 5 / largest  # + the O(1/n) excess
    found = [
        (
            "Exponential",
            within(f"Var(√n(λ̂ − λ))/I(λ)⁻¹ at n = {largest} is 1", ratio, 1.0, tolerance),
        )
    ]
    monte_carlo = 4 * np.sqrt(0.95 * 0.05 / COVERAGE_REPLICATIONS) + 0.01
    for label, share in shares.items():
        found.append(
            (
                label,
                within(
                    "coverage at n = 1000 is 0.95 within Monte Carlo error",
                    float(share[-1]),
                    0.95,
                    monte_carlo,
                ),
            )
        )
    return found


def page() -> Any:
    name, parameter, values = HISTOGRAM
    sd = asymptotic_sd(name, parameter, values)
    errors = scaled_errors(seed=51)
    shares = {
        f"{get(n).title} {inline(get(n).parameter(p).symbol)}": coverages(n, p, v, 600 + 10 * k)
        for k, (n, p, v) in enumerate(COVERAGE)
    }
    steps = [bound_step(get(n), p) for n, p, _ in COVERAGE]
    return theory_page(
        "asymptotic-normality.md",
        "Asymptotic normality",
        "√n(θ̂ − θ) tends to N(0, I(θ)⁻¹), and Wald intervals reach their level.",
        [histogram_figure(errors, sd), coverage_figure(shares)],
        checks(errors, sd, shares),
        steps=steps,
        coverage_sizes=COVERAGE_SIZES,
        replications=COVERAGE_REPLICATIONS,
    )
