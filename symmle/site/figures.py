"""Plots of the worked examples as deterministic SVG (matplotlib)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize, stats

from symmle.checks import Check, compare
from symmle.derive.exact import floats
from symmle.errors import RegularityError
from symmle.families import Parameter
from symmle.inference.profile import profiles
from symmle.losses import LossResult
from symmle.printing.latex import inline
from symmle.render.svg import svg as svg  # the site's pages draw with it from here
from symmle.results import Result
from symmle.site.grid import on_grid


@dataclass(frozen=True)
class Figure:
    """An SVG image with the caption that goes under it."""

    name: str
    svg: str
    caption: str
    alt: str


CURVE, CONTOUR = (6.0, 3.6), (6.0, 4.2)
CURVE_MARGINS = (0.78, 0.2, 0.6, 0.15, 0.0)
CONTOUR_MARGINS = (0.75, 0.25, 0.6, 0.15, 0.0)
PROFILE_MARGINS = (0.65, 0.25, 0.6, 0.2, 0.65)
"""Margins in inches (left, right, bottom, top, between panels) that hold the tick labels and
axis labels of every family's figures: what tight_layout finds for them, without the extra
drawing it costs (a third of a figure's time)."""


def margins(
    size: tuple[float, float], inches: tuple[float, ...], panels: int = 1
) -> dict[str, float]:
    """Fixed margins in inches as matplotlib's subplot parameters (fractions of the figure,
    the gap between panels as a fraction of a panel's width)."""
    (width, height), (left, right, bottom, top, gap) = size, inches
    panel = (width - left - right - gap * (panels - 1)) / panels
    return {
        "left": left / width,
        "right": 1 - right / width,
        "bottom": bottom / height,
        "top": 1 - top / height,
        "wspace": gap / panel,
    }


def single(draw: Callable[[Any], None]) -> str:
    """One plot of the site's usual size, with the fixed margins of a curve."""
    return svg(draw, CURVE, margins=margins(CURVE, CURVE_MARGINS))


def axis(result: Result, p: Parameter, at: float, one: bool = True) -> Any:
    """A grid around the estimate, inside the domain; past the data for a support end."""
    width = max(abs(at), 1.0) * 0.9
    low, high = at - width, at + width
    statistic = result.general.plan.region.get(p.symbol)
    if statistic is not None:  # show the jump: half the grid beyond the order statistic
        low, high = (
            (at - width, at + width / 2)
            if statistic.statistic == "min"
            else (at - width / 2, at + width)
        )
    inf, sup = float(p.domain.inf), float(p.domain.sup)
    low = max(low, inf + 1e-3 * (1 + abs(inf))) if np.isfinite(inf) else low
    high = min(high, sup - 1e-3 * (1 + abs(sup))) if np.isfinite(sup) else high
    return np.linspace(low, high, 301 if one else 81)


def relative_likelihood(
    result: Result,
    ell: sp.Expr,
    symbols: list[sp.Symbol],
    grids: list[Any],
    fixed: dict[sp.Symbol, float],
) -> Any:
    """L/L(estimate) on a grid, zero where a support end excludes an observation."""
    g, sample = result.general, floats(result.data or ())
    points = np.stack([m.ravel() for m in np.meshgrid(*grids, indexing="xy")], axis=-1)
    columns = {s: points[:, k] for k, s in enumerate(symbols)} | fixed
    values = np.array(on_grid(ell, g.form, np.asarray(sample, float), columns))
    for k, s in enumerate(symbols):
        statistic = g.plan.region.get(s)
        if statistic is not None:
            edge = np.min(sample) if statistic.statistic == "min" else np.max(sample)
            outside = points[:, k] > edge if statistic.statistic == "min" else points[:, k] < edge
            values[outside] = -np.inf
    best = np.max(values[np.isfinite(values)])
    shape = tuple(len(grid) for grid in reversed(grids))
    return np.exp(values - best).reshape(shape)


def likelihood_figure(result: Result) -> Figure:
    """The likelihood of the worked example: a curve for one parameter or a profile, the
    filled contours for two, bars for the Categorical's probabilities."""
    family, plan = result.family, result.general.plan
    at = {p.symbol: float(result.estimate[p.name]) for p in family.parameters}
    if plan.constraint is not None:
        return probability_bars(result)
    if len(family.parameters) == 1 or plan.profiled:
        (p,) = [q for q in family.parameters if q.symbol not in plan.profiled]
        ell = plan.log_likelihood if plan.profiled else result.general.log_likelihood
        grid = axis(result, p, at[p.symbol])
        values = relative_likelihood(result, ell, [p.symbol], [grid], {})
        return curve(result, p, grid, values, bool(plan.profiled))
    first, second = family.parameters
    grids = [axis(result, q, at[q.symbol], one=False) for q in (first, second)]
    values = relative_likelihood(
        result, result.general.log_likelihood, [first.symbol, second.symbol], grids, {}
    )
    return contour(result, first, second, grids, values)


def curve(result: Result, p: Parameter, grid: Any, values: Any, profile: bool) -> Figure:
    name = inline(p.symbol)
    best = float(result.estimate[p.name])
    what = "profile likelihood" if profile else "likelihood"

    def draw(axes: Any) -> None:
        axes.plot(grid, values, color="#3f51b5")
        axes.axvline(best, color="#e91e63", linestyle="--")
        axes.plot([best], [1.0], "o", color="#e91e63")
        axes.annotate(
            f"maximum at {name} = {best:.4g}",
            (best, 1.0),
            xytext=(10, -4),
            textcoords="offset points",
        )
        axes.set_xlabel(name)
        axes.set_ylabel(f"relative {what}")

    caption = (
        f"The {what} of the {result.family.title} sample over {name}, relative to its maximum: "
        f"the maximum is at the estimate {name} = {inline(result.estimate[p.name])}."
    )
    return Figure(f"{result.family.name}-likelihood.svg", single(draw), caption, caption)


def contour(
    result: Result, first: Parameter, second: Parameter, grids: list[Any], values: Any
) -> Figure:
    a, b = (float(result.estimate[p.name]) for p in (first, second))
    names = f"{inline(first.symbol)}, {inline(second.symbol)}"

    def draw(axes: Any) -> None:
        filled = axes.contourf(grids[0], grids[1], values, levels=20, cmap="viridis")
        axes.figure.colorbar(filled, ax=axes, label=f"relative likelihood L({names})")
        axes.plot([a], [b], "o", color="#e91e63")
        axes.annotate(
            f"maximum ({a:.4g}, {b:.4g})",
            (a, b),
            xytext=(8, 8),
            textcoords="offset points",
            color="white",
        )
        axes.set_xlabel(inline(first.symbol))
        axes.set_ylabel(inline(second.symbol))

    at = ", ".join(inline(result.estimate[p.name]) for p in (first, second))
    caption = (
        f"The likelihood of the {result.family.title} sample over ({names}), relative to its "
        f"maximum: the maximum is at ({names}) = ({at})."
    )
    image = svg(draw, CONTOUR, margins=margins(CONTOUR, CONTOUR_MARGINS))
    return Figure(f"{result.family.name}-likelihood.svg", image, caption, caption)


def probability_bars(result: Result) -> Figure:
    names = [p.name for p in result.family.parameters]
    shares = [float(result.estimate[k]) for k in names]

    def draw(axes: Any) -> None:
        axes.bar(range(1, len(names) + 1), shares, color="#3f51b5")
        axes.set_xlabel("category j")
        axes.set_ylabel("estimated probability")

    caption = (
        f"The estimated probabilities of the {result.family.title} sample: each is its "
        "category's share of the observations."
    )
    return Figure(f"{result.family.name}-likelihood.svg", single(draw), caption, caption)


def least_squares(loss: LossResult) -> tuple[Figure, Check]:
    """Noisy data and the line that minimises the derived mean loss, with the check that
    it is numpy.polyfit's least-squares line."""
    rng = np.random.default_rng(7)
    x = np.linspace(0.0, 4.0, 30)
    y = 1.5 * x + 0.5 + rng.normal(0.0, 0.6, x.size)
    design = np.column_stack([x, np.ones_like(x)])
    slope, intercept = minimise_mean_loss(loss, design, y)

    def draw(axes: Any) -> None:
        axes.plot(x, y, "o", color="#3f51b5", label="noisy data")
        axes.plot(
            x,
            slope * x + intercept,
            color="#e91e63",
            label=f"least squares: y = {slope:.3f} x + {intercept:.3f}",
        )
        axes.set_xlabel("x")
        axes.set_ylabel("y")
        axes.legend()

    caption = (
        "Noisy data y = 1.5x + 0.5 + noise and the line that minimises the mean squared "
        "error derived from the Normal NLL."
    )
    fit = np.polyfit(x, y, 1)
    check = compare(
        "line minimising the derived loss equals numpy.polyfit", [slope, intercept], fit, 1e-5
    )
    return Figure("least-squares.svg", single(draw), caption, caption), check


def minimise_mean_loss(loss: LossResult, design: Any, y: Any) -> tuple[float, float]:
    """Minimise the mean of the derived per-sample loss over a linear model's weights."""

    def mean_loss(w: Any) -> float:
        return float(np.mean(loss.fn(y, design @ w)))

    found = optimize.minimize(
        mean_loss, np.zeros(design.shape[1]), method="BFGS", options={"gtol": 1e-10}
    )
    return float(found.x[0]), float(found.x[1])


def profile_figure(result: Result) -> Figure | None:
    """2(ℓ̂ − ℓₚ) of each parameter of the worked example with the χ² cut-off: the profile
    interval where the curve lies under it, the Wald interval's ends beside it."""
    cutoff = float(stats.chi2.ppf(0.95, 1))
    try:
        found = result.interval(method="profile")  # the page's table found them already
    except RegularityError:
        return None
    curves = profiles(result)
    try:
        wald = result.interval()
    except RegularityError:
        wald = {}
    names = list(found)

    def draw(axes: Any) -> None:
        for panel, name in zip(np.atleast_1d(axes), names, strict=True):
            p, curve = result.family.parameter(name), curves[name]
            low, high = found[name]
            grid = deviance_grid(curve, low, high, wald.get(name))
            panel.plot(grid, [min(curve.deviance(v), 3 * cutoff) for v in grid], color="#3f51b5")
            panel.axhline(cutoff, color="#9e9e9e", linewidth=0.8)
            for end in (low, high):
                if np.isfinite(end):
                    panel.axvline(end, color="#e91e63")
            for end in wald.get(name, ()):
                panel.axvline(end, color="#ff9800", linestyle="--")
            panel.set_xlabel(inline(p.symbol))
            panel.set_ylabel("2(ℓ̂ − ℓₚ)")

    caption = (
        f"The profile deviance 2(ℓ̂ − ℓₚ) of each parameter of the {result.family.title} "
        f"sample: the 95% profile interval (solid ends) is where it lies under "
        f"χ²₁,₀.₉₅ = {cutoff:.3g} (grey); the Wald interval's ends are dashed."
    )
    size = (3.2 * len(names), 3.2)
    image = svg(draw, size, panels=len(names), margins=margins(size, PROFILE_MARGINS, len(names)))
    return Figure(f"{result.family.name}-profile.svg", image, caption, caption)


GRID = 25
"""Points of a profile curve: each one a constrained fit; the deviance is smooth."""


def deviance_grid(curve: Any, low: float, high: float, wald: tuple[float, float] | None) -> Any:
    """Points across both intervals and a margin, inside where the parameter may go."""
    ends = [e for e in (low, high, *(wald or ())) if np.isfinite(e)]
    left, right = min(ends), max(ends)
    margin = 0.15 * (right - left or max(abs(right), 1.0))
    left, right = left - margin, right + margin
    if np.isfinite(curve.low):
        left = max(left, curve.low + 1e-6 * max(1.0, abs(curve.low)))
    if np.isfinite(curve.high):
        right = min(right, curve.high - 1e-6 * max(1.0, abs(curve.high)))
    return np.linspace(left, right, GRID)
