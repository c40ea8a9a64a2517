"""The vector pages' figures, each with the worked example on the left and the larger seeded
sample on the right: the fitted bivariate Normal's density contours under the rows, the
Multinomial's p̂ with Wald intervals over each row's shares, and the fitted Dirichlet's
density on the simplex (a ternary plot) under the rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

from symmle.site.figures import Figure, svg
from symmle.site.vector.checks import Array, rows
from symmle.site.vector.samples import Sample
from symmle.vector import VectorResult

COLOURS = ("#3f51b5", "#e91e63", "#ff9800")
SIZE = (8.0, 3.6)
CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
"""The simplex's corners x₁ = 1, x₂ = 1, x₃ = 1 in the plane (barycentric coordinates)."""


def normal_panel(axes: Any, result: VectorResult, title: str) -> None:
    """Filled contours of the fitted density, the rows, and μ̂."""
    X, values = rows(result), result.estimate_values()
    mu, sigma = values["mu"], values["Sigma"]
    reach = 3 * np.sqrt(np.diag(sigma))
    low, high = np.minimum(mu - reach, X.min(axis=0)), np.maximum(mu + reach, X.max(axis=0))
    gx, gy = (np.linspace(low[c], high[c], 80) for c in range(2))
    grid = np.dstack(np.meshgrid(gx, gy))
    density = stats.multivariate_normal(mu, sigma).pdf(grid)
    filled = axes.contourf(gx, gy, density, levels=12, cmap="Blues")
    axes.figure.colorbar(filled, ax=axes, label="fitted density")
    axes.plot(X[:, 0], X[:, 1], "o", color=COLOURS[2], markeredgecolor="black", label="rows yᵢ")
    axes.plot(*mu, "X", color=COLOURS[1], markersize=10, markeredgecolor="white", label="μ̂")
    axes.set_xlabel("y₁")
    axes.set_ylabel("y₂")
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=7, loc="upper left")


def multinomial_panel(axes: Any, result: VectorResult, title: str, truth: Any = None) -> None:
    """Bars of p̂ⱼ with their Wald intervals, each row's share xᵢⱼ/m as a dot."""
    X = rows(result)
    shares = X / X[0].sum()
    p = np.array(list(result.estimate_values().values()), float)
    ends = np.array(list(result.interval().values()))
    places = np.arange(1, p.size + 1)
    errors = np.abs(ends.T - p)
    axes.bar(places, p, width=0.6, color="#c5cae9", label="p̂ⱼ")
    axes.errorbar(
        places, p, yerr=errors, fmt="none", ecolor=COLOURS[0], capsize=6, label="95% Wald"
    )
    jitter = np.linspace(-0.2, 0.2, len(X))
    for c in range(p.size):
        axes.plot(places[c] + jitter, shares[:, c], ".", color=COLOURS[2], alpha=0.8)
    axes.plot([], [], ".", color=COLOURS[2], label="row shares xᵢⱼ/m")
    if truth is not None:
        axes.plot(places, truth, "_", color=COLOURS[1], markersize=26, mew=2, label="true pⱼ")
    axes.set_xticks(places, [f"j = {c}" for c in places])
    axes.set_ylim(0, 1)
    axes.set_ylabel("probability")
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=7, loc="upper right")


def plane(points: Array) -> Array:
    """Barycentric (x₁, x₂, x₃) rows to points of the triangle."""
    found: Array = points @ CORNERS
    return found


def barycentric(points: Array) -> Array:
    """Points of the triangle back to rows (x₁, x₂, x₃) on the simplex."""
    system = np.vstack([CORNERS.T, np.ones(3)])
    found: Array = np.linalg.solve(system, np.vstack([points.T, np.ones(len(points))])).T
    return found


def dirichlet_panel(axes: Any, result: VectorResult, title: str) -> None:
    """The fitted density on a refined triangle (a margin from the edges), the rows, and the
    fitted mean α̂/α̂₀."""
    from matplotlib.tri import Triangulation, UniformTriRefiner

    alpha = np.array(list(result.estimate_values().values()), float)
    inner = 0.995 * CORNERS + 0.005 * CORNERS.mean(axis=0)
    mesh = UniformTriRefiner(Triangulation(inner[:, 0], inner[:, 1])).refine_triangulation(subdiv=5)
    density = stats.dirichlet.pdf(barycentric(np.column_stack([mesh.x, mesh.y])).T, alpha)
    filled = axes.tricontourf(mesh, density, levels=12, cmap="Blues")
    axes.figure.colorbar(filled, ax=axes, label="fitted density")
    axes.plot(*plane(rows(result)).T, "o", color=COLOURS[2], markeredgecolor="black", label="rows")
    axes.plot(*plane(alpha / alpha.sum()), "X", color=COLOURS[1], markersize=10, label="α̂/α̂₀")
    axes.plot(*np.vstack([CORNERS, CORNERS[:1]]).T, color="black", linewidth=0.8)
    for corner, name, shift in zip(
        CORNERS, ("x₁ = 1", "x₂ = 1", "x₃ = 1"), ((-6, -12), (6, -12), (0, 6)), strict=True
    ):
        axes.annotate(
            name, corner, xytext=shift, textcoords="offset points", ha="center", fontsize=8
        )
    axes.set_aspect("equal")
    axes.set_axis_off()
    axes.set_title(title, fontsize=9, pad=16)
    axes.legend(fontsize=7, loc="upper left")


PANELS: dict[str, Callable[..., None]] = {
    "multivariate_normal": normal_panel,
    "multinomial": multinomial_panel,
    "dirichlet": dirichlet_panel,
}
CAPTIONS = {
    "multivariate_normal": (
        "The bivariate Normal N(μ̂, Σ̂) fitted by maximum likelihood, its density as filled "
        "contours under the rows (dots) and μ̂ (cross): the worked example (left) and {law} "
        "(right). The contours are ellipses centred at μ̂, shaped by Σ̂."
    ),
    "multinomial": (
        "The estimated probabilities p̂ⱼ (bars) with their 95% Wald intervals, over each "
        "row's share xᵢⱼ/m of its trials (dots): the worked example (left) and {law} (right, "
        "the true pⱼ as red bars). Each p̂ⱼ is the mean of its category's shares."
    ),
    "dirichlet": (
        "The simplex x₁ + x₂ + x₃ = 1 as a triangle (each corner a share of one): the "
        "density of the Dirichlet fitted by maximum likelihood as filled contours under the "
        "rows (dots) and the fitted mean α̂/α̂₀ (cross), for the worked example (left) and "
        "{law} (right)."
    ),
}


def vector_figure(example: VectorResult, sample: VectorResult, drawn: Sample) -> Figure:
    """The family's two panels: the worked example and the larger sample."""
    name = example.family.name
    panel = PANELS[name]

    def draw(axes: Any) -> None:
        left, right = axes
        panel(left, example, f"worked example: n = {example.size}")
        extra = {"truth": drawn.truth} if name == "multinomial" else {}
        panel(right, sample, f"seeded sample: n = {sample.size}", **extra)

    caption = CAPTIONS[name].format(law=f"{sample.size} rows drawn from {drawn.law}")
    return Figure(f"{name}-fit.svg", svg(draw, SIZE, panels=2), caption, caption)
