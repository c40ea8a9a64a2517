"""The four diagnostic plots of R's fitdistrplus (denscomp, cdfcomp, qqcomp, ppcomp) for fitted
families: the points behind each plot as arrays, and the plots as SVG. Every curve comes from
the family's fitted scipy.stats twin, the route ``fit_statistics`` takes to the CDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from symmle.derive.compiled import Array
from symmle.render.svg import svg


@dataclass(frozen=True)
class Fitted:
    """A family at its estimate: the name and title its curves go by, and its twin."""

    name: str
    title: str
    discrete: bool
    twin: Any


COLOURS = ("#3f51b5", "#e91e63", "#ff9800", "#009688", "#795548", "#9c27b0")
DATA = "#9e9e9e"
SIZE = (6.0, 3.8)
MARGINS = {"left": 0.11, "right": 0.97, "bottom": 0.13, "top": 0.92}
"""Fixed margins: tight_layout would draw every plot twice."""


def plotting_positions(n: int) -> Array:
    """R's ppoints(n): (i − a)/(n + 1 − 2a) for i = 1…n, a = 3/8 for n ≤ 10, else 1/2."""
    a = 3 / 8 if n <= 10 else 1 / 2
    return np.asarray((np.arange(1, n + 1) - a) / (n + 1 - 2 * a), dtype=np.float64)


def qq_points(twin: Any, sample: Array) -> tuple[Array, Array]:
    """Q–Q: the fitted quantiles at the plotting positions (x) against the sorted data (y)."""
    ordered = np.sort(sample)
    return np.asarray(twin.ppf(plotting_positions(ordered.size)), float), ordered


def pp_points(twin: Any, sample: Array) -> tuple[Array, Array]:
    """P–P: the fitted CDF at the sorted data (x) against the plotting positions (y)."""
    ordered = np.sort(sample)
    return np.asarray(twin.cdf(ordered), float), plotting_positions(ordered.size)


def empirical_cdf(sample: Array) -> tuple[Array, Array]:
    """The ECDF's steps: each distinct value and the share of the data at or below it."""
    values, counts = np.unique(sample, return_counts=True)
    return values, np.cumsum(counts) / sample.size


def grid(sample: Array, discrete: bool) -> Array:
    """Where the fitted curves are drawn: the integers from min to max yᵢ for a pmf, else 201
    points over the data and a margin of a tenth of their range on each side."""
    low, high = float(np.min(sample)), float(np.max(sample))
    if discrete:
        return np.arange(np.floor(low), np.ceil(high) + 1)
    margin = 0.1 * ((high - low) or max(abs(high), 1.0))
    return np.linspace(low - margin, high + margin, 201)


def density_points(fitted: Fitted, sample: Array) -> tuple[Array, Array]:
    """The fitted pmf at the integers, or pdf on the grid (0 outside the support)."""
    x = grid(sample, fitted.discrete)
    density = fitted.twin.pmf(x) if fitted.discrete else fitted.twin.pdf(x)
    return x, np.asarray(density, float)


def cdf_points(fitted: Fitted, sample: Array) -> tuple[Array, Array]:
    """The fitted CDF at the integers (a step) or on the grid."""
    x = grid(sample, fitted.discrete)
    return x, np.asarray(fitted.twin.cdf(x), float)


def diagnostic_plots(sample: Array, fitted: Sequence[Fitted]) -> dict[str, str]:
    """The four plots as SVG text, by name: density, cdf, qq, pp."""
    plots: dict[str, Callable[[Array, Sequence[Fitted]], Callable[[Any], None]]] = {
        "density": draw_density,
        "cdf": draw_cdf,
        "qq": draw_qq,
        "pp": draw_pp,
    }
    return {name: svg(draw(sample, fitted), SIZE, margins=MARGINS) for name, draw in plots.items()}


def draw_density(sample: Array, fitted: Sequence[Fitted]) -> Callable[[Any], None]:
    """denscomp: the data's relative frequencies (counts) or histogram, the fitted densities."""
    counts = all(f.discrete for f in fitted)

    def draw(axes: Any) -> None:
        if counts:
            values, number = np.unique(sample, return_counts=True)
            heights = number / sample.size
            axes.vlines(values, 0, heights, colors=DATA, linewidth=8, gid="density-data")
        else:
            heights, edges = np.histogram(sample, bins="auto", density=True)
            axes.stairs(heights, edges, fill=True, color=DATA, alpha=0.6, gid="density-data")
        top = float(np.max(heights))
        for f, colour in zip(fitted, COLOURS, strict=False):
            x, y = density_points(f, sample)
            style = "o-" if f.discrete else "-"
            axes.plot(x, y, style, color=colour, label=f.title, gid=f"density-{f.name}")
            top = max(top, float(np.max(y[(x >= np.min(sample)) & np.isfinite(y)], initial=0.0)))
        axes.set_ylim(0, 1.15 * top)
        axes.set_xlabel("y")
        axes.set_ylabel("probability" if counts else "density")
        axes.set_title("Data and fitted densities")
        axes.legend()

    return draw


def draw_cdf(sample: Array, fitted: Sequence[Fitted]) -> Callable[[Any], None]:
    """cdfcomp: the empirical CDF and the fitted ones."""

    def draw(axes: Any) -> None:
        values, shares = empirical_cdf(sample)
        axes.step(values, shares, where="post", color="black", label="empirical", gid="cdf-data")
        for f, colour in zip(fitted, COLOURS, strict=False):
            x, y = cdf_points(f, sample)
            if f.discrete:
                axes.step(x, y, where="post", color=colour, label=f.title, gid=f"cdf-{f.name}")
            else:
                axes.plot(x, y, color=colour, label=f.title, gid=f"cdf-{f.name}")
        axes.set_ylim(0, 1.02)
        axes.set_xlabel("y")
        axes.set_ylabel("CDF")
        axes.set_title("Empirical and fitted CDFs")
        axes.legend()

    return draw


def draw_qq(sample: Array, fitted: Sequence[Fitted]) -> Callable[[Any], None]:
    """qqcomp: the sorted data against each family's quantiles, and the identity line."""
    labels = ("fitted quantiles", "data (sorted)", "Q–Q plot")
    return scatter("qq", qq_points, sample, fitted, labels)


def draw_pp(sample: Array, fitted: Sequence[Fitted]) -> Callable[[Any], None]:
    """ppcomp: the plotting positions against each fitted CDF at the data, and the identity."""
    labels = ("fitted CDF at the data", "plotting position", "P–P plot")
    return scatter("pp", pp_points, sample, fitted, labels)


def scatter(
    name: str,
    points: Callable[[Any, Array], tuple[Array, Array]],
    sample: Array,
    fitted: Sequence[Fitted],
    labels: tuple[str, str, str],
) -> Callable[[Any], None]:
    """Each family's points, and the identity line across all of them."""

    def draw(axes: Any) -> None:
        ends: list[float] = []
        for f, colour in zip(fitted, COLOURS, strict=False):
            x, y = points(f.twin, sample)
            axes.plot(x, y, "o", color=colour, markersize=3, label=f.title, gid=f"{name}-{f.name}")
            shown = np.concatenate([x[np.isfinite(x)], y])
            ends += [float(np.min(shown)), float(np.max(shown))]
        low, high = min(ends), max(ends)
        axes.plot([low, high], [low, high], color="black", linewidth=0.8, gid=f"{name}-identity")
        axes.set_xlabel(labels[0])
        axes.set_ylabel(labels[1])
        axes.set_title(labels[2])
        axes.legend()

    return draw
