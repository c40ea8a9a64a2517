"""The EM page's figures: the fitted mixture over the data (a histogram, or count frequencies)
with its weighted components, and ℓ at each iteration of every start."""

from __future__ import annotations

from typing import Any

import numpy as np

from symmle.site.em.example import Example
from symmle.site.figures import Figure, single, svg

COLOURS = ("#3f51b5", "#e91e63", "#ff9800", "#009688", "#9c27b0")


def shown(example: Example) -> str:
    """The estimate as "name = value" pairs for a caption."""
    return ", ".join(f"{name} = {v:.4g}" for name, v in example.estimate.items())


def density_figure(example: Example, name: str) -> Figure:
    """The data (histogram or count frequencies), the fitted mixture and its components."""
    twin = example.twin(list(example.estimate.values()))
    y = example.y
    if twin.discrete:
        grid = np.arange(0, int(y.max()) + 4)
    else:
        low, high = np.floor(y.min()) - 1, np.ceil(y.max()) + 1
        grid = np.linspace(low, high, 400)
    mixture = np.exp(twin.log_density(grid))
    parts = [
        w * (d.pmf(grid) if twin.discrete else d.pdf(grid))
        for w, d in zip(twin.weights, twin.parts, strict=True)
    ]

    def draw(axes: Any) -> None:
        if twin.discrete:
            values, counts = np.unique(y, return_counts=True)
            axes.bar(values, counts / y.size, width=0.8, color="#c5cae9", label="data (frequency)")
            axes.plot(grid, mixture, "o-", color=COLOURS[0], label="fitted mixture")
            style = "s--"
        else:
            edges = np.arange(np.floor(y.min()), np.ceil(y.max()) + 1)
            axes.hist(y, bins=edges, density=True, color="#c5cae9", label="data (histogram)")
            axes.plot(y, np.zeros_like(y), "|", color="black", markersize=12)
            axes.plot(grid, mixture, color=COLOURS[0], label="fitted mixture")
            style = "--"
        for c, part in enumerate(parts, 1):
            axes.plot(grid, part, style, color=COLOURS[c], label=f"w_{c} × component {c}")
        axes.set_xlabel("y")
        axes.set_ylabel("probability" if twin.discrete else "density")
        axes.legend(fontsize=8)

    title = example.family.title
    caption = (
        f"The {title} with k = 2 fitted by EM to the {y.size} values "
        f"({'relative frequencies' if twin.discrete else 'histogram'}): {shown(example)}. "
        "The dashed curves are the weighted components w_j f(y; θ_j), whose sum is the mixture."
    )
    return Figure(name, single(draw), caption, caption)


def log_likelihood_figure(example: Example, name: str) -> Figure:
    """ℓ per iteration for every start (left) and log₁₀(ℓ̂ − ℓ) for the run kept (right)."""
    best = example.fitted.best
    top = best.log_likelihood
    ells = np.array([it.log_likelihood for it in best.history])

    def draw(axes: Any) -> None:
        left, right = axes
        for colour, run in zip(COLOURS, example.fitted.runs, strict=False):
            ell = [it.log_likelihood for it in run.history]
            width = 2.5 if run is best else 1.0
            left.plot(ell, ".-", color=colour, linewidth=width, label=run.start)
        left.set_xlabel("iteration t")
        left.set_ylabel("ℓ(θ⁽ᵗ⁾)")
        left.legend(fontsize=7)
        gap = np.log10(np.maximum(top - ells[:-1], 1e-16))  # no log axis: its mathtext is slow
        right.plot(gap, ".-", color=COLOURS[0])
        right.set_xlabel("iteration t")
        right.set_ylabel("log₁₀(ℓ̂ − ℓ(θ⁽ᵗ⁾))")

    caption = (
        f"EM on the {example.family.title} example: ℓ at each iteration from each of the "
        f"{len(example.fitted.runs)} starts, never decreasing (left); for the run kept "
        f"({best.start}), the distance to the maximum ℓ̂ = {top:.8g} on a log scale (right): "
        "a straight line, EM's linear convergence."
    )
    return Figure(name, svg(draw, size=(8.0, 3.4), panels=2), caption, caption)
