"""The "Models" section: linear, logistic and Poisson regression, each derived, fitted on a
seeded data set, and trained by gradient descent and Adam towards the same MLE."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from symmle.checks import Check, compare
from symmle.losses.functions import compile_numpy
from symmle.models import RegressionResult, regression, regressions
from symmle.models.model import eta
from symmle.models.training import Trace, adam, gradient_descent, smoothness
from symmle.printing.latex import inline
from symmle.render.templates import render
from symmle.site.figures import Figure, svg
from symmle.site.page import Page

SIZE, STEPS, ADAM_RATE = 120, 1000, 0.05
COLOURS = ("#3f51b5", "#e91e63")


def example_data(name: str) -> tuple[Any, Any]:
    """A seeded data set: one feature x and an intercept column, targets from the model."""
    rng = np.random.default_rng(11)
    if name == "linear":
        x = rng.uniform(0, 4, SIZE)
        y = 0.5 + 1.5 * x + rng.normal(0, 0.6, SIZE)
    elif name == "logistic":
        x = rng.normal(0, 1.5, SIZE)
        y = (rng.uniform(size=SIZE) < 1 / (1 + np.exp(0.5 - 1.8 * x))).astype(float)
    else:
        x = rng.uniform(0, 2, SIZE)
        y = rng.poisson(np.exp(0.3 + 0.9 * x)).astype(float)
    return np.column_stack([np.ones(SIZE), x]), y


def fit_figure(result: RegressionResult) -> Figure:
    assert result.fit is not None
    x, y, (w0, w1) = result.fit.X[:, 1], result.fit.y, result.fit.weights
    mean = compile_numpy([eta], result.model.mean)
    grid = np.linspace(x.min(), x.max(), 200)

    def draw(axes: Any) -> None:
        axes.plot(x, y, "o", color=COLOURS[0], alpha=0.5, label="data")
        axes.plot(grid, mean(w0 + w1 * grid) + 0 * grid, color=COLOURS[1], label="fitted mean")
        axes.set_xlabel("x")
        axes.set_ylabel("y")
        axes.legend()

    caption = (
        f"The seeded data ({len(y)} observations) and the fitted mean "
        f"{inline(result.model.mean)} at η = {w0:.3f} + {w1:.3f}·x, the maximum-likelihood "
        "weights."
    )
    return Figure(f"{result.model.name}-regression-fit.svg", svg(draw), caption, caption)


def training_figure(result: RegressionResult, traces: list[Trace]) -> Figure:
    fit = result.fit
    assert fit is not None
    best = -fit.log_likelihood / len(fit.y)

    def draw(axes: Any) -> None:
        left, right = axes
        for trace, colour in zip(traces, COLOURS, strict=True):
            gap = np.log10(np.maximum(trace.nll - best, 1e-16))  # no log axis: its mathtext is slow
            left.plot(gap, color=colour, label=trace.name)
            for k, name in enumerate(fit.names):
                style = "-" if k == 0 else "--"
                right.plot(trace.weights[:, k], style, color=colour, label=f"{name}, {trace.name}")
        for w in fit.weights:
            right.axhline(w, color="black", linestyle=":", linewidth=1)
        left.set_xlabel("iteration")
        left.set_ylabel("log₁₀(mean NLL − its minimum)")
        left.legend()
        right.set_xlabel("iteration")
        right.set_ylabel("weights (dotted: the MLE)")
        right.legend(fontsize=7)

    caption = (
        "Gradient descent and Adam from w = 0, with the gradient of the derivation: the mean "
        "NLL falls to its minimum and the weights reach the maximum-likelihood estimate."
    )
    return Figure(
        f"{result.model.name}-regression-training.svg", svg(draw, (9.0, 3.6), 2), caption, caption
    )


def training_checks(result: RegressionResult, traces: list[Trace]) -> list[tuple[str, Check]]:
    assert result.fit is not None
    return [
        (
            "Training",
            compare(
                f"{trace.name} reaches the MLE after {STEPS} steps",
                trace.weights[-1],
                result.fit.weights,
                1e-6,
            ),
        )
        for trace in traces
    ]


def model_page(name: str) -> Page:
    X, y = example_data(name)
    result = regression(name, X=X, y=y, names=["intercept", "x"])
    traces = [
        gradient_descent(result, 1 / smoothness(result), STEPS),
        adam(result, ADAM_RATE, STEPS),
    ]
    figures = (fit_figure(result), training_figure(result, traces))
    checks = [("Fit", c) for c in result.checks] + training_checks(result, traces)
    markdown = render(
        "pages/model.md.jinja",
        result=result,
        figures=figures,
        checks=checks,
        steps=STEPS,
        rate=ADAM_RATE,
    )
    method = "the normal equations" if result.model.nuisance else "Newton's method (IRLS)"
    summary = f"derived, fitted by {method}, trained by gradient descent and Adam."
    return Page(
        f"{name}-regression.md",
        result.model.title,
        summary,
        markdown,
        figures,
        tuple(checks),
        "Models",
    )


def model_builders() -> list[Callable[[], Page]]:
    return [partial(model_page, name) for name in regressions()]
