"""The figures of a regression's page: the data with the fitted mean, the training curves of
gradient descent and Adam, and the profile deviance of each parameter beside its Wald interval."""

from __future__ import annotations

from typing import Any

import numpy as np

from symmle.inference.profile import Profile, cutoff, interval_of
from symmle.losses.functions import compile_numpy
from symmle.models import RegressionResult
from symmle.models.model import eta
from symmle.models.profile import regression_profiles
from symmle.models.training import Trace
from symmle.printing.latex import inline
from symmle.site.figures import PROFILE_MARGINS, Figure, deviance_grid, margins, single, svg

COLOURS = ("#3f51b5", "#e91e63")
LABELS = {"sigma": "σ"}


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
    return Figure(f"{result.model.name}-regression-fit.svg", single(draw), caption, caption)


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


def deviance_panel(
    panel: Any, curve: Profile, ends: tuple[float, float], wald: tuple[float, float], label: str
) -> None:
    """One parameter's 2(ℓ̂ − ℓₚ) under the cut-off: profile ends solid, Wald ends dashed."""
    line = cutoff(0.95)
    grid = deviance_grid(curve, *ends, wald)
    panel.plot(grid, [min(curve.deviance(v), 3 * line) for v in grid], color=COLOURS[0])
    panel.axhline(line, color="#9e9e9e", linewidth=0.8)
    for at, style in [(e, "-") for e in ends] + [(e, "--") for e in wald]:
        panel.axvline(at, color=COLOURS[1] if style == "-" else "#ff9800", linestyle=style)
    panel.set_xlabel(label)
    panel.set_ylabel("2(ℓ̂ − ℓₚ)")


def profile_figure(result: RegressionResult) -> Figure:
    """The profile deviance of each weight (and σ) with its 95% profile and Wald intervals."""
    curves, wald = regression_profiles(result), result.interval()
    ends = {name: interval_of(curve, cutoff(0.95)) for name, curve in curves.items()}

    def draw(axes: Any) -> None:
        for panel, (name, curve) in zip(np.atleast_1d(axes), curves.items(), strict=True):
            deviance_panel(panel, curve, ends[name], wald[name], LABELS.get(name, name))

    caption = (
        f"The profile deviance 2(ℓ̂ − ℓₚ) of each parameter of {result.model.title} on the "
        "seeded data, ℓₚ the log-likelihood maximised over the other parameters with this one "
        "held. The 95% profile interval (solid ends) is where the curve lies under "
        f"χ²₁,₀.₉₅ = {cutoff(0.95):.3g} (grey); the Wald interval's ends are dashed."
    )
    size = (3.2 * len(curves), 3.2)
    image = svg(draw, size, panels=len(curves), margins=margins(size, PROFILE_MARGINS, len(curves)))
    return Figure(f"{result.model.name}-regression-profile.svg", image, caption, caption)
