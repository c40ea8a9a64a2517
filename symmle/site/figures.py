"""Plots of the worked examples as deterministic SVG (matplotlib)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from scipy import optimize

from symmle.render.latex import inline
from symmle.losses.family import LossResult
from symmle.checks import Check, compare
from symmle.derive.result import Result

STYLE: dict[Any, Any] = {"svg.hashsalt": "symmle", "svg.fonttype": "path", "font.size": 10}


@dataclass(frozen=True)
class Figure:
    """An SVG image with the caption that goes under it."""

    name: str
    svg: str
    caption: str
    alt: str


def svg(draw: Callable[[Any], None], size: tuple[float, float] = (6.0, 3.6)) -> str:
    """Draw on fresh axes and return the SVG text, identical from run to run."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=size)
        draw(axes)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
        plt.close(figure)
    return out.getvalue()


def likelihood_curve(result: Result) -> Figure:
    """A one-parameter likelihood over its domain, with the MLE marked."""
    (p,) = result.family.parameters
    likelihood = sp.lambdify([p.symbol], sp.exp(result.log_likelihood), "numpy")
    grid = np.linspace(float(p.domain.inf), float(p.domain.sup), 401)
    with np.errstate(divide="ignore"):
        values = likelihood(grid)
    best = float(result.estimate[p.name])
    peak = float(likelihood(best))

    def draw(axes: Any) -> None:
        axes.plot(grid, values, color="#3f51b5")
        axes.axvline(best, color="#e91e63", linestyle="--")
        axes.plot([best], [peak], "o", color="#e91e63")
        axes.annotate(
            f"maximum at {name} = {inline(result.estimate[p.name])}",
            (best, peak),
            xytext=(10, -4),
            textcoords="offset points",
        )
        axes.set_xlabel(name)
        axes.set_ylabel(f"likelihood L({name})")

    name = inline(p.symbol)
    caption = (
        f"The likelihood of the {result.family.title} sample over {name}: "
        f"its maximum is at the estimate {name} = {inline(result.estimate[p.name])}."
    )
    return Figure(f"{result.family.name}-likelihood.svg", svg(draw), caption, caption)


def likelihood_contour(result: Result) -> Figure:
    """A two-parameter likelihood as filled contours, with the MLE marked."""
    first, second = result.family.parameters
    likelihood = sp.lambdify([first.symbol, second.symbol], sp.exp(result.log_likelihood), "numpy")
    a, b = (float(result.estimate[p.name]) for p in (first, second))
    x = np.linspace(a - 1.5, a + 1.5, 241)
    y = np.linspace(max(b / 4, 1e-3), b * 2.5, 241)
    grid_x, grid_y = np.meshgrid(x, y)
    values = likelihood(grid_x, grid_y)

    def draw(axes: Any) -> None:
        filled = axes.contourf(grid_x, grid_y, values, levels=20, cmap="viridis")
        axes.figure.colorbar(filled, ax=axes, label=f"likelihood L({names})")
        axes.plot([a], [b], "o", color="#e91e63")
        axes.annotate(
            f"maximum ({a:g}, {b:.4f})",
            (a, b),
            xytext=(8, 8),
            textcoords="offset points",
            color="white",
        )
        axes.set_xlabel(inline(first.symbol))
        axes.set_ylabel(inline(second.symbol))

    names = f"{inline(first.symbol)}, {inline(second.symbol)}"
    at = ", ".join(inline(result.estimate[p.name]) for p in (first, second))
    caption = (
        f"The likelihood of the {result.family.title} sample over ({names}): "
        f"its maximum is at ({names}) = ({at})."
    )
    return Figure(f"{result.family.name}-likelihood.svg", svg(draw, (6.0, 4.2)), caption, caption)


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
    return Figure("least-squares.svg", svg(draw), caption, caption), check


def minimise_mean_loss(loss: LossResult, design: Any, y: Any) -> tuple[float, float]:
    """Minimise the mean of the derived per-sample loss over a linear model's weights."""

    def mean_loss(w: Any) -> float:
        return float(np.mean(loss.fn(y, design @ w)))

    found = optimize.minimize(
        mean_loss, np.zeros(design.shape[1]), method="BFGS", options={"gtol": 1e-10}
    )
    return float(found.x[0]), float(found.x[1])
