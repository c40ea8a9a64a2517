"""The "Models" section: linear, logistic and Poisson regression, each derived, fitted on a
seeded data set, and trained by gradient descent and Adam towards the same MLE."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from symmle.checks import Check, compare
from symmle.models import RegressionResult, regression, regressions
from symmle.models.training import Trace, adam, gradient_descent, smoothness
from symmle.render.templates import render
from symmle.site.model_figures import fit_figure, profile_figure, training_figure
from symmle.site.page import Page

SIZE, STEPS, ADAM_RATE = 120, 1000, 0.05


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
    figures = (fit_figure(result), training_figure(result, traces), profile_figure(result))
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
