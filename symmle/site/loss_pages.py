"""The "Losses" section: a page per registered loss, with the loss drawn against the
prediction for a few targets."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

import symmle
from symmle.checks import Check
from symmle.losses import LossResult
from symmle.render.templates import render
from symmle.site.figures import Figure, least_squares, single
from symmle.site.page import Page

Illustration = Callable[[LossResult], tuple[Figure, Check]]
ILLUSTRATIONS: dict[str, Illustration] = {"squared-error": least_squares}
"""Figures of a loss in use, each with the check of what it drew."""


def loss_figure(loss: LossResult) -> Figure:
    """The per-sample loss against the prediction, one curve per target."""
    plot = loss.entry.plot
    grid = np.linspace(plot.low, plot.high, 241)

    def draw(axes: Any) -> None:
        for target in plot.targets:
            values = np.asarray(loss.fn(*plot.inputs(grid, target)), float)
            values = values.sum(axis=-1) if values.ndim > 1 else values
            axes.plot(grid, values, label=plot.legend.format(target))
        axes.set_xlabel(plot.xlabel)
        axes.set_ylabel("loss")
        axes.legend()

    caption = (
        f"The {loss.title.lower()} ({loss.entry.pytorch}) against the prediction, for a few "
        "targets, computed with its lambdified stable form."
    )
    return Figure(f"{loss.name}-loss.svg", single(draw), caption, caption)


def loss_page(name: str) -> Page:
    """A loss derivation at its default options, its figures and checks."""
    loss = symmle.loss(name)
    checks = [(loss.title, c) for c in loss.checks]
    figures = [loss_figure(loss)]
    if name in ILLUSTRATIONS:
        figure, drawn = ILLUSTRATIONS[name](loss)
        figures.append(figure)
        checks.append(("figure", drawn))
    markdown = render("pages/loss.md.jinja", loss=loss, figures=figures, checks=checks)
    summary = (
        f"PyTorch's {loss.entry.pytorch} as the negative log-likelihood of the "
        f"{loss.family.title} ({loss.entry.link})."
    )
    return Page(
        f"{name}.md", loss.title, summary, markdown, tuple(figures), tuple(checks), "Losses"
    )


def loss_builders() -> list[Callable[[], Page]]:
    return [partial(loss_page, name) for name in symmle.losses()]
